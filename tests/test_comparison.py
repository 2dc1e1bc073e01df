"""Comparing arms: an explicit reference arm, the outcomes shown, verdicts against the MID, notes and traps."""

from __future__ import annotations

import numpy as np
import pytest

from conflict_sim.analysis import comparison as cp
from conflict_sim.analysis.catalogue import KEY_OUTCOMES, describe
from conflict_sim.analysis.study import Study
from conflict_sim.errors import ConflictSimError
from tests.synthetic_results import EFFECT, synthetic_study


@pytest.fixture(scope="module")
def study():
    return synthetic_study()


@pytest.fixture(scope="module")
def compared(study):
    return cp.compare(study)


def _with(study: Study, **changes) -> Study:
    """The study with some tables or manifest entries replaced."""
    manifest = {**study.manifest, **changes.pop("manifest", {})}
    parts = {"runs": study.runs, "outcomes": study.outcomes, "daily": study.daily, **changes}
    return Study(parts["runs"], parts["outcomes"], parts["daily"], manifest)


def test_the_reference_arm_defaults_to_baseline_whatever_the_order(study):
    """The arm named baseline is the reference even when it is not listed first."""
    arms = [study.manifest["arms"][i] for i in (1, 0, 2)]
    found = cp.compare(_with(study, manifest={"arms": arms}))
    assert found.reference == "baseline" and set(found.differences["reference"]) == {"baseline"}
    assert set(found.differences["arm"]) == {"better", "worse"} and not found.warnings


def test_an_explicit_reference_arm_is_compared_against(study):
    """reference='worse' compares baseline and better against worse: better gains 2 x EFFECT on resolution."""
    found = cp.compare(study, reference="worse")
    rows = found.differences[found.differences["outcome"] == "substantive_resolution_rate"].set_index("arm")
    assert found.reference == "worse" and set(rows.index) == {"baseline", "better"}
    assert rows.loc["better", "mean_diff"] == pytest.approx(2 * EFFECT)


def test_an_unknown_reference_arm_is_one_line_naming_the_arms(study):
    """A misspelt reference is a ConflictSimError that lists the arms."""
    with pytest.raises(ConflictSimError, match=r"--reference 'wrose'.*baseline, better, worse") as error:
        cp.compare(study, reference="wrose")
    assert "\n" not in str(error.value)


def test_without_a_baseline_arm_the_first_arm_is_the_reference_and_the_report_says_so():
    """No arm named baseline: the first arm is the reference, and a warning names it."""
    found = cp.compare(synthetic_study(arms=("status quo", "better")))
    assert found.reference == "status quo"
    assert any("'status quo'" in w and "reference" in w for w in found.warnings)


def test_the_main_table_shows_the_key_outcomes_and_the_appendix_the_rest(study, compared):
    """By default the main outcomes are the documented key set (collective, non-normal, interception,
    trust in the centre, buy-offs among them); every other stored outcome is in the appendix."""
    assert compared.main == list(KEY_OUTCOMES)
    for name in ("collective_visits_per_year", "nonnormal_per_year", "intercepted_share", "legitimacy_center_mean"):
        assert name in compared.main
    assert "buyoffs_per_year" in compared.main
    assert sorted(compared.main + compared.appendix) == sorted(study.outcome_names)


def test_the_outcomes_an_experiment_names_are_the_main_table(study):
    """An experiment's own `outcomes` list is the main table, in its order, even outside the key set;
    a named outcome that is not stored is a warning, not a silent drop."""
    named = ["repeat_rate", "substantive_resolution_rate", "no_such_outcome"]
    found = cp.compare(_with(study, manifest={"outcomes": named}))
    assert found.main == ["repeat_rate", "substantive_resolution_rate"]
    assert any("no_such_outcome" in w for w in found.warnings)


def test_an_outcome_stored_twice_is_shown_and_tested_once(study):
    """Finding 5: one instability outcome twice inflated Holm. An exact copy is dropped, and noted."""
    outcomes = study.outcomes.assign(instability_index_copy=study.outcomes["instability_index_mean"])
    named = ["instability_index_mean", "instability_index_copy", "instability_index_mean", "cost_total"]
    found = cp.compare(_with(study, outcomes=outcomes, manifest={"outcomes": named}))
    assert found.main == ["instability_index_mean", "cost_total"]
    assert "instability_index_copy" not in found.appendix
    assert len(found.differences[found.differences["family"] == "main"]) == 2 * 2  # 2 outcomes x 2 arms
    assert any("instability_index_copy" in n for n in found.notes)


def test_outcomes_that_are_both_always_zero_are_not_duplicates(study):
    """Two distinct outcomes that happen to be 0 in every run are two outcomes, not one."""
    outcomes = study.outcomes.assign(mass_incidents_per_year=0.0, nonnormal_per_year=0.0)
    found = cp.compare(_with(study, outcomes=outcomes))
    assert {"mass_incidents_per_year", "nonnormal_per_year"} <= set(found.main)


