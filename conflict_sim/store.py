"""Results of a sweep on disk: streamed batch by batch by the workers, resumable, loaded in one call.

Reading results (the API other modules build on)::

    from conflict_sim.store import load
    results = load("results/sweeps/demo")
    results.runs      # one row per finished run: run_key, point, arm, replication, seed, scenario,
                      #   status ("succeeded" | "failed"), stage, exception, traceback, seconds,
                      #   worker, then one column per design parameter (the value the run used)
    results.outcomes  # run_key + one float column per kept outcome (succeeded runs only)
    results.daily     # run_key, day + one column per kept daily metric (succeeded runs only)
    results.design    # point, scenario + the design's raw sampled values (what SALib expects)
    results.manifest  # dict: experiment text and hash, seeds, versions, git, sessions, status

All frames are in run order (point, arm in the experiment's order, replication; then day) and
join on `run_key`. Layout of RESULTS_DIR::

    manifest.json  experiment.toml  design.parquet
    runs/part-NNNNN.parquet  outcomes/part-NNNNN.parquet  daily/part-NNNNN.parquet

One part per batch of runs, written by the worker that ran it. A batch is committed when its
`runs` part exists: that part is written last, and every file appears by an atomic rename, so a
crash loses nothing already committed and never leaves a half-written part. A batch's part names
are fixed by the experiment, so a batch that runs twice (a retry, a resume racing a zombie worker)
writes the same rows to the same names: rows are never duplicated.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from conflict_sim.errors import ConflictSimError
from conflict_sim.output import atomic_folder, write_json

FORMAT = "conflict-sim sweep results, version 1"
TABLES = ("outcomes", "daily", "runs")  # in writing order: `runs` commits the batch
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


def part_name(batch: int) -> str:
    return f"part-{batch:05d}.parquet"


def write_batch(folder: Path, batch: int, runs: pd.DataFrame, outcomes: pd.DataFrame, daily: pd.DataFrame) -> None:
    """Write one batch's parts (worker side); the `runs` part goes last and commits the batch."""
    frames = {"outcomes": outcomes, "daily": daily, "runs": runs}
    for table in TABLES:
        frame = frames[table]
        if table != "runs" and frame.empty:
            continue
        schema = _runs_schema(frame) if table == "runs" else None
        _atomic_parquet(
            pa.Table.from_pandas(frame, schema=schema, preserve_index=False), Path(folder) / table / part_name(batch)
        )


def _runs_schema(frame: pd.DataFrame) -> pa.Schema:
    """Fixed types for the bookkeeping columns (a part whose runs all succeeded has no strings in
    `exception`); design columns keep the types pandas gives them."""
    inferred = pa.Schema.from_pandas(frame, preserve_index=False)
    return pa.schema([pa.field(n, RUN_COLUMNS.get(n, inferred.field(n).type)) for n in frame.columns])


def _atomic_parquet(table: pa.Table, path: Path) -> None:
    scratch = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pq.write_table(table, scratch, compression="zstd")
    os.replace(scratch, path)


def worker_id() -> str:
    """Where a run ran: host and process."""
    return f"{socket.gethostname()}:{os.getpid()}"


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


