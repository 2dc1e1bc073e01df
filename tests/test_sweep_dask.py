"""Sweeps on a real Dask cluster on loopback: a scheduler and two workers started as processes."""

from __future__ import annotations

import contextlib
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import psutil
import pytest
import tomli_w

from conflict_sim import experiment, runner
from conflict_sim.cli import main
from conflict_sim.store import load
from tests.conftest import assert_every_run_once

BIN = Path(sys.executable).parent

# No warning filter: with `filterwarnings = error`, any warning Dask or distributed raises in the
# in-process Client fails these tests, which is what we want to hear about (none is raised today).
pytestmark = pytest.mark.slow


def write(tmp_path: Path, name: str, **fields) -> Path:
    data = {
        "name": name,
        "scenario": "tiny",
        "days": 60,
        "replications": 2,
        "root_seed": 9,
        "batch_size": 1,
        "outcomes": ["substantive_resolution_rate", "petitions_per_year"],
        "arms": [{"name": "status quo"}, {"name": "fast", "params": {"handling_mean_days": 15.0}}],
        "design": {"method": "lhs", "parameters": ["office_quality"], "samples": 2},
        **fields,
    }
    path = tmp_path / f"{name}.toml"
    path.write_text(tomli_w.dumps(data))
    return path


def _start(command: list[str], log: Path) -> subprocess.Popen:
    with log.open("w") as sink:
        return subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A `dask scheduler` on 127.0.0.1 (free port) and two `dask worker`s of one thread each."""
    logs = tmp_path_factory.mktemp("dask")
    started: list[subprocess.Popen] = []
    try:
        started.append(
            _start(
                [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard"],
                logs / "scheduler.log",
            )
        )
        address = _wait_for_address(logs / "scheduler.log", started[0])
        for i in range(2):
            started.append(
                _start(
                    [
                        str(BIN / "dask"),
                        "worker",
                        address,
                        "--nworkers",
                        "1",
                        "--nthreads",
                        "1",
                        "--no-dashboard",
                        "--name",
                        f"w{i}",
                    ],
                    logs / f"worker{i}.log",
                )
            )
        from distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=60)
        yield address, started[1:]
    finally:  # no graceful goodbyes needed: kill every process the fixture started, and children
        processes = [psutil.Process(p.pid) for p in started if p.poll() is None]
        processes += [c for p in processes for c in p.children(recursive=True)]
        for process in processes:
            with contextlib.suppress(psutil.NoSuchProcess):
                process.kill()
        psutil.wait_procs(processes, timeout=10)
        for process in started:
            process.wait()


def _wait_for_address(log: Path, process: subprocess.Popen) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = re.search(r"Scheduler at:\s+(tcp://127\.0\.0\.1:\d+)", log.read_text())
        if found:
            return found.group(1)
        assert process.poll() is None, log.read_text()
        time.sleep(0.1)
    raise TimeoutError(log.read_text())


def test_sweep_through_a_scheduler_equals_the_sequential_sweep(cluster, tmp_path):
    """`sweep --scheduler` on two Dask workers gives the sequential results bit for bit."""
    address, _ = cluster
    path = write(tmp_path, "via_dask")
    runner.run_experiment(experiment.load(path), tmp_path / "sequential", runner.sequential())
    assert main(["sweep", str(path), "--out", str(tmp_path / "dask"), "--scheduler", address]) == 0
    a, b = load(tmp_path / "sequential"), load(tmp_path / "dask")
    pd.testing.assert_frame_equal(a.outcomes, b.outcomes)
    pd.testing.assert_frame_equal(a.daily, b.daily)
    assert len(set(b.runs["worker"])) == 2  # both workers took batches and wrote their own parts
    assert b.manifest["sessions"][0]["backend"] == "dask"
    assert b.manifest["sessions"][0]["address"] == address


def test_a_worker_killed_mid_sweep_loses_no_run_and_duplicates_none(cluster, tmp_path):
    """SIGKILL one worker's process mid-sweep: the sweep completes with every run exactly once."""
    address, workers = cluster
    path = write(
        tmp_path,
        "kill_worker",
        days=120,
        replications=4,
        design={"method": "lhs", "parameters": ["office_quality"], "samples": 4},
    )
    out = tmp_path / "out"
    sweep = subprocess.Popen(
        [str(BIN / "conflict-sim"), "sweep", str(path), "--out", str(out), "--scheduler", address],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while len(list(out.glob("runs/part-*.parquet"))) < 3:
            assert time.monotonic() < deadline and sweep.poll() is None
            time.sleep(0.02)
        victim = psutil.Process(workers[0].pid).children()[0]  # the worker under the nanny
        victim.send_signal(signal.SIGKILL)
        assert len(list(out.glob("runs/part-*.parquet"))) < 32  # the kill came mid-sweep
        stdout, stderr = sweep.communicate(timeout=120)
    finally:
        with contextlib.suppress(ProcessLookupError):
            sweep.kill()
        sweep.wait()
    assert sweep.returncode == 0, stderr
    results = assert_every_run_once(out, 32, stdout)
    assert len(results.daily) == 32 * 120
    assert (results.daily.groupby("run_key").size() == 120).all()


def test_a_local_dask_cluster_gives_the_sequential_results(tmp_path):
    """`--backend dask` without a scheduler starts a LocalCluster and reproduces the sequential run."""
    path = write(tmp_path, "local_cluster")
    runner.run_experiment(experiment.load(path), tmp_path / "sequential", runner.sequential())
    assert main(["sweep", str(path), "--out", str(tmp_path / "dask"), "--backend", "dask", "--workers", "2"]) == 0
    a, b = load(tmp_path / "sequential"), load(tmp_path / "dask")
    pd.testing.assert_frame_equal(a.outcomes, b.outcomes)
    pd.testing.assert_frame_equal(a.daily, b.daily)
