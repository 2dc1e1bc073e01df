"""The run's event log: append-only tables of what happened, read by every outcome of the catalogue.

The model records each event once, as a row of plain numbers (kept in typed buffers per table, `Rows`);
`EventLog.tables()` turns them into pandas DataFrames at the end of a run. Outcomes are computed from
these tables and the daily series over a window (after warm-up), never from counters of their own, so
a definition lives in one place.
Rows are in agent units; the catalogue scales counts to real households (x `households_per_agent`).
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import itemgetter
from typing import TYPE_CHECKING

import cython
import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from conflict_sim.issues import Issue
if cython.compiled:  # the compiled build reads an issue's fields at their offsets (layouts.py)
    check_layouts()  # type: ignore[name-defined]  # noqa: F821

# table name -> column names (the order of a row tuple)
SCHEMA: dict[str, tuple[str, ...]] = {
    "submissions": ("day", "issue", "channel", "repeat", "copy", "people", "tie_used"),
    "replies": ("day", "issue", "level", "kind", "on_time", "resolved", "satisfied", "justice", "copy"),
    "refusals": ("day", "issue", "reason", "channel", "copy"),
    "reviews": ("day", "issue", "stage"),
    "skips": ("day", "issue", "channel", "intercepted", "returned", "terminated"),
    "nonnormal": ("day", "issue", "national", "arrested", "detention_days", "in_crowd"),
    "buyoffs": ("day", "issue", "amount", "merit"),
    "mediations": ("day", "issue", "success"),
    "grid": ("day", "issue", "household", "kind"),
    "courts": ("day", "issue", "accepted", "won"),
    "collective": (
        "issue",
        "start",
        "end",
        "event_days",
        "peak_people",
        "person_days",
        "mass_incident",
        "represented",
        "outcome",
        "arrests",
        "dialogues",
    ),
    "reactivations": ("day", "issue", "parent", "trigger"),
    "evaluations": ("day", "score", "control_share", "veto"),
}

# each column's type in the tables (q integer, d float, b flag), in the order of SCHEMA
STORAGE: dict[str, str] = {
    "submissions": "qqqbbdb",
    "replies": "qqqqbbbdb",
    "refusals": "qqqqb",
    "reviews": "qqq",
    "skips": "qqqbbb",
    "nonnormal": "qqbbqb",
    "buyoffs": "qqdd",
    "mediations": "qqb",
    "grid": "qqqq",
    "courts": "qqbb",
    "collective": "qqqqddbbqqq",
    "reactivations": "qqqq",
    "evaluations": "qddb",
}
DTYPES = {"q": "int64", "d": "float64", "b": "bool"}

# codes of the categorical columns above
GRID_KINDS = ("detected", "quick_fix", "to_mediation", "reported", "told")
EVENT_OUTCOMES = ("faded", "resolved", "conceded", "closed", "ongoing")
REACTIVATION_TRIGGERS = ("neighbour", "shock", "grid_contact")

ISSUE_COLUMNS = (
    "issue",
    "household",
    "category",
    "severity",
    "merit",
    "level_needed",
    "litigable",
    "mediable",
    "strategic",
    "group_people",
    "born",
    "reactivated_from",
    "state",
    "ended",
    "end_level",
    "pathway",
    "submissions",
    "first_channel",
    "replies",
    "reviews",
    "terminated",
    "skip_attempts",
)
# each issue column's type (as in STORAGE); `issue_row` reads the columns from an issue
ISSUE_STORAGE = "qqqddqbbbqqqqqqqqqqqbq"


# A table's buffers hold ROWS_START rows at first and grow by an eighth when full: NumPy zero-fills what a
# resize adds, which is resident memory, and an eighth keeps a full run's peak RSS low (docs/performance.md).
ROWS_START = 4_096


@cython.cclass
class Rows:
    """One table's rows: its integer and flag columns as 4-byte integers, its float columns as doubles.

    Two buffers that grow in place (C types: events.pxd). Days, ids, codes, counts and flags are integers
    far below 2**31, so each takes 4 bytes instead of a double's 8 (about 15 MiB of a full district's
    three years) and reads back as the same number. Readers get copies (`matrix`, `column`).
    """

    def __init__(self, storage: str) -> None:
        is_float = [code == "d" for code in storage]
        self.width = len(storage)
        self._is_float = np.array(is_float, dtype=np.uint8)
        # as Python: a row's integer values and its float values, each taken out at once
        self._int_values = _taker([j for j, f in enumerate(is_float) if not f])
        self._float_values = _taker([j for j, f in enumerate(is_float) if f])
        self._float_width = int(self._is_float.sum())
        self._int_width = self.width - self._float_width
        self._int_buffer = np.empty(ROWS_START * self._int_width, dtype=np.int32)
        self._float_buffer = np.empty(ROWS_START * self._float_width)
        self._flags = self._is_float  # compiled: typed views of the same memory
        self._ints = self._int_buffer
        self._floats = self._float_buffer
        self.length = 0

    def append(self, row: tuple) -> None:
        """One row, its values in the order of the table's columns."""
        # the typed views' lengths (C), not the buffers' shapes (a Python attribute and a tuple each)
        if (self.length + 1) * self._int_width > self._ints.shape[0] or (
            self.length + 1
        ) * self._float_width > self._floats.shape[0]:
            self._grow()
        if cython.compiled:  # value by value in C, not through NumPy's conversion of a sequence
            i, f = self.length * self._int_width, self.length * self._float_width
            for j in range(self.width):
                if self._flags[j]:
                    self._floats[f] = row[j]
                    f += 1
                else:
                    self._ints[i] = row[j]
                    i += 1
        else:
            n, m = self._int_width, self._float_width
            self._int_buffer[self.length * n : (self.length + 1) * n] = self._int_values(row)
            self._float_buffer[self.length * m : (self.length + 1) * m] = self._float_values(row)
        self.length += 1

    def _grow(self) -> None:
        """Both buffers in place (realloc), so that a long log is never held twice."""
        rows = max(self.length + 1, self.length * 9 // 8)
        self._ints = None  # type: ignore[assignment]  # the typed views' references, let go for the resize
        self._floats = None  # type: ignore[assignment]
        try:
            self._int_buffer.resize(rows * self._int_width)
            self._float_buffer.resize(rows * self._float_width)
        finally:
            self._ints = self._int_buffer
            self._floats = self._float_buffer

    def matrix(self, start: int = 0) -> np.ndarray:
        """Rows `start`, `start + 1`, ... as a new array of doubles, a column for each of the table's."""
        rows = max(0, self.length - start)
        out = np.empty((rows, self.width))
        floats = self._is_float.astype(bool)
        out[:, floats] = self._float_buffer[start * self._float_width : self.length * self._float_width].reshape(
            rows, self._float_width
        )
        out[:, ~floats] = self._int_buffer[start * self._int_width : self.length * self._int_width].reshape(
            rows, self._int_width
        )
        return out

    def stored(self, j: int) -> np.ndarray:
        """Column `j` of the rows so far as stored (4-byte integers or doubles): a view, good until the next row."""
        floats_before = int(self._is_float[:j].sum())
        buffer: np.ndarray
        if self._is_float[j]:
            buffer, width, position = self._float_buffer, self._float_width, floats_before
        else:
            buffer, width, position = self._int_buffer, self._int_width, j - floats_before
        return buffer[position : self.length * width : width]

    def column(self, j: int, start: int = 0) -> np.ndarray:
        """Column `j` of rows `start`, `start + 1`, ... so far, as a new array of doubles."""
        return self.stored(j)[start:].astype(np.float64)

    def __len__(self) -> int:
        return self.length


def _taker(positions: list[int]):
    """The values of a row at `positions` (none: an empty tuple)."""
    if not positions:
        return lambda row: ()
    return itemgetter(*positions)


@cython.cclass
class EventLog:
    """Events by table, each table's rows in typed buffers (`Rows`); `tables()` gives them as DataFrames.

    A full district logs about 100,000 events a year: a row of Python objects costs about 150 bytes,
    a value here 4 (integers and flags) or 8 (floats), and appending a row is one call (compiled: a C call
    of the table's `Rows`, events.pxd).
    """

    def __init__(self) -> None:
        self._rows: dict[str, Rows] = {name: Rows(STORAGE[name]) for name in SCHEMA}
        # Issues: the open ones as objects (they change), the ended ones as rows of the issue table in
        # the order they ended. An ended issue changes no more, and its row takes 96 bytes against about
        # 310 for the object; nine in ten of a 3-year run's issues have ended by its end.
        self._rows["issues"] = Rows(ISSUE_STORAGE)
        self.open_issues: dict[int, Issue] = {}  # the issues not yet ended, by uid
        self.issue_count = 0  # issues opened so far; the next issue's uid

    def open(self, issue: Issue) -> None:
        """Give a new issue the next uid and keep it while it is open."""
        issue.uid = self.issue_count
        self.issue_count += 1
        self.open_issues[issue.uid] = issue

    def close(self, issue: Issue) -> None:
        """The issue has ended: keep its row of the issue table instead of the object."""
        del self.open_issues[issue.uid]
        self.add("issues", issue_row(issue))

    def add(self, table: str, row: tuple) -> None:
        """One row of a table, its values in the order of the table's columns (`SCHEMA`)."""
        rows = self._rows[table]
        rows.append(row)

    def count(self, table: str) -> int:
        return len(self._rows[table])

    def rows_since(self, table: str, start: int) -> list[tuple[float, ...]]:
        """Rows `start`, `start + 1`, ... of a table as tuples (a copy: safe while the model appends).

        Table "issues" holds the issues that have ended, in the order they ended.
        """
        return [tuple(row) for row in self._rows[table].matrix(start).tolist()]

    def column(self, table: str, name: str, start: int = 0) -> np.ndarray:
        """One column of a table so far, as doubles, from row `start` on."""
        return self._rows[table].column(SCHEMA[table].index(name), start)

    def first_row_on(self, table: str, day: int) -> int:
        """The first row of a table logged on or after `day` (every table but "issues" is logged in day order)."""
        days = self._rows[table].stored(SCHEMA[table].index("day"))
        return int(np.searchsorted(days, day, side="left"))

    def frame(self, table: str) -> pd.DataFrame:
        """One table as a DataFrame: integer, float and flag columns (object columns while it is empty)."""
        names, rows = SCHEMA[table], self._rows[table]
        if not rows:
            return pd.DataFrame([], columns=list(names))
        return pd.DataFrame(
            {
                name: rows.stored(j).astype(DTYPES[code])
                for j, (name, code) in enumerate(zip(names, STORAGE[table], strict=True))
            }
        )

    def tables(self) -> EventTables:
        """The log as DataFrames (one per table, plus one row per issue, in the order of uids)."""
        frames = {name: self.frame(name) for name in SCHEMA}
        width = len(ISSUE_COLUMNS)
        ended = self._rows["issues"].matrix()
        still_open = np.array([issue_row(i) for i in self.open_issues.values()], dtype=np.float64).reshape(-1, width)
        order = np.argsort(np.concatenate([ended[:, 0], still_open[:, 0]]))  # by uid (unique)
        frames["issues"] = pd.DataFrame(
            {
                name: np.concatenate([ended[:, j], still_open[:, j]])[order].astype(DTYPES[code])
                for j, (name, code) in enumerate(zip(ISSUE_COLUMNS, ISSUE_STORAGE, strict=True))
            }
        )
        return EventTables(**frames)


def columns_of(table: str) -> tuple[str, ...]:
    """A table's columns; "issues" are the issue table's (its rows in the log: the issues that have ended)."""
    return ISSUE_COLUMNS if table == "issues" else SCHEMA[table]


def issue_row(issue: Issue) -> tuple:
    """An issue's row of the issue table, in `ISSUE_COLUMNS`' order (its group as the group's size in people).

    Field by field: compiled, each is a C read at the field's offset (`Issue`'s layout, layouts.py).
    """
    group = issue.group
    return (
        issue.uid,
        issue.household,
        issue.category,
        issue.severity,
        issue.merit,
        issue.level_needed,
        issue.litigable,
        issue.mediable,
        issue.strategic,
        0 if group is None else group.size_people,
        issue.born,
        issue.reactivated_from,
        issue.state,
        issue.ended,
        issue.end_level,
        issue.pathway,
        issue.submissions,
        issue.first_channel,
        issue.replies,
        issue.reviews,
        issue.terminated,
        issue.skip_attempts,
    )


@dataclass(frozen=True)
class EventTables:
    """A run's events as DataFrames; rows in agent units, days as simulation days."""

    issues: pd.DataFrame
    submissions: pd.DataFrame
    replies: pd.DataFrame
    refusals: pd.DataFrame
    reviews: pd.DataFrame
    skips: pd.DataFrame
    nonnormal: pd.DataFrame
    buyoffs: pd.DataFrame
    mediations: pd.DataFrame
    grid: pd.DataFrame
    courts: pd.DataFrame
    collective: pd.DataFrame
    reactivations: pd.DataFrame
    evaluations: pd.DataFrame
