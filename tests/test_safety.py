"""Nothing lost, nothing mixed, never a traceback: output safety, verified resume, growth, the lock, faults.

The engine is under test here, not the model: runs use the instant stand-in of tests/stub_model.py.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pandas as pd
import pytest
import tomli_w

from conflict_sim import experiment, provenance, runner
from conflict_sim.cli import main
from conflict_sim.errors import BusyError, ConflictSimError, OutputError, ResultsError
from conflict_sim.store import Store, load
from tests.stub_model import DAILY, OUTCOMES, fake_simulate, slow_simulate


def write(folder: Path, name: str = "exp", **fields) -> Path:
    """2 points x 2 arms x 2 replications = 8 runs of 20 days on tiny, in batches of 2 (4 parts)."""
    data = {
        "name": name,
        "scenario": "tiny",
        "days": 20,
        "replications": 2,
        "root_seed": 7,
        "batch_size": 2,
        "outcomes": OUTCOMES,
        "daily": DAILY,
        "arms": [{"name": "baseline"}, {"name": "fast", "params": {"handling_mean_days": 15.0}}],
        "design": {"method": "factorial", "levels": {"office_quality": [0.5, 0.8]}},
        **fields,
    }
    data = {k: v for k, v in data.items() if v is not None}
    path = folder / f"{name}.toml"
    path.write_text(tomli_w.dumps(data))
    return path


def sweep(path: Path, out: Path, simulate=fake_simulate, **kw) -> runner.Summary:
    return runner.run_experiment(experiment.load(path), out, runner.sequential(), simulate=simulate, **kw)


def files(folder: Path) -> dict[str, tuple[int, int]]:
    """Every part file with inode and modification time: a rewritten file changes both."""
    return {str(p.relative_to(folder)): (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.glob("*/part-*")}


def assert_complete(out: Path, n: int) -> pd.DataFrame:
    """Every run stored exactly once, with its outcomes and daily rows."""
    results = load(out)
    assert len(results.runs) == n and results.runs["run_key"].is_unique
    assert (results.runs["status"] == "succeeded").all()
    assert len(results.outcomes) == n and results.outcomes["run_key"].is_unique
    assert len(results.daily) == n * 20
    return results.outcomes


# --- the lock ---------------------------------------------------------------------------------


def _race(targets: list, barrier: threading.Barrier) -> list[object]:
    """Start every target at the barrier; return each one's summary or exception."""
    found: list[object] = [None] * len(targets)

    def go(i: int) -> None:
        barrier.wait()
        try:
            found[i] = targets[i]()
        except Exception as exc:
            found[i] = exc

    threads = [threading.Thread(target=go, args=(i,)) for i in range(len(targets))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return found


def test_concurrent_starts_into_one_folder_never_both_run_and_never_lose_results(tmp_path):
    """50 times, two sweeps start at once into one new folder: the lock is taken before anything is looked
    at, so either one runs and the other is told who holds the folder, or the second finds all done.
    Every run is stored exactly once; no run is executed twice."""
    path = write(tmp_path)
    refused = 0
    for i in range(50):
        out = tmp_path / f"out{i}"
        barrier = threading.Barrier(2)
        found = _race([lambda out=out: sweep(path, out, slow_simulate)] * 2, barrier)
        summaries = [f for f in found if isinstance(f, runner.Summary)]
        errors = [f for f in found if not isinstance(f, runner.Summary)]
        assert all(isinstance(e, BusyError) and "in use by process" in str(e) for e in errors), errors
        assert sum(s.executed for s in summaries) == 8
        assert_complete(out, 8)
        refused += len(errors)
    assert refused > 0  # the starts did overlap: the lock was contended, not merely taken in turn


def test_two_different_experiments_started_at_once_keep_one_complete_result(tmp_path):
    """20 times, two different experiments race for one folder: one wins; the other is refused (busy, or
    another experiment); the folder holds the winner's results, complete, never a mixture."""
    a, b = write(tmp_path, "a"), write(tmp_path, "b", root_seed=8)
    for i in range(20):
        out = tmp_path / f"out{i}"
        found = _race(
            [lambda out=out: sweep(a, out, slow_simulate), lambda out=out: sweep(b, out, slow_simulate)],
            threading.Barrier(2),
        )
        winners = [f for f in found if isinstance(f, runner.Summary)]
        assert len(winners) == 1, found
        loser = next(f for f in found if not isinstance(f, runner.Summary))
        assert isinstance(loser, BusyError | ResultsError), loser
        assert_complete(out, 8)
        assert load(out).manifest["root_seed"] in (7, 8)


# --- verified resume --------------------------------------------------------------------------


def test_resume_refuses_a_changed_scenario_file_but_not_a_changed_comment(tmp_path):
    """The identity is the resolved content: a changed scenario parameter is refused, never mixed in; a
    comment in the experiment file or a new description of the scenario changes nothing."""
    scenario = tmp_path / "world.toml"
    scenario.write_text('base = "tiny"\n[params]\nrecognition = 0.7\n')
    path = write(tmp_path, scenario="world.toml")
    out = tmp_path / "out"
    sweep(path, out)
    path.write_text("# a comment added later\n" + path.read_text())
    scenario.write_text('description = "now described"\nbase = "tiny"\n[params]\nrecognition = 0.7\n')
    assert sweep(path, out).executed == 0
    scenario.write_text('base = "tiny"\n[params]\nrecognition = 0.8\n')
    with pytest.raises(ResultsError, match="another experiment"):
        sweep(path, out)
    assert_complete(out, 8)


@pytest.mark.parametrize(
    "damage",
    ["garbage outcomes", "deleted outcomes", "truncated runs", "garbage daily"],
)
def test_resume_verifies_every_part_and_reruns_what_is_broken(tmp_path, damage):
    """A garbage, deleted or truncated part is found on resume and its batch runs again; until then
    `load` (and so `report`) refuses with one line instead of counting what is not there."""
    path, out = write(tmp_path), tmp_path / "out"
    sweep(path, out)
    expected = load(out).outcomes
    victim = sorted((out / "runs").glob("part-*"))[1].name
    table, how = {
        "garbage outcomes": ("outcomes", "garbage"),
        "deleted outcomes": ("outcomes", "delete"),
        "truncated runs": ("runs", "truncate"),
        "garbage daily": ("daily", "garbage"),
    }[damage]
    part = out / table / victim
    if how == "delete":
        part.unlink()
    elif how == "garbage":
        part.write_bytes(b"not parquet at all")
    else:
        part.write_bytes(part.read_bytes()[:40])
    kept = {k: v for k, v in files(out).items() if victim not in k}
    if table != "runs":
        with pytest.raises(ResultsError, match="--resume"):
            load(out)
    summary = sweep(path, out, resume=True)
    assert summary.executed == 2 and summary.repaired == 1 and summary.pending == 0
    assert all(files(out)[k] == v for k, v in kept.items())  # sound parts untouched
    pd.testing.assert_frame_equal(assert_complete(out, 8), expected)


def test_resume_never_deletes_a_file_it_did_not_write(tmp_path):
    """A user's files inside the results folder survive resume and are ignored by `load`."""
    path, out = write(tmp_path), tmp_path / "out"
    sweep(path, out)
    notes = [out / "runs" / "notes.txt", out / "outcomes" / "my-analysis.parquet", out / "mine.csv"]
    for note in notes:
        note.write_text("mine")
    (sorted((out / "runs").glob("part-*"))[0]).unlink()
    sweep(path, out, resume=True)
    assert all(n.read_text() == "mine" for n in notes)
    assert_complete(out, 8)


# --- growing work -----------------------------------------------------------------------------


def test_more_replications_and_new_arms_grow_a_stored_experiment(tmp_path):
    """Replications 2 -> 4 and a third arm: only the new runs execute, stored parts are untouched, the
    manifest records the growth, and the results equal those of the larger experiment run afresh."""
    path, out = write(tmp_path), tmp_path / "out"
    sweep(path, out)
    before = files(out)
    arms = [{"name": "baseline"}, {"name": "fast", "params": {"handling_mean_days": 15.0}}, {"name": "open"}]
    bigger = write(tmp_path, "exp", replications=4, arms=arms)
    summary = sweep(bigger, out)
    assert summary.kind == "grow" and summary.executed == 24 - 8
    assert all(files(out)[k] == v for k, v in before.items())
    growth = load(out).manifest["growth"]
    assert growth[0]["replications"] == [2, 4] and growth[0]["arms_added"] == ["open"]
    assert (out / "experiment.toml").read_text() == bigger.read_text()  # the file now kept is the grown one
    sweep(bigger, tmp_path / "fresh")
    pd.testing.assert_frame_equal(assert_complete(out, 24), assert_complete(tmp_path / "fresh", 24))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"days": 21}, "days differ"),
        ({"arms": [{"name": "fast", "params": {"handling_mean_days": 15.0}}, {"name": "baseline"}]}, "same order"),
        ({"replications": 1}, "grow, not shrink"),
        ({"root_seed": 8}, "root_seed differ"),
    ],
)
def test_growth_refuses_anything_else(tmp_path, change, message):
    """Other horizons, reordered arms, fewer replications or another root seed are refused, one line."""
    path, out = write(tmp_path), tmp_path / "out"
    sweep(path, out)
    with pytest.raises(ResultsError, match=message):
        sweep(write(tmp_path, "exp", **change), out)


