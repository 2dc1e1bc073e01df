"""The statistics of output analysis, as pure functions of arrays.

Intervals, paired effects, tests, corrections, replications needed, trends and truncation points.
No tables, no model, no files.

Methods and sources: docs/analysis.md ("Every statistic and its source").
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence

import numpy as np
from scipy import stats

CONFIDENCE = 0.95
ALPHA = 1 - CONFIDENCE
SKEW_LIMIT = 1.0  # |skewness| above this is highly skewed (Bulmer 1979): bootstrap the mean
MIN_BOOTSTRAP_N = 10  # below this the skewness estimate and the bootstrap are too rough; use t
RESAMPLES = 1999  # bootstrap resamples per interval (BCa: 1,000-2,000, Efron & Tibshirani 1993)
MSER_BATCH = 5  # MSER-5: the truncation rule on means of 5 consecutive observations (White et al. 2000)

Support = tuple[float | None, float | None]


def constant(x: np.ndarray) -> bool:
    """Whether the values agree to 12 significant digits (no variance worth a test or an interval)."""
    return bool(np.allclose(x, x[0], rtol=1e-12, atol=0.0)) if len(x) else True


# --- intervals ------------------------------------------------------------------------------


def t_interval(x: np.ndarray, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Student-t interval for the mean (nan below two values, a point when all values are equal)."""
    if len(x) < 2:
        return math.nan, math.nan
    if constant(x):
        return float(x.mean()), float(x.mean())
    ci = stats.ttest_1samp(x, 0.0).confidence_interval(confidence)
    return float(ci.low), float(ci.high)


def bootstrap_interval(
    x: np.ndarray, statistic, *, seed: int = 0, confidence: float = CONFIDENCE
) -> tuple[float, float, str]:
    """Bias-corrected and accelerated (BCa) bootstrap interval, with the method actually used.

    BCa is undefined when the jackknife or the bootstrap distribution is degenerate (few distinct
    values); the percentile interval is used then, and named, rather than a silent nan.
    """
    if len(x) < 2:
        return math.nan, math.nan, "none"
    if constant(x):
        return float(x[0]), float(x[0]), "constant"
    for method in ("BCa", "percentile"):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                ci = stats.bootstrap(
                    (x,),
                    statistic,
                    method=method,
                    n_resamples=RESAMPLES,
                    confidence_level=confidence,
                    rng=np.random.default_rng(seed),
                    vectorized=True,
                ).confidence_interval
            except (RuntimeWarning, stats.DegenerateDataWarning):
                continue
        if np.isfinite(ci.low) and np.isfinite(ci.high):
            return float(ci.low), float(ci.high), method
    return math.nan, math.nan, "none"


def skewness(x: np.ndarray) -> float:
    """Adjusted Fisher-Pearson sample skewness (0 when the values do not vary)."""
    if len(x) < 3 or constant(x):
        return 0.0
    return float(stats.skew(x, bias=False))


def truncate(low: float, high: float, support: Support) -> tuple[float, float, bool]:
    """An interval intersected with the support of the quantity it estimates, and whether it was cut.

    The true mean of a quantity that cannot be negative is not negative, so cutting the interval at
    the bound keeps its coverage (Mandelkern 2002) and never shows impossible values.
    """
    lo, hi = support
    cut_low = lo is not None and np.isfinite(low) and low < lo
    cut_high = hi is not None and np.isfinite(high) and high > hi
    return (
        (float(lo) if lo is not None and cut_low else low),
        (float(hi) if hi is not None and cut_high else high),
        bool(cut_low or cut_high),
    )


def difference_support(support: Support) -> Support:
    """Where a difference of two values in `support` can lie: [lo - hi, hi - lo]."""
    lo, hi = support
    if lo is None or hi is None:
        return None, None
    return lo - hi, hi - lo


# --- one sample ------------------------------------------------------------------------------


