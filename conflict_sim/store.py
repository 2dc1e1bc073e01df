"""Results of a sweep on disk: streamed batch by batch by the workers, verified, resumable, loaded in one call.

Reading results (the API other modules build on)::

    from conflict_sim.store import load
    results = load("results/sweeps/demo")
    results.runs      # one row per finished run: run_key, point, arm, replication, seed, scenario,
                      #   status ("succeeded" | "failed"), stage, exception, traceback, seconds,
                      #   worker, then one column per design parameter (the value the run used)
    results.outcomes  # run_key + one float column per kept outcome (succeeded runs only)
    results.daily     # run_key, day + one column per kept daily metric (succeeded runs only)
    results.design    # point, scenario + the design's raw sampled values (what SALib expects)
    results.manifest  # dict: the manifest's JSON (definition, identity, seeds, versions, sessions, status)

All frames are in run order (point, arm in the experiment's order, replication; then day) and join on
`run_key`. Layout::

    manifest.json  experiment.toml  design.parquet
    runs/part-<id>.parquet  outcomes/part-<id>.parquet  daily/part-<id>.parquet

One part per batch of runs, written by the worker that ran it; its name is a digest of the batch's run
keys, so a batch that runs twice (a Dask retry, a resume racing a zombie worker) writes the same rows to
the same names. A batch is committed when its `runs` part exists: that part is written last, and every
file appears by an atomic rename. Files whose names are not ours are never read, moved or deleted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import socket
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from conflict_sim import manifest as manifests
from conflict_sim.errors import BusyError, ResultsError
from conflict_sim.manifest import Manifest
from conflict_sim.output import atomic_folder

HOLDER_PATIENCE = 2.0  # seconds a loser waits for the holder's note, or for the lock to come free
TABLES = ("outcomes", "daily", "runs")  # in writing order: `runs` commits the batch
PART = re.compile(r"part-[0-9a-f]{16}\.parquet")
SCRATCH = re.compile(r"\.part-[0-9a-f]{16}\.parquet\.\d+\.tmp")
RUN_COLUMNS = {
    "run_key": pa.string(),
    "point": pa.int64(),
    "arm": pa.string(),
    "replication": pa.int64(),
    "seed": pa.int64(),
    "scenario": pa.string(),
    "status": pa.string(),
    "stage": pa.string(),
    "exception": pa.string(),
    "traceback": pa.string(),
    "seconds": pa.float64(),
    "worker": pa.string(),
}


@dataclass(frozen=True)
class Results:
    """A results folder loaded into pandas."""

    runs: pd.DataFrame
    outcomes: pd.DataFrame
    daily: pd.DataFrame
    design: pd.DataFrame
    manifest: dict[str, Any]


def part_name(keys: Sequence[str]) -> str:
    """The part file of a batch: a digest of its run keys, the same however often it runs."""
    return f"part-{hashlib.sha256(' '.join(keys).encode()).hexdigest()[:16]}.parquet"


def write_batch(folder: Path, name: str, runs: pd.DataFrame, outcomes: pd.DataFrame, daily: pd.DataFrame) -> None:
    """Write one batch's parts (worker side); the `runs` part goes last and commits the batch."""
    frames = {"outcomes": outcomes, "daily": daily, "runs": runs}
    for table in TABLES:
        frame = frames[table]
        if table != "runs" and frame.empty:
            continue
        schema = _runs_schema(frame) if table == "runs" else None
        _atomic_parquet(pa.Table.from_pandas(frame, schema=schema, preserve_index=False), Path(folder) / table / name)


def _runs_schema(frame: pd.DataFrame) -> pa.Schema:
    """Fixed types for the bookkeeping columns; design columns keep the types pandas gives them.

    A part whose runs all succeeded has no strings in `exception`, so its type must be given.
    """
    inferred = pa.Schema.from_pandas(frame, preserve_index=False)
    return pa.schema([pa.field(n, RUN_COLUMNS.get(n, inferred.field(n).type)) for n in frame.columns])


def _atomic_parquet(table: pa.Table, path: Path) -> None:
    scratch = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pq.write_table(table, scratch, compression="zstd")
    os.replace(scratch, path)


def worker_id() -> str:
    """Where a run ran: host and process."""
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class Stored:
    """What a verified folder holds: each stored run's status and part, and the parts found broken."""

    status: dict[str, str]
    parts: dict[str, str]
    repaired: tuple[str, ...]

    def failed(self) -> list[str]:
        return [k for k, s in self.status.items() if s == "failed"]


