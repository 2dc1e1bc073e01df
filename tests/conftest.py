"""Shared fixtures: the tiny scenario (Chengzhong at a 1:50 sample) and the golden-file switch."""

from __future__ import annotations

import os

import numpy as np
import pytest

from conflict_sim.params import Params
from conflict_sim.scenarios import load


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files, then review the diff")


# Modules whose tests share expensive work that a process computes once (their module fixtures run seed
# sets of the faithful sample): the policy directions, the validation suite's facts, the single parameters
# and the mechanisms. `make test` runs pytest-xdist with `--dist loadfile --no-loadscope-reorder`, so a
# module's tests stay in one worker and that work is done once, and modules are handed out in this order:
# with two workers the first takes the 1st and 3rd, the second the 2nd and 4th (about 190 and 180 thousand
# run-days), so that neither core is left with the longest modules at the end.
HEAVY_FIRST = ("test_policies.py", "test_validation.py", "test_parameters_move.py", "test_mechanisms.py")


def simulation_workers() -> int:
    """Processes a test may run its seed sets in: the machine's cores shared among pytest-xdist's workers.

    Under `make test` each of the two xdist workers runs its heavy module's seed sets in its own process (the
    sequential backend) instead of a pool of two: four model processes on two cores cost about 6 % more CPU
    a run than two (benchmarks/bench_oversubscription.py), and the suite took 563 s against 613 s. Outside
    xdist, a pool of all cores. The results do not depend on it (the engine's runs are pure functions).
    """
    cores = os.cpu_count() or 1  # as the engine counts them (`runner.processes`)
    return max(1, cores // int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The heavy modules first, in the order above (a stable sort: the order within each module is kept)."""
    heavy = {name: i for i, name in enumerate(HEAVY_FIRST)}
    items.sort(key=lambda item: heavy.get(item.path.name, len(heavy)))


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def tiny() -> Params:
    """Chengzhong at 1:50 (about 2,500 household agents): fast, with the full district's rates."""
    return load("tiny").params


def seeds(root: int, n: int) -> list[int]:
    """`n` independent seeds derived from `root` (NumPy SeedSequence.spawn): a fixed seed set."""
    return [int(s.generate_state(1)[0]) for s in np.random.SeedSequence(root).spawn(n)]


def assert_every_run_once(out, n: int, stdout: str):
    """A finished sweep in `out` reports n successes and stores each of its n runs exactly once."""
    from conflict_sim.store import load

    assert f"{n} succeeded, 0 failed, 0 pending" in stdout
    results = load(out)
    assert len(results.runs) == n and results.runs["run_key"].is_unique
    assert len(results.outcomes) == n and results.outcomes["run_key"].is_unique
    return results
