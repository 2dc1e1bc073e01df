"""Statistics of a policy comparison, as pure functions of the results tables (no model imports).

Inputs are the engine's tables: `runs` (one row per run: run_key, arm, replication, seed,
status, ...), `outcomes` (run_key + one column per scalar outcome) and `daily` (run_key, day,
metrics). Arms are compared with the baseline run for run under common random numbers (the same
seed for every arm of a replication), so differences are paired. Methods and sources:
docs/analysis.md.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

CONFIDENCE = 0.95
SKEW_LIMIT = 1.0  # |skewness| above this is highly skewed (Bulmer 1979): bootstrap the mean
MIN_BOOTSTRAP_N = 10  # below this the skewness estimate and the bootstrap are too rough; use t
RESAMPLES = 1999  # bootstrap resamples per interval (BCa: 1,000-2,000, Efron & Tibshirani 1993)
PRECISION = 0.05  # target CI half-width relative to the mean (Law 2015, section 9.4.1)
DONE = ("ok", "done", "success", "succeeded", "completed")  # run statuses counted as finished


def arm_order(runs: pd.DataFrame) -> list[str]:
    """Arms in the order the experiment lists them (first appearance), baseline first."""
    return list(dict.fromkeys(runs["arm"]))


def finished(runs: pd.DataFrame) -> pd.DataFrame:
    """Runs that completed (all runs when the table has no status column)."""
    if "status" not in runs:
        return runs
    return runs[runs["status"].astype(str).str.lower().isin(DONE)]


def outcome_columns(outcomes: pd.DataFrame) -> list[str]:
    """The numeric outcome columns of an outcomes table."""
    return [c for c in outcomes.columns if c != "run_key" and pd.api.types.is_numeric_dtype(outcomes[c])]


def pair_keys(runs: pd.DataFrame) -> list[str]:
    """Columns that identify a replication across arms: (point, replication), else the seed."""
    keys = [c for c in ("point", "replication") if c in runs]
    return keys if "replication" in keys else ["seed"]


def with_arms(runs: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """`table` (keyed by run_key) joined to each finished run's arm and replication keys."""
    columns = ["run_key", "arm", *dict.fromkeys([*pair_keys(runs), "seed"])]
    meta = finished(runs)[[c for c in columns if c in runs]]
    return meta.merge(table, on="run_key", how="inner", suffixes=("", "_outcome"))


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


# --- per-arm summary ------------------------------------------------------------------------


def describe(x: np.ndarray, *, seed: int = 0) -> dict[str, float | str]:
    """Mean and median of a sample with 95 % intervals: t (BCa if highly skewed) and BCa."""
    x = np.asarray(x, dtype=float)
    x = x[np.isfinite(x)]
    skew = skewness(x)
    if abs(skew) > SKEW_LIMIT and len(x) >= MIN_BOOTSTRAP_N:
        low, high, method = bootstrap_interval(x, np.mean, seed=seed)
    else:
        (low, high), method = t_interval(x), "t"
    m_low, m_high, m_method = bootstrap_interval(x, np.median, seed=seed)
    mean = float(x.mean()) if len(x) else math.nan
    return {
        "n": len(x),
        "mean": mean,
        "sd": float(x.std(ddof=1)) if len(x) > 1 else math.nan,
        "ci_low": low,
        "ci_high": high,
        "ci_method": method,
        "skew": skew,
        "median": float(np.median(x)) if len(x) else math.nan,
        "median_low": m_low,
        "median_high": m_high,
        "median_method": m_method,
    }


def summarise(
    runs: pd.DataFrame, outcomes: pd.DataFrame, names: Sequence[str] | None = None, *, seed: int = 0
) -> pd.DataFrame:
    """One row per arm and outcome: n, mean, sd, median and their 95 % intervals."""
    table = with_arms(runs, outcomes)
    names = list(names) if names is not None else outcome_columns(outcomes)
    groups = dict(list(table.groupby("arm", sort=False)))
    rows = [
        {"arm": arm, "outcome": name, **describe(groups[arm][name].to_numpy(), seed=seed)}
        for arm in arm_order(finished(runs))
        if arm in groups
        for name in names
    ]
    return pd.DataFrame(rows)


