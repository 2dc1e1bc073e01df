"""Statistics of a policy comparison: known answers, coverage within stated margins, and edge cases."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from conflict_sim.analysis import statistics as st
from tests.conftest import seeds


def test_paired_effect_matches_hand_computed_values():
    """Differences 1..5: mean 3, d_z = 3/sqrt(2.5), t-interval 3 ± t(0.975, 4)·sqrt(2.5/5), relative 3/50."""
    control = np.full(5, 50.0)
    row = st.paired_effect(control + np.array([1.0, 2, 3, 4, 5]), control)
    half = 2.7764451051977987 * np.sqrt(2.5 / 5)  # t quantile from tables
    assert row["mean_diff"] == pytest.approx(3.0) and row["relative_diff"] == pytest.approx(3 / 50)
    assert row["d_z"] == pytest.approx(3 / np.sqrt(2.5))
    assert (row["diff_low"], row["diff_high"]) == pytest.approx((3 - half, 3 + half))
    assert row["p_t"] == pytest.approx(stats.ttest_1samp([1, 2, 3, 4, 5], 0).pvalue)
    assert row["p_wilcoxon"] == pytest.approx(0.0625)  # exact: 2 of 32 sign patterns as extreme
    assert row["n_pairs"] == 5


def test_a_constant_shift_gives_a_point_interval_and_no_test():
    """Identical differences have no variance: the CI is the shift itself and no p-value is invented."""
    row = st.paired_effect(np.arange(6.0) + 2.0, np.arange(6.0))
    assert (row["diff_low"], row["mean_diff"], row["diff_high"]) == (2.0, 2.0, 2.0)
    assert np.isnan(row["p_t"]) and np.isnan(row["d_z"])


def test_pairs_with_a_missing_value_are_left_out():
    """A run that did not reach an outcome (nan) drops its pair, and the count of dropped pairs says so."""
    row = st.paired_effect(np.array([1.0, np.nan, 3.0, 4.0]), np.array([0.0, 0.0, np.nan, 1.0]))
    assert row["n_pairs"] == 2 and row["n_dropped"] == 2 and row["mean_diff"] == pytest.approx(2.0)


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


def test_count_intervals_never_go_below_zero():
    """Finding 5: collective visits 49.97 [-3.76, 104]. A count's t-interval is cut at 0 and marked as cut."""
    x = np.array([2.0, 10.0, 138.0])  # mean 50, a wide t-interval that crosses 0
    assert st.t_interval(x)[0] < 0
    found = st.describe(x, support=(0.0, None))
    assert found["ci_low"] == 0.0 and found["truncated"] and found["ci_high"] == pytest.approx(st.t_interval(x)[1])


def test_share_intervals_stay_within_zero_and_one():
    """A share near 1 with few runs keeps its interval inside [0, 1]; a share well inside is not cut."""
    high = st.describe(np.array([0.99, 0.90, 1.0]), support=(0.0, 1.0))
    assert high["ci_high"] == 1.0 and high["truncated"]
    middle = st.describe(np.array([0.5, 0.52, 0.48, 0.51]), support=(0.0, 1.0))
    assert 0 < middle["ci_low"] < middle["ci_high"] < 1 and not middle["truncated"]


def test_the_difference_of_two_shares_stays_within_minus_one_and_one():
    """The interval of a paired difference of shares is cut at [-1, 1], the differences' own support."""
    row = st.paired_effect(np.array([1.0, 0.0, 1.0]), np.array([0.0, 1.0, 0.0]), support=(0.0, 1.0))
    assert row["diff_low"] >= -1.0 and row["diff_high"] <= 1.0 and row["diff_truncated"]


def test_missing_values_are_counted_not_averaged():
    """Runs that did not reach an outcome (nan) are counted as missing; the mean is over the others."""
    found = st.describe(np.array([10.0, np.nan, 20.0, np.nan]))
    assert (found["n"], found["missing"], found["mean"]) == (2, 2, 15.0)


@pytest.mark.parametrize("n", [3, 6, 8])
def test_the_smallest_wilcoxon_p_is_the_all_one_sign_pattern(n):
    """With n pairs all of one sign the exact signed-rank p is 2/2^n: no data can give less."""
    assert st.wilcoxon_smallest_p(n) == pytest.approx(stats.wilcoxon(np.arange(1.0, n + 1)).pvalue)


def test_replications_needed_follow_the_t_based_rule():
    """Law 2015 9.4.1: the smallest i with t(i-1) s / sqrt(i) <= beta; i - 1 does not reach it."""
    sd, beta = 2.0, 0.5
    i = st.replications_for(sd, 10, beta)
    half = lambda k: stats.t.ppf(0.975, k - 1) * sd / np.sqrt(k)  # noqa: E731
    assert half(i) <= beta < half(i - 1)
    assert st.replications_for(sd, 500, beta) == 500  # already adequate: no more needed
    assert st.replications_for(float("nan"), 1, beta) is None


def test_mser_finds_the_end_of_a_step_transient():
    """Batches 10 for 20 steps, then 0 (tiny alternating noise): MSER truncates exactly the 20 biased batches."""
    series = np.r_[np.full(20, 10.0), 0.01 * (-1.0) ** np.arange(80)]
    assert st.mser_truncation(series) == (20, False)


def test_mser_keeps_everything_of_a_stationary_series():
    """White noise has no transient: the truncation point stays within the first tenth of the batches."""
    d, at_limit = st.mser_truncation(np.random.default_rng(3).normal(size=200))
    assert d < 20 and not at_limit


def test_mser_reports_a_trend_as_no_steady_state():
    """A series that keeps rising has no steady state: the minimum sits at the half-way search limit."""
    assert st.mser_truncation(np.linspace(0, 1, 100)) == (50, True)
