"""One simulation, as a pure function of its inputs: the unit every other layer builds on."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from tqdm import tqdm

from conflict_sim.errors import ParameterError
from conflict_sim.metrics import outcomes
from conflict_sim.model import PetitionModel
from conflict_sim.params import Params
from conflict_sim.policies import Policy

PROGRESS_DAYS = 30  # a progress bar advances by a month of simulated time


@dataclass(frozen=True)
class RunOutput:
    """What one run produced: the daily time series and the run's scalar outcomes."""

    daily: pd.DataFrame
    outcomes: dict[str, float]
    seconds: float


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

    With `progress`, a bar on stderr advances month by month (for long single runs).
    """
    _check_arguments(params, seed, days, policies, warmup_days)
    start = time.perf_counter()
    model = PetitionModel(params, policies=policies, rng=seed)
    with tqdm(total=days, unit="day", disable=not progress, file=sys.stderr, leave=False) as bar:
        while model.time < days:
            step = min(PROGRESS_DAYS, days - int(model.time))
            model.run_for(step)
            bar.update(step)
    daily = model.datacollector.get_model_vars_dataframe()
    daily = daily.astype({"day": "int64"}).set_index("day")
    return RunOutput(daily, outcomes(model, daily, warmup_days), time.perf_counter() - start)


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
