"""Sweeps end to end on tiny: equal results on every backend, failures as data, crash and resume."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import Future
from pathlib import Path
from typing import ClassVar

import pandas as pd
import psutil
import pytest
import tomli_w

from conflict_sim import experiment, policies, runner
from conflict_sim.cli import main
from conflict_sim.errors import ConflictSimError
from conflict_sim.provenance import model_revision
from conflict_sim.runner import SequentialExecutor
from conflict_sim.spec import identity
from conflict_sim.store import Store, load
from tests.conftest import assert_every_run_once

CLI = Path(sys.executable).with_name("conflict-sim")


def write(tmp_path: Path, name: str = "exp", **fields) -> Path:
    """A small experiment on tiny: 2 arms x 2 points x 2 replications of 60 days = 8 runs."""
    data = {
        "name": name,
        "scenario": "tiny",
        "days": 60,
        "warmup_days": 10,
        "replications": 2,
        "root_seed": 5,
        "arms": [{"name": "status quo", "policies": []}, {"name": "fast", "params": {"handling_mean_days": 15.0}}],
        "design": {"method": "factorial", "levels": {"office_quality": [0.5, 0.8]}},
        "outcomes": ["substantive_resolution_rate", "petitions_per_year", "legitimacy_local_end"],
        **fields,
    }
    path = tmp_path / f"{name}.toml"
    path.write_text(tomli_w.dumps(data))
    return path


def sweep(path: Path, out: Path, backend: runner.Backend | None = None, **kw) -> runner.Summary:
    return runner.run_experiment(experiment.load(path), out, backend or runner.sequential(), **kw)


def parts(folder: Path) -> dict[str, tuple[int, int]]:
    """Every part file with its inode and modification time: a rewritten file changes both."""
    return {
        str(p.relative_to(folder)): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in sorted(folder.glob("*/part-*.parquet"))
    }


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[Path, Path]:
    """The small experiment run sequentially: the results every other backend must reproduce."""
    tmp = tmp_path_factory.mktemp("reference")
    path = write(tmp)
    sweep(path, tmp / "sequential")
    return path, tmp / "sequential"


def assert_same_results(a: Path, b: Path) -> None:
    """Same runs, seeds, outcomes and daily series, bit for bit."""
    x, y = load(a), load(b)
    keep = ["run_key", "point", "arm", "replication", "seed", "scenario", "status", "office_quality"]
    pd.testing.assert_frame_equal(x.runs[keep], y.runs[keep])
    pd.testing.assert_frame_equal(x.outcomes, y.outcomes)
    pd.testing.assert_frame_equal(x.daily, y.daily)


def test_results_have_one_row_per_run_and_join_on_run_key(reference):
    """runs: points x arms x replications rows; outcomes and daily join on run_key; arms share seeds."""
    results = load(reference[1])
    assert len(results.runs) == 2 * 2 * 2 and results.runs["run_key"].is_unique
    assert (results.runs["status"] == "succeeded").all()
    assert list(results.outcomes.columns) == [
        "run_key",
        "substantive_resolution_rate",
        "petitions_per_year",
        "legitimacy_local_end",
    ]
    assert list(results.outcomes["run_key"]) == list(results.runs["run_key"])
    assert len(results.daily) == 8 * 60 and set(results.daily["run_key"]) == set(results.runs["run_key"])
    assert list(results.daily.columns[:2]) == ["run_key", "day"]
    seeds = results.runs.groupby("replication")["seed"].nunique()
    assert (seeds == 1).all()  # common random numbers across arms and points


def test_manifest_records_provenance_and_status(reference):
    """The manifest holds the file, the identity, seeds, versions, git state, model revision, backend and status."""
    path, folder = reference
    manifest = json.loads((folder / "manifest.json").read_text())
    text = path.read_text()
    assert manifest["experiment"]["text"] == text == (folder / "experiment.toml").read_text()
    exp = experiment.load(path)
    assert manifest["identity"]["full"] == identity(exp).full == manifest["experiment"]["identity"]
    assert manifest["identity"]["model_revision"] == model_revision()
    assert manifest["seeds"] == list(exp.seeds) and manifest["root_seed"] == 5
    assert {"numpy", "mesa", "pandas"} <= set(manifest["versions"])
    assert set(manifest["git"]) == {"commit", "dirty"} and manifest["platform"]
    session = manifest["sessions"][0]
    assert session["backend"] == "sequential" and session["started"] and session["ended"]
    assert session["kind"] == "new" and session["interrupted"] is False
    assert manifest["status"] == {"succeeded": 8, "failed": 0, "pending": 0}
    assert len(manifest["runs"]["run_key"]) == 8 and manifest["failures"] == []


@pytest.mark.slow
def test_local_processes_give_bit_identical_results(reference, tmp_path):
    """Two spawned worker processes reproduce the sequential results exactly."""
    path, expected = reference
    sweep(path, tmp_path / "processes", runner.processes(2))
    assert_same_results(expected, tmp_path / "processes")


def test_rerun_into_the_same_folder_skips_finished_runs(reference, capsys):
    """Rerunning a finished sweep (by file, or by folder with --resume) runs nothing, rewrites no
    file and duplicates no row."""
    path, folder = reference
    before = parts(folder)
    summary = sweep(path, folder)
    assert summary.executed == 0 and summary.succeeded == 8
    assert main(["sweep", str(folder), "--resume", "--backend", "sequential"]) == 0
    assert "ran 0 of 8 runs; 8 succeeded" in capsys.readouterr().out
    assert parts(folder) == before and load(folder).runs["run_key"].is_unique


def test_resume_after_a_crash_runs_only_what_is_missing(reference, tmp_path):
    """Uncommitted batches (a crash mid-write) are tidied and rerun; committed ones are kept."""
    path, expected = reference
    folder = tmp_path / "crashed"
    sweep(path, folder)
    lost = [p.name for p in sorted((folder / "runs").glob("part-*.parquet"))[:2]]
    for name in lost:  # as if killed before committing
        (folder / "runs" / name).unlink()
    (folder / "daily" / f".{lost[0]}.99.tmp").write_bytes(b"half a file")
    kept = {k: v for k, v in parts(folder).items() if not k.endswith(tuple(lost))}
    summary = sweep(path, folder, resume=True)
    assert summary.executed == 2 and summary.pending == 0
    after = parts(folder)
    assert all(after[k] == v for k, v in kept.items())  # finished runs were not recomputed
    assert not list(folder.glob("*/.*.tmp"))
    assert_same_results(expected, folder)


def test_resume_requires_results_and_refuses_another_experiment(reference, tmp_path):
    """--resume of nothing is an error; so is sweeping a different experiment into a folder."""
    path, folder = reference
    with pytest.raises(ConflictSimError, match="no results to resume"):
        sweep(path, tmp_path / "empty", resume=True)
    with pytest.raises(ConflictSimError, match="another experiment"):
        sweep(write(tmp_path, days=61), folder)


def test_two_sweeps_never_write_one_folder_at_once(reference):
    """While a sweep holds a results folder, a second sweep into it is refused."""
    path, folder = reference
    with Store(folder).lock(), pytest.raises(ConflictSimError, match="in use by process"):
        sweep(path, folder)


@dataclasses.dataclass(frozen=True)
class Explode:
    """A test-only policy that raises on a given day: a run that fails while running."""

    name: ClassVar[str] = "explode"
    theory: ClassVar[str] = "test hook"
    label_zh: ClassVar[str] = "测试"
    day: int = 5

    def apply(self, model) -> None:
        if model.day == self.day:
            raise RuntimeError(f"injected failure on day {self.day}")


def test_a_failing_run_is_recorded_with_its_traceback_and_the_others_complete(tmp_path, monkeypatch, capsys):
    """Runs that raise are rows with status failed, stage and traceback; the sweep finishes (exit 1)."""
    monkeypatch.setitem(policies.REGISTRY, "explode", Explode)
    path = write(
        tmp_path,
        arms=[{"name": "fine", "policies": []}, {"name": "broken", "policies": [{"kind": "explode", "day": 5}]}],
    )
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out), "--backend", "sequential"]) == 1
    assert "4 succeeded, 4 failed" in capsys.readouterr().out
    results = load(out)
    failed = results.runs[results.runs["status"] == "failed"]
    assert set(failed["arm"]) == {"broken"} and len(failed) == 4
    assert (failed["stage"] == "simulate").all()
    assert failed["exception"].str.contains("RuntimeError: injected failure on day 5").all()
    assert failed["traceback"].str.contains("in apply").all()
    assert set(results.outcomes["run_key"]) == set(results.runs.loc[results.runs["status"] == "succeeded", "run_key"])
    manifest = results.manifest
    assert manifest["status"] == {"succeeded": 4, "failed": 4, "pending": 0}
    assert {f["run_key"] for f in manifest["failures"]} == set(failed["run_key"])


def test_replay_reproduces_a_stored_run_exactly(reference, tmp_path, capsys):
    """`replay` re-runs one run from its key and finds every stored outcome identical."""
    _, folder = reference
    assert main(["replay", str(folder), "p1-a1-r1", "--out", str(tmp_path / "replay")]) == 0
    assert "3 of 3 stored outcomes identical" in capsys.readouterr().out
    daily = pd.read_parquet(tmp_path / "replay" / "daily.parquet")
    stored = load(folder).daily.query("run_key == 'p1-a1-r1'").set_index("day")
    pd.testing.assert_frame_equal(daily[stored.columns[1:]], stored.drop(columns="run_key"))
    assert main(["replay", str(folder), "p9-a0-r0"]) == 2


@pytest.mark.slow
def test_sweep_killed_with_sigkill_then_resumed_runs_every_run_once(tmp_path):
    """SIGKILL the sweep mid-way, resume: every run once, no duplicates, finished ones not rerun."""
    path = write(tmp_path, replications=4, batch_size=1)  # 16 runs, one part each
    out = tmp_path / "out"
    command = [str(CLI), "sweep", str(path), "--out", str(out), "--workers", "2"]
    sweep_process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[psutil.Process] = []
    try:
        deadline = time.monotonic() + 60
        while len(list(out.glob("runs/part-*.parquet"))) < 3:
            assert time.monotonic() < deadline and sweep_process.poll() is None
            time.sleep(0.05)
        workers = psutil.Process(sweep_process.pid).children(recursive=True)
        sweep_process.send_signal(signal.SIGKILL)
        sweep_process.wait(10)
        _, alive = psutil.wait_procs(workers, timeout=10)
        assert not alive  # the killed sweep's workers leave too: nothing stray keeps writing
    finally:  # whatever happened, leave no process of this test behind
        for process in workers:
            with contextlib.suppress(psutil.NoSuchProcess):
                process.kill()
        if sweep_process.poll() is None:
            sweep_process.kill()
        sweep_process.wait()
    finished = {k.removeprefix("runs/") for k in parts(out) if k.startswith("runs/")}
    committed = {k: v for k, v in parts(out).items() if k.split("/")[1] in finished}
    assert 3 <= len(finished) < 16
    result = subprocess.run([*command, "--resume"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    after = parts(out)
    assert all(after[k] == v for k, v in committed.items())  # not recomputed, not rewritten
    results = load(out)
    assert len(results.runs) == 16 and results.runs["run_key"].is_unique
    assert results.outcomes["run_key"].is_unique and len(results.outcomes) == 16
    assert len(results.daily) == 16 * 60
    last = results.manifest["sessions"][-1]
    assert last["runs_executed"] == 16 - len(finished)


class FlakyExecutor(SequentialExecutor):
    """Runs tasks in-process, but the task of the first batch fails its first `failures` attempts."""

    def __init__(self, failures: int) -> None:
        self.failures, self.attempts, self.first = failures, 0, None

    def submit(self, fn, /, *args, **kwargs):
        self.first = self.first or args[0].name
        if args[0].name == self.first:
            self.attempts += 1
            if self.attempts <= self.failures:
                future = Future()
                future.set_exception(OSError("disk vanished"))
                return future
        return super().submit(fn, *args, **kwargs)


def flaky(failures: int) -> tuple[runner.Backend, FlakyExecutor]:
    executor = FlakyExecutor(failures)
    return runner.Backend("flaky", 1, lambda: contextlib.nullcontext(executor), window=1), executor


def test_a_failed_batch_is_stored_failed_and_retried_only_on_request(reference, tmp_path, capsys):
    """A batch whose task fails is stored as failed runs (stage worker), once: the engine adds no retry
    loop of its own. A resume says they wait; --retry-failed runs them again, and then all succeed."""
    path, expected = reference
    out = tmp_path / "out"
    backend, executor = flaky(failures=1)
    summary = sweep(path, out, backend)
    assert executor.attempts == 1 and (summary.succeeded, summary.failed) == (7, 1)
    failed = load(out).runs.query("status == 'failed'").iloc[0]
    assert failed["run_key"] == "p0-a0-r0" and failed["stage"] == "worker"
    assert failed["exception"] == "OSError: disk vanished" and failed["worker"] == "driver"
    assert main(["sweep", str(path), "--out", str(out), "--backend", "sequential"]) == 1
    assert "1 failed run(s) kept: add --retry-failed" in capsys.readouterr().out
    assert main(["sweep", str(path), "--out", str(out), "--backend", "sequential", "--retry-failed"]) == 0
    assert "8 succeeded, 0 failed" in capsys.readouterr().out
    assert_same_results(expected, out)
    assert [s["kind"] for s in load(out).manifest["sessions"]] == ["new", "resume", "retry-failed"]


def _pool_workers(driver: int) -> list[psutil.Process]:
    """A sweep's worker processes, never its fork server or resource tracker.

    Workers forked by the fork server are the driver's grandchildren; under spawn they are its children.
    """
    workers = []
    for child in psutil.Process(driver).children():
        command = " ".join(child.cmdline())
        if "multiprocessing.forkserver" in command:
            workers += child.children()
        elif "resource_tracker" not in command:
            workers.append(child)
    return workers


@pytest.mark.slow
def test_a_local_worker_killed_mid_sweep_is_replaced(tmp_path):
    """SIGKILL one local worker process: the pool is restarted and every run is done exactly once."""
    path = write(tmp_path, replications=4, batch_size=1)  # 16 runs
    out = tmp_path / "out"
    sweep_process = subprocess.Popen(
        [str(CLI), "sweep", str(path), "--out", str(out), "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while len(list(out.glob("runs/part-*.parquet"))) < 2:
            assert time.monotonic() < deadline and sweep_process.poll() is None
            time.sleep(0.02)
        workers = _pool_workers(sweep_process.pid)
        assert len(workers) == 2
        workers[0].kill()
        assert len(list(out.glob("runs/part-*.parquet"))) < 16  # the kill came mid-sweep
        stdout, stderr = sweep_process.communicate(timeout=120)
    finally:
        if sweep_process.poll() is None:
            sweep_process.kill()
        sweep_process.wait()
    assert sweep_process.returncode == 0, stderr
    assert_every_run_once(out, 16, stdout)


def _ctrl_c_as_in_a_terminal() -> None:
    """The command starts with Ctrl-C at its default, as a terminal's foreground command does.

    A child inherits an ignored SIGINT (POSIX), and Python then keeps ignoring it: a test process whose
    SIGINT something had set to ignored once passed that on, and the sweep ran to its end (fresh clone,
    3 December 2026: both backends, exit 0 after 18 and 24 s).
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["processes", "dask"])
def test_ctrl_c_ends_a_sweep_promptly_with_one_clean_line(tmp_path, backend):
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it) mid-sweep: the command ends
    within 10 s (not when the runs in flight finish) with exit 130, its clean line last, no tracebacks."""
    path = write(tmp_path, days=730, replications=8, batch_size=1)
    out = tmp_path / "out"
    command = [str(CLI), "sweep", str(path), "--out", str(out), "--backend", backend, "--workers", "2"]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=_ctrl_c_as_in_a_terminal,
    )
    try:
        deadline = time.monotonic() + 120
        while not list(out.glob("runs/part-*.parquet")):
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.05)
        os.killpg(process.pid, signal.SIGINT)
        interrupted = time.monotonic()
        _, stderr = process.communicate(timeout=60)
        took = time.monotonic() - interrupted
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode == 130 and took < 10, (took, stderr[-2000:])
    assert "Traceback" not in stderr and "Warning" not in stderr, stderr[-2000:]
    assert stderr.strip().splitlines()[-1].startswith("conflict-sim: interrupted; finished runs are kept")
