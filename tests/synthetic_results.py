"""Synthetic results tables in the engine's layout, with known arm effects, for the analysis tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

from conflict_sim.analysis.catalogue import KEY_OUTCOMES, KEY_TRAJECTORIES, LEVELS

EFFECT = 0.1  # what the arm "better" adds to substantive resolution, replication by replication


def synthetic_results(
    arms: tuple[str, ...] = ("baseline", "better", "worse"), n: int = 8, days: int = 60, seed: int = 0
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(runs, outcomes, daily) of `len(arms) x n` runs; replication r shares its noise across arms."""
    rng = np.random.default_rng(seed)
    shift = {"better": EFFECT, "worse": -EFFECT}
    noise = {name: rng.normal(0, 1, n) for name in (*KEY_OUTCOMES, *KEY_TRAJECTORIES)}
    runs, outcomes, daily = [], [], []
    for a, arm in enumerate(arms):
        for r in range(n):
            key = f"p0-a{a}-r{r}"
            runs.append(
                {
                    "run_key": key,
                    "point": 0,
                    "arm": arm,
                    "replication": r,
                    "seed": 1000 + r,
                    "scenario": "synthetic",
                    "status": "ok",
                }
            )
            row = {"run_key": key, **{name: 10 + noise[name][r] for name in KEY_OUTCOMES}}
            row["substantive_resolution_rate"] = 0.5 + shift.get(arm, 0) + 0.02 * noise["closure_gap"][r]
            row["formal_on_time_rate"] = 0.95 + 0.01 * noise["formal_on_time_rate"][r]
            shares = np.array([0.4, 0.3, 0.2, 0.08, 0.02]) + 0.01 * rng.normal(size=len(LEVELS))
            row |= {f"ended_share_{lv}": s for lv, s in zip(LEVELS, shares / shares.sum(), strict=True)}
            outcomes.append(row)
            t = np.arange(1, days + 1)
            daily.append(
                pd.DataFrame(
                    {
                        "run_key": key,
                        "day": t,
                        **{m: 0.5 + shift.get(arm, 0) * t / days + 0.05 * noise[m][r] for m in KEY_TRAJECTORIES},
                    }
                )
            )
    return pd.DataFrame(runs), pd.DataFrame(outcomes), pd.concat(daily, ignore_index=True)
