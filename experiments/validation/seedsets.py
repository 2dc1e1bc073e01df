"""Fixed seed sets and the paired comparison every validation fact and policy test uses.

Runs go through the engine (`conflict_sim.runner`) like every other set of simulations, with its one
seed rule: a seed set is `spec.spawn_seeds(root, n)`, shared by every arm. A run is a pure function
of its inputs, so results do not depend on the number of workers. Comparisons are paired: arm B minus
arm A on the same seed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from conflict_sim import runner
from conflict_sim.backends import Backend
from conflict_sim.errors import ConflictSimError
from conflict_sim.params import Params
from conflict_sim.policies import Policy
from conflict_sim.spec import Experiment, RunConfiguration, spawn_seeds


class SeedSet(tuple[int, ...]):
    """`n` seeds spawned from `root` by the engine's seed rule; remembers its root for the engine."""

    root: int

    def __new__(cls, root: int, n: int) -> SeedSet:
        found = super().__new__(cls, spawn_seeds(root, n))
        found.root = root
        return found


def seed_set(root: int, n: int) -> SeedSet:
    """A fixed seed set: `n` independent seeds derived from `root` (NumPy SeedSequence.spawn)."""
    return SeedSet(root, n)


@dataclass(frozen=True)
class Arm:
    """One configuration run on every seed of a set."""

    params: Params
    policies: tuple[Policy, ...] = ()


def run_arms(
    arms: Sequence[Arm],
    seeds: SeedSet,
    days: int,
    *,
    workers: int = 2,
    keep_daily: bool = False,
    backend: Backend | None = None,
    warmup_days: int = 0,
) -> list[list[tuple[dict[str, float], pd.DataFrame | None]]]:
    """Every arm on every seed through the engine.

    Returns result[arm][seed] = (outcomes after `warmup_days`, daily or None).
    """
    if not isinstance(seeds, SeedSet):
        raise ConflictSimError("seeds: use seed_set(root, n), so the engine can spawn the same seeds")
    experiment = Experiment.of_arms(
        "validation",
        [(f"arm{i}", arm.params, arm.policies) for i, arm in enumerate(arms)],
        root_seed=seeds.root,
        replications=len(seeds),
        config=RunConfiguration(days, warmup_days, None, None if keep_daily else ()),
    )
    chosen = backend or (runner.processes(workers) if workers > 1 else runner.sequential())
    results = runner.run_to_memory(experiment, chosen)
    outcomes = results.outcomes.set_index("run_key")
    daily = dict(tuple(results.daily.groupby("run_key"))) if keep_daily else {}
    found = []
    for a in range(len(arms)):
        row = []
        for r in range(len(seeds)):
            key = f"p0-a{a}-r{r}"
            if key not in outcomes.index:
                failure = results.runs.set_index("run_key").loc[key, "exception"]
                raise ConflictSimError(f"validation run {key} failed: {failure}")
            series = daily[key].drop(columns="run_key").set_index("day") if keep_daily else None
            row.append((outcomes.loc[key].to_dict(), series))
        found.append(row)
    return found


def outcome(results: list[tuple[dict[str, float], pd.DataFrame | None]], key: str) -> np.ndarray:
    """One outcome over the seeds of one arm."""
    return np.array([o[key] for o, _ in results])


@dataclass(frozen=True)
class Paired:
    """Mean and standard error of paired differences (treatment minus control) over common seeds."""

    mean: float
    se: float
    n: int

    @classmethod
    def of(cls, control: np.ndarray, treatment: np.ndarray) -> Paired:
        d = np.asarray(treatment, float) - np.asarray(control, float)
        return cls(float(d.mean()), float(d.std(ddof=1) / np.sqrt(len(d))), len(d))

    @property
    def z(self) -> float:
        if self.se > 0:
            return self.mean / self.se
        return 0.0 if self.mean == 0 else float(np.copysign(np.inf, self.mean))

    def __str__(self) -> str:
        return f"{self.mean:+.4g} ± {self.se:.2g} (z = {self.z:+.1f}, n = {self.n})"
