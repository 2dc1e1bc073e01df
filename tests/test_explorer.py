"""The results explorer in-process: lazy reading equals the store's, each view is the report's figure of the
report's numbers, and the page opens a stored comparison and a stored sweep and draws every view."""

from __future__ import annotations

import time

import ipyvuetify as v
import ipywidgets
import numpy as np
import pandas as pd
import pytest
import solara

from conflict_sim.analysis import designs
from conflict_sim.analysis import figures as fg
from conflict_sim.analysis.comparison import compare
from conflict_sim.analysis.study import read
from conflict_sim.errors import ConflictSimError
from conflict_sim.store import load
from conflict_sim.viz import explorer
from conflict_sim.viz import explorer_views as ev
from conflict_sim.viz.stored import PART, find_results, open_results
from tests.stored_results import COMPARISON_ARMS, SWEEP_ARMS, stored_comparison, stored_sweep

OUTCOMES = ["substantive_resolution_rate", "petitions_per_year"]


@pytest.fixture(scope="module")
def comparison_folder(tmp_path_factory):
    return stored_comparison(tmp_path_factory.mktemp("explorer") / "compare")


@pytest.fixture(scope="module")
def sweep_folder(tmp_path_factory):
    return stored_sweep(tmp_path_factory.mktemp("explorer") / "sweep")


@pytest.mark.parametrize("which", ["comparison_folder", "sweep_folder"])
def test_lazy_reading_gives_what_the_store_loads(request, which):
    """Runs and outcomes equal `store.load`'s, in the same order; the daily series of any runs, read on
    demand from their parts only, equal the loaded rows."""
    folder = request.getfixturevalue(which)
    stored, loaded = open_results(folder), load(folder)
    pd.testing.assert_frame_equal(stored.runs.drop(columns=PART), loaded.runs, check_dtype=False)
    pd.testing.assert_frame_equal(stored.outcomes(), loaded.outcomes, check_dtype=False)
    assert list(stored.outcomes(["petitions_per_year"]).columns) == ["run_key", "petitions_per_year"]
    assert stored.manifest == loaded.manifest and set(stored.daily_columns) == set(loaded.daily.columns) - {
        "run_key",
        "day",
    }
    keys = list(loaded.runs["run_key"].iloc[[0, -1]])
    column = stored.daily_columns[0]
    expected = loaded.daily[loaded.daily["run_key"].isin(keys)][["run_key", "day", column]].reset_index(drop=True)
    pd.testing.assert_frame_equal(stored.daily([column], keys), expected, check_dtype=False)


def test_the_views_a_design_supports(comparison_folder, sweep_folder):
    """A comparison has no parameter and no indices; a Sobol sweep opens on an outcome against a parameter."""
    assert ev.views_for(open_results(comparison_folder)) == ["arms", "run", "course", "manifest"]
    assert ev.views_for(open_results(sweep_folder)) == ["parameter", "arms", "run", "course", "sensitivity", "manifest"]


def test_arms_views_are_the_reports_figures_of_the_reports_numbers(comparison_folder):
    """Distributions and paired differences are drawn by the report's functions from `compare` on the
    folder as the report reads it: the same PNG bytes; the CSV holds the paired differences."""
    stored = open_results(comparison_folder)
    distributions, differences = ev.arms_views(stored, OUTCOMES, list(COMPARISON_ARMS), "baseline")
    report = compare(read(comparison_folder), reference="baseline", outcomes=OUTCOMES)
    assert distributions.image() == fg.render(fg.distributions(report.values, OUTCOMES, report.arms), "png")
    assert differences.image() == fg.render(fg.forest(report.differences, OUTCOMES, report.arms), "png")
    shown = pd.read_csv(pd.io.common.BytesIO(differences.csv()))
    expected = report.differences[report.differences["outcome"].isin(OUTCOMES)]
    np.testing.assert_allclose(shown["mean_diff"], expected["mean_diff"])
    assert set(shown["arm"]) == {"fast_handling", "open_channels"}
    assert "3 replications per arm; reference arm baseline" in differences.caption


def test_a_reference_arm_and_a_subset_of_arms(comparison_folder):
    """Choosing two arms and another reference compares exactly those two, the other one the reference."""
    stored = open_results(comparison_folder)
    _, differences = ev.arms_views(stored, OUTCOMES, ["open_channels", "fast_handling"], "open_channels")
    assert set(differences.table["arm"]) == {"fast_handling"}
    assert set(differences.table["reference"]) == {"open_channels"}


def test_outcome_against_a_parameter_bins_a_sampled_design(sweep_folder):
    """A Sobol parameter is cut into quantile bins in order; the stand-in's petitions rise with office
    quality in every arm (its mean is 100 x office quality), so the bin means rise bin by bin."""
    stored = open_results(sweep_folder)
    view = ev.parameter_view(stored, ["petitions_per_year"], "office_quality", list(SWEEP_ARMS))
    means = view.table.groupby(["arm", "office_quality"], sort=False)["petitions_per_year"].mean()
    for arm in SWEEP_ARMS:
        levels = means.loc[arm]
        assert len(levels) == ev.BINS and levels.is_monotonic_increasing
        assert [float(x) for x in levels.index] == sorted(float(x) for x in levels.index)
    assert "quantile bins" in view.caption and view.image().startswith(b"\x89PNG")