class Store:
    """The driver's view of one results folder: lock it, create or verify it, log sessions."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    @property
    def manifest_path(self) -> Path:
        return self.folder / "manifest.json"

    @property
    def lock_path(self) -> Path:
        """Beside the folder, not in it: the lock is taken before the folder is looked at or made."""
        return self.folder.absolute().with_name(f".{self.folder.name}.lock")

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the folder for one process at a time (the OS releases it even if the process is killed).

        The loser is told who holds it (host, process, command) from a note the holder writes.
        """
        from filelock import FileLock, Timeout

        holder = self.lock_path.with_name(self.lock_path.name + ".holder")
        lock = FileLock(self.lock_path, timeout=0)
        deadline = time.monotonic() + HOLDER_PATIENCE
        while True:
            try:
                lock.acquire()
                break
            except Timeout:
                # The holder writes its note just after locking: wait for it (or for the lock) a moment.
                who = _holder(holder)
                if who or time.monotonic() > deadline:
                    who = who or "another process"
                    raise BusyError(f"{self.folder}: in use by {who}; wait for it or choose another --out") from None
                time.sleep(0.01)
        try:
            note = {"host": socket.gethostname(), "pid": os.getpid(), "command": " ".join(sys.argv)}
            holder.write_text(json.dumps(note), encoding="utf-8")
            yield
        finally:
            holder.unlink(missing_ok=True)
            lock.release()  # the lock file stays: unlinking it would let two processes lock two files

    def exists(self) -> bool:
        return self.manifest_path.exists()

    def is_ours(self) -> bool:
        """A results folder of this format (used by output safety: ours may be resumed)."""
        return self.exists()

    def manifest(self) -> Manifest:
        return manifests.read(self.manifest_path)

    def write_manifest(self, manifest: Manifest) -> None:
        manifests.write(self.manifest_path, manifest)

    def create(self, manifest: Manifest, experiment_text: str, design: pd.DataFrame) -> None:
        """Make the folder with its manifest, experiment copy and design, all at once or not at all."""
        with atomic_folder(self.folder) as scratch:
            for table in TABLES:
                (scratch / table).mkdir()
            (scratch / "experiment.toml").write_text(experiment_text, encoding="utf-8")
            design.to_parquet(scratch / "design.parquet", index=False)
            manifests.write(scratch / "manifest.json", manifest)

    def write_experiment_text(self, text: str) -> None:
        """Replace the kept experiment file (after growth), appearing whole."""
        scratch = self.folder / f".experiment.toml.{os.getpid()}.tmp"
        scratch.write_text(text, encoding="utf-8")
        os.replace(scratch, self.folder / "experiment.toml")

    def parts(self, table: str) -> list[Path]:
        """Our part files of one table (a user's file in the folder is not ours and is left alone)."""
        folder = self.folder / table
        return sorted(p for p in folder.iterdir() if PART.fullmatch(p.name)) if folder.is_dir() else []

    def stored_status(self) -> dict[str, str]:
        """Each stored run's status, as the readable runs parts say (nothing is checked or changed)."""
        found: dict[str, str] = {}
        for path in self.parts("runs"):
            rows = _column_frame(path, ["run_key", "status"])
            if rows is not None:
                found |= dict(zip(rows["run_key"], rows["status"], strict=True))
        return found

    def verify(self, known: set[str], keeps_daily: bool) -> Stored:
        """Check every committed part against the others and the experiment; remove what is broken.

        A batch's parts are broken if its runs part is unreadable or names runs the experiment does not
        have or another part already holds, or if its outcomes or daily part is missing, unreadable or
        does not hold exactly its succeeded runs. Broken batches are removed (ours, by name), so their
        runs are run again. Scratch files and parts of uncommitted batches are removed too.
        """
        status: dict[str, str] = {}
        parts: dict[str, str] = {}
        repaired = []
        for path in self.parts("runs"):
            rows = _column_frame(path, ["run_key", "status"])
            keys = [] if rows is None else list(rows["run_key"])
            sound = (
                rows is not None and set(keys) <= known and not set(keys) & set(status) and len(set(keys)) == len(keys)
            )
            if sound and rows is not None:
                succeeded = set(rows.loc[rows["status"] == "succeeded", "run_key"])
                sound = self._holds(path.name, "outcomes", succeeded) and (
                    not keeps_daily or self._holds(path.name, "daily", succeeded)
                )
            if not sound or rows is None:
                self._remove(path.name)
                repaired.append(path.name)
                continue
            status |= dict(zip(rows["run_key"], rows["status"], strict=True))
            parts |= dict.fromkeys(keys, path.name)
        self._tidy(set(parts.values()))
        return Stored(status, parts, tuple(repaired))

    def _holds(self, name: str, table: str, keys: set[str]) -> bool:
        path = self.folder / table / name
        if not keys:
            return True
        frame = _column_frame(path, ["run_key"]) if path.exists() else None
        return frame is not None and set(frame["run_key"]) == keys

    def _remove(self, name: str) -> None:
        for table in reversed(TABLES):  # the commit marker first
            (self.folder / table / name).unlink(missing_ok=True)

    def _tidy(self, committed: set[str]) -> None:
        """Remove what a crash can leave: our scratch files, and our parts of uncommitted batches."""
        for table in TABLES:
            folder = self.folder / table
            for path in folder.iterdir() if folder.is_dir() else ():
                if SCRATCH.fullmatch(path.name) or (PART.fullmatch(path.name) and path.name not in committed):
                    path.unlink(missing_ok=True)

    def forget(self, names: Iterable[str]) -> None:
        """Remove committed batches (to run their failed runs again)."""
        for name in names:
            self._remove(name)

    def status(self) -> pd.DataFrame:
        """The per-run status columns of every committed run."""
        columns = ["run_key", "status", "stage", "exception", "traceback", "seconds"]
        tables = [t for t in (_column_table(p, columns) for p in self.parts("runs")) if t is not None]
        if not tables:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
        return pa.concat_tables(tables).to_pandas()

    def outcomes_of(self, key: str) -> dict[str, float] | None:
        """The stored outcomes of one run (None if it has none: failed or not run)."""
        for path in self.parts("outcomes"):
            rows = pq.read_table(path).to_pandas()
            found = rows[rows["run_key"] == key]
            if len(found):
                return {k: v for k, v in found.iloc[0].items() if k != "run_key"}
        return None