def describe(x: np.ndarray, *, support: Support = (None, None), seed: int = 0) -> dict[str, float | str | bool]:
    """Mean and median of a sample with 95 % intervals inside `support`: t (BCa if highly skewed) and BCa.

    Missing values (nan: an outcome a run did not reach or could not define) are counted apart.
    """
    x = np.asarray(x, dtype=float)
    missing = int(np.count_nonzero(~np.isfinite(x)))
    x = x[np.isfinite(x)]
    skew = skewness(x)
    if abs(skew) > SKEW_LIMIT and len(x) >= MIN_BOOTSTRAP_N:
        low, high, method = bootstrap_interval(x, np.mean, seed=seed)
    else:
        (low, high), method = t_interval(x), "t"
    low, high, cut = truncate(low, high, support)
    m_low, m_high, m_method = bootstrap_interval(x, np.median, seed=seed)
    return {
        "n": len(x),
        "missing": missing,
        "mean": float(x.mean()) if len(x) else math.nan,
        "sd": float(x.std(ddof=1)) if len(x) > 1 else math.nan,
        "ci_low": low,
        "ci_high": high,
        "ci_method": method,
        "truncated": cut,
        "skew": skew,
        "median": float(np.median(x)) if len(x) else math.nan,
        "median_low": m_low,
        "median_high": m_high,
        "median_method": m_method,
    }


# --- two paired samples ----------------------------------------------------------------------


def vargha_delaney_a12(treatment: np.ndarray, control: np.ndarray) -> float:
    """A12 = P(X > Y) + P(X = Y)/2, X from treatment, Y from control (Vargha & Delaney 2000)."""
    x, y = np.asarray(treatment, float)[:, None], np.asarray(control, float)[None, :]
    if x.size == 0 or y.size == 0:
        return math.nan
    return float(np.mean(x > y) + 0.5 * np.mean(x == y))


def paired_effect(
    treatment: np.ndarray, control: np.ndarray, *, support: Support = (None, None)
) -> dict[str, float | int | bool]:
    """Treatment-minus-control differences of paired runs: mean with 95 % CI, relative change, tests, effects.

    Pairs with a missing value on either side are left out. `support` is the outcome's; the
    interval of the difference is kept inside [lo - hi, hi - lo].
    """
    t, c = np.asarray(treatment, float), np.asarray(control, float)
    keep = np.isfinite(t) & np.isfinite(c)
    t, c = t[keep], c[keep]
    d = t - c
    control_mean = float(c.mean()) if len(d) else math.nan
    mean_diff = float(d.mean()) if len(d) else math.nan
    out: dict[str, float | int | bool] = {
        "n_pairs": len(d),
        "n_dropped": int(np.count_nonzero(~keep)),
        "control_mean": control_mean,
        "treatment_mean": float(t.mean()) if len(d) else math.nan,
        "mean_diff": mean_diff,
        "relative_diff": mean_diff / abs(control_mean) if control_mean else math.nan,
        "diff_low": math.nan,
        "diff_high": math.nan,
        "diff_truncated": False,
        "sd_diff": float(d.std(ddof=1)) if len(d) > 1 else math.nan,
        "p_t": math.nan,
        "p_wilcoxon": math.nan,
        "d_z": math.nan,
        "a12": vargha_delaney_a12(t, c),
    }
    if len(d) < 2:
        return out
    low, high = t_interval(d)
    out["diff_low"], out["diff_high"], out["diff_truncated"] = truncate(low, high, difference_support(support))
    if not constant(d):
        out["p_t"] = float(stats.ttest_rel(t, c).pvalue)
        out["d_z"] = float(d.mean() / d.std(ddof=1))
    if np.any(d != 0):
        out["p_wilcoxon"] = float(stats.wilcoxon(d).pvalue)
    return out


# --- two independent samples -------------------------------------------------------------------


