"""Each stage of a calibration as an experiment of the engine, and the targets measured on its runs.

Every simulation a calibration makes goes through `conflict_sim.runner`: a stage is an experiment
(its scenario at the stage's sample, a design, the arms its targets need, replications on the
engine's one seed rule) run into its own results folder, so it streams to Parquet, runs on local
processes or Dask, and picks up where it stopped. A stage whose folder exists is rebuilt from the
folder's manifest, never re-derived, so a resumed calibration runs exactly the design it started.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from conflict_sim import runner
from conflict_sim.backends import Backend
from conflict_sim.calibration.config import Calibration, CalibrationArm, Horizon, Target
from conflict_sim.designs import Design
from conflict_sim.errors import ExperimentError
from conflict_sim.replay import stored_experiment
from conflict_sim.spec import Arm, Experiment, RunConfiguration
from conflict_sim.store import Results, Store, load


def experiment(
    cal: Calibration,
    stage: str,
    horizon: Horizon,
    design: Design,
    arms: Sequence[CalibrationArm],
    replications: int,
) -> Experiment:
    """A stage as an experiment: the calibration's scenario at the stage's sample, outcomes only."""
    scenario = cal.scenario
    scenario = dataclasses.replace(scenario, params=scenario.params.replace(households_per_agent=horizon.sample))
    built = tuple(Arm.of(a.name, a.policies, a.params) for a in arms)
    outcomes = tuple(dict.fromkeys(o for t in cal.targets for o in t.outcomes))
    exp = Experiment(
        name=f"{cal.name}-{stage}",
        scenarios=(scenario,),
        design=design,
        arms=built,
        replications=replications,
        root_seed=cal.root_seed,
        config=RunConfiguration(horizon.days, horizon.warmup_days, outcomes, ()),
        description=f"Calibration {cal.name}: {stage}",
    )
    _check_points(exp)
    return exp


def _check_points(exp: Experiment) -> None:
    """Every point x arm makes valid parameters (cross-field rules too), before anything runs."""
    for p, values in enumerate(exp.design.points):
        for arm in exp.arms:
            shared = sorted(set(values) & set(arm.params))
            if shared:
                raise ExperimentError(f"calibration arm {arm.name}: sets {', '.join(shared)}, which the design varies")
            try:
                exp.params_of(exp.scenarios[0], values, arm)
            except ExperimentError:
                raise
            except Exception as exc:  # a ParameterError names the field; add where it came from
                raise ExperimentError(f"calibration {exp.name} design point {p} (arm {arm.name}): {exc}") from None


def stored(folder: Path) -> Experiment | None:
    """The experiment a stage folder already holds (a resumed stage runs what it started), or None."""
    return stored_experiment(folder) if Store(folder).exists() else None


def run(exp: Experiment, folder: Path, backend: Backend, *, progress: bool) -> Results:
    """Run (or finish) a stage through the engine and load what it stored."""
    runner.run_experiment(exp, folder, backend, progress=progress)
    return load(folder)


def measured(results: Results, targets: Sequence[Target]) -> pd.DataFrame:
    """Each target's value per design point and replication (a target sums its outcomes on its arm).

    Failed runs have no outcomes: their targets are NaN, and the caller drops them.
    """
    table = results.runs[["run_key", "point", "arm", "replication"]].merge(results.outcomes, on="run_key", how="left")
    frames = []
    for t in targets:
        rows = table[table["arm"] == t.arm].set_index(["point", "replication"])
        frames.append(rows[list(t.outcomes)].sum(axis=1, min_count=len(t.outcomes)).rename(t.name))
    return pd.concat(frames, axis=1).sort_index()


def design_values(results: Results, names: Sequence[str]) -> pd.DataFrame:
    """The parameter values of each design point, as run."""
    return results.design.set_index("point")[list(names)].astype(float)


def inside(values: np.ndarray, target: Target) -> np.ndarray:
    return (values >= target.low) & (values <= target.high)
