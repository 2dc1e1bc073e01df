"""Where a simulated day's time goes: each part of the day, and each kind of agenda event, timed in one run.

The parts are the calls `PetitionModel._day` makes (the day's generator and new issues, opening them,
the agenda, the decisions, collective events, the daily row) and the monthly updates, each timed around
the call; what is left is Mesa's step and the day's own lines. Inside the decisions and the daily row,
the steps an array kernel would take on are timed too (gathering the deciders, their grievances, the
channels open to them and their utilities, routing each choice; the grievance stock and the share
trusting the centre more). The agenda's events (replies, acceptance, mediation, grid visits, courts)
are timed one by one, each wrapped in a timer where it is scheduled, which raises the agenda's share
of the day by a few points (`--no-events` leaves them untimed). Read the shares: timers slow a run by
a few per cent. `profile_sampled.py` gives the functions inside each part, sampled without timers.

    python benchmarks/bench_day.py                     # Chengzhong 1:4 for 2 years, seed 1
    python benchmarks/bench_day.py --scale 1 --days 365
    python benchmarks/bench_day.py --no-events         # the parts of the day only
"""

from __future__ import annotations

import argparse
import functools
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from conflict_sim import compiled
from conflict_sim.agenda import Agenda
from conflict_sim.agents import decisions
from conflict_sim.households import Households
from conflict_sim.model import PetitionModel
from conflict_sim.scenarios import load


class TimedAgenda(Agenda):
    """The agenda, each event's callback wrapped as it is scheduled to time it and count it by its name.

    The agenda's own `run` runs the events; an event scheduled before the class was swapped in (none, as
    the model is built) would run untimed.
    """

    seconds: Counter[str]
    count: Counter[str]

    def at(self, day: int, callback: Callable[[Any], None], argument: Any) -> None:
        name = getattr(callback, "__qualname__", repr(callback))

        def timed_callback(argument: Any) -> None:
            start = time.perf_counter()
            callback(argument)
            self.seconds[name] += time.perf_counter() - start
            self.count[name] += 1

        super().at(day, timed_callback, argument)


def timed(owner: object, name: str, label: str, seconds: Counter[str]) -> None:
    """Replace `name` of a class or module (in this process only) by one that adds its time to `seconds[label]`."""
    method: Callable[..., Any] = getattr(owner, name)

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return method(*args, **kwargs)
        finally:
            seconds[label] += time.perf_counter() - start

    setattr(owner, name, wrapper)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=4, help="households per agent (default 4)")
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-events", action="store_true", help="time the parts only, not each agenda event")
    args = parser.parse_args()
    for name in ("scale", "days"):
        if getattr(args, name) < 1:
            raise SystemExit(f"--{name}: must be at least 1 (got {getattr(args, name)})")

    parts: Counter[str] = Counter()
    timed(PetitionModel, "_month", "the month", parts)  # before the build, which schedules it
    model = PetitionModel(load("chengzhong").params.replace(households_per_agent=args.scale), rng=args.seed)
    agenda = model.agenda  # the model's own, with whatever the build scheduled, now timed event by event
    if not args.no_events:
        agenda.__class__ = TimedAgenda
        agenda.seconds, agenda.count = Counter(), Counter()
    for owner, name, label in (
        (model.streams, "arrivals_on", "the day's generator of new issues"),
        (model.arrivals, "draw", "the day's new issues"),
        (model, "_open", "opening them"),
        (model.agenda, "run", "the agenda's events"),
        (model, "_decide", "the decisions, routing included"),
        (model.crowds, "step", "collective events under way"),
        (model.datacollector, "collect", "the daily row"),
    ):
        timed(type(owner), name, label, parts)
    inside: Counter[str] = Counter()
    steps: tuple[tuple[object, str, str], ...] = (
        (decisions, "weigh", "decisions: grievance, voice, logit weights"),
        (decisions.Deciders, "gather", "decisions: gathering the deciders' columns"),
        (decisions, "grievances", "decisions: grievances"),
        (decisions, "feasible", "decisions: the channels open"),
        (decisions, "utilities", "decisions: the channels' utilities"),
        (PetitionModel, "route", "decisions: routing each choice"),
        (Households, "district_figures", "the row: trust, the grievance stock and the latent grievance"),
    )
    for target, name, label in steps:
        if target in (decisions, decisions.Deciders) and compiled.active():  # the compiled `decide` has its C form
            print(f"not timed, compiled: {label}")
            continue
        try:
            timed(target, name, label, inside)
        except TypeError:  # a compiled class (conflict_sim/compiled.py): its methods cannot be replaced
            print(f"not timed, compiled: {label}")

    start = time.perf_counter()
    model.run_for(args.days)
    run = time.perf_counter() - start
    issues = model.log.issue_count
    print(f"Chengzhong 1:{args.scale}, {args.days} days, seed {args.seed}: run {run:.2f} s, {issues:,} issues")
    print(f"\n  {'part of the day':45s} {'µs a day':>9s} {'share':>7s}")
    parts["Mesa's step and the rest"] = run - sum(parts.values())
    for label, seconds in parts.items():
        print(f"  {label:45s} {1e6 * seconds / args.days:9.0f} {100 * seconds / run:6.1f} %")
    print(f"\n  {'inside the decisions and the row':45s} {'µs a day':>9s} {'share':>7s}")
    for label, seconds in inside.items():
        print(f"  {label:45s} {1e6 * seconds / args.days:9.0f} {100 * seconds / run:6.1f} %")
    if args.no_events:
        return
    print(f"\n  {'agenda event':45s} {'count':>9s} {'µs each':>8s} {'share':>7s}")
    for name, seconds in agenda.seconds.most_common():
        n = agenda.count[name]
        print(f"  {name:45s} {n:9,d} {1e6 * seconds / n:8.1f} {100 * seconds / run:6.1f} %")


if __name__ == "__main__":
    main()
