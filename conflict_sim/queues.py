"""An organ's capacity as a continuous service rate, counted in real cases (the same at any sample).

A sampled case stands for `households_per_agent` real cases. Booking each one as a single job of
K / capacity days would make waits grow with K (a batch queue), so an organ is a fluid server instead:
its backlog of real cases grows with the inflow and drains at its capacity, and a case waits for the
backlog ahead of it. The inflow that feeds the backlog is smoothed over `SMOOTHING_DAYS` (an
exponential moving average), so that the lumps a coarse sample makes (K cases arriving at once)
become the steady flow of the real district: below capacity nobody waits at any sample, above it the
backlog grows by the excess, as Huntington's participation-over-institutionalisation argument has it.
"""

from __future__ import annotations

import cython

SMOOTHING_DAYS = 30.0


@cython.cclass
class FluidServer:
    """Backlog (real cases) of an organ that serves `capacity` real cases a day (C types: queues.pxd)."""

    __slots__ = ("_day", "_inflow_today", "backlog", "capacity", "rate")

    def __init__(self, capacity: float) -> None:
        self.capacity = capacity
        self.backlog = 0.0  # real cases waiting to be taken on
        self.rate = 0.0  # smoothed inflow, real cases a day
        self._day = 0
        self._inflow_today = 0.0

    def _advance(self, day: int) -> None:
        """Bring the backlog from the last day seen up to `day` (one step per elapsed day)."""
        if self._day >= day:
            return
        alpha = 1.0 / SMOOTHING_DAYS
        rate, backlog, capacity, inflow = self.rate, self.backlog, self.capacity, self._inflow_today
        for _ in range(day - self._day):  # in locals, no calls: max(0, x) as a test
            rate += alpha * (inflow - rate)
            backlog = backlog + rate - capacity
            if not backlog > 0.0:
                backlog = 0.0
            inflow = 0.0
        self.rate, self.backlog, self._inflow_today, self._day = rate, backlog, 0.0, day

    def book(self, day: int, real_cases: float) -> float:
        """Add `real_cases` arriving on `day`; returns the days they wait before work on them starts."""
        self._advance(day)
        wait = self.backlog / self.capacity if self.capacity > 0 else float("inf")
        self._inflow_today += real_cases
        return wait

    def wait(self, day: int) -> float:
        """Days a case arriving on `day` would wait."""
        self._advance(day)
        return self.backlog / self.capacity if self.capacity > 0 else float("inf")

    def utilisation(self, day: int) -> float:
        """Smoothed inflow over capacity: above 1 the organ falls behind."""
        self._advance(day)
        return self.rate / self.capacity if self.capacity > 0 else float("inf")
