"""Steady state: the warm-up a published truncation rule recommends, and whether outcomes still trend.

Outcomes are averages over the days after warm-up; they describe the district only if the run has
left its start-up transient by then and no longer drifts at its end. Two checks, on the daily series
that follow each outcome (`catalogue.tracker`):

- **Warm-up (MSER-5).** The mean over replications of 5-day values of the series; the MSER
  truncation point of that series (White 1997; White, Cobb & Spratt 2000) is the warm-up it
  recommends, applied to the replication average as Hoad, Robinson & Davies (2010) do. The
  recommendation is the largest over outcomes and arms.
- **Trend over the last year.** Per run, the least-squares slope of 30-day values over the last
  365 days (or the days after warm-up, if fewer), in the outcome's unit per year; per arm, its mean
  with a 95 % t-interval. An outcome is steady when that change per year is within the outcome's
  minimum important difference or is not told apart from 0: a one-sample t-test of the slopes whose
  p-value, Holm-adjusted over every outcome and arm checked, is at least 0.05 (so that checking
  many outcomes does not raise false alarms).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from conflict_sim.analysis import statistics as st
from conflict_sim.analysis.catalogue import Tracker, describe, tracker
from conflict_sim.analysis.study import Study

MSER_DAYS = st.MSER_BATCH  # one MSER batch: 5 daily values
TREND_BIN_DAYS = 30
TREND_WINDOW_DAYS = 365
MIN_TREND_BINS = 3


@dataclass(frozen=True)
class SteadyState:
    """The steady-state checks of a study.

    Attributes:
        warmup: one row per outcome and arm: the MSER-5 truncation in days and whether it hit the
            search limit (half the run).
        recommended_days: the largest truncation (None when no outcome could be checked).
        used_days: the warm-up the experiment used.
        trend: one row per outcome and arm: window, mean slope per year with its CI, the MID it is
            judged against, and whether the outcome is steady.
        unchecked: outcomes without a daily series to follow (and why).
        bands: per drawn outcome, its 30-day values per arm and bin (mean and CI over replications).
    """

    warmup: pd.DataFrame
    recommended_days: int | None
    used_days: int
    trend: pd.DataFrame
    unchecked: dict[str, str]
    bands: dict[str, pd.DataFrame]

    def warnings(self) -> list[str]:
        """Sentences for the report's warnings: a warm-up too short, outcomes still drifting."""
        found = []
        if self.recommended_days is not None and self.recommended_days > self.used_days:
            worst = self.warmup.loc[self.warmup["truncation_days"].idxmax()]
            found.append(
                f"The warm-up used ({self.used_days} days) is shorter than MSER-5 recommends "
                f"({self.recommended_days} days, from {describe(worst['outcome']).label} in arm {worst['arm']}); "
                "outcomes still include part of the start-up transient: rerun with a longer warm-up."
            )
        limit = self.warmup[self.warmup["at_limit"]]
        if not limit.empty:
            names = ", ".join(dict.fromkeys(describe(n).label for n in limit["outcome"]))
            found.append(
                f"MSER-5 found no steady state within the first half of the run for: {names}; "
                "the run may be too short for these outcomes to settle."
            )
        drifting = self.trend[~self.trend["steady"].astype(bool)]
        for outcome, rows in drifting.groupby("outcome", sort=False):
            d = describe(outcome)
            worst = rows.loc[rows["slope"].abs().idxmax()]
            arms = int((self.trend["outcome"] == outcome).sum())
            found.append(
                f"Not steady: {d.label} [{d.unit}] still changes by {_signed(worst['slope'])} in a year "
                f"[{_signed(worst['slope_low'])}, {_signed(worst['slope_high'])}] over days "
                f"{int(worst['from_day'])}–{int(worst['to_day'])} in arm {worst['arm']} ({len(rows)} of {arms} arms "
                f"drift), beyond its minimum important difference of {worst['mid']:.3g}: its value depends on the "
                "horizon."
            )
        return found


def _signed(x: float) -> str:
    return f"{x:+.3g}"