def test_growth_refuses_another_model_revision(tmp_path, monkeypatch):
    """Results of another model are never mixed in, even when the experiment only grows."""
    path, out = write(tmp_path), tmp_path / "out"
    sweep(path, out)
    monkeypatch.setattr(provenance, "model_revision", lambda: "another model")
    with pytest.raises(ResultsError, match="model has changed"):
        sweep(write(tmp_path, "exp", replications=4), out)


# --- output safety ----------------------------------------------------------------------------


def test_a_folder_that_is_not_ours_is_refused_or_moved_aside_with_force(tmp_path):
    """A non-empty folder without our manifest is never written into; --force moves it to a backup."""
    path, out = write(tmp_path), tmp_path / "out"
    out.mkdir()
    (out / "thesis.docx").write_text("years of work")
    with pytest.raises(OutputError, match="--force"):
        sweep(path, out)
    assert [p.name for p in out.iterdir()] == ["thesis.docx"]
    sweep(path, out, force=True)
    backup = next(tmp_path.glob("out.backup-*"))
    assert (backup / "thesis.docx").read_text() == "years of work"
    assert_complete(out, 8)


def test_an_existing_file_the_current_folder_and_a_file_as_parent_are_refused(tmp_path, monkeypatch):
    """--out naming a file, the current folder, or a path under a file: one line, nothing touched."""
    path = write(tmp_path)
    target = tmp_path / "file.txt"
    target.write_text("keep")
    for out in (target, tmp_path / "file.txt" / "out"):
        with pytest.raises(OutputError):
            sweep(path, out)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(OutputError, match="current folder"):
        sweep(path, Path("."))
    assert target.read_text() == "keep"


