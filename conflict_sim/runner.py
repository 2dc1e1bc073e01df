"""*How* to run an experiment: batches of runs on a backend, streamed to disk, resumable.

Every backend is a `concurrent.futures.Executor` (Mesa's `run_scenarios` takes the same):
in-process sequential, local worker processes (the default, one per core) or Dask distributed
(a `LocalCluster` or the scheduler of a cluster). Workers stay warm and take batches of runs;
each batch is a pure function of its runs, and the worker writes its own part files, so only a
small status list travels back. Same seeds, same numbers, on any backend.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import platform
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, Executor, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from conflict_sim import experiment as experiments
from conflict_sim.errors import ConflictSimError
from conflict_sim.experiment import Experiment, Run, RunConfiguration
from conflict_sim.provenance import environment
from conflict_sim.run import RunOutput, simulate
from conflict_sim.store import Store, worker_id, write_batch

RETRIES = 2  # extra attempts of a batch whose worker was lost or whose writing failed
POOL_RESTARTS = 3  # a local pool broken more often than this stops the sweep (resumable)


@dataclass(frozen=True)
class Batch:
    """Runs that one worker executes in a row and writes as one part of each table."""

    index: int
    runs: tuple[Run, ...]
    config: RunConfiguration
    folder: str
    parameters: tuple[str, ...]


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


def execute(run: Run, config: RunConfiguration) -> RunResult:
    """One run, with any exception recorded as data (stage, exception, traceback) instead of raised."""
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
    results = [execute(run, batch.config) for run in batch.runs]
    write_tables(batch, results, worker_id())
    return [r.status for r in results]


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
    write_batch(Path(batch.folder), batch.index, runs, outcomes, daily)


# --- backends -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Backend:
    """Where batches run: a name for the manifest, a worker count, and an executor factory.

    `window` bounds the batches in flight (None: submit all, which lets Dask balance and scale).
    """

    name: str
    workers: int
    open: Callable[[], contextlib.AbstractContextManager[Executor]]
    window: int | None = None
    address: str | None = None


class SequentialExecutor(Executor):
    """Runs each task in this process when it is submitted: for debugging, tests and notebooks."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:
            future.set_exception(exc)
        return future


def sequential() -> Backend:
    """In-process, one run after another."""
    return Backend("sequential", 1, lambda: contextlib.nullcontext(SequentialExecutor()), window=1)


def processes(workers: int | None = None) -> Backend:
    """Local worker processes (default: one per core), started with spawn without touching the
    global start method, warm for the whole sweep."""
    n = workers or os.cpu_count() or 1
    if n < 1:
        raise ConflictSimError(f"--workers {workers}: must be at least 1")
    context = multiprocessing.get_context("spawn")
    return Backend(
        "processes",
        n,
        lambda: ProcessPoolExecutor(n, mp_context=context, initializer=_exit_with_parent, initargs=(os.getpid(),)),
        window=2 * n,
    )


