"""One simulation, as a pure function of its inputs: the unit every other layer builds on."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from tqdm import tqdm

from conflict_sim import catalogue
from conflict_sim.errors import ParameterError
from conflict_sim.events import EventTables
from conflict_sim.model import PetitionModel, paused_cyclic_gc
from conflict_sim.params import Params
from conflict_sim.policies.base import Policy

PROGRESS_DAYS = 30  # a progress bar advances by a month of simulated time


@dataclass(frozen=True)
class RunOutput:
    """What one run produced: the daily series, the outcomes (after warm-up) and the event log.

    `notes` say what the run's sample approximates (`conflict_sim.sampling`), for the manifest.
    """

    daily: pd.DataFrame
    outcomes: dict[str, float]
    seconds: float
    events: EventTables | None = None
    notes: tuple[str, ...] = ()


def simulate(
    params: Params,
    *,
    seed: int,
    days: int,
    policies: Sequence[Policy] = (),
    warmup_days: int = 0,
    progress: bool = False,
) -> RunOutput:
    """Run the model for `days` days from `seed`; same inputs, same outputs, in any process.

    Outcomes count the days after `warmup_days` (the catalogue's window). With `progress`, a bar on
    stderr advances month by month (for long single runs).

    Python's cyclic collector stays paused for the whole run, not only its days, so that nothing the
    run makes is promoted and walked again by full passes over everything the process holds (a test
    worker's half million objects; docs/performance.md). The model is a web of reference cycles (agents
    and model): released at the end, it is freed by reference counting without the collector.
    """
    _check_arguments(params, seed, days, policies, warmup_days)
    start = time.perf_counter()
    with paused_cyclic_gc():  # the whole run, outputs included (see the docstring)
        model = PetitionModel(params, policies=policies, rng=seed)
        with tqdm(total=days, unit="day", disable=not progress, file=sys.stderr, leave=False) as bar:
            while model.time < days:
                step = min(PROGRESS_DAYS, days - int(model.time))
                model.run_for(step)
                bar.update(step)
        model.finish()
        events = model.log.tables()
        daily = model.daily(events)
        outcomes = catalogue.outcomes(events, daily, model.params, warmup_days)
        notes = tuple(model.district.notes)
        model.release()  # freed at once by reference counting, not by the collector's next pass
    return RunOutput(daily, outcomes, time.perf_counter() - start, events, notes)


def _check_arguments(params: Params, seed: int, days: int, policies: Sequence[Policy], warmup_days: int) -> None:
    """One-line `ParameterError`s for arguments the model would otherwise fail on deep inside."""
    if not isinstance(params, Params):
        raise ParameterError("params", params, "must be a conflict_sim.Params")
    for name, value, lo in (("seed", seed, 0), ("days", days, 1), ("warmup_days", warmup_days, 0)):
        if isinstance(value, bool) or not isinstance(value, int) or value < lo:
            raise ParameterError(name, value, f"must be an integer >= {lo}")
    if warmup_days >= days:
        raise ParameterError("warmup_days", warmup_days, f"must be less than days={days}")
    if isinstance(policies, str | bytes) or not all(callable(getattr(p, "apply", None)) for p in policies):
        raise ParameterError("policies", policies, "must be a sequence of policies (see conflict_sim.policies.build)")