def welch(x: np.ndarray, y: np.ndarray, confidence: float = CONFIDENCE) -> dict[str, float | int]:
    """mean(x) − mean(y) of two independent samples: standard error, Welch's t with its df, interval and p.

    SE = sqrt(s_x²/n_x + s_y²/n_y) and df = SE⁴ / ((s_x²/n_x)²/(n_x − 1) + (s_y²/n_y)²/(n_y − 1))
    (Welch 1947; Satterthwaite 1946): the t-test that does not assume equal variances. Missing values
    are left out; with fewer than two values in either sample there is no SE, interval or test, and
    when neither sample varies the interval is the difference itself and there is no test.
    """
    x, y = np.asarray(x, float), np.asarray(y, float)
    x, y = x[np.isfinite(x)], y[np.isfinite(y)]
    diff = float(x.mean() - y.mean()) if len(x) and len(y) else math.nan
    out: dict[str, float | int] = {
        "n_x": len(x),
        "n_y": len(y),
        "mean_diff": diff,
        "se": math.nan,
        "df": math.nan,
        "t": math.nan,
        "diff_low": math.nan,
        "diff_high": math.nan,
        "p": math.nan,
    }
    if len(x) < 2 or len(y) < 2:
        return out
    vx, vy = x.var(ddof=1) / len(x), y.var(ddof=1) / len(y)
    se = math.sqrt(vx + vy)
    out["se"] = se
    if se == 0:
        out["diff_low"] = out["diff_high"] = diff
        return out
    df = (vx + vy) ** 2 / (vx**2 / (len(x) - 1) + vy**2 / (len(y) - 1))
    t = diff / se
    half = float(stats.t.ppf(0.5 + confidence / 2, df)) * se
    out.update(df=df, t=t, diff_low=diff - half, diff_high=diff + half, p=float(2 * stats.t.sf(abs(t), df)))
    return out


def wilcoxon_smallest_p(n: int) -> float:
    """The smallest two-sided p-value the exact signed-rank test can give with n pairs: 2 / 2^n.

    Only the all-positive and all-negative sign patterns are that extreme (Wilcoxon 1945), so with
    few pairs the test cannot reject at all, whatever the data.
    """
    return min(1.0, 2.0 ** (1 - n)) if n > 0 else 1.0


def holm(values: Sequence[float]) -> np.ndarray:
    """Holm's step-down adjusted p-values (Holm 1979); nan stays nan and is not counted."""
    p = np.asarray(values, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.isfinite(p)
    q = p[ok]
    order = np.argsort(q, kind="stable")
    stepped = np.maximum.accumulate((len(q) - np.arange(len(q))) * q[order]).clip(max=1.0)
    adjusted = np.empty(len(q))
    adjusted[order] = stepped
    out[ok] = adjusted
    return out


def benjamini_hochberg(values: Sequence[float]) -> np.ndarray:
    """Benjamini–Hochberg (FDR) adjusted p-values; nan stays nan and is not counted."""
    p = np.asarray(values, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.isfinite(p)
    if ok.any():
        out[ok] = stats.false_discovery_control(p[ok], method="bh")
    return out


# --- replications ----------------------------------------------------------------------------


def replications_for(sd: float, n: int, half_width: float, confidence: float = CONFIDENCE) -> int | None:
    """Replications whose t-interval half-width would be at most `half_width`, given a sample SD.

    Law (2015) section 9.4.1, absolute error: the smallest i >= n with t(i-1, 1-a/2) sqrt(s^2 / i) <= beta.
    None when the SD is unknown (fewer than two values) or the target is not positive.
    """
    if not (np.isfinite(sd) and half_width > 0 and n >= 2):
        return None
    if sd == 0:
        return n
    guess = max(n, math.ceil((stats.norm.ppf(0.5 + confidence / 2) * sd / half_width) ** 2))
    i = max(n, guess)
    while stats.t.ppf(0.5 + confidence / 2, i - 1) * sd / math.sqrt(i) > half_width:
        i += 1
    return i


# --- time series -----------------------------------------------------------------------------


def mser_truncation(batches: np.ndarray) -> tuple[int, bool]:
    """MSER truncation point of a series of batch means, and whether it reached the search limit.

    MSER(d) = sum_{i>d} (Z_i - mean_{i>d} Z)^2 / (k - d)^2 over the k batch means Z (White 1997);
    the point d* minimising it is searched in the first half of the series, because the statistic
    is unstable with few batches left (White, Cobb & Spratt 2000). A minimum at the half-way limit
    means no steady state was found in the run.
    """
    z = np.asarray(batches, dtype=float)
    z = z[np.isfinite(z)]
    k = len(z)
    if k < 4:
        return 0, True
    limit = k // 2
    tail = (z - z.mean())[::-1]  # centred: the running sums of squares keep their precision
    n = np.arange(1, k + 1)
    mean = np.cumsum(tail) / n
    square = np.cumsum(tail**2) / n
    sse = (square - mean**2) * n  # sum of squared deviations of the last n batches
    mser = (sse / n**2)[::-1]  # index d: batches d..k-1 kept
    d = int(np.argmin(mser[: limit + 1]))
    return d, d >= limit