class Store:
    """The driver's view of one results folder: create or resume it, log sessions, summarise."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    @property
    def manifest_path(self) -> Path:
        return self.folder / "manifest.json"

    def create(self, manifest: dict[str, Any], experiment_text: str, design: pd.DataFrame) -> None:
        """Make the folder with its manifest, experiment copy and design, all at once or not at all."""
        if self.folder.exists() and any(self.folder.iterdir()):
            raise ConflictSimError(
                f"{self.folder}: exists and is not a results folder of a sweep (no manifest.json); choose another --out"
            )
        with atomic_folder(self.folder) as scratch:
            for table in TABLES:
                (scratch / table).mkdir()
            (scratch / "experiment.toml").write_text(experiment_text, encoding="utf-8")
            design.to_parquet(scratch / "design.parquet", index=False)
            write_json(scratch / "manifest.json", {"format": FORMAT, **manifest})

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the folder for one sweep at a time (released by the OS even if the sweep is killed)."""
        import fcntl

        with (self.folder / ".lock").open("a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise ConflictSimError(
                    f"{self.folder}: another sweep is writing to this folder; wait for it or choose another --out"
                ) from None
            yield

    def exists(self) -> bool:
        return self.manifest_path.exists()

    def manifest(self) -> dict[str, Any]:
        try:
            return json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConflictSimError(f"{self.folder}: not a results folder (no manifest.json)") from None

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        scratch = self.manifest_path.with_name(f".manifest.json.{os.getpid()}.tmp")
        write_json(scratch, manifest)
        os.replace(scratch, self.manifest_path)

    def committed(self) -> set[int]:
        """Batches whose runs part exists: finished, never to be run again."""
        return {int(p.stem.removeprefix("part-")) for p in (self.folder / "runs").glob("part-*.parquet")}

    def tidy(self) -> None:
        """Remove what a crash can leave: scratch files, and parts of batches never committed."""
        done = {part_name(b) for b in self.committed()}
        for table in TABLES:
            for path in (self.folder / table).iterdir():
                if path.name.startswith(".") or path.name not in done:
                    path.unlink(missing_ok=True)

    def begin(self, session: dict[str, Any]) -> int:
        """Log the start of a session (one invocation of a sweep); returns its index."""
        manifest = self.manifest()
        manifest.setdefault("sessions", []).append({"started": now(), **session})
        self.write_manifest(manifest)
        return len(manifest["sessions"]) - 1

    def end(self, session: int, total: int, **facts: Any) -> dict[str, Any]:
        """Log the end of a session and the per-run status table; returns the status counts."""
        manifest = self.manifest()
        status = self.status()
        counts = status["status"].value_counts().to_dict()
        summary = {"succeeded": int(counts.get("succeeded", 0)), "failed": int(counts.get("failed", 0))}
        summary["pending"] = total - summary["succeeded"] - summary["failed"]
        manifest["sessions"][session].update(ended=now(), **facts)
        manifest["ended"] = manifest["sessions"][session]["ended"]
        manifest["status"] = summary
        manifest["runs"] = {c: _plain(status[c]) for c in ("run_key", "status", "stage", "seconds")}
        failed = status[status["status"] == "failed"]
        manifest["failures"] = [
            dict(zip(("run_key", "stage", "exception", "traceback"), row, strict=True))
            for row in zip(*(_plain(failed[c]) for c in ("run_key", "stage", "exception", "traceback")), strict=True)
        ]
        self.write_manifest(manifest)
        return summary

    def outcomes_of(self, key: str) -> dict[str, float] | None:
        """The stored outcomes of one run (None if it has none: failed or not run)."""
        import pyarrow.dataset as ds

        done = {part_name(b) for b in self.committed()}
        parts = sorted(p for p in (self.folder / "outcomes").glob("part-*.parquet") if p.name in done)
        if not parts:
            return None
        rows = ds.dataset(parts).to_table(filter=ds.field("run_key") == key).to_pylist()
        return {k: v for k, v in rows[0].items() if k != "run_key"} if rows else None

    def status(self) -> pd.DataFrame:
        """The per-run status columns of every committed run."""
        columns = ["run_key", "status", "stage", "exception", "traceback", "seconds"]
        parts = sorted((self.folder / "runs").glob("part-*.parquet"))
        if not parts:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
        return pa.concat_tables(pq.read_table(p, columns=columns) for p in parts).to_pandas()


def _plain(column: pd.Series) -> list[Any]:
    """A column as JSON-ready values: missing values become null."""
    return [None if pd.isna(v) else v for v in column.tolist()]


def load(folder: str | Path) -> Results:
    """A results folder as pandas DataFrames, in run order."""
    store = Store(folder)
    manifest = store.manifest()
    parts = sorted(p.name for p in (store.folder / "runs").glob("part-*.parquet"))
    runs = _read(store.folder / "runs", parts)
    if runs.empty:
        runs = pd.DataFrame({n: pd.Series(dtype=t.to_pandas_dtype()) for n, t in RUN_COLUMNS.items()})
    arms = {name: i for i, name in enumerate(a["name"] for a in manifest["arms"])}
    runs = runs.assign(_arm=runs["arm"].map(arms)).sort_values(["point", "_arm", "replication"])
    runs = runs.drop(columns="_arm").reset_index(drop=True)
    order = pd.Series(range(len(runs)), index=runs["run_key"])
    outcomes = _in_order(_read(store.folder / "outcomes", parts), order, ["run_key"])
    daily = _in_order(_read(store.folder / "daily", parts), order, ["run_key", "day"])
    design = pd.read_parquet(store.folder / "design.parquet")
    return Results(runs, outcomes, daily, design, manifest)


def _read(folder: Path, names: Iterable[str]) -> pd.DataFrame:
    """Committed parts of one table, concatenated (a missing part is a batch with no rows here)."""
    tables = [pq.read_table(folder / n) for n in names if (folder / n).exists()]
    return pa.concat_tables(tables).to_pandas() if tables else pd.DataFrame({"run_key": []})


def _in_order(frame: pd.DataFrame, order: pd.Series, by: list[str]) -> pd.DataFrame:
    if frame.empty:
        return frame
    rank = frame["run_key"].map(order)
    keys = [rank.to_numpy(), *(frame[c].to_numpy() for c in by[1:])]
    return frame.iloc[np.lexsort(keys[::-1])].reset_index(drop=True)