# --- paired comparison against the baseline -------------------------------------------------


def vargha_delaney_a12(treatment: np.ndarray, control: np.ndarray) -> float:
    """A12 = P(X > Y) + P(X = Y)/2, X from treatment, Y from control (Vargha & Delaney 2000)."""
    x, y = np.asarray(treatment, float)[:, None], np.asarray(control, float)[None, :]
    if x.size == 0 or y.size == 0:
        return math.nan
    return float(np.mean(x > y) + 0.5 * np.mean(x == y))


def paired_effect(treatment: np.ndarray, control: np.ndarray) -> dict[str, float]:
    """Treatment-minus-control differences of paired runs: mean with 95 % CI, tests, effects."""
    t, c = np.asarray(treatment, float), np.asarray(control, float)
    keep = np.isfinite(t) & np.isfinite(c)
    t, c = t[keep], c[keep]
    d = t - c
    out = {
        "n_pairs": len(d),
        "control_mean": float(c.mean()) if len(d) else math.nan,
        "treatment_mean": float(t.mean()) if len(d) else math.nan,
        "mean_diff": float(d.mean()) if len(d) else math.nan,
        "diff_low": math.nan,
        "diff_high": math.nan,
        "p_t": math.nan,
        "p_wilcoxon": math.nan,
        "d_z": math.nan,
        "a12": vargha_delaney_a12(t, c),
    }
    if len(d) < 2:
        return out
    out["diff_low"], out["diff_high"] = t_interval(d)
    if not constant(d):
        out["p_t"] = float(stats.ttest_rel(t, c).pvalue)
        out["d_z"] = float(d.mean() / d.std(ddof=1))
    if np.any(d != 0):
        out["p_wilcoxon"] = float(stats.wilcoxon(d).pvalue)
    return out


def holm(p: Sequence[float]) -> np.ndarray:
    """Holm's step-down adjusted p-values (Holm 1979); nan stays nan and is not counted."""
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.isfinite(p)
    q = p[ok]
    order = np.argsort(q, kind="stable")
    stepped = np.maximum.accumulate((len(q) - np.arange(len(q))) * q[order]).clip(max=1.0)
    adjusted = np.empty(len(q))
    adjusted[order] = stepped
    out[ok] = adjusted
    return out


def benjamini_hochberg(p: Sequence[float]) -> np.ndarray:
    """Benjamini–Hochberg (FDR) adjusted p-values; nan stays nan and is not counted."""
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.isfinite(p)
    if ok.any():
        out[ok] = stats.false_discovery_control(p[ok], method="bh")
    return out


def compare(
    runs: pd.DataFrame, outcomes: pd.DataFrame, baseline: str, names: Sequence[str] | None = None
) -> pd.DataFrame:
    """Every arm against `baseline`, paired by replication: one row per arm and outcome.

    The family for the Holm and Benjamini–Hochberg corrections is every test in the table.
    """
    table = with_arms(runs, outcomes)
    names = list(names) if names is not None else outcome_columns(outcomes)
    keys = pair_keys(runs)
    control = table[table["arm"] == baseline].set_index(keys)
    rows = []
    for arm in arm_order(finished(runs)):
        if arm == baseline:
            continue
        treated = table[table["arm"] == arm].set_index(keys)
        shared = treated.index.intersection(control.index)
        crn = (
            "seed" not in keys
            and "seed" in table
            and bool((treated.loc[shared, "seed"] == control.loc[shared, "seed"]).all())
        )
        for name in names:
            effect = paired_effect(treated.loc[shared, name].to_numpy(), control.loc[shared, name].to_numpy())
            rows.append(
                {
                    "arm": arm,
                    "baseline": baseline,
                    "outcome": name,
                    "common_seeds": crn or "seed" in keys,
                    **effect,
                }
            )
    result = pd.DataFrame(rows)
    if result.empty:
        return result
    for test in ("p_t", "p_wilcoxon"):
        result[f"{test}_holm"] = holm(result[test])
        result[f"{test}_bh"] = benjamini_hochberg(result[test])
    return result


