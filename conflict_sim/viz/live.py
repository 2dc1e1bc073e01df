"""The live charts' daily series, kept up to date from what happened since the last redraw.

`PetitionModel.daily()` builds the whole series from the whole event log: about 30-80 ms however
little changed, more than the page may spend on a day. `LiveSeries` keeps per-day counts and only
reads the log rows, issue endings and DataCollector rows that are new since its last call, so a
redraw costs well under a millisecond for the series. It gives the state columns of the
DataCollector and the flows and rates the charts draw (`LIVE_FLOWS`, `LIVE_RATES`), with the
definitions of `catalogue.daily` (tests/test_app.py checks, day by day, that every column equals
what `daily()` returns). Exports still call `daily()` itself.

Only days the DataCollector has collected are read: while the page plays, the model steps in
another thread and may be writing the next day right now.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from conflict_sim.catalogue import _trailing
from conflict_sim.events import columns_of
from conflict_sim.issues import CHANNEL_NAMES, Channel, IssueState

if TYPE_CHECKING:
    from conflict_sim.model import PetitionModel
    from conflict_sim.params import Params

Row = dict[str, Any]


def _always(row: Row, params: Params) -> bool:
    return True


@dataclass(frozen=True)
class Flow:
    """A cumulative count of one event table, as `catalogue.daily` counts it: kept rows, by day, weighted."""

    table: str
    day: str = "day"
    weight: str | None = None
    keep: Callable[[Row, Params], bool] = _always


def _on_channel(channel: Channel) -> Callable[[Row, Params], bool]:
    return lambda row, params: row["channel"] == channel


def _reply(flag: str | None = None) -> Callable[[Row, Params], bool]:
    """Written replies that are not copies (with `flag` set, if given)."""
    return lambda row, params: not row["copy"] and (flag is None or bool(row[flag]))


ENDED, RESOLVED = "issues_ended", "issues_resolved"  # counted from issue endings, by the day they ended
LIVE_FLOWS: dict[str, Flow] = {
    **{
        f"channel_{n}": Flow("submissions", weight="people", keep=_on_channel(c))
        for n, c in zip(CHANNEL_NAMES, Channel, strict=True)
    },
    "skip_attempts": Flow("skips"),
    "nonnormal": Flow("nonnormal"),
    "collective_visits": Flow("collective", day="start"),
    "large_collective": Flow(
        "collective", day="start", keep=lambda r, p: r["peak_people"] >= p.collective_large_people
    ),
    "mass_incidents": Flow("collective", day="start", keep=lambda r, p: bool(r["mass_incident"])),
    "replies": Flow("replies", keep=_reply()),
    "replies_on_time": Flow("replies", keep=_reply("on_time")),
    "replies_satisfied": Flow("replies", keep=_reply("satisfied")),
    ENDED: Flow("issues", day="ended"),
    RESOLVED: Flow("issues", day="ended", keep=lambda r, p: r["state"] == IssueState.RESOLVED),
}
# rate -> (numerator, denominator) over the trailing 90 days, as in catalogue.daily
LIVE_RATES = {
    "formal_on_time_rate": ("replies_on_time", "replies"),
    "satisfaction_rate": ("replies_satisfied", "replies"),
    "substantive_resolution_rate": (RESOLVED, ENDED),
}


class LiveSeries:
    """Daily series of one model, brought up to date by `refresh()` from what is new."""

    def __init__(self, model: PetitionModel) -> None:
        self.model = model
        self.days = 0  # days read so far (1..days)
        self.counts = {name: np.zeros(0) for name in LIVE_FLOWS}  # per day, in agent units
        self.read = dict.fromkeys({f.table for f in LIVE_FLOWS.values()}, 0)  # log rows read, per table
        self.state: dict[str, np.ndarray] = {}  # the DataCollector's columns, by day (index 0 is day 1)
        self._series: dict[str, np.ndarray] = {"day": np.zeros(0, dtype=np.int64)}
        self._lock = threading.Lock()

    def refresh(self) -> dict[str, np.ndarray]:
        """Every column for days 1..D, where D is the last day the DataCollector holds whole."""
        with self._lock:  # two redraws at once (the playing thread and a click) must not count a row twice
            state = self.model.datacollector.model_vars
            days = min((len(v) for v in state.values()), default=0)
            if days == self.days:
                return self._series
            self._grow(days)
            self._read_log(days)
            self._series = self._columns(state, days)
            self.days = days
            return self._series

    def _grow(self, days: int) -> None:
        """Room for `days` days in every array (doubling, so growth costs little over a run)."""
        for table in (self.counts, self.state):
            for name, values in table.items():
                if len(values) <= days:
                    table[name] = np.concatenate([values, np.zeros(max(days + 1, 2 * len(values)) - len(values))])

    def _read_log(self, days: int) -> None:
        """New rows of each table, up to the first row of a day the DataCollector has not reached."""
        params = self.model.params
        for table, start in self.read.items():
            rows = self.model.log.rows_since(table, start)
            names = columns_of(table)
            flows = [(name, f) for name, f in LIVE_FLOWS.items() if f.table == table]
            taken = 0
            for values in rows:
                row = dict(zip(names, values, strict=True))
                if row.get("day", row.get("ended", 0)) > days:  # rows are in order of that day
                    break
                for name, flow in flows:
                    day = int(row[flow.day])
                    if day <= days and flow.keep(row, params):
                        self.counts[name][day] += row[flow.weight] if flow.weight else 1
                taken += 1
            self.read[table] = start + taken

    def _columns(self, state: Mapping[str, list], days: int) -> dict[str, np.ndarray]:
        k = self.model.params.households_per_agent
        for name, values in state.items():
            if name not in self.state:
                self.state[name] = np.zeros(days + 1)
                self.state[name][: self.days] = values[: self.days]
            self.state[name][self.days : days] = values[self.days : days]
        series = {name: values[:days] for name, values in self.state.items()}
        series["day"] = series["day"].astype(np.int64)
        cumulative = {name: np.cumsum(counts[1 : days + 1]) for name, counts in self.counts.items()}
        for name, counts in cumulative.items():
            series[name] = counts * k
        for name, (numerator, denominator) in LIVE_RATES.items():
            series[name] = _trailing(cumulative[numerator], cumulative[denominator])
        return series


_live: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def live_series(model: PetitionModel) -> dict[str, np.ndarray]:
    """The model's daily series so far, from one `LiveSeries` per model (however many charts read it)."""
    tracker = _live.get(model)
    if tracker is None:
        tracker = _live[model] = LiveSeries(model)
    return tracker.refresh()
