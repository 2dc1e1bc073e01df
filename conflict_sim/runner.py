"""The engine: the one way to run a set of simulations, streamed to disk, verified, resumable.

Sweeps, `compare`, sensitivity designs, the validation seed sets and the browser's side by side all
call `run_experiment` (or `run_to_memory`, which is the same into a temporary folder). It owns the
order of things that keeps results safe:

1. take the folder's lock, before looking at or creating anything;
2. compare the experiment's identity with what the folder holds: resume the same experiment, grow it
   (more replications or arms, everything else identical), or refuse;
3. verify every stored part and rerun what is broken (and, on request, what failed);
4. check the work against the bounds and the disk, then create the folder;
5. run the missing batches on the backend, each worker writing its own parts; log the session.

Every batch is a pure function of its runs (seeds from `spec.spawn_seeds`), so results are the same on
any backend. A run that raises is a stored row with its traceback; a batch whose worker fails is
stored as failed runs (Dask has retried it once); `retry_failed` runs them again.
"""

from __future__ import annotations

import math
import platform
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, Future, wait
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from conflict_sim import budget
from conflict_sim.backends import (
    RETRIES,
    Backend,
    SequentialExecutor,
    backend_for,
    dask,
    processes,
    sequential,
)
from conflict_sim.batches import Batch, Simulate, record_lost, run_batch
from conflict_sim.errors import ConflictSimError, ResultsError
from conflict_sim.manifest import Manifest, Session, environment, now
from conflict_sim.output import check_space, check_writable, claim
from conflict_sim.spec import GROWABLE, LABELS, Experiment, Identity, Run, identity
from conflict_sim.store import Results, Store, part_name

__all__ = [
    "RETRIES",
    "Backend",
    "SequentialExecutor",
    "Summary",
    "backend_for",
    "dask",
    "plan",
    "processes",
    "run_experiment",
    "run_to_memory",
    "sequential",
]

POOL_RESTARTS = 3  # a local pool broken by dying workers more often than this stops the sweep (resumable)


@dataclass(frozen=True)
class Summary:
    """What a call of the engine did and where things stand."""

    folder: Path
    total: int
    executed: int
    succeeded: int
    failed: int
    pending: int
    seconds: float
    kind: str = "new"
    repaired: int = 0
    failed_waiting: int = 0  # failed runs kept as they are (rerun them with retry_failed)


def default_batch_size(n_runs: int) -> int:
    """Runs per batch: about 100 batches (load balance up to ~25 workers), at most 64 runs each.

    Each batch costs ~25 ms of file writing, so a sweep of short runs gains from a larger
    `batch_size`; a sweep on many workers, from a smaller one.
    """
    return max(1, min(64, math.ceil(n_runs / 100)))


def cut(experiment: Experiment, runs: Sequence[Run], folder: Path, simulate: Simulate | None) -> list[Batch]:
    """Runs cut into batches of the experiment's batch size, in run order."""
    size = experiment.batch_size or default_batch_size(len(experiment))
    where = str(folder.resolve())
    return [
        Batch(
            part_name([r.key for r in runs[i : i + size]]),
            tuple(runs[i : i + size]),
            experiment.config,
            where,
            experiment.design.parameters,
            simulate,
        )
        for i in range(0, len(runs), size)
    ]


@dataclass(frozen=True)
class _Work:
    """What the engine decided to do with a folder, before running anything."""

    kind: str
    manifest: Manifest
    todo: list[Run]
    repaired: int
    failed_waiting: int
    exists: bool


def plan(
    experiment: Experiment, folder: str | Path, backend: Backend | None = None, *, retry_failed: bool = False
) -> budget.Plan:
    """The work `run_experiment` would do (nothing is created, run or changed): for `--plan`."""
    backend = backend or processes()
    store = Store(folder)
    if not store.exists():
        return budget.plan(experiment, experiment.runs(), backend.workers)
    manifest = store.manifest()
    _check_same_or_growing(store, manifest, experiment, identity(experiment))
    status = store.stored_status()
    todo = [r for r in experiment.runs() if r.key not in status or (retry_failed and status[r.key] == "failed")]
    return budget.plan(experiment, todo, backend.workers)