# --- replication adequacy -------------------------------------------------------------------


def adequacy(summary: pd.DataFrame, target: float = PRECISION) -> pd.DataFrame:
    """CI half-width relative to |mean| per arm and outcome, and replications to reach `target`.

    Half-widths shrink like 1/sqrt(n), so n_needed = ceil(n (relative / target)^2)
    (Law 2015, section 9.4.1; Lee et al. 2015). A zero mean has no relative precision (nan).
    """
    half = (summary["ci_high"] - summary["ci_low"]) / 2
    mean = summary["mean"].abs()
    relative = (half / mean).where(mean > 0)
    needed = np.ceil(summary["n"] * (relative / target) ** 2)
    out = summary[["arm", "outcome", "n", "mean"]].assign(half_width=half, relative_half_width=relative)
    out["adequate"] = relative <= target
    out["replications_needed"] = needed.where(relative > target).astype("Int64")
    return out


def adequacy_warnings(table: pd.DataFrame, target: float = PRECISION) -> list[str]:
    """One sentence per outcome whose CI is too wide in some arm, with replications suggested."""
    wide = table[table["relative_half_width"] > target]
    lines = []
    for outcome, group in wide.groupby("outcome", sort=False):
        worst = group.loc[group["relative_half_width"].idxmax()]
        lines.append(
            f"{outcome}: 95 % CI half-width is {worst['relative_half_width']:.0%} of the mean "
            f"in arm {worst['arm']} (target {target:.0%}); about "
            f"{int(worst['replications_needed'])} "
            f"replications per arm would reach the target (now {int(worst['n'])})."
        )
    return lines


# --- outcomes read from the daily series ----------------------------------------------------


def at_horizons(daily: pd.DataFrame, metrics: Sequence[str], horizons: Sequence[int]) -> pd.DataFrame:
    """Each run's `metrics` on the last recorded day up to each horizon (`metric@day365`)."""
    parts = []
    for h in horizons:
        upto = daily[daily["day"] <= h]
        last = upto.sort_values("day", kind="stable").drop_duplicates("run_key", keep="last")
        last = last.set_index("run_key")
        parts.append(last[list(metrics)].add_suffix(f"@day{h}"))
    return pd.concat(parts, axis=1).reset_index()


def after_warmup(daily: pd.DataFrame, metrics: Sequence[str], warmup_days: int) -> pd.DataFrame:
    """Each run's time average of `metrics` over the days after warm-up (`metric@avg`)."""
    later = daily[daily["day"] > warmup_days]
    return later.groupby("run_key", sort=False)[list(metrics)].mean().add_suffix("@avg").reset_index()


def trajectory_bands(
    runs: pd.DataFrame, daily: pd.DataFrame, metric: str, confidence: float = CONFIDENCE
) -> pd.DataFrame:
    """Per arm and day: the mean of `metric` across replications with its t-interval."""
    table = with_arms(runs, daily[["run_key", "day", metric]])
    g = table.groupby(["arm", "day"], sort=False)[metric].agg(["mean", "std", "count"]).reset_index()
    quantile = stats.t.ppf(0.5 + confidence / 2, np.maximum(g["count"] - 1, 1))
    half = np.where(g["count"] > 1, quantile * g["std"].fillna(0) / np.sqrt(g["count"]), np.nan)
    return g.assign(low=g["mean"] - half, high=g["mean"] + half)
