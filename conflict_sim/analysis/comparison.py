"""A whole policy comparison computed once from the results tables, for the report to render.

Outcomes are the engine's scalar outcomes plus, for the key daily metrics, their values at yearly
horizons and their averages after warm-up. The family of paired tests (and so of the Holm and
Benjamini–Hochberg corrections) is the key outcomes plus those warm-up averages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from conflict_sim.analysis import statistics as st
from conflict_sim.analysis.catalogue import KEY_OUTCOMES, KEY_TRAJECTORIES

SKIPPED = ("days",)  # bookkeeping columns of the outcomes table, not outcomes


@dataclass(frozen=True)
class Comparison:
    """Everything the report shows, as tables; no figures, no files."""

    arms: list[str]
    baseline: str
    summary: pd.DataFrame  # every outcome, per arm
    comparison: pd.DataFrame  # the tested family, each arm against the baseline
    adequacy: pd.DataFrame
    warnings: list[str]
    family: list[str]  # outcomes tested against the baseline
    derived: list[str]  # outcomes read from the daily series (horizons, warm-up averages)
    bands: dict[str, pd.DataFrame]  # daily mean and CI per arm, per key metric
    values: pd.DataFrame  # per run: arm, replication and every outcome
    n_runs: int
    n_failed: int
    warmup_days: int


def horizons(days: int) -> list[int]:
    """Yearly horizons within the run, and the last day."""
    return sorted({*range(365, days + 1, 365), days})


def analyse(
    runs: pd.DataFrame,
    outcomes: pd.DataFrame,
    daily: pd.DataFrame,
    *,
    baseline: str | None = None,
    warmup_days: int = 0,
    names: Sequence[str] = KEY_OUTCOMES,
    metrics: Sequence[str] = KEY_TRAJECTORIES,
    seed: int = 0,
) -> Comparison:
    """Summaries, paired comparisons, adequacy and trajectory bands of one experiment."""
    done = st.finished(runs)
    arms = st.arm_order(done)
    baseline = baseline or arms[0]
    metrics = [m for m in metrics if m in daily] if "day" in daily and not daily.empty else []
    table = outcomes.drop(columns=[c for c in SKIPPED if c in outcomes])
    derived = pd.DataFrame({"run_key": table["run_key"]})
    if metrics:
        derived = pd.merge(
            st.at_horizons(daily, metrics, horizons(int(daily["day"].max()))),
            st.after_warmup(daily, metrics, warmup_days),
            on="run_key",
        )
        table = table.merge(derived, on="run_key")
    averages = [f"{m}@avg" for m in metrics]
    family = [n for n in names if n in table] + averages
    summary = st.summarise(done, table, seed=seed)
    adequacy = st.adequacy(summary)
    key_adequacy = adequacy[adequacy["outcome"].isin(family)]
    failed = len(runs) - len(done)
    comparison = st.compare(done, table, baseline, family)
    warnings = [f"{failed} of {len(runs)} runs did not finish and are left out."] if failed else []
    if not comparison.empty and not comparison["common_seeds"].all():
        warnings.append(
            "Some arms do not share seeds with the baseline: differences are paired by "
            "replication but not under common random numbers."
        )
    warnings += st.adequacy_warnings(key_adequacy)
    return Comparison(
        arms=arms,
        baseline=baseline,
        summary=summary,
        comparison=comparison,
        adequacy=adequacy,
        warnings=warnings,
        family=family,
        derived=[c for c in derived if c != "run_key"],
        bands={m: st.trajectory_bands(done, daily, m) for m in metrics},
        values=st.with_arms(done, table),
        n_runs=len(runs),
        n_failed=failed,
        warmup_days=warmup_days,
    )
