"""One simulation, as a pure function of its inputs: the unit every other layer builds on."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from conflict_sim.metrics import outcomes
from conflict_sim.model import PetitionModel
from conflict_sim.params import Params
from conflict_sim.policies import Policy


@dataclass(frozen=True)
class RunOutput:
    """What one run produced: the daily time series and the run's scalar outcomes."""

    daily: pd.DataFrame
    outcomes: dict[str, float]
    seconds: float


def simulate(params: Params, *, seed: int, days: int, policies: Sequence[Policy] = (),
             warmup_days: int = 0) -> RunOutput:
    """Run the model for `days` days from `seed`; same inputs, same outputs, in any process."""
    start = time.perf_counter()
    model = PetitionModel(params, policies=policies, rng=seed)
    model.run_for(days)
    daily = model.datacollector.get_model_vars_dataframe()
    daily = daily.astype({"day": "int64"}).set_index("day")
    return RunOutput(daily, outcomes(model, daily, warmup_days), time.perf_counter() - start)
