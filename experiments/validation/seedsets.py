"""Fixed seed sets and the paired comparison every validation fact and policy test uses.

Runs are spread over worker processes; a run is a pure function of its inputs, so the result does
not depend on the number of workers. Comparisons are paired: arm B minus arm A on the same seed.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from conflict_sim.params import Params
from conflict_sim.policies import Policy
from conflict_sim.run import simulate


def seed_set(root: int, n: int) -> list[int]:
    """`n` independent seeds derived from `root` (NumPy SeedSequence.spawn): a fixed seed set."""
    return [int(s.generate_state(1)[0]) for s in np.random.SeedSequence(root).spawn(n)]


@dataclass(frozen=True)
class Arm:
    """One configuration run on every seed of a set."""

    params: Params
    policies: tuple[Policy, ...] = ()


def _one(job: tuple[Arm, int, int, bool, int]) -> tuple[dict[str, float], pd.DataFrame | None]:
    arm, seed, days, keep_daily, warmup_days = job
    out = simulate(arm.params, seed=seed, days=days, policies=arm.policies, warmup_days=warmup_days)
    return out.outcomes, (out.daily if keep_daily else None)


def run_arms(
    arms: Sequence[Arm],
    seeds: Sequence[int],
    days: int,
    *,
    workers: int = 2,
    keep_daily: bool = False,
    warmup_days: int = 0,
) -> list[list[tuple[dict[str, float], pd.DataFrame | None]]]:
    """Every arm on every seed: result[arm][seed] = (outcomes after `warmup_days`, daily or None)."""
    jobs = [(arm, seed, days, keep_daily, warmup_days) for arm in arms for seed in seeds]
    if workers > 1:
        context = multiprocessing.get_context("spawn")  # no fork of a threaded parent
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            flat = list(pool.map(_one, jobs, chunksize=max(1, len(jobs) // (4 * workers))))
    else:
        flat = [_one(job) for job in jobs]
    n = len(seeds)
    return [flat[i * n : (i + 1) * n] for i in range(len(arms))]


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