def test_sensitivity_view_is_the_reports_indices(sweep_folder):
    """Sobol indices in an arm are the report's (`designs.sensitivity_indices`), with their convergence."""
    stored = open_results(sweep_folder)
    view = ev.sensitivity_view(stored, ["petitions_per_year"], "better")
    study = read(sweep_folder)
    indices, _, _ = designs.sensitivity_indices(study, compare(study, reference="better"))
    indices = indices[indices["outcome"] == "petitions_per_year"]
    np.testing.assert_allclose(view.table.sort_values("parameter")["ST"], indices.sort_values("parameter")["ST"])
    assert set(view.table["arm"]) == {"better"} and "converged" in view.table
    assert view.image("pdf").startswith(b"%PDF")


def test_a_run_view_draws_the_stored_daily_series_of_paired_runs(comparison_folder):
    """The daily series of one replication in every arm: the stored rows, one seed shared by the arms."""
    stored = open_results(comparison_folder)
    view = ev.run_view(stored, ["open_issues"], list(COMPARISON_ARMS), 0, 1)
    loaded = load(comparison_folder).daily
    for arm_index in range(3):
        key = f"p0-a{arm_index}-r1"
        np.testing.assert_array_equal(
            view.table.loc[view.table["run_key"] == key, "open_issues"],
            loaded.loc[loaded["run_key"] == key, "open_issues"],
        )
    assert "common random numbers" in view.caption


def test_course_view_is_the_reports_course_over_time(comparison_folder):
    """30-day values with intervals over replications: the report's bands for the same outcome."""
    from conflict_sim.analysis import steady_state

    stored = open_results(comparison_folder)
    view = ev.course_view(stored, ["petitions_per_year"], list(COMPARISON_ARMS))
    bands = steady_state.analyse(read(comparison_folder), [], ["petitions_per_year"]).bands["petitions_per_year"]
    np.testing.assert_allclose(view.table["mean"], bands["mean"])


def test_bad_folders_and_choices_are_one_line_errors(tmp_path, comparison_folder):
    """Not a results folder, an unknown outcome, a daily series not kept: one line naming what is wrong."""
    with pytest.raises(ConflictSimError, match="not a results folder"):
        open_results(tmp_path)
    stored = open_results(comparison_folder)
    with pytest.raises(ConflictSimError, match="nope: not stored"):
        ev.parameter_view(stored, ["nope"], "x", ["baseline"])
    with pytest.raises(ConflictSimError, match="no daily series cost_total"):
        stored.daily(["cost_total"], ["p0-a0-r0"])
    assert explorer.opened(str(tmp_path))[1].endswith("(no manifest.json)")


def test_results_folders_are_found_under_a_root(tmp_path, comparison_folder):
    """The picker lists folders with a manifest, however deep (up to four levels)."""
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "manifest.json").write_text("{}")
    (tmp_path / "c").mkdir()
    assert find_results(tmp_path) == [tmp_path / "a" / "b"]


def wait_for_titles(rc, titles: list[str], seconds: float = 60) -> None:
    """Until the figures shown are exactly `titles` (they are drawn in a background task)."""
    deadline = time.monotonic() + seconds
    while [w.children[0] for w in rc.find(v.Html, tag="h3").widgets] != titles:
        assert time.monotonic() < deadline, [w.children for w in rc.find(v.Html, tag="h3").widgets]
        time.sleep(0.05)


def choose_view(rc, label: str) -> None:
    labels = [b.children[0] for b in rc.find(v.Btn).widgets if b.children and b.children[0] in explorer.LABELS]
    rc.find(v.BtnToggle).widget.v_model = labels.index(label)


def test_the_page_opens_a_comparison_and_draws_each_view(comparison_folder):
    """Opened on a comparison: arms and paired differences first, then a run, the course and the manifest,
    each a PNG on the page with PNG, PDF and CSV downloads."""
    _box, rc = solara.render(explorer.Explorer(str(comparison_folder)), handle_error=False)
    assert "compare-tiny: list design on tiny, 1 point(s) × 3 arm(s) × 3 replication(s) = 9 runs" in str(
        rc.find(v.Html, class_="explorer-summary").widget.children
    )
    wait_for_titles(rc, ["Outcome distributions", "Paired differences against baseline"])
    images = rc.find(ipywidgets.Image).widgets
    assert len(images) == 2 and all(bytes(w.value).startswith(b"\x89PNG") for w in images)
    labels = [c for b in rc.find(v.Btn).widgets for c in b.children if isinstance(c, str)]
    assert labels.count("PNG") == labels.count("PDF") == labels.count("CSV") == 2
    for label, titles in [
        ("Daily series of a run", ["Daily series of one replication"]),
        ("Course of an outcome", ["Course over time"]),
        ("Manifest", ["Experiment definition", "Manifest"]),
    ]:
        choose_view(rc, label)
        wait_for_titles(rc, titles)
    assert '"root_seed": 1' in str(rc.find(v.Html, tag="pre").widgets[1].children)


def test_the_page_opens_a_sweep_on_an_outcome_against_a_parameter(sweep_folder):
    """Opened on a Sobol sweep: the first view is an outcome against the first parameter; the indices view
    draws Sobol indices; a path that is not a results folder is one error line."""
    _box, rc = solara.render(explorer.Explorer(str(sweep_folder)), handle_error=False)
    wait_for_titles(rc, ["Outcomes by office_quality"])
    choose_view(rc, "Sensitivity indices")
    wait_for_titles(rc, ["Sobol sensitivity indices"])
    rc.find(v.TextField, label="Results folder").widget.v_model = str(sweep_folder / "runs")
    rc.find(v.TextField, label="Results folder").widget.fire_event("keyup.enter")
    assert "not a results folder" in str(rc.find(v.Alert).widget.children)