def test_a_full_disk_is_found_before_any_run(tmp_path, monkeypatch):
    """Free space is checked before the folder is created or a run starts."""
    import shutil

    path, out = write(tmp_path), tmp_path / "out"
    monkeypatch.setattr(shutil, "disk_usage", lambda _: shutil._ntuple_diskusage(10**9, 10**9 - 100, 100))
    with pytest.raises(OutputError, match="is free"):
        sweep(path, out)
    assert not out.exists()


def test_results_folders_follow_the_umask(tmp_path):
    """Folders are created with the user's umask (not mode 0700)."""
    path = write(tmp_path)
    old = os.umask(0o022)
    try:
        sweep(path, tmp_path / "out")
    finally:
        os.umask(old)
    assert (tmp_path / "out").stat().st_mode & 0o777 == 0o755


def test_a_write_fault_is_stored_as_failed_runs_and_retried_on_request(tmp_path, monkeypatch, capsys):
    """A transient failure to write a batch: its runs are stored failed, resume says they wait, and
    --retry-failed runs them again."""
    from conflict_sim import batches

    path, out = write(tmp_path), tmp_path / "out"
    real, calls = batches.write_batch, []

    def flaky(folder, name, *args):
        calls.append(name)
        if len(calls) == 1:
            raise OSError(28, "No space left on device")
        return real(folder, name, *args)

    monkeypatch.setattr(batches, "write_batch", flaky)
    summary = sweep(path, out)
    assert (summary.succeeded, summary.failed) == (6, 2)
    monkeypatch.setattr(batches, "write_batch", real)
    again = sweep(path, out)
    assert again.executed == 0 and again.failed_waiting == 2
    assert sweep(path, out, retry_failed=True).succeeded == 8