def test_a_count_is_judged_against_a_share_of_its_reference_value(compared):
    """A count's declared MID is a fifth of the reference arm's mean, not 0.2 events a year."""
    row = compared.differences.set_index(["arm", "outcome"]).loc[("better", "petitions_per_year")]
    assert row["control_mean"] > 10 and row["mid_source"] == "declared"
    assert row["mid"] == pytest.approx(0.2 * row["control_mean"])


def test_a_difference_is_important_only_beyond_its_minimum_important_difference(study):
    """A resolved difference of 0.001 in a share (MID 0.01) is negligible, however small its p;
    EFFECT = 0.1 is important; both carry a relative change."""
    outcomes = study.outcomes.copy()
    better = study.runs["arm"].eq("better").to_numpy()
    outcomes.loc[better, "formal_on_time_rate"] += 0.001 + 1e-5 * np.arange(better.sum())
    found = cp.compare(_with(study, outcomes=outcomes)).differences.set_index(["arm", "outcome"])
    tiny = found.loc[("better", "formal_on_time_rate")]
    assert (
        tiny["p_t"] < 1e-6
        and tiny["mid"] == describe("formal_on_time_rate").mid.absolute
        and tiny["verdict"] == "negligible"
    )
    big = found.loc[("better", "substantive_resolution_rate")]
    assert big["verdict"] == "important" and big["relative_diff"] == pytest.approx(EFFECT / big["control_mean"])
    assert set(found["verdict"]) <= set(cp.VERDICTS)


def test_too_few_pairs_for_the_wilcoxon_test_is_said():
    """Finding 5: at n = 6 the Holm-adjusted Wilcoxon p cannot fall below 0.05, and a note says so;
    with 40 pairs it can, and there is no such note."""
    small = cp.compare(synthetic_study(n=6))
    assert any("6 pairs" in n and "cannot" in n for n in small.notes)
    large = cp.compare(synthetic_study(n=40, days=60))
    assert not any("signed-rank" in n for n in large.notes)


def test_presets_that_measure_an_outcome_differently_are_not_compared_on_it():
    """Finding 6: an arm recording satisfaction independently is not compared on satisfaction with one
    recording it by revisit calls; the report says which setting differs."""
    revisit, independent = {"satisfaction_mode": "revisit_formal"}, {"satisfaction_mode": "independent"}
    modes = {"baseline": revisit, "better": independent, "worse": revisit}
    found = cp.compare(synthetic_study(arm_params=modes))
    rows = found.differences.set_index(["arm", "outcome"])
    assert rows.loc[("better", "satisfaction_rate"), "verdict"] == "not comparable"
    assert np.isnan(rows.loc[("better", "satisfaction_rate"), "p_t_holm"])
    assert rows.loc[("worse", "satisfaction_rate"), "verdict"] != "not comparable"  # measured alike
    assert any("satisfaction_mode" in w and "better" in w for w in found.warnings)


def test_the_two_repeat_measures_are_explained_side_by_side(compared):
    """Finding 6: the repeat rate and the chronic petitioners count different things; a note says how."""
    assert any("Repeat submissions" in n and "Chronic petitioners" in n for n in compared.notes)


def test_an_outcome_not_reached_is_counted_and_said(study):
    """Median time to resolution never reached in a run (nan): counted as missing, warned, left out of pairs."""
    outcomes = study.outcomes.copy()
    outcomes.loc[outcomes["run_key"] == "p0-a0-r0", "median_days_to_resolution"] = np.nan
    found = cp.compare(_with(study, outcomes=outcomes))
    row = found.summary.set_index(["arm", "outcome"]).loc[("baseline", "median_days_to_resolution")]
    assert (row["n"], row["missing"]) == (7, 1)
    assert any("not reached in 1 of 8 runs" in w for w in found.warnings)
    pairs = found.differences.set_index(["arm", "outcome"]).loc[("better", "median_days_to_resolution"), "n_pairs"]
    assert pairs == 7


def test_replication_adequacy_reads_the_paired_differences(compared):
    """Adequacy is judged on each paired difference's CI half-width against MID / 2, not on arm means."""
    row = compared.adequacy.set_index(["arm", "outcome"]).loc[("better", "legitimacy_local_mean")]
    diff = compared.differences.set_index(["arm", "outcome"]).loc[("better", "legitimacy_local_mean")]
    assert row["half_width"] == pytest.approx((diff["diff_high"] - diff["diff_low"]) / 2)
    assert row["target"] == pytest.approx(diff["mid"] / 2)
    assert bool(row["adequate"]) == (row["half_width"] <= row["target"])


def test_a_sampled_design_is_compared_on_its_design_average():
    """An LHS design's unit is a replication's mean over the points: n is the replications, not runs."""
    study = synthetic_study(levels={"office_quality": [0.5, 0.6, 0.7, 0.8]}, method="lhs", n=5)
    found = cp.compare(study)
    assert list(found.points["point"]) == [cp.DESIGN_AVERAGE]
    assert set(found.summary["n"]) == {5}
    assert "average over 4 design points" in found.point_label(cp.DESIGN_AVERAGE)