def run_experiment(
    experiment: Experiment,
    folder: str | Path,
    backend: Backend | None = None,
    *,
    resume: bool = False,
    retry_failed: bool = False,
    force: bool = False,
    progress: bool = False,
    simulate: Simulate | None = None,
) -> Summary:
    """Run every run of `experiment` not yet stored in `folder` (Mesa's `run_scenarios`).

    A new folder is created with its manifest; an existing one of the same experiment is resumed
    (`resume=True` requires that it exists), one of the same experiment with fewer replications or
    arms is grown, and any other is refused. `force` moves a folder that is not ours aside and lifts
    the bounds on work; `simulate` replaces the model (tests, stand-ins).
    """
    backend = backend or processes()
    store = Store(folder)
    check_writable(store.folder)
    with store.lock():
        work = _decide(store, experiment, resume=resume, retry_failed=retry_failed, force=force, backend=backend)
        batches = cut(experiment, work.todo, store.folder, simulate)
        if not work.exists:
            store.create(work.manifest, _experiment_text(experiment), design_table(experiment))
        elif work.kind == "grow":
            store.write_experiment_text(_experiment_text(experiment))
            store.write_manifest(work.manifest)
        session = Session(
            started=now(),
            kind=work.kind,
            backend=backend.name,
            workers=backend.workers,
            host=platform.node(),
            runs_to_do=len(work.todo),
            package_version=work.manifest.identity.package_version,
            model_revision=work.manifest.identity.model_revision,
            git=environment().get("git", {}),
            address=backend.address,
        )
        store.write_manifest(store.manifest().with_session(session))
        start = time.perf_counter()
        executed, interrupted = 0, True
        try:
            for batch in _stream(batches, backend, len(experiment), experiment.name, progress):
                executed += len(batch.runs)
            interrupted = False
        finally:
            counts = _end_session(store, len(experiment), executed, interrupted)
    return Summary(
        store.folder,
        len(experiment),
        executed,
        counts["succeeded"],
        counts["failed"],
        counts["pending"],
        time.perf_counter() - start,
        work.kind,
        work.repaired,
        work.failed_waiting,
    )


def _decide(
    store: Store, experiment: Experiment, *, resume: bool, retry_failed: bool, force: bool, backend: Backend
) -> _Work:
    """Under the lock: new, resume or grow; which runs to do; refusals, all before anything is written."""
    ident = identity(experiment)
    if not store.exists():
        if resume:
            raise ResultsError(f"--resume: {store.folder} holds no results to resume")
        claim(store.folder, force=force, ours=lambda _: False)
        manifest = Manifest.new(experiment, ident, environment())
        todo, repaired, waiting, kind, exists = experiment.runs(), 0, 0, "new", False
    else:
        manifest = store.manifest()
        kind = _check_same_or_growing(store, manifest, experiment, ident)
        if kind == "grow":
            manifest = manifest.grown(experiment, ident, _experiment_text(experiment))
        keeps_daily = experiment.config.daily != ()
        stored = store.verify({r.key for r in experiment.runs()}, keeps_daily)
        failed = stored.failed()
        if retry_failed and failed:
            store.forget({stored.parts[k] for k in failed})
            stored = store.verify({r.key for r in experiment.runs()}, keeps_daily)
            kind = "retry-failed" if kind == "resume" else kind
        todo = [r for r in experiment.runs() if r.key not in stored.status]
        repaired, waiting, exists = len(stored.repaired), len(stored.failed()), True
    work = budget.plan(experiment, todo, backend.workers)
    budget.check(experiment, work, force=force)
    check_space(store.folder, work.bytes, force=force)
    return _Work(kind, manifest, todo, repaired, waiting, exists)


