"""Statistics of a policy comparison: known answers, coverage within stated margins, and edge cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from conflict_sim.analysis import statistics as st
from tests.conftest import seeds


def paired_tables(diffs: np.ndarray, *, shuffle: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A baseline and a treated arm whose per-replication differences are exactly `diffs`."""
    rng = np.random.default_rng(3)
    control = rng.normal(50.0, 10.0, len(diffs))
    n = len(diffs)
    runs = pd.DataFrame(
        {
            "run_key": [f"k{i}" for i in range(2 * n)],
            "arm": ["base"] * n + ["treat"] * n,
            "replication": list(range(n)) * 2,
            "seed": list(range(100, 100 + n)) * 2,
            "status": "ok",
        }
    )
    outcomes = pd.DataFrame({"run_key": runs["run_key"], "y": np.r_[control, control + diffs]})
    if shuffle:
        runs = runs.sample(frac=1.0, random_state=np.random.default_rng(5)).reset_index(drop=True)
        runs = pd.concat([runs[runs["arm"] == "base"], runs[runs["arm"] == "treat"]])
    return runs, outcomes


def test_paired_comparison_matches_hand_computed_values():
    """Differences 1..5: mean 3, d_z = 3/sqrt(2.5), t-interval 3 ± t(0.975, 4)·sqrt(2.5/5)."""
    runs, outcomes = paired_tables(np.array([1.0, 2, 3, 4, 5]))
    row = st.compare(runs, outcomes, "base", ["y"]).iloc[0]
    half = 2.7764451051977987 * np.sqrt(2.5 / 5)  # t quantile from tables
    assert row["mean_diff"] == pytest.approx(3.0)
    assert row["d_z"] == pytest.approx(3 / np.sqrt(2.5))
    assert (row["diff_low"], row["diff_high"]) == pytest.approx((3 - half, 3 + half))
    assert row["p_t"] == pytest.approx(stats.ttest_1samp([1, 2, 3, 4, 5], 0).pvalue)
    assert row["p_wilcoxon"] == pytest.approx(0.0625)  # exact: 2 of 32 sign patterns as extreme
    assert row["n_pairs"] == 5 and row["common_seeds"]


def test_pairing_follows_replications_not_row_order():
    """Shuffling the runs table changes nothing: arms are paired by replication."""
    diffs = np.array([0.5, -0.2, 1.1, 0.3, 0.9, 0.0, 0.4])
    plain = st.compare(*paired_tables(diffs), "base", ["y"])
    shuffled = st.compare(*paired_tables(diffs, shuffle=True), "base", ["y"])
    pd.testing.assert_frame_equal(plain, shuffled)


def test_a_constant_shift_gives_a_point_interval_and_no_test():
    """Identical differences have no variance: the CI is the shift itself and no p-value is invented."""
    row = st.compare(*paired_tables(np.full(6, 2.0)), "base", ["y"]).iloc[0]
    assert (row["diff_low"], row["mean_diff"], row["diff_high"]) == (2.0, 2.0, 2.0)
    assert np.isnan(row["p_t"]) and np.isnan(row["d_z"])


def test_failed_runs_are_left_out():
    """A run whose status is not finished is not counted in any arm."""
    runs, outcomes = paired_tables(np.array([1.0, 2, 3, 4, 5]))
    runs.loc[runs["run_key"] == "k9", "status"] = "failed"
    assert st.compare(runs, outcomes, "base", ["y"]).iloc[0]["n_pairs"] == 4


@pytest.mark.parametrize(
    ("x", "y", "a12"),
    [([1, 2, 3], [0, 0, 0], 1.0), ([1, 2], [1, 2], 0.5), ([1, 2], [2, 3], 0.125), ([0, 0], [5, 6], 0.0)],
)
def test_vargha_delaney_a12_known_values(x, y, a12):
    """A12 counts wins plus half the ties over all treatment-control pairs."""
    assert st.vargha_delaney_a12(np.array(x, float), np.array(y, float)) == pytest.approx(a12)


def test_a12_agrees_with_mann_whitney_u():
    """A12 = U / (n m), the Mann–Whitney U statistic of treatment against control."""
    rng = np.random.default_rng(11)
    x, y = rng.integers(0, 5, 9).astype(float), rng.integers(0, 5, 7).astype(float)
    assert st.vargha_delaney_a12(x, y) == pytest.approx(stats.mannwhitneyu(x, y).statistic / 63)


def test_holm_known_answer():
    """Holm on (0.01, 0.04, 0.03, 0.005): sorted p times (4, 3, 2, 1), made monotone, capped at 1."""
    assert st.holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert st.holm([0.5, np.nan, 0.9]) == pytest.approx([1.0, np.nan, 1.0], nan_ok=True)


def test_benjamini_hochberg_known_answer():
    """BH on (0.01, 0.02, 0.03, 0.04): each p·m/rank is 0.04, so every q is 0.04."""
    assert st.benjamini_hochberg([0.01, 0.02, 0.03, 0.04]) == pytest.approx([0.04] * 4)


def test_corrections_cover_every_comparison_in_the_table():
    """Adjusted p-values are never below raw ones, and Holm is never below BH."""
    rng = np.random.default_rng(4)
    n = 12
    runs = pd.DataFrame(
        {
            "run_key": range(3 * n),
            "arm": np.repeat(["a", "b", "c"], n),
            "replication": np.tile(range(n), 3),
            "seed": np.tile(range(n), 3),
        }
    )
    outcomes = pd.DataFrame(
        {
            "run_key": range(3 * n),
            "u": rng.normal(size=3 * n),
            "v": rng.normal(size=3 * n) + np.repeat([0, 0.5, 1.0], n),
        }
    )
    table = st.compare(runs, outcomes, "a")
    assert len(table) == 4
    assert (table["p_t_holm"] >= table["p_t"]).all() and (table["p_t_holm"] >= table["p_t_bh"] - 1e-12).all()