def _exit_with_parent(parent: int) -> None:
    """Worker initializer: leave when the driver dies (SIGKILL, OOM), so no stray worker stays
    blocked on the task queue for ever. Its batch is uncommitted and runs again on resume."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def dask(address: str | None = None, workers: int | None = None) -> Backend:
    """Dask distributed: the scheduler at `address`, or a LocalCluster of `workers` processes."""
    n = workers or os.cpu_count() or 1

    @contextlib.contextmanager
    def open_client() -> Iterator[Executor]:
        from distributed import Client, LocalCluster

        with contextlib.ExitStack() as stack:
            if address:
                try:
                    client = stack.enter_context(Client(address, timeout="20s"))
                except (OSError, TimeoutError) as exc:
                    raise ConflictSimError(f"--scheduler {address}: cannot connect ({exc})") from None
            else:
                cluster = stack.enter_context(
                    LocalCluster(  # dashboard on a free port, so a
                        n_workers=n,
                        threads_per_worker=1,
                        processes=True,  # busy 8787 is no matter
                        dashboard_address="127.0.0.1:0",
                    )
                )
                client = stack.enter_context(Client(cluster))
            executor = client.get_executor(retries=RETRIES, pure=False)
            try:
                yield executor
            finally:
                executor.shutdown(wait=False)  # cancels what is still queued

    return Backend("dask", n, open_client, window=None, address=address)


def backend_for(workers: int | None = None, scheduler: str | None = None, kind: str | None = None) -> Backend:
    """The backend a command line asks for: `--scheduler` means Dask; default local processes."""
    kind = kind or ("dask" if scheduler else "processes")
    if scheduler and kind != "dask":
        raise ConflictSimError(f"--scheduler needs the dask backend, not {kind!r}")
    if workers is not None and workers < 1:
        raise ConflictSimError(f"--workers {workers}: must be at least 1")
    if kind == "sequential":
        if workers not in (None, 1):
            raise ConflictSimError(f"--workers {workers}: the sequential backend has one worker")
        return sequential()
    if kind == "processes":
        return processes(workers)
    if kind == "dask":
        return dask(scheduler, workers)
    raise ConflictSimError(f"--backend {kind!r}: must be one of sequential, processes, dask")


# --- the sweep ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    """What a sweep call did and where things stand."""

    folder: Path
    total: int
    executed: int
    succeeded: int
    failed: int
    pending: int
    seconds: float


def batches(experiment: Experiment, folder: Path) -> list[Batch]:
    """The experiment's runs cut into batches; the cut depends on the experiment only, so a resume
    or a retry of batch i writes exactly the rows batch i wrote before."""
    runs = experiment.runs()
    size = experiment.batch_size or experiments.default_batch_size(len(runs))
    return [
        Batch(
            i, tuple(runs[start : start + size]), experiment.config, str(folder.resolve()), experiment.design.parameters
        )
        for i, start in enumerate(range(0, len(runs), size))
    ]


def run_experiment(
    experiment: Experiment,
    folder: str | Path,
    backend: Backend | None = None,
    *,
    resume: bool = False,
    progress: bool = False,
) -> Summary:
    """Run every run not yet in `folder`, streaming parts to it (Mesa's `run_scenarios`).

    A new folder is created with its manifest; an existing one of the same experiment is resumed
    (`resume=True` requires that it exists). A run that raises is recorded as failed; a batch whose
    worker is lost is retried.
    """
    backend = backend or processes()
    store = Store(folder)
    todo = _prepare(store, experiment, resume)
    with store.lock():
        store.tidy()  # under the lock: parts of a sweep still running are never removed
        done = store.committed()
        todo = [b for b in todo if b.index not in done]
        start = time.perf_counter()
        env = environment()  # per session too: a resumed sweep may run on other code or machines
        session = store.begin(
            {
                "backend": backend.name,
                "workers": backend.workers,
                "address": backend.address,
                "host": platform.node(),
                "runs_to_do": sum(len(b.runs) for b in todo),
                "git": env["git"],
                "versions": env["versions"],
            }
        )
        executed = 0
        try:
            for batch in _stream(todo, backend, experiment, progress):
                executed += len(batch.runs)
        finally:
            counts = store.end(session, len(experiment), runs_executed=executed)
    return Summary(
        store.folder,
        len(experiment),
        executed,
        counts["succeeded"],
        counts["failed"],
        counts["pending"],
        time.perf_counter() - start,
    )


def _prepare(store: Store, experiment: Experiment, resume: bool) -> list[Batch]:
    """Create the folder, or check that it holds this experiment; return all its batches."""
    if store.exists():
        if store.manifest()["experiment"]["sha256"] != experiment.sha256:
            raise ConflictSimError(
                f"{store.folder}: holds results of another experiment file (its experiment.toml "
                "differs from this one); choose another --out or rerun with that file"
            )
    elif resume:
        raise ConflictSimError(f"--resume: {store.folder} holds no results to resume")
    cut = batches(experiment, store.folder)
    if not store.exists():
        store.create(_manifest(experiment, len(cut[0].runs)), experiment.text, design_table(experiment))
    return cut


def _manifest(experiment: Experiment, batch_size: int) -> dict[str, Any]:
    """What a reader of the results needs to know about their making, except per-run status."""
    d = experiment.design
    return {
        "experiment": {
            "name": experiment.name,
            "description": experiment.description,
            "sha256": experiment.sha256,
            "text": experiment.text,
            "folder": str(experiment.folder.resolve()) if experiment.folder else None,
        },
        "root_seed": experiment.root_seed,
        "seed_scheme": "numpy SeedSequence(root_seed).spawn(replications); "
        "seed = generate_state(1, uint64)[0] >> 1; shared by every arm and point",
        "seeds": list(experiment.seeds),
        "replications": experiment.replications,
        "days": experiment.config.days,
        "warmup_days": experiment.config.warmup_days,
        "outcomes": list(experiment.config.outcomes or ()) or "all",
        "daily": list(experiment.config.daily) if experiment.config.daily is not None else "all",
        "scenarios": {
            s.name: {"params": s.params.to_dict(), "policies": list(s.policy_specs)} for s in experiment.scenarios
        },
        "overrides": dict(experiment.overrides),
        "arms": [{"name": a.name, "policies": list(a.policy_specs), "params": dict(a.params)} for a in experiment.arms],
        "design": {
            "method": d.method,
            "parameters": list(d.parameters),
            "bounds": {k: list(v) for k, v in d.bounds.items()},
            "options": dict(d.options),
            "seed": experiments.design_seed(experiment.root_seed) if d.samples is not None else None,
            "points": experiment.n_points,
        },
        "runs_total": len(experiment),
        "batch_size": batch_size,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        **environment(),
    }


def design_table(experiment: Experiment) -> pd.DataFrame:
    """One row per design point: point, scenario and the design values (raw if sampled)."""
    d = experiment.design
    rows = []
    for s, scenario in enumerate(experiment.scenarios):
        for i, values in enumerate(d.points):
            raw = dict(zip(d.parameters, d.samples[i], strict=True)) if d.samples is not None else values
            rows.append({"point": s * len(d.points) + i, "scenario": scenario.name, **raw})
    return pd.DataFrame(rows)


def _stream(todo: list[Batch], backend: Backend, experiment: Experiment, progress: bool) -> Iterator[Batch]:
    """Yield batches as they are committed, keeping `backend.window` in flight and restarting a
    broken local pool; a batch that keeps losing its worker is recorded as failed runs."""
    from tqdm import tqdm

    done_before = len(experiment) - sum(len(b.runs) for b in todo)
    bar = tqdm(
        total=len(experiment),
        initial=done_before,
        unit="run",
        desc=experiment.name,
        file=sys.stderr,
        disable=not progress,
        dynamic_ncols=True,
    )
    queue = list(reversed(todo))
    attempts: dict[int, int] = {}
    running: dict[Future, Batch] = {}
    restarts = 0
    with bar:
        while queue:
            try:
                with backend.open() as executor, _cancelled_on_exit(running):
                    while queue or running:
                        while queue and (backend.window is None or len(running) < backend.window):
                            future = executor.submit(run_batch, queue[-1])
                            running[future] = queue.pop()  # popped once submitted: never lost
                        finished, _ = wait(running, return_when=FIRST_COMPLETED)
                        for future in finished:
                            batch = running.pop(future)
                            error = future.exception()
                            if isinstance(error, BrokenExecutor):
                                queue.append(batch)  # with those still running: to a new pool
                                raise error
                            if error is not None:
                                attempts[batch.index] = attempts.get(batch.index, 0) + 1
                                if attempts[batch.index] <= RETRIES:
                                    queue.append(batch)
                                    continue
                                _record_lost(batch, error)
                            bar.update(len(batch.runs))
                            yield batch
            except BrokenExecutor as exc:
                restarts += 1
                if restarts > POOL_RESTARTS:
                    raise ConflictSimError(
                        f"worker processes kept dying ({exc}); finished runs are kept: rerun the sweep to resume"
                    ) from None
                queue.extend(running.values())  # the lost batches run again in a new pool
                running.clear()


@contextlib.contextmanager
def _cancelled_on_exit(running: dict[Future, Batch]) -> Iterator[None]:
    """On an interrupt or error, cancel batches not yet started so the pool shuts down promptly."""
    try:
        yield
    except BaseException:
        for future in running:
            future.cancel()
        raise


def _record_lost(batch: Batch, error: BaseException) -> None:
    """A batch whose worker died on every attempt becomes failed runs, written by the driver."""
    message = f"{type(error).__name__}: {error}"
    results = [
        RunResult(
            run, "failed", 0.0, stage="worker", exception=message, traceback="".join(traceback.format_exception(error))
        )
        for run in batch.runs
    ]
    write_tables(batch, results, worker="driver")


# --- replay ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Replay:
    """One stored run run again, with the outcomes the sweep stored for it (None if it failed)."""

    run: Run
    config: RunConfiguration
    output: RunOutput
    stored: dict[str, float] | None

    def differences(self) -> dict[str, tuple[float, float]]:
        """Kept outcomes whose replayed value is not exactly the stored one: name -> (stored, now)."""
        if self.stored is None:
            return {}
        now = {k: float(self.output.outcomes[k]) for k in self.stored}
        return {
            k: (v, now[k])
            for k, v in self.stored.items()
            if not (v == now[k] or (math.isnan(v) and math.isnan(now[k])))
        }


def stored_experiment(folder: str | Path) -> Experiment:
    """The experiment of a results folder, read from its manifest (scenario paths resolve against
    the folder of the original file)."""
    store = Store(folder)
    source = store.manifest()["experiment"]
    return experiments.from_text(
        source["text"],
        source=str(store.folder / "experiment.toml"),
        folder=Path(source["folder"]) if source.get("folder") else None,
    )


def replay(folder: str | Path, key: str) -> Replay:
    """Re-run one run of a results folder from its key, exactly as the sweep ran it."""
    store = Store(folder)
    manifest = store.manifest()
    experiment = stored_experiment(folder)
    for scenario in experiment.scenarios:
        then = manifest["scenarios"][scenario.name]["params"]
        changed = {k: (v, getattr(scenario.params, k)) for k, v in then.items() if getattr(scenario.params, k) != v}
        if changed:
            name, (old, new) = next(iter(changed.items()))
            raise ConflictSimError(
                f"scenario {scenario.name} has changed since the sweep ({name}: "
                f"{old!r} -> {new!r}, {len(changed)} change(s)); a replay would "
                "not reproduce the stored run"
            )
    run = experiments.run_by_key(experiment, key)
    output = simulate(
        run.params,
        seed=run.seed,
        days=experiment.config.days,
        policies=run.policies,
        warmup_days=experiment.config.warmup_days,
    )
    return Replay(run, experiment.config, output, store.outcomes_of(key))
