"""Figures for papers: Type 42 fonts, 300-dpi PNGs, journal widths, labelled axes, reproducible bytes."""

from __future__ import annotations

import pandas as pd
import pytest
from PIL import Image

from conflict_sim.analysis import figures as fg
from conflict_sim.analysis.catalogue import KEY_OUTCOMES
from conflict_sim.analysis.comparison import analyse
from tests.synthetic_results import synthetic_results

OKABE_ITO = ["#000000", "#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#F0E442"]


@pytest.fixture(scope="module")
def comparison():
    runs, outcomes, daily = synthetic_results()
    return analyse(runs, outcomes, daily, warmup_days=10)


@pytest.fixture(scope="module")
def drawn(comparison):
    """Every figure the report can draw, by name."""
    c = comparison
    sobol = pd.DataFrame(
        {
            "outcome": ["substantive_resolution_rate"] * 3,
            "parameter": ["a", "b", "c"],
            "S1": [0.1, 0.3, 0.5],
            "S1_conf": 0.05,
            "ST": [0.2, 0.35, 0.6],
            "ST_conf": 0.05,
        }
    )
    return {
        "trajectories": fg.trajectories(c.bands, c.arms, c.warmup_days),
        "distributions": fg.distributions(c.values, list(KEY_OUTCOMES[:4]), c.arms),
        "forest": fg.forest(c.comparison, c.family, c.arms),
        "closure_vs_resolution": fg.closure_vs_resolution(c.summary, c.arms),
        "level_pyramid": fg.level_pyramid(c.summary, c.arms),
        "sobol": fg.sobol_indices(sobol),
    }


def test_pdf_embeds_truetype_type42_fonts_not_type3(drawn, tmp_path):
    """Matplotlib writes Type 42 as a Type0 font over a CIDFontType2 with a FontFile2 stream."""
    for name, fig in drawn.items():
        pdf = fg.save(fig, tmp_path, name)[0].read_bytes()
        assert b"/CIDFontType2" in pdf and b"/FontFile2" in pdf, name
        assert b"/Type3" not in pdf, name


def test_png_is_300_dpi(drawn, tmp_path):
    """The raster twin of each figure is written at 300 dpi."""
    png = fg.save(drawn["closure_vs_resolution"], tmp_path, "closure")[1]
    with Image.open(png) as image:
        dpi = image.info["dpi"]
    assert dpi == pytest.approx((300, 300), abs=0.01)


def test_drawing_twice_gives_identical_bytes(comparison, tmp_path):
    """No timestamps: the same tables drawn and saved twice give the same PDF and PNG bytes."""
    c = comparison
    first = [p.read_bytes() for p in fg.save(fg.forest(c.comparison, c.family, c.arms), tmp_path / "a", "f")]
    second = [p.read_bytes() for p in fg.save(fg.forest(c.comparison, c.family, c.arms), tmp_path / "b", "f")]
    assert first == second


def test_widths_match_journal_columns(drawn):
    """The closure scatter fills a single column (3.5 in); small multiples fill a double one (7.2 in)."""
    assert drawn["closure_vs_resolution"].get_figwidth() == fg.SINGLE == 3.5
    for name in ("trajectories", "distributions", "forest", "level_pyramid", "sobol"):
        assert drawn[name].get_figwidth() == fg.DOUBLE == 7.2, name


def test_every_panel_names_its_axes(drawn):
    """Each visible panel has an x label and a y label or category tick labels."""
    for name, fig in drawn.items():
        for ax in fig.axes:
            if not ax.get_visible():
                continue
            assert ax.get_xlabel() or [t.get_text() for t in ax.get_xticklabels() if t.get_text()], name
            shared = ax.get_shared_y_axes().get_siblings(ax)  # inner panels hide shared tick labels
            assert ax.get_ylabel() or any(t.get_text() for a in shared for t in a.get_yticklabels()), name


def test_value_axes_state_units(drawn):
    """Axis labels of the trajectories carry a unit in brackets."""
    labels = [ax.get_ylabel() for ax in drawn["trajectories"].axes if ax.get_visible()]
    assert labels and all("[" in label and "]" in label for label in labels)


def test_arm_colours_are_okabe_ito_with_the_baseline_black():
    """Arms take the Okabe–Ito palette in order, so the baseline is black and the next arms differ."""
    colours = fg.colours([f"arm{i}" for i in range(8)])
    assert [c.upper() for c in colours.values()] == OKABE_ITO


def test_one_style_file_sets_type42_and_300_dpi():
    """The versioned style file is where the publication settings live."""
    text = fg.STYLE.read_text()
    assert "pdf.fonttype: 42" in text and "savefig.dpi: 300" in text and "version 1" in text
