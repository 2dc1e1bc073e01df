"""A batch of runs, as a worker executes and stores it: the unit of work every backend runs.

A batch is a pure function of its runs (each run's parameters, policies and seed), so it gives the
same rows on any backend; the worker writes the batch's part files itself and returns only the
statuses. A run that raises is stored as a failed row with its stage and traceback; a batch whose task
fails as a whole is stored as failed runs by the driver (`record_lost`).
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, cast

import pandas as pd

from conflict_sim.spec import Run, RunConfiguration
from conflict_sim.store import worker_id, write_batch


class Output(Protocol):
    """What a simulate function returns (`conflict_sim.run.RunOutput` is one)."""

    @property
    def daily(self) -> pd.DataFrame: ...

    @property
    def outcomes(self) -> Mapping[str, float]: ...


Simulate = Callable[..., Output]  # conflict_sim.run.simulate, or a stand-in with its signature


@dataclass(frozen=True)
class Batch:
    """Runs that one worker executes in a row and writes as one part of each table."""

    name: str
    runs: tuple[Run, ...]
    config: RunConfiguration
    folder: str
    parameters: tuple[str, ...]
    simulate: Simulate | None = None  # None: the model (imported in the worker)


@dataclass(frozen=True)
class RunResult:
    """What one run left: its status, and its outcomes and daily series if it succeeded."""

    run: Run
    status: str
    seconds: float
    outcomes: dict[str, float] = field(default_factory=dict)
    daily: pd.DataFrame | None = None
    stage: str | None = None
    exception: str | None = None
    traceback: str | None = None


def execute(run: Run, config: RunConfiguration, simulate: Simulate | None = None) -> RunResult:
    """One run, with any exception recorded as data (stage, exception, traceback) instead of raised."""
    if simulate is None:
        from conflict_sim.run import simulate as model

        simulate = cast(Simulate, model)
    start = time.perf_counter()
    stage = "simulate"
    try:
        out = simulate(
            run.params, seed=run.seed, days=config.days, policies=run.policies, warmup_days=config.warmup_days
        )
        stage = "extract"
        names = config.outcomes or tuple(out.outcomes)
        outcomes = {name: float(out.outcomes[name]) for name in names}
        daily = out.daily if config.daily is None else out.daily[list(config.daily)]
    except Exception as exc:  # a failing run is data, not the end of the sweep
        return RunResult(
            run,
            "failed",
            time.perf_counter() - start,
            stage=stage,
            exception=f"{type(exc).__name__}: {exc}",
            traceback=traceback.format_exc(),
        )
    return RunResult(run, "succeeded", time.perf_counter() - start, outcomes, daily)


def run_batch(batch: Batch) -> list[str]:
    """Execute a batch and write its parts; runs in a worker, returns only the statuses."""
    results = [execute(run, batch.config, batch.simulate) for run in batch.runs]
    write_tables(batch, results, worker_id())
    statuses = [r.status for r in results]
    del results  # garbage before a first batch's freeze, not frozen with what lives on
    _freeze_imports()
    return statuses


@functools.cache
def _freeze_imports() -> None:
    """In a worker process, after its first batch, put what is left out of the cyclic collector's reach.

    What a worker holds between batches is mostly its imports (about 150,000 objects: Mesa, pandas,
    SciPy), and every full pass of the collector in later runs would walk them again, about 50 ms a
    pass, about once a run at 1:4. `gc.freeze` moves them to a generation it never scans; they live on
    as before (an object alive then that later dies in a reference cycle is not collected: a one-time,
    bounded cost). Once per process, and only in workers (a user's own process is not touched).
    """
    if multiprocessing.parent_process() is not None:
        gc.collect()  # the first batch's runs, so that only what lives on is frozen
        gc.freeze()


def write_tables(batch: Batch, results: list[RunResult], worker: str) -> None:
    """The tidy tables of a batch: runs (with status), outcomes, daily."""
    runs = pd.DataFrame(
        [
            {
                "run_key": r.run.key,
                "point": r.run.point,
                "arm": r.run.arm,
                "replication": r.run.replication,
                "seed": r.run.seed,
                "scenario": r.run.scenario,
                "status": r.status,
                "stage": r.stage,
                "exception": r.exception,
                "traceback": r.traceback,
                "seconds": r.seconds,
                "worker": worker,
                **{p: r.run.values[p] for p in batch.parameters},
            }
            for r in results
        ]
    )
    ok = [r for r in results if r.status == "succeeded"]
    outcomes = pd.DataFrame([{"run_key": r.run.key, **r.outcomes} for r in ok])
    keep_daily = ok and batch.config.daily != ()  # `daily = []`: no time series at all
    daily = (
        pd.concat([r.daily for r in ok], keys=[r.run.key for r in ok], names=["run_key"]).reset_index()
        if keep_daily
        else pd.DataFrame()
    )
    write_batch(Path(batch.folder), batch.name, runs, outcomes, daily)


def record_lost(batch: Batch, error: BaseException) -> None:
    """A batch whose task failed (its writing, or its worker on every attempt) becomes failed runs."""
    message = f"{type(error).__name__}: {error}"
    results = [
        RunResult(
            run, "failed", 0.0, stage="worker", exception=message, traceback="".join(traceback.format_exception(error))
        )
        for run in batch.runs
    ]
    write_tables(batch, results, worker="driver")
