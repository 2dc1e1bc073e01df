"""Steady state: the tracked series per bin, the MSER-5 warm-up as the report states it, and the trend check."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conflict_sim.analysis import report, steady_state
from conflict_sim.analysis.catalogue import TRACKERS
from tests.synthetic_results import FLOWS, synthetic_study


def test_bins_turn_cumulative_counts_into_flows_and_ratios():
    """A count growing by 2 a day is a flow of 730 a year; 1 resolved of 4 issues ended a day is a share of 0.25."""
    day = np.arange(1, 61)
    daily = pd.DataFrame({"run_key": "r", "day": day, "petitions": 2 * day, "issues_ended": 4 * day})
    daily["issues_resolved"] = day
    flow = steady_state.binned(daily, TRACKERS["petitions_per_year"], 30)
    share = steady_state.binned(daily, TRACKERS["substantive_resolution_rate"], 30)
    assert flow["value"].tolist() == pytest.approx([730.0, 730.0])
    assert share["value"].tolist() == pytest.approx([0.25, 0.25])
    assert flow[["first_day", "last_day"]].to_numpy().tolist() == [[1, 30], [31, 60]]


def test_bins_drop_an_incomplete_last_bin_and_average_levels():
    """A level is the bin mean; the days after the last full bin are not a bin of their own."""
    day = np.arange(1, 36)
    daily = pd.DataFrame({"run_key": "r", "day": day, "legitimacy_local": day / 100})
    found = steady_state.binned(daily, TRACKERS["legitimacy_local_mean"], 10)
    assert found["value"].tolist() == pytest.approx([0.055, 0.155, 0.255])


def test_flows_per_100_residents_use_the_population():
    """Petitions per 100 residents per year: the yearly flow over the population, times 100."""
    day = np.arange(1, 31)
    daily = pd.DataFrame({"run_key": "r", "day": day, "petitions": day})
    found = steady_state.binned(daily, TRACKERS["petitions_per_100_residents_year"], 30, population=36_500)
    assert found["value"].tolist() == pytest.approx([1.0])


@pytest.fixture(scope="module")
def transient():
    """Local legitimacy starts 0.2 higher and decays with a 30-day time constant; 600 days, warm-up 20."""
    return synthetic_study(days=600, warmup_days=20, transient=0.2, n=6)


def test_mser_finds_the_transient_and_the_report_states_it(transient):
    """Finding 1: the warm-up recommended is MSER-5's, the largest over outcomes and arms, and the report
    states both it and the warm-up used. The transient is 0.2 e^(-t/30) against daily noise of 0.002
    (0.001 per 5-day batch mean): it fades below that noise after about 30 ln(200) = 160 days, so MSER-5
    cuts between 60 and 250 days."""
    analysis = report.analyse(transient)
    s = analysis.steady
    legitimacy = s.warmup[s.warmup["outcome"] == "legitimacy_local_mean"]
    assert (legitimacy["truncation_days"] >= 60).all() and (legitimacy["truncation_days"] <= 250).all()
    assert s.recommended_days == s.warmup["truncation_days"].max() and s.used_days == 20
    assert any("shorter than MSER-5 recommends" in w for w in analysis.warnings)
    facts = "\n".join(report.design_facts(analysis))
    assert f"warm-up used: 20 days; MSER-5 recommends: {s.recommended_days} days" in facts
    assert "outcomes over days 21–600" in report.caption_context(transient, "baseline")


def test_a_drift_over_the_last_year_is_a_visible_warning():
    """Finding 2: local legitimacy falling 0.05 a year (MID 0.01) is not steady, in every arm, and warned."""
    analysis = report.analyse(synthetic_study(days=500, warmup_days=100, drift=-0.05, n=6))
    rows = analysis.steady.trend.set_index(["outcome", "arm"]).loc["legitimacy_local_mean"]
    assert rows["slope"].to_numpy() == pytest.approx(-0.05, abs=0.005)
    assert not rows["steady"].any()
    (warning,) = [w for w in analysis.warnings if w.startswith("Not steady: Local legitimacy")]
    assert (
        "3 of 3 arms" in warning and "days 151–480" in warning
    )  # whole 30-day bins (from day 1) within the last 365 days


def test_a_run_without_drift_is_steady_and_not_warned():
    """No drift: every checked outcome is steady (Holm-adjusted over outcomes and arms) and nothing is warned."""
    analysis = report.analyse(synthetic_study(days=500, warmup_days=100, n=6))
    assert analysis.steady.trend["steady"].all()
    assert not [w for w in analysis.warnings if w.startswith("Not steady")]


def test_outcomes_without_a_daily_series_are_listed_as_unchecked():
    """A quantile has no daily series to follow; a series the experiment did not keep is named."""
    study = synthetic_study(days=90)
    study = type(study)(study.runs, study.outcomes, study.daily.drop(columns="nonnormal"), study.manifest)
    s = steady_state.analyse(study, ["median_days_to_resolution", "nonnormal_per_year"])
    assert "quantile" in s.unchecked["median_days_to_resolution"]
    assert "nonnormal" in s.unchecked["nonnormal_per_year"]


def test_synthetic_flows_are_what_the_bins_read():
    """The synthetic daily counts grow at their declared rates: the bins read them back within 3 standard errors."""
    study = synthetic_study(days=360, n=4)
    found = steady_state.binned(study.daily, TRACKERS["petitions_per_year"], 30)["value"]
    rate = FLOWS["petitions"] * 365
    standard_error = np.sqrt(FLOWS["petitions"] * 30) / 30 * 365 / np.sqrt(len(found))  # Poisson counts per bin
    assert abs(found.mean() - rate) < 3 * standard_error