def binned(
    daily: pd.DataFrame, follow: Tracker, width: int, *, population: float | pd.Series | None = None
) -> pd.DataFrame:
    """Per run and complete bin of `width` days: the tracked value (run_key, bin, first_day, last_day, value).

    `population` (one number, or one per run_key) turns a flow into a flow per 100 residents.
    """
    table = daily[["run_key", "day", *dict.fromkeys(follow.columns)]].sort_values(["run_key", "day"], kind="stable")
    table = table.assign(bin=(table["day"] - 1) // width)
    size = table.groupby(["run_key", "bin"], sort=False)["day"].agg(["count", "min", "max"])
    if follow.kind == "level":
        name = follow.series[0][0]
        value = table.groupby(["run_key", "bin"], sort=False)[name].mean() * follow.series[0][1]
    else:
        ends = table.groupby(["run_key", "bin"], sort=False)[list(dict.fromkeys(follow.columns))].last()
        growth = ends - ends.groupby(level="run_key").shift(fill_value=0)  # cumulative counts start at 0
        numerator = sum(weight * growth[name] for name, weight in follow.series)
        if follow.kind == "flow":
            value = numerator / size["count"] * 365.0
            if follow.per_100_residents:
                people = (
                    population.reindex(value.index.get_level_values("run_key")).to_numpy(float)
                    if isinstance(population, pd.Series)
                    else population
                )
                value = value * 100.0 / people if people is not None else value * math.nan
        else:
            value = numerator / growth[follow.denominator].where(growth[follow.denominator] > 0)
    out = pd.DataFrame({"value": value, "first_day": size["min"], "last_day": size["max"], "count": size["count"]})
    out = out[out["count"] == width].drop(columns="count")
    return out.reset_index()


def _runs(study: Study) -> pd.DataFrame:
    return study.finished[["run_key", "point", "arm", "replication"]]


def _averaged(study: Study, values: pd.DataFrame) -> pd.DataFrame:
    """Per arm, replication and bin: the value averaged over design points (a replication's design average)."""
    table = _runs(study).merge(values, on="run_key")
    keys = ["arm", "replication", "bin"]
    averaged = table.groupby(keys, sort=False).agg(
        value=("value", "mean"), first_day=("first_day", "first"), last_day=("last_day", "first")
    )
    return averaged.reset_index()


def analyse(study: Study, names: Sequence[str], drawn: Sequence[str] = ()) -> SteadyState:
    """Warm-up recommendation, last-year trends and drawn bands for the outcomes `names`."""
    warm, trend, unchecked, bands = [], [], {}, {}
    population = study.population_by_run()  # per run: districts side by side have different populations
    for name in dict.fromkeys([*names, *drawn]):
        follow = tracker(name)
        if follow is None:
            unchecked[name] = "no daily series follows it (a quantile or a run total)"
            continue
        missing = [c for c in follow.columns if c not in study.daily]
        if missing:
            unchecked[name] = f"daily series not kept: {', '.join(missing)}"
            continue
        if follow.per_100_residents and not (population > 0).all():
            unchecked[name] = "the population is not recorded"
            continue
        if name in names:
            warm += _mser_rows(study, name, binned(study.daily, follow, MSER_DAYS, population=population))
            trend += _trend_rows(study, name, binned(study.daily, follow, TREND_BIN_DAYS, population=population))
        if name in drawn:
            bands[name] = _bands(study, name, binned(study.daily, follow, TREND_BIN_DAYS, population=population))
    warmup = pd.DataFrame(warm, columns=["outcome", "arm", "truncation_days", "at_limit", "batches"])
    recommended = int(warmup["truncation_days"].max()) if not warmup.empty else None
    columns = ["outcome", "arm", "from_day", "to_day", "n", "slope", "slope_low", "slope_high", "p", "mid"]
    trend_table = pd.DataFrame(trend, columns=columns)
    trend_table["p_holm"] = st.holm(trend_table["p"]) if len(trend_table) else []
    detected = trend_table["p_holm"] < st.ALPHA
    trend_table["steady"] = ~(detected & (trend_table["slope"].abs() > trend_table["mid"]))
    return SteadyState(warmup, recommended, study.warmup_days, trend_table, unchecked, bands)


def _mser_rows(study: Study, name: str, values: pd.DataFrame) -> list[dict]:
    series = _averaged(study, values).groupby(["arm", "bin"], sort=False)["value"].mean()
    rows = []
    for arm in study.arms:
        if arm not in series.index.get_level_values("arm"):
            continue
        batches = series.loc[arm].sort_index().to_numpy()
        d, at_limit = st.mser_truncation(batches)
        rows.append(
            {
                "outcome": name,
                "arm": arm,
                "truncation_days": d * MSER_DAYS,
                "at_limit": at_limit,
                "batches": len(batches),
            }
        )
    return rows


def _trend_rows(study: Study, name: str, values: pd.DataFrame) -> list[dict]:
    start = max(study.warmup_days, study.days - TREND_WINDOW_DAYS)
    window = values[values["first_day"] > start]
    if window["bin"].nunique() < MIN_TREND_BINS:
        return []
    per_run = _slopes(window).rename("slope").reset_index()
    table = _runs(study).merge(per_run, on="run_key").groupby(["arm", "replication"], sort=False)["slope"].mean()
    outcomes = _runs(study).merge(study.outcomes[["run_key", name]], on="run_key")
    rows = []
    for arm in study.arms:
        if arm not in table.index.get_level_values("arm"):
            continue
        slopes = table.loc[arm].to_numpy(float)
        slopes = slopes[np.isfinite(slopes)]
        low, high = st.t_interval(slopes)
        mid = describe(name).mid_at(float(outcomes.loc[outcomes["arm"] == arm, name].mean()))
        mean = float(slopes.mean()) if len(slopes) else math.nan
        p = float(st.stats.ttest_1samp(slopes, 0.0).pvalue) if len(slopes) > 1 and not st.constant(slopes) else math.nan
        rows.append(
            {
                "outcome": name,
                "arm": arm,
                "from_day": int(window["first_day"].min()),
                "to_day": int(window["last_day"].max()),
                "n": len(slopes),
                "slope": mean,
                "slope_low": low,
                "slope_high": high,
                "p": p,
                "mid": mid,
            }
        )
    return rows


def _slopes(window: pd.DataFrame) -> pd.Series:
    """Each run's least-squares slope of its bin values on the bins' middle days, per year."""
    x = (window["first_day"] + window["last_day"]) / 2
    frame = pd.DataFrame({"run_key": window["run_key"], "x": x, "y": window["value"]}).dropna()
    frame = frame.assign(xx=frame["x"] ** 2, xy=frame["x"] * frame["y"])
    sums = frame.groupby("run_key", sort=False).agg(
        n=("x", "size"), x=("x", "sum"), y=("y", "sum"), xx=("xx", "sum"), xy=("xy", "sum")
    )
    spread = sums["xx"] - sums["x"] ** 2 / sums["n"]
    slope = (sums["xy"] - sums["x"] * sums["y"] / sums["n"]) / spread.where((spread > 0) & (sums["n"] >= 2))
    return slope * 365.0


def _bands(study: Study, name: str, values: pd.DataFrame) -> pd.DataFrame:
    """Per arm and 30-day bin: the mean over replications of the design-averaged value, with its t-interval."""
    support = describe(name).support
    rows = []
    for (arm, _), group in _averaged(study, values).groupby(["arm", "bin"], sort=False):
        x = group["value"].to_numpy(float)
        x = x[np.isfinite(x)]
        low, high, _ = st.truncate(*st.t_interval(x), support)
        rows.append(
            {
                "arm": arm,
                "day": (group["first_day"].iloc[0] + group["last_day"].iloc[0]) / 2,  # the bin's middle
                "mean": float(x.mean()) if len(x) else math.nan,
                "low": low,
                "high": high,
            }
        )
    return pd.DataFrame(rows, columns=["arm", "day", "mean", "low", "high"])