def _column_table(path: Path, columns: list[str]) -> pa.Table | None:
    try:
        return pq.read_table(path, columns=columns)
    except (OSError, pa.ArrowException, ValueError):
        return None


def _column_frame(path: Path, columns: list[str]) -> pd.DataFrame | None:
    table = _column_table(path, columns)
    return None if table is None else table.to_pandas()


def _holder(note: Path) -> str | None:
    try:
        data = json.loads(note.read_text(encoding="utf-8"))
        return f"process {data['pid']} on {data['host']} ({data['command']})"
    except (OSError, ValueError, KeyError, TypeError):
        return None


def load(folder: str | Path) -> Results:
    """A results folder as pandas DataFrames, in run order; broken parts are a one-line error."""
    store = Store(folder)
    manifest = store.manifest()
    document = manifest.to_json()
    names = [p.name for p in store.parts("runs")]
    runs = _read(store.folder / "runs", names)
    if runs.empty:
        runs = pd.DataFrame({n: pd.Series(dtype=t.to_pandas_dtype()) for n, t in RUN_COLUMNS.items()})
    arms = {a["name"]: i for i, a in enumerate(manifest.definition["arms"])}
    runs = runs.assign(_arm=runs["arm"].map(arms)).sort_values(["point", "_arm", "replication"])
    runs = runs.drop(columns="_arm").reset_index(drop=True)
    if not runs["run_key"].is_unique:
        raise ResultsError(
            f"{store.folder}: a run is stored twice; run `conflict-sim sweep {folder} --resume` to repair"
        )
    order = pd.Series(range(len(runs)), index=runs["run_key"])
    outcomes = _in_order(_read(store.folder / "outcomes", names), order, ["run_key"])
    daily = _in_order(_read(store.folder / "daily", names), order, ["run_key", "day"])
    succeeded = set(runs.loc[runs["status"] == "succeeded", "run_key"])
    kept_daily = manifest.definition["daily"] != []
    if set(outcomes.get("run_key", ())) != succeeded or (kept_daily and set(daily.get("run_key", ())) != succeeded):
        raise ResultsError(
            f"{store.folder}: outcome or daily parts are missing for some finished runs; "
            f"run `conflict-sim sweep {folder} --resume` to repair"
        )
    design = pd.read_parquet(store.folder / "design.parquet")
    return Results(runs, outcomes, daily, design, document)


def _read(folder: Path, names: Iterable[str]) -> pd.DataFrame:
    """Committed parts of one table, concatenated (a missing part is a batch with no rows here)."""
    tables = []
    for name in names:
        path = folder / name
        if not path.exists():
            continue
        try:
            tables.append(pq.read_table(path))
        except (OSError, pa.ArrowException, ValueError):
            raise ResultsError(
                f"{path}: unreadable; run `conflict-sim sweep {folder.parent} --resume` to repair"
            ) from None
    return pa.concat_tables(tables).to_pandas() if tables else pd.DataFrame({"run_key": []})


def _in_order(frame: pd.DataFrame, order: pd.Series, by: list[str]) -> pd.DataFrame:
    if frame.empty:
        return frame
    rank = frame["run_key"].map(order)
    keys = [rank.to_numpy(), *(frame[c].to_numpy() for c in by[1:])]
    return frame.iloc[np.lexsort(keys[::-1])].reset_index(drop=True)
