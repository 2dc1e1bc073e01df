"""Figures for papers: Type 42 fonts, 300-dpi PNGs, journal widths, labelled axes, reproducible bytes,
arms told apart without colour, readable text, axes fitted to the data, pyramids with intervals."""

from __future__ import annotations

import colorsys

import matplotlib.colors as mcolors
import pandas as pd
import pytest
from matplotlib.container import BarContainer, ErrorbarContainer
from matplotlib.text import Text
from PIL import Image

from conflict_sim import sensitivity
from conflict_sim.analysis import figures as fg
from conflict_sim.analysis import report
from tests.synthetic_results import synthetic_study

OKABE_ITO = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#F0E442"}
SOBOL = pd.DataFrame(
    {
        "scenario": "s",
        "arm": "baseline",
        "outcome": "substantive_resolution_rate",
        "parameter": ["a", "b", "c"],
        "S1": [0.1, 0.3, 0.5],
        "S1_conf": 0.05,
        "ST": [0.2, 0.35, 0.6],
        "ST_conf": 0.05,
    }
)


MORRIS = SOBOL[["scenario", "arm", "outcome", "parameter"]].assign(
    mu=[0.1, -0.2, 0.3], mu_star=[0.1, 0.2, 0.3], sigma=[0.05, 0.1, 0.2], mu_star_conf=0.02
)


@pytest.fixture(scope="module")
def analysis():
    return report.analyse(synthetic_study(days=120, warmup_days=30))


@pytest.fixture(scope="module")
def drawn(analysis):
    """Every figure the report can draw for a comparison, by name, plus the Sobol figure."""
    c, s = analysis.comparison, analysis.steady
    return {
        "trajectories": fg.trajectories(s.bands, c.arms, 30, s.recommended_days),
        "distributions": fg.distributions(c.values, c.main[:4], c.arms),
        "forest": fg.forest(c.differences, c.main[:6], c.arms),
        "closure_vs_resolution": fg.closure_vs_resolution(c.summary, c.arms),
        "level_pyramid": fg.level_pyramid(c.summary, c.arms),
        "sobol": fg.sobol_indices(SOBOL),
        "morris": fg.morris_indices(MORRIS),
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


def test_drawing_twice_gives_identical_bytes(analysis, tmp_path):
    """No timestamps: the same tables drawn and saved twice give the same PDF and PNG bytes."""
    c = analysis.comparison
    first = [p.read_bytes() for p in fg.save(fg.forest(c.differences, c.main[:3], c.arms), tmp_path / "a", "f")]
    second = [p.read_bytes() for p in fg.save(fg.forest(c.differences, c.main[:3], c.arms), tmp_path / "b", "f")]
    assert first == second


def test_widths_match_journal_columns(drawn):
    """The closure scatter fills a single column (3.5 in); small multiples fill a double one (7.2 in)."""
    assert drawn["closure_vs_resolution"].get_figwidth() == fg.SINGLE == 3.5
    for name in ("trajectories", "distributions", "forest", "level_pyramid", "sobol", "morris"):
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


def test_no_text_is_smaller_than_seven_points(drawn):
    """Finding 5: readable labels. Every visible text of every figure (ticks, labels, legends, notes) is >= 7 pt."""
    for name, fig in drawn.items():
        with fg.styled():
            fig.canvas.draw()
        for text in fig.findobj(Text):
            if text.get_visible() and text.get_text().strip():
                assert text.get_fontsize() >= fg.MIN_FONT, (name, text.get_text(), text.get_fontsize())


def test_six_arms_differ_in_colour_line_style_and_marker():
    """Finding 5: two arms in near-identical blues with no line styles. Six arms have six Okabe–Ito colours
    with at most one blue, six line styles and six markers, the reference solid black."""
    styles = fg.arm_styles([f"arm{i}" for i in range(6)])
    colours = [s.colour.upper() for s in styles.values()]
    assert len(set(colours)) == 6 and set(colours) <= OKABE_ITO and colours[0] == "#000000"
    assert len({"#56B4E9", "#0072B2"} & set(colours)) == 1
    assert len({str(s.linestyle) for s in styles.values()}) == 6 and styles["arm0"].linestyle == "-"
    assert len({s.marker for s in styles.values()}) == 6


def test_closure_axes_are_fitted_to_the_arms(drawn, analysis):
    """Finding 5: every point sat at x of about 1 on a 0–1 axis. The axes now span the arms' intervals with a
    margin: the data cover at least half of each axis, and no axis goes beyond [0, 1] by more than its margin."""
    ax = drawn["closure_vs_resolution"].axes[0]
    rows = analysis.comparison.summary.set_index("outcome")
    for outcome, limits in (("formal_on_time_rate", ax.get_xlim()), ("substantive_resolution_rate", ax.get_ylim())):
        r = rows.loc[outcome]
        span = r["ci_high"].max() - r["ci_low"].min()
        assert span >= 0.5 * (limits[1] - limits[0]), outcome


def test_the_reference_arm_is_drawn_on_top_and_hollow(drawn):
    """The reference arm's marker is hollow and drawn above the others, so that no arm hides it."""
    ax = drawn["closure_vs_resolution"].axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    markers = [line for line in ax.get_lines() if line.get_marker() not in (None, "None", "")]
    reference = markers[0]
    assert reference.get_markerfacecolor() == "none" and reference.get_zorder() > markers[1].get_zorder()
    assert lines  # the lines carry the arms' markers


def test_the_level_pyramid_has_an_interval_per_bar(drawn, analysis):
    """Finding 5: the pyramid had no intervals. Each arm's panel has one error bar per level."""
    for ax in drawn["level_pyramid"].axes:
        if ax.get_visible():
            bars = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
            assert len(bars) == 5


def test_value_axes_state_units(drawn):
    """Axis labels of the trajectories carry a unit in brackets."""
    labels = [ax.get_ylabel() for ax in drawn["trajectories"].axes if ax.get_visible()]
    assert labels and all("[" in label and "]" in label for label in labels)


def _bars(fig) -> dict:
    """Bar colours of a figure's first panel, by the bars' label."""
    return {c.get_label(): c.patches[0].get_facecolor() for c in fig.axes[0].containers if isinstance(c, BarContainer)}


def _hue(colour) -> float:
    return colorsys.rgb_to_hsv(*mcolors.to_rgb(colour))[0] * 360


def test_sobol_colours_match_the_sensitivity_figure():
    """Finding 3: S1/ST colours were the reverse of the `sensitivity` figure's. S1 is blue and ST orange in both."""
    ours = _bars(fg.sobol_indices(SOBOL))
    theirs = _bars(sensitivity.figure(SOBOL, "substantive_resolution_rate", "sobol"))
    s1 = [_hue(v) for k, v in {**ours, **theirs}.items() if "S1" in k]
    st = [_hue(v) for k, v in {**ours, **theirs}.items() if "ST" in k]
    assert len(s1) == len(st) == 2
    assert all(190 <= h <= 215 for h in s1) and all(25 <= h <= 45 for h in st)  # blue and orange


def test_one_style_file_sets_type42_and_300_dpi():
    """The versioned style file is where the publication settings live."""
    text = fg.STYLE.read_text()
    assert "pdf.fonttype: 42" in text and "savefig.dpi: 300" in text and f"version {fg.STYLE_VERSION}" in text
