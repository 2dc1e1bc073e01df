"""The run's event log: append-only tables of what happened, read by every outcome of the catalogue.

The model records each event once, as a row of plain numbers (kept in one flat array per table);
`EventLog.tables()` turns them into pandas DataFrames at the end of a run. Outcomes are computed from
these tables and the daily series over a window (after warm-up), never from counters of their own, so
a definition lives in one place.
Rows are in agent units; the catalogue scales counts to real households (x `households_per_agent`).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from operator import attrgetter

import numpy as np
import pandas as pd

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
# each issue column's type (as in STORAGE) and the Issue attribute it reads (group_people: the group's size)
ISSUE_STORAGE = "qqqddqbbbqqqqqqqqqqqbq"
ISSUE_ATTRIBUTES = {"issue": "uid", "group_people": "group"}


class EventLog:
    """Events by table, each table one flat array of doubles; `tables()` gives them as DataFrames.

    A full district logs about 100,000 events a year: a row of Python objects costs about 150 bytes,
    a value here 8 (integers, flags and floats are all exact as doubles: days, ids and counts stay far
    below 2**53), and appending a row is one call.
    """

    def __init__(self) -> None:
        self._rows: dict[str, array] = {name: array("d") for name in SCHEMA}
        self.issues: list = []  # every Issue created, in order of creation

    def add(self, table: str, *row) -> None:
        self._rows[table].extend(row)

    def count(self, table: str) -> int:
        return len(self._rows[table]) // len(SCHEMA[table])

    def rows_since(self, table: str, start: int) -> list[tuple[float, ...]]:
        """Rows `start`, `start + 1`, ... of a table as tuples (a copy: safe while the model appends)."""
        width = len(SCHEMA[table])
        values = self._rows[table][start * width :].tolist()
        return list(zip(*[iter(values)] * width, strict=True))

    def column(self, table: str, name: str) -> np.ndarray:
        """One column of a table so far, as stored (doubles)."""
        width = len(SCHEMA[table])
        return np.frombuffer(self._rows[table], dtype=np.float64)[SCHEMA[table].index(name) :: width].copy()

    def frame(self, table: str) -> pd.DataFrame:
        """One table as a DataFrame: integer, float and flag columns (object columns while it is empty)."""
        names = SCHEMA[table]
        if not self._rows[table]:
            return pd.DataFrame([], columns=list(names))
        values = np.frombuffer(self._rows[table], dtype=np.float64).reshape(-1, len(names))
        return pd.DataFrame(
            {
                name: values[:, j].astype(DTYPES[code])
                for j, (name, code) in enumerate(zip(names, STORAGE[table], strict=True))
            }
        )

    def tables(self) -> EventTables:
        """The log as DataFrames (one per table, plus one row per issue)."""
        frames = {name: self.frame(name) for name in SCHEMA}
        frames["issues"] = pd.DataFrame(
            {
                name: np.fromiter(_issue_column(self.issues, name), dtype=DTYPES[code], count=len(self.issues))
                for name, code in zip(ISSUE_COLUMNS, ISSUE_STORAGE, strict=True)
            }
        )
        return EventTables(**frames)


def _issue_column(issues: list, name: str) -> Iterator:
    """One column of the issue table, read off every Issue in order (a C-level attribute getter)."""
    values = map(attrgetter(ISSUE_ATTRIBUTES.get(name, name)), issues)
    if name == "group_people":
        return (0 if group is None else group.size_people for group in values)
    return values


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