def _check_same_or_growing(store: Store, manifest: Manifest, experiment: Experiment, ident: Identity) -> str:
    """Return "resume" for the same experiment, "grow" for more replications or arms of it; else refuse."""
    old = manifest.identity
    if ident.full == old.full:
        return "resume"
    where = f"{store.folder}: holds results of another experiment"
    if ident.model_revision != old.model_revision:
        raise ResultsError(f"{where}: the model has changed since (model revision); choose another --out")
    if ident.package_version != old.package_version:
        raise ResultsError(
            f"{where}: made with conflict-sim {old.package_version}, this is {ident.package_version}; "
            "choose another --out"
        )
    changed = [p for p in ident.inputs if ident.inputs.get(p) != old.inputs.get(p)] + [
        p for p in old.inputs if p not in ident.inputs
    ]
    if changed:
        raise ResultsError(f"{where}: the input file {changed[0]} has changed since; choose another --out")
    stored = manifest.definition
    if ident.core != old.core:
        new = experiment.definition()
        fields = [k for k in new if k not in (*GROWABLE, *LABELS) and new[k] != stored.get(k)]
        what = ", ".join(fields) or "its definition"
        raise ResultsError(f"{where} ({what} differ); choose another --out or rerun that experiment")
    old_arms = stored["arms"]
    new_arms = experiment.definition()["arms"]
    if new_arms[: len(old_arms)] != old_arms:
        raise ResultsError(
            f"{where}: its arms are {', '.join(a['name'] for a in old_arms)}; to grow it, keep them "
            "in the same order with the same settings and add new arms after them"
        )
    if experiment.replications < stored["replications"]:
        raise ResultsError(
            f"{where}: it has {stored['replications']} replications, this asks for {experiment.replications}; "
            "an experiment can grow, not shrink"
        )
    return "grow"


def _end_session(store: Store, total: int, executed: int, interrupted: bool) -> dict[str, int]:
    """Close the session in the manifest with the per-run status table; returns the status counts."""
    status = store.status()
    counts = status["status"].value_counts().to_dict()
    summary = {"succeeded": int(counts.get("succeeded", 0)), "failed": int(counts.get("failed", 0))}
    summary["pending"] = total - summary["succeeded"] - summary["failed"]
    failed = status[status["status"] == "failed"]
    table = {
        "status": summary,
        "runs": {c: _plain(status[c]) for c in ("run_key", "status", "stage", "seconds")},
        "failures": tuple(
            dict(zip(("run_key", "stage", "exception", "traceback"), row, strict=True))
            for row in zip(*(_plain(failed[c]) for c in ("run_key", "stage", "exception", "traceback")), strict=True)
        ),
    }
    manifest = store.manifest()
    store.write_manifest(manifest.ended({"runs_executed": executed, "interrupted": interrupted}, table))
    return summary


def _plain(column: pd.Series) -> list[object]:
    """A column as JSON-ready values: missing values become null."""
    return [None if pd.isna(v) else v for v in column.tolist()]


def _experiment_text(experiment: Experiment) -> str:
    """The experiment file kept beside the results: the user's text, or one written from the definition."""
    if experiment.text is not None:
        return experiment.text
    from conflict_sim.experiment import to_text

    return to_text(experiment)


def design_table(experiment: Experiment) -> pd.DataFrame:
    """One row per design point: point, scenario and the design values (raw if sampled)."""
    d = experiment.design
    rows = []
    for s, scenario in enumerate(experiment.scenarios):
        for i, values in enumerate(d.points):
            raw = dict(zip(d.parameters, d.samples[i], strict=True)) if d.samples is not None else values
            rows.append({"point": s * len(d.points) + i, "scenario": scenario.name, **raw})
    return pd.DataFrame(rows)


def _stream(batches: list[Batch], backend: Backend, total: int, name: str, progress: bool) -> Iterator[Batch]:
    """Yield batches as they are committed, keeping `backend.window` in flight.

    A local pool that a dying worker broke is restarted; a batch whose task fails is stored as failed runs.
    """
    from tqdm import tqdm

    todo_runs = sum(len(b.runs) for b in batches)
    bar = tqdm(
        total=total,
        initial=total - todo_runs,
        unit="run",
        desc=name,
        file=sys.stderr,
        disable=not progress,
        dynamic_ncols=True,
    )
    queue = list(reversed(batches))
    running: dict[Future, Batch] = {}
    restarts = 0
    with bar:
        while queue or running:
            try:
                with backend.open() as executor:
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
                                record_lost(batch, error)
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


def run_to_memory(
    experiment: Experiment, backend: Backend | None = None, *, simulate: Simulate | None = None
) -> Results:
    """Run an experiment through the engine into a temporary folder and return its tables in memory."""
    from conflict_sim.store import load

    with tempfile.TemporaryDirectory(prefix="conflict-sim-") as scratch:
        run_experiment(experiment, Path(scratch) / "results", backend or sequential(), simulate=simulate)
        return load(Path(scratch) / "results")
