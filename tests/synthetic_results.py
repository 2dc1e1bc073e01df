"""Synthetic studies in the engine's layout, with known arm effects and known daily courses, for the analysis tests."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from conflict_sim.analysis.catalogue import KEY_OUTCOMES, LEVELS, describe
from conflict_sim.analysis.study import Study

EFFECT = 0.1  # what the arm "better" adds to substantive resolution, replication by replication
INTERACTION = 0.04  # what "better" adds on top, per level step of the first design parameter
POPULATION = 10_000
EXTRA_OUTCOMES = (
    "satisfaction_rate",
    "repeat_rate",
    "chronic_petitioners",
    "p90_days_to_resolution",
    "legitimacy_local_end",
)
FLOWS = {  # daily rates of the cumulative counts
    "replies": 10.0,
    "issues_ended": 8.0,
    "skip_attempts": 1.0,
    "petitions": 5.0,
    "collective_visits": 0.2,
    "nonnormal": 0.05,
    "large_collective": 0.02,
    "mass_incidents": 0.02,
    "buyoffs": 0.05,
}


def _outcome(name: str, noise: float) -> float:
    """A plausible value of an outcome of the kind `name` is, moved by `noise` (standard normal)."""
    d = describe(name)
    base = {"share": 0.5, "level": 0.6, "score": 0.6, "duration": 30.0, "cost": 1000.0, "count_per_year": 20.0}.get(
        d.kind, 100.0
    )
    return max(base * (1 + 0.05 * noise), 0.0)


def synthetic_study(
    arms: tuple[str, ...] = ("baseline", "better", "worse"),
    n: int = 8,
    days: int = 120,
    warmup_days: int = 30,
    seed: int = 0,
    levels: dict[str, list] | None = None,
    drift: float = 0.0,
    transient: float = 0.0,
    method: str | None = None,
    outcomes: list[str] | str = "all",
    arm_params: dict[str, dict] | None = None,
) -> Study:
    """A study of `arms x points x n` runs; replication r shares its noise across arms and points.

    `drift` makes local legitimacy trend by that much per year; `transient` starts it that much
    higher, decaying with a 30-day time constant (a warm-up to find). `levels` makes a factorial
    design; "better" gains INTERACTION per level step of its first parameter.
    """
    rng = np.random.default_rng(seed)
    names = tuple(dict.fromkeys((*KEY_OUTCOMES, *EXTRA_OUTCOMES, *(f"ended_share_{lv}" for lv in LEVELS))))
    noise = {name: rng.normal(0, 1, n) for name in names}
    shift = {"better": EFFECT, "worse": -EFFECT}
    points = (
        [dict(zip(levels, combo, strict=True)) for combo in itertools.product(*levels.values())] if levels else [{}]
    )
    first = next(iter(levels)) if levels else None
    runs, rows, daily = [], [], []
    t = np.arange(1, days + 1)
    for p, values in enumerate(points):
        step = levels[first].index(values[first]) if first else 0
        for a, arm in enumerate(arms):
            for r in range(n):
                key = f"p{p}-a{a}-r{r}"
                runs.append(
                    {
                        "run_key": key,
                        "point": p,
                        "arm": arm,
                        "replication": r,
                        "seed": 1000 + r,
                        "scenario": "synthetic",
                        "status": "succeeded",
                        **values,
                    }
                )
                row = {"run_key": key, **{name: _outcome(name, noise[name][r] + 0.3 * rng.normal()) for name in names}}
                resolution = 0.5 + shift.get(arm, 0) + 0.05 * step + INTERACTION * step * (arm == "better")
                row["substantive_resolution_rate"] = resolution + 0.02 * noise["closure_gap"][r]
                row["formal_on_time_rate"] = 0.95 + 0.01 * noise["formal_on_time_rate"][r]
                shares = np.array([0.4, 0.3, 0.2, 0.08, 0.02]) + 0.01 * rng.normal(size=len(LEVELS))
                row |= {f"ended_share_{lv}": s for lv, s in zip(LEVELS, shares / shares.sum(), strict=True)}
                rows.append(row)
                daily.append(_daily(key, t, rng, drift, transient, row["substantive_resolution_rate"], noise, r))
    design = {"method": method or ("factorial" if levels else "list"), "parameters": list(levels or {}), "options": {}}
    manifest = {
        "experiment": {"name": "synthetic", "description": "A synthetic study."},
        "days": days,
        "warmup_days": warmup_days,
        "replications": n,
        "outcomes": outcomes,
        "scenarios": {"synthetic": {"params": {"population": POPULATION, "households_per_agent": 4}, "policies": []}},
        "overrides": {},
        "arms": [{"name": a, "policies": [], "params": (arm_params or {}).get(a, {})} for a in arms],
        "design": design,
    }
    return Study(pd.DataFrame(runs), pd.DataFrame(rows), pd.concat(daily, ignore_index=True), manifest)


def _daily(
    key: str, t: np.ndarray, rng: np.random.Generator, drift: float, transient: float, resolution: float, noise, r: int
) -> pd.DataFrame:
    """Level series (legitimacy with a drift and a transient) and cumulative counts with known daily rates."""
    frame = {"run_key": key, "day": t}
    frame["legitimacy_local"] = (
        0.6 + 0.01 * noise["legitimacy_local_mean"][r] + drift * t / 365 + transient * np.exp(-t / 30)
    ) + 0.002 * rng.normal(size=len(t))
    frame["legitimacy_center"] = 0.7 + 0.002 * rng.normal(size=len(t))
    frame["instability_index"] = 1.0 + 0.01 * rng.normal(size=len(t))
    frame["grievance_stock"] = 500 + 5 * rng.normal(size=len(t))
    for name, rate in FLOWS.items():
        frame[name] = np.cumsum(rng.poisson(rate, len(t)))
    replies = np.diff(frame["replies"], prepend=0)
    frame["replies_resolved"] = np.cumsum(rng.binomial(replies, min(max(resolution, 0), 1)))
    ended = np.diff(frame["issues_ended"], prepend=0)
    frame["issues_resolved"] = np.cumsum(rng.binomial(ended, min(max(resolution, 0), 1)))
    frame["replies_on_time"] = np.cumsum(rng.binomial(replies, 0.95))
    frame["intercepted"] = np.cumsum(rng.binomial(np.diff(frame["skip_attempts"], prepend=0), 0.3))
    return pd.DataFrame(frame)
