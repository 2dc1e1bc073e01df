"""A stand-in for the model with `simulate`'s signature: instant, deterministic in (params, seed).

Used where the engine, not the model, is under test (resume, growth, locks, faults); importable by
spawned worker processes.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from conflict_sim.run import RunOutput

OUTCOMES = ["petitions_per_year", "substantive_resolution_rate"]
DAILY = ["petitions"]


def fake_simulate(params, *, seed, days, policies=(), warmup_days=0) -> RunOutput:
    """Outcomes and a daily series drawn from a generator seeded by the run's seed."""
    rng = np.random.default_rng(seed)
    daily = pd.DataFrame({"petitions": rng.poisson(10, days).cumsum()}, index=pd.Index(range(1, days + 1), name="day"))
    outcomes = {
        "petitions_per_year": float(rng.normal(100 * params.office_quality)),
        "substantive_resolution_rate": 0.5,
    }
    return RunOutput(daily, outcomes, 0.0)


def slow_simulate(params, *, seed, days, policies=(), warmup_days=0) -> RunOutput:
    """The stand-in, taking 5 ms: long enough for two starts to overlap."""
    time.sleep(0.005)
    return fake_simulate(params, seed=seed, days=days, policies=policies, warmup_days=warmup_days)
