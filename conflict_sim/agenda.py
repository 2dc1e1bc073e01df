"""A due-date queue: what must happen on which day (replies, windows closing, reconsiderations).

The statutory clock is a set of due dates, so the cost of a simulated day grows with what falls due
that day, not with the number of households. Day buckets cost ~1 µs per event against ~9 µs for
Mesa's `schedule_event` (measured in docs/performance.md); Mesa's scheduler is kept for the rare
model-level events (monthly evaluation, shocks). Within a day, events run in the order they were
scheduled, which makes a run a deterministic function of its seed. An event set for a day whose
agenda has already run (a decision taken after the day's events, scheduling something "today") runs
on the next day: the clock cannot go back, and an event is never lost.

An event waits in its bucket for days or weeks, so it is kept as three flat entries (a function, the
object it is called on, the argument) rather than a tuple holding a bound method: neither the tuple
nor the bound method is made, kept, and read back from memory gone cold by its day (about 2-5 % of a
full-scale run, docs/performance.md). Compiled (agenda.pxd), scheduling an event costs about 130 ns
against 220 as Python.
"""

from __future__ import annotations

from collections.abc import Callable
from types import MethodType
from typing import Any

import cython


@cython.cclass
class Agenda:
    """Day buckets of events, each as three entries: function, object, argument."""

    def __init__(self) -> None:
        self._days: dict[int, list[Any]] = {}
        self.scheduled = 0
        self.last_run = -1  # the last day whose events have all run

    def at(self, day: int, callback: Callable[[Any], None], argument: Any) -> None:
        """Run `callback(argument)` on `day`, or on the next day to run if `day`'s events have already run."""
        target = day if day > self.last_run else self.last_run + 1
        bucket = self._days.get(target)
        if bucket is None:
            bucket = self._days[target] = []
        if cython.compiled and PyMethod_Check(callback):  # type: ignore[name-defined]  # noqa: F821
            bucket.append(cython.cast(object, PyMethod_GET_FUNCTION(callback)))  # type: ignore[name-defined,attr-defined]  # noqa: F821
            bucket.append(cython.cast(object, PyMethod_GET_SELF(callback)))  # type: ignore[name-defined,attr-defined]  # noqa: F821
        elif not cython.compiled and isinstance(callback, MethodType):  # a bound method: its function and object
            bucket.append(callback.__func__)
            bucket.append(callback.__self__)
        else:
            bucket.append(_call)
            bucket.append(callback)
        bucket.append(argument)
        self.scheduled += 1

    def run(self, day: int) -> int:
        """Run everything due on `day`, including what is added for the same day while running."""
        bucket = self._days.get(day)
        done = 0
        while bucket:
            self._days[day] = []
            for i in range(0, len(bucket), 3):
                bucket[i](bucket[i + 1], bucket[i + 2])
                bucket[i + 2] = None  # the argument let go now, while it is in the cache, not after the whole day
            done += len(bucket) // 3
            bucket = self._days.get(day)
        self._days.pop(day, None)
        self.last_run = max(self.last_run, day)
        return done


def _call(callback: Callable[[Any], None], argument: Any) -> None:
    """Any other callable (a function, a builtin's method), called as given."""
    callback(argument)
