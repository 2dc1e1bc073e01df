"""A due-date queue: what must happen on which day (replies, windows closing, reconsiderations).

The statutory clock is a set of due dates, so the cost of a simulated day grows with what falls due
that day, not with the number of households. Day buckets cost ~1 µs per event against ~9 µs for
Mesa's `schedule_event` (measured in docs/performance.md); Mesa's scheduler is kept for the rare
model-level events (monthly evaluation, shocks). Within a day, events run in the order they were
scheduled, which makes a run a deterministic function of its seed. An event set for a day whose
agenda has already run (a decision taken after the day's events, scheduling something "today") runs
on the next day: the clock cannot go back, and an event is never lost.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any


class Agenda:
    """Day buckets of (callback, argument) pairs."""

    def __init__(self) -> None:
        self._days: defaultdict[int, list[tuple[Callable[[Any], None], Any]]] = defaultdict(list)
        self.scheduled = 0
        self.last_run = -1  # the last day whose events have all run

    def at(self, day: int, callback: Callable[[Any], None], argument: Any) -> None:
        """Run `callback(argument)` on `day`, or on the next day to run if `day`'s events have already run."""
        self._days[day if day > self.last_run else self.last_run + 1].append((callback, argument))
        self.scheduled += 1

    def run(self, day: int) -> int:
        """Run everything due on `day`, including what is added for the same day while running."""
        bucket = self._days.get(day)
        done = 0
        while bucket:
            self._days[day] = []
            for callback, argument in bucket:
                callback(argument)
            done += len(bucket)
            bucket = self._days.get(day)
        self._days.pop(day, None)
        self.last_run = max(self.last_run, day)
        return done
