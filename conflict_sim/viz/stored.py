"""A results folder opened lazily for the explorer: runs and outcomes at once, daily series on demand.

`store.load` reads every table whole, which for a sweep of ten thousand runs with daily series is
gigabytes. The explorer needs the runs table to open a folder, a few outcome columns to draw most
views, and the daily series of a few runs or of one column at a time. So it reads the folder's
committed parts (`store.Store`: the same files `load` reads, ours only) through a pyarrow dataset:
the runs whole, the outcomes column by column as views ask for them (kept once read), the daily
series by column and only from the parts that hold the runs asked for. What it gives the analysis is
a `Study` (`analysis.study`), as `study.read` does.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from conflict_sim.analysis.study import Study
from conflict_sim.errors import ResultsError
from conflict_sim.store import Store

PART = "part"  # the column of `runs` naming the part file a run's rows are stored in


@dataclass(frozen=True)
class StoredResults:
    """One results folder: every run in memory, outcomes and daily series read when asked for.

    Attributes:
        folder: the results folder.
        manifest: the manifest's JSON, as `store.load` gives it.
        runs: one row per committed run in run order (point, arm, replication), with its `part`.
        outcome_names: the stored outcomes (read with `outcomes`).
        design: one row per design point.
        daily_columns: the daily series the runs kept (read with `daily`).
    """

    folder: Path
    manifest: dict[str, Any]
    runs: pd.DataFrame
    outcome_names: tuple[str, ...]
    design: pd.DataFrame
    daily_columns: tuple[str, ...]
    _outcomes: pd.DataFrame = field(repr=False, compare=False)  # run_key and the outcome columns read so far
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @cached_property
    def whole(self) -> Study:
        """Every run as a `Study`, for what the design says (no outcome columns, no daily series)."""
        return self.study([])

    def outcomes(self, names: Sequence[str] | None = None) -> pd.DataFrame:
        """run_key and the outcomes `names` (default: all) of every succeeded run, in run order."""
        names = list(self.outcome_names if names is None else dict.fromkeys(names))
        unknown = [n for n in names if n not in self.outcome_names]
        if unknown:
            raise ResultsError(f"outcomes {', '.join(unknown)}: not stored in {self.folder}")
        with self._lock:
            new = [n for n in names if n not in self._outcomes]
            if new:
                read = _read(self.folder / "outcomes", self._parts(), columns=["run_key", *new])
                merged = self._outcomes.merge(read, on="run_key", how="left", validate="one_to_one")
                object.__setattr__(self, "_outcomes", merged)
            return self._outcomes[["run_key", *names]]

    def study(
        self,
        outcomes: Sequence[str] | None = None,
        *,
        keys: Sequence[str] | None = None,
        daily: Sequence[str] = (),
    ) -> Study:
        """The runs `keys` (default: all) with the `outcomes` named (default: all) and the `daily` columns."""
        runs = self.runs if keys is None else self.runs[self.runs["run_key"].isin(set(keys))]
        kept = self.outcomes(outcomes)
        kept = kept[kept["run_key"].isin(set(runs["run_key"]))].reset_index(drop=True)
        series = self.daily(daily, runs["run_key"]) if daily else pd.DataFrame({"run_key": [], "day": []})
        return Study(runs.drop(columns=PART).reset_index(drop=True), kept, series, self.manifest, self.design)

    def daily(self, columns: Sequence[str], keys: Sequence[str] | pd.Series) -> pd.DataFrame:
        """run_key, day and `columns` of the runs `keys`, read from the parts that hold them only."""
        missing = [c for c in columns if c not in self.daily_columns]
        if missing:
            raise ResultsError(f"{self.folder}: no daily series {', '.join(missing)} (kept: {self.kept()})")
        wanted = set(keys)
        parts = sorted(set(self.runs.loc[self.runs["run_key"].isin(wanted), PART]))
        paths = [p for p in (self.folder / "daily" / name for name in parts) if p.exists()]
        if not paths:
            return pd.DataFrame({c: [] for c in ("run_key", "day", *columns)})
        table = _dataset(paths).to_table(
            columns=["run_key", "day", *dict.fromkeys(columns)],
            filter=pc.field("run_key").isin(pa.array(sorted(wanted), pa.string())),
        )
        return _in_run_order(table.to_pandas(), self.runs, ["day"])

    def kept(self) -> str:
        return ", ".join(self.daily_columns) or "none"

    def _parts(self) -> list[str]:
        return sorted(set(self.runs[PART]))


def open_results(folder: str | Path) -> StoredResults:
    """Open a results folder of the engine (sweep, comparison, any experiment); a bad one is one line."""
    store = Store(folder)
    manifest = store.manifest().to_json()  # a missing or foreign manifest is a ResultsError
    names = [p.name for p in store.parts("runs")]
    if not names:
        raise ResultsError(f"{store.folder}: no finished runs yet (run or resume the experiment)")
    runs = _read(store.folder / "runs", names, with_part=True)
    arms = {a["name"]: i for i, a in enumerate(manifest["definition"]["arms"])}
    runs = runs.assign(_arm=runs["arm"].map(arms)).sort_values(["point", "_arm", "replication"], kind="stable")
    runs = runs.drop(columns="_arm").reset_index(drop=True)
    keys = _in_run_order(_read(store.folder / "outcomes", names, columns=["run_key"]), runs)
    succeeded = set(runs.loc[runs["status"] == "succeeded", "run_key"])
    if set(keys["run_key"]) != succeeded:
        raise ResultsError(
            f"{store.folder}: outcome parts are missing for some finished runs; "
            f"run `conflict-sim sweep {folder} --resume` to repair"
        )
    outcome_parts = [p for p in (store.folder / "outcomes" / n for n in names) if p.exists()]
    numeric = [f.name for f in _schema(outcome_parts) if pa.types.is_integer(f.type) or pa.types.is_floating(f.type)]
    daily_columns = tuple(
        n for n in _schema(store.folder / "daily" / n for n in names).names if n not in ("run_key", "day")
    )
    design = pd.read_parquet(store.folder / "design.parquet")
    return StoredResults(store.folder, manifest, runs, tuple(numeric), design, daily_columns, keys)


def find_results(root: str | Path, depth: int = 4) -> list[Path]:
    """Results folders (holding a manifest.json) under `root`, at most `depth` levels down, sorted."""
    root = Path(root)
    found: list[Path] = []
    level = [root] if root.is_dir() else []
    for _ in range(depth + 1):
        found += [folder for folder in level if (folder / "manifest.json").is_file()]
        level = [child for folder in level for child in sorted(folder.iterdir()) if child.is_dir()]
    return sorted(found)


def _dataset(paths: Sequence[Path]) -> ds.Dataset:
    return ds.dataset([str(p) for p in paths], format="parquet")


def _schema(paths: Iterable[Path]) -> pa.Schema:
    """The schema of the first of `paths` that exists (every part of a table has the same columns)."""
    first = next((p for p in paths if p.exists()), None)
    return pq.read_schema(first) if first is not None else pa.schema([])


def _read(
    folder: Path, names: Sequence[str], *, columns: Sequence[str] | None = None, with_part: bool = False
) -> pd.DataFrame:
    """`columns` (default: all) of the committed parts `names` of one table, as one frame.

    A batch without rows in this table has no part here.
    """
    paths = [p for p in (folder / name for name in names) if p.exists()]
    if not paths:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns or ["run_key"]})
    try:
        dataset = _dataset(paths)
        chosen = list(columns or dataset.schema.names) + (["__filename"] if with_part else [])  # pyarrow's file name
        frame = dataset.to_table(columns=chosen).to_pandas()
    except (OSError, pa.ArrowException, ValueError) as exc:
        raise ResultsError(
            f"{folder}: a part is unreadable ({type(exc).__name__}); run `conflict-sim sweep {folder.parent} --resume`"
        ) from None
    if with_part:
        files = frame.pop("__filename")
        frame[PART] = files.map({path: Path(path).name for path in files.unique()})
    return frame


def _in_run_order(frame: pd.DataFrame, runs: pd.DataFrame, then: Sequence[str] = ()) -> pd.DataFrame:
    """Rows sorted as the runs are (and then by `then`), like `store.load` gives them."""
    rank = pd.Series(range(len(runs)), index=runs["run_key"])
    ordered = frame.assign(_rank=frame["run_key"].map(rank)).sort_values(["_rank", *then], kind="stable")
    return ordered.drop(columns="_rank").reset_index(drop=True)