# --- bounds and plans -------------------------------------------------------------------------


def test_work_beyond_the_bounds_is_refused_with_the_estimate_unless_forced(tmp_path):
    """Over 100 simulated years per run, or more than a week of computing, needs --force."""
    from conflict_sim import budget

    with pytest.raises(ConflictSimError, match="100 simulated years"):
        sweep(write(tmp_path, days=40_000, warmup_days=0), tmp_path / "a")
    exp = experiment.load(write(tmp_path, replications=2))
    work = budget.Plan(8, 8, 1, 30 * 86400.0, 1e6)
    with pytest.raises(ConflictSimError, match="more than a week"):
        budget.check(exp, work, force=False)
    budget.check(exp, work, force=True)
    assert not (tmp_path / "a").exists()


def test_too_many_runs_are_refused_when_the_file_is_read(tmp_path):
    """replications = 10**8 is one line at load time, before any list of runs is built."""
    with pytest.raises(ConflictSimError, match="at most 1,000,000"):
        experiment.load(write(tmp_path, replications=10**8))


def test_plan_prints_the_work_and_runs_nothing(tmp_path, capsys):
    """`sweep --plan`: runs, estimated time and storage; no folder is created."""
    out = tmp_path / "out"
    assert main(["sweep", str(write(tmp_path)), "--out", str(out), "--plan", "--backend", "sequential"]) == 0
    text = capsys.readouterr().out
    assert "8 of 8 runs to do" in text and "worker" in text and "of results" in text
    assert not out.exists()


def test_sigterm_ends_a_sweep_like_ctrl_c(tmp_path):
    """SIGTERM is handled like SIGINT: exit 130, one clean line, the session closed as interrupted."""
    import signal
    import subprocess
    import sys
    import time

    path = write(tmp_path, days=365, replications=8, batch_size=1)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "conflict_sim", "sweep", str(path), "--out", str(out), "--backend", "sequential"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not list(out.glob("runs/part-*")):
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130 and "Traceback" not in stderr
    assert "interrupted; finished runs are kept" in stderr.strip().splitlines()[-1]
    session = load(out).manifest["sessions"][-1]
    assert session["interrupted"] is True and session["ended"]


def test_the_lock_names_its_holder(tmp_path):
    """The loser is told which process holds the folder."""
    path, out = write(tmp_path), tmp_path / "out"
    with Store(out).lock(), pytest.raises(BusyError, match=f"process {os.getpid()}"):
        sweep(path, out)


def test_a_report_over_unfinished_results_warns_with_the_missing_arm(tmp_path, capsys):
    """A report over a partial sweep says how many runs it covers and which arm has none."""
    from conflict_sim import cli

    path, out = write(tmp_path), tmp_path / "out"  # batches of 2: one arm at one point each
    sweep(path, out)
    for part in sorted((out / "runs").glob("part-*")):
        if "fast" in set(pd.read_parquet(part)["arm"]):
            part.unlink()
    cli._warn_if_partial(out)
    err = capsys.readouterr().err
    assert "covers 4 of 8 runs" in err and "arm(s) fast have no finished run" in err


def test_a_comparison_grows_with_more_replications_and_arms(tmp_path, monkeypatch):
    """`compare` again with more replications and another arm adds only the new runs; with another
    model revision the same growth is refused."""
    from conflict_sim import comparisons

    def pair(arms, replications):
        return comparisons.comparison(
            "tiny", arms, replications=replications, days=20, warmup_days=0, root_seed=1, daily=("petitions",)
        )

    out = tmp_path / "compare"
    backend = runner.sequential()
    runner.run_experiment(pair(["baseline", "fast_handling"], 2), out, backend, simulate=fake_simulate)
    grown = pair(["baseline", "fast_handling", "open_channels"], 4)
    summary = runner.run_experiment(grown, out, backend, simulate=fake_simulate)
    assert summary.kind == "grow" and (summary.executed, summary.succeeded) == (12 - 4, 12)
    monkeypatch.setattr(provenance, "model_revision", lambda: "another model")
    with pytest.raises(ResultsError, match="model has changed"):
        runner.run_experiment(pair(["baseline", "fast_handling", "open_channels"], 6), out, backend)