def _coverage_range(trials: int, confidence: float = 0.95) -> tuple[float, float]:
    """Central 99.9 % binomial range of the number of intervals covering the truth."""
    return stats.binom.interval(0.999, trials, confidence)


def test_t_interval_covers_the_mean_95_percent_of_the_time():
    """On 400 normal samples of 8, coverage lies in the central 99.9 % binomial range around 95 %."""
    rng = np.random.default_rng(20261130)
    hits = sum(lo <= 3.0 <= hi for lo, hi in (st.t_interval(rng.normal(3.0, 2.0, 8)) for _ in range(400)))
    low, high = _coverage_range(400)
    assert low <= hits <= high


def test_paired_difference_interval_covers_the_true_effect():
    """Under common random numbers (shared noise per pair) the paired CI covers a 0.5 shift about 95 % of the time."""
    rng = np.random.default_rng(1)
    hits = 0
    for _ in range(400):
        shared = rng.normal(0, 5, 10)
        effect = st.paired_effect(shared + 0.5 + rng.normal(0, 1, 10), shared + rng.normal(0, 1, 10))
        hits += effect["diff_low"] <= 0.5 <= effect["diff_high"]
    low, high = _coverage_range(400)
    assert low <= hits <= high


@pytest.mark.slow
def test_bca_interval_for_the_median_covers_it():
    """BCa median intervals (n = 40, normal data) cover at least 93 %, less the 99.9 % binomial margin.

    BCa is only second-order accurate, so a shortfall of up to two points below 95 % is allowed.
    """
    rng = np.random.default_rng(7)
    trials, hits = 300, 0
    for seed in seeds(9, trials):
        low, high, _ = st.bootstrap_interval(rng.normal(0, 1, 40), np.median, seed=seed)
        hits += low <= 0.0 <= high
    assert hits >= _coverage_range(trials, 0.93)[0]


def test_skewed_outcomes_get_a_bootstrap_interval_for_the_mean():
    """A highly skewed sample (|skew| > 1, n >= 10) uses BCa for the mean; a symmetric one uses t."""
    rng = np.random.default_rng(2)
    assert st.describe(rng.lognormal(0, 1.5, 40))["ci_method"] in ("BCa", "percentile")
    assert st.describe(rng.normal(0, 1, 40))["ci_method"] == "t"


def test_bootstrap_is_reproducible_from_its_seed():
    """The same sample and seed give the same interval; the global random state is never used."""
    x = np.random.default_rng(5).lognormal(size=25)
    assert st.bootstrap_interval(x, np.median, seed=3) == st.bootstrap_interval(x, np.median, seed=3)


def test_constant_and_tiny_samples_do_not_warn():
    """A constant sample has a point interval; a single value has none; neither raises a warning."""
    assert st.describe(np.full(5, 2.0))["ci_low"] == 2.0
    one = st.describe(np.array([1.0]))
    assert np.isnan(one["ci_low"]) and np.isnan(one["median_low"])


def test_summary_has_one_row_per_arm_and_outcome_in_experiment_order():
    """Arms keep the experiment's order (baseline first), whatever their names sort to."""
    runs, outcomes = paired_tables(np.arange(1.0, 7.0))
    runs["arm"] = runs["arm"].map({"base": "z_baseline", "treat": "a_policy"})
    summary = st.summarise(runs, outcomes)
    assert list(summary["arm"]) == ["z_baseline", "a_policy"]
    assert summary["n"].tolist() == [6, 6]


def test_adequacy_suggests_replications_from_the_square_law():
    """Half-width 10 % of the mean with n = 10 and target 5 %: about 10·(0.10/0.05)² = 40 replications."""
    summary = pd.DataFrame(
        {
            "arm": ["a", "b"],
            "outcome": ["y", "y"],
            "n": [10, 10],
            "mean": [10.0, 10.0],
            "ci_low": [9.0, 9.8],
            "ci_high": [11.0, 10.2],
        }
    )
    table = st.adequacy(summary, target=0.05)
    assert table["replications_needed"].tolist()[0] == 40 and table["adequate"].tolist() == [False, True]
    (warning,) = st.adequacy_warnings(table, target=0.05)
    assert "40 replications" in warning and "arm a" in warning


def test_horizon_and_warmup_outcomes_read_the_daily_series():
    """With metric = day, the day-10 value is 10 and the mean after a 10-day warm-up of 20 days is 15.5."""
    days = np.tile(np.arange(1, 21), 2)
    daily = pd.DataFrame({"run_key": np.repeat(["r1", "r2"], 20), "day": days}, index=days)  # index repeats
    daily["m"] = daily["day"].astype(float)
    assert st.at_horizons(daily, ["m"], [10])["m@day10"].tolist() == [10.0, 10.0]
    assert st.after_warmup(daily, ["m"], 10)["m@avg"].tolist() == [15.5, 15.5]


def test_trajectory_bands_average_replications_per_day():
    """The band's mean is the mean over replications; its half-width is the t-interval's."""
    runs = pd.DataFrame({"run_key": ["a", "b", "c"], "arm": "x", "replication": [0, 1, 2], "seed": [1, 2, 3]})
    daily = pd.DataFrame({"run_key": ["a", "b", "c"], "day": 1, "m": [1.0, 2.0, 3.0]})
    band = st.trajectory_bands(runs, daily, "m").iloc[0]
    assert band["mean"] == 2.0
    assert (band["low"], band["high"]) == pytest.approx(st.t_interval(np.array([1.0, 2.0, 3.0])))
