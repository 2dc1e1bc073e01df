"""One engine: sweeps, compare, sensitivity designs, validation seed sets and the browser's side by side
all submit their runs to the same engine, with the one seed rule (replication r of root seed s runs on
child r of SeedSequence(s).spawn, in every arm and design point)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
import tomli_w

from conflict_sim import cli, experiment, runner
from conflict_sim.backends import Backend, SequentialExecutor
from conflict_sim.spec import Run, spawn_seeds
from tests.stub_model import DAILY, OUTCOMES, fake_simulate


class RecordingExecutor(SequentialExecutor):
    """Runs batches in this process and remembers every run submitted."""

    def __init__(self) -> None:
        self.runs: list[Run] = []

    def submit(self, fn, /, *args, **kwargs):
        self.runs.extend(args[0].runs)
        return super().submit(fn, *args, **kwargs)


@pytest.fixture
def recording() -> tuple[Backend, RecordingExecutor]:
    executor = RecordingExecutor()
    return Backend("recording", 1, lambda: contextlib.nullcontext(executor), window=1), executor


def assert_one_seed_rule(runs: list[Run], root: int, replications: int, expected_runs: int) -> None:
    seeds = spawn_seeds(root, replications)
    assert len(runs) == expected_runs and len({r.key for r in runs}) == expected_runs
    assert all(r.seed == seeds[r.replication] for r in runs)


def test_a_sweep_and_a_sensitivity_design_submit_to_the_engine(tmp_path, recording):
    """A factorial sweep and a Sobol design (what `sensitivity` reads) run through the engine."""
    backend, executor = recording
    for design, points in (
        ({"method": "factorial", "levels": {"office_quality": [0.5, 0.8]}}, 2),
        ({"method": "sobol", "parameters": ["office_quality", "recognition"], "samples": 4}, 16),
    ):
        executor.runs.clear()
        text = tomli_w.dumps(
            {"scenario": "tiny", "days": 5, "replications": 2, "root_seed": 4, "outcomes": OUTCOMES, "daily": DAILY,
             "design": design}
        )  # fmt: skip
        exp = experiment.from_text(text)
        runner.run_experiment(exp, tmp_path / design["method"], backend, simulate=fake_simulate)
        assert_one_seed_rule(executor.runs, 4, 2, points * 2)


def test_compare_submits_to_the_engine(tmp_path, recording, monkeypatch):
    """`conflict-sim compare` builds a typed experiment and runs it through the engine."""
    backend, executor = recording
    monkeypatch.setattr(runner, "backend_for", lambda *a, **k: backend)
    monkeypatch.setattr(cli, "_write_report", lambda folder, reference: Path(folder) / "report.html")
    argv = ["compare", "tiny", "--arms", "baseline,fast_handling", "--replications", "2", "--days", "5", "--seed", "9"]
    assert cli.main([*argv, "--set", "households_per_agent=200", "--out", str(tmp_path / "c")]) == 0
    assert_one_seed_rule(executor.runs, 9, 2, 4)


def test_validation_seed_sets_submit_to_the_engine(tiny, recording):
    """The validation facts' `run_arms` runs its arms through the engine on `seed_set(root, n)`."""
    from experiments.validation.seedsets import Arm, run_arms, seed_set

    backend, executor = recording
    small = tiny.replace(households_per_agent=200)
    results = run_arms([Arm(small), Arm(small.replace(office_quality=0.9))], seed_set(3, 2), 5, backend=backend)
    assert_one_seed_rule(executor.runs, 3, 2, 4)
    assert list(seed_set(3, 2)) == list(spawn_seeds(3, 2)) and len(results) == 2 and len(results[0]) == 2


def test_the_browser_side_by_side_submits_to_the_engine(tiny, recording):
    """The app's two arms run through the engine on replication 0 of the model's seed."""
    from conflict_sim.viz import compare

    backend, executor = recording
    small = tiny.replace(households_per_agent=200)
    arms = [compare.Arm("a", small, ()), compare.Arm("b", small.replace(office_quality=0.9), ())]
    results = compare.run_arms(arms, seed=12, days=5, backend=backend)
    assert_one_seed_rule(executor.runs, 12, 1, 2)
    assert list(results.runs["arm"]) == ["a", "b"] and (results.daily.groupby("run_key").size() == 5).all()


def test_a_local_dask_clusters_workers_log_no_errors_of_their_own():
    """The workers of the local Dask cluster keep their own logs below CRITICAL to themselves.

    At a Ctrl-C a worker whose heartbeat met the scheduler already gone logged a traceback (a fresh clone's
    `make test`, 5 December 2026: `test_ctrl_c_ends_a_sweep_promptly_with_one_clean_line[dask]`), which the
    cluster's `silence_logs` (the nanny's logger only, in a worker) did not reach; the engine reports every
    failed run itself, from the client.
    """
    import logging

    from conflict_sim.backends import dask

    with dask(workers=1).open() as executor:
        # a lambda goes to the worker by value, so asking imports nothing of the tests there
        loud = executor.submit(lambda: logging.getLogger("distributed.worker").isEnabledFor(logging.ERROR)).result()
    assert loud is False


def test_local_workers_are_forked_from_a_server_that_imported_the_model():
    """The process backend's workers come from one fork server that has imported Mesa, not from the driver.

    So a pool starts without each worker importing Mesa, pandas and SciPy again (docs/performance.md),
    and like spawned workers they inherit nothing of the driver's state.
    """
    import os

    from conflict_sim.backends import processes

    with processes(2).open() as pool:
        parents = {pool.submit(os.getppid).result() for _ in range(4)}
        # a builtin, so asking does not import anything: a spawned worker would not have Mesa yet
        preloaded = pool.submit(eval, "'mesa' in __import__('sys').modules").result()
    assert os.getpid() not in parents and len(parents) == 1  # one server forks them all
    assert preloaded
