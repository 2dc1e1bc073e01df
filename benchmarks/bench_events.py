"""What each kind of agenda event costs: count and microseconds each, in one run, timed event by event.

The agenda (replies, acceptance, mediation, grid visits, courts) is a third of a simulated day, spread
over a few kinds of event; this says which kinds a batched kernel would gain most from. Each event is
timed on its own, which adds about 0.2 µs to each; the decisions, arrivals and the daily row are
outside the agenda and not counted here (`profile_sampled.py` shows them).

    python benchmarks/bench_events.py                  # Chengzhong 1:4 for 2 years, seed 1
    python benchmarks/bench_events.py --scale 1 --days 365
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

from conflict_sim.agenda import Agenda
from conflict_sim.model import PetitionModel
from conflict_sim.scenarios import load


class TimedAgenda(Agenda):
    """The agenda, with each event's callback timed and counted by its name."""

    seconds: Counter[str]
    count: Counter[str]

    def run(self, day: int) -> int:
        bucket, done, clock = self._days.get(day), 0, time.perf_counter
        while bucket:
            self._days[day] = []
            for callback, argument in bucket:
                start = clock()
                callback(argument)
                name = getattr(callback, "__qualname__", repr(callback))
                self.seconds[name] += clock() - start
                self.count[name] += 1
            done += len(bucket)
            bucket = self._days.get(day)
        self._days.pop(day, None)
        self.last_run = max(self.last_run, day)
        return done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=4, help="households per agent (default 4)")
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    for name in ("scale", "days"):
        if getattr(args, name) < 1:
            raise SystemExit(f"--{name}: must be at least 1 (got {getattr(args, name)})")

    model = PetitionModel(load("chengzhong").params.replace(households_per_agent=args.scale), rng=args.seed)
    agenda = model.agenda  # the model's own, with whatever the build scheduled, now timed
    agenda.__class__ = TimedAgenda
    agenda.seconds, agenda.count = Counter(), Counter()
    start = time.perf_counter()
    model.run_for(args.days)
    run = time.perf_counter() - start
    total = sum(agenda.seconds.values())
    print(f"Chengzhong 1:{args.scale}, {args.days} days, seed {args.seed}: run {run:.2f} s, "
          f"{model.log.issue_count:,} issues; agenda events {total:.2f} s ({100 * total / run:.0f} %)")  # fmt: skip
    print(f"  {'event':40s} {'count':>8s} {'µs each':>8s} {'share of run':>12s}")
    for name, seconds in agenda.seconds.most_common():
        n = agenda.count[name]
        print(f"  {name:40s} {n:8,d} {1e6 * seconds / n:8.1f} {100 * seconds / run:11.1f} %")


if __name__ == "__main__":
    main()
