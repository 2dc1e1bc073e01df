"""How much work an experiment is: runs, estimated time and storage, and the bounds we refuse beyond.

The cost model is linear in household agents x simulated days, with rates measured on the 2-core
development machine (tiny at 1:50 and 1:10, 180-365 days: 1.4e-7 to 2.5e-7 s per agent-day; daily
Parquet parts of 3 to 5.4 bytes per stored value after zstd). Estimates use the slower and larger
figures, so a plan errs on the long side. Work beyond `MAX_DAYS` simulated days per run, beyond
`MAX_SECONDS` of estimated time, or beyond the free disk space is refused unless `force` is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from conflict_sim.errors import ExperimentError
from conflict_sim.spec import Experiment, Run
from conflict_sim.units import duration, size

SECONDS_PER_AGENT_DAY = 2.5e-7  # measured upper figure (module docstring)
SECONDS_PER_RUN = 0.05  # model set-up and writing, per run
BYTES_PER_VALUE = 6.0  # a stored daily value, zstd Parquet (measured up to 5.4)
BYTES_PER_RUN = 2_000.0  # the run's row, its outcomes and its share of part-file overhead
DAILY_SERIES_ALL = 94  # series a run records when `daily = "all"`
MAX_DAYS = 36_500  # 100 simulated years
MAX_SECONDS = 7 * 24 * 3600.0  # a week of computing on the workers at hand


@dataclass(frozen=True)
class Plan:
    """The work left in an experiment: what `--plan` prints and what the bounds are checked on."""

    runs: int
    todo: int
    workers: int
    seconds: float
    bytes: float

    def describe(self) -> str:
        return (
            f"{self.todo} of {self.runs} runs to do; about {duration(self.seconds)} on {self.workers} "
            f"worker(s); about {size(self.bytes)} of results"
        )


def plan(experiment: Experiment, todo: Sequence[Run], workers: int) -> Plan:
    """Estimated time and storage of running `todo` on `workers` workers."""
    config = experiment.config
    series = DAILY_SERIES_ALL if config.daily is None else len(config.daily)
    agent_days = sum(run.params.agents for run in todo) * config.days
    seconds = (agent_days * SECONDS_PER_AGENT_DAY + len(todo) * SECONDS_PER_RUN) / max(1, workers)
    size = len(todo) * (config.days * series * BYTES_PER_VALUE + BYTES_PER_RUN)
    return Plan(len(experiment), len(todo), workers, seconds, size)


def check(experiment: Experiment, work: Plan, *, force: bool) -> None:
    """Refuse work beyond the documented bounds (time; days per run) unless forced."""
    if force:
        return
    if experiment.config.days > MAX_DAYS:
        raise ExperimentError(
            f"days={experiment.config.days}: more than {MAX_DAYS} ({MAX_DAYS // 365} simulated years) per run; "
            "add --force to run it anyway"
        )
    if work.seconds > MAX_SECONDS:
        raise ExperimentError(f"{work.describe()}: more than a week of computing; add --force to run it anyway")
