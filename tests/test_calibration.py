"""`conflict-sim calibrate` end to end on a tiny budget, on processes and on a real Dask cluster.

The tiny calibration (the `tiny` scenario, 60 days, a 3-parameter screen, two waves of five points)
checks the plumbing and its guarantees, not the calibration's result: every file is written, the
calibrated scenario loads and holds the calibrated values, a rerun resumes without running anything,
and the same calibration gives byte-identical results on local processes and on Dask.
"""

from __future__ import annotations

import filecmp
import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import tomli_w

from conflict_sim import calibration, runner, scenarios
from conflict_sim.calibration import emulator
from conflict_sim.calibration.config import Target
from conflict_sim.cli import main
from tests.test_sweep_dask import cluster  # noqa: F401 - the module's real scheduler and two workers

TINY = {
    "name": "tiny_calibration",
    "description": "A tiny calibration for the tests.",
    "scenario": "tiny",
    "sample": 50,
    "days": 60,
    "warmup_days": 20,
    "root_seed": 7,
    "screening": {
        "sample": 50,
        "days": 60,
        "warmup_days": 20,
        "parameters": ["cost_letter", "cost_visit_district", "level_needed_district"],
        "trajectories": 2,
        "keep": 2,
    },
    "history_matching": {"waves": 2, "points": 5, "candidates": 400},
    "confirmation": {"replications": 2},
    "priors": {"level_needed_district": [0.0, 0.1]},  # the level shares may not sum above 1
    "arms": [
        {"name": "adequate", "policies": [{"kind": "fast_handling"}]},
        {"name": "online_cheap", "params": {"cost_online": 0.01}},
    ],
    "targets": [
        {"name": "petitions", "outcome": "petitions_per_100_residents_year", "low": 0.2, "high": 1.0, "source": "t"},
        {"name": "hotline", "outcome": "hotline_per_100_residents_year", "low": 3.0, "high": 5.0, "source": "t"},
        {
            "name": "local_share",
            "outcomes": ["ended_share_community", "ended_share_subdistrict"],
            "arm": "adequate",
            "low": 0.8,
            "high": 1.0,
            "source": "t",
        },
        {
            "name": "online_share",
            "outcome": "online_share_of_petitions",
            "arm": "online_cheap",
            "low": 0.4,
            "high": 0.6,
            "role": "holdout",
            "source": "t",
        },
    ],
}
FILES = ("screening.csv", "accepted.csv", "region.csv", "confirmation.csv", "calibrated.toml", "report.md")


def write(tmp_path: Path, **changes) -> Path:
    path = tmp_path / "calibration.toml"
    path.write_text(tomli_w.dumps({**TINY, **changes}))
    return path


@pytest.fixture(scope="module")
def on_processes(tmp_path_factory) -> tuple[Path, Path]:
    """The tiny calibration run once through the command line on two local processes."""
    folder = tmp_path_factory.mktemp("calibration")
    config = write(folder)
    assert main(["calibrate", str(config), "--out", str(folder / "out"), "--workers", "2"]) == 0
    return config, folder / "out"


@pytest.mark.slow
def test_calibrate_writes_every_result(on_processes):
    """The tables, the scenario, the report and one figure per target; the scenario holds the values."""
    _, out = on_processes
    for name in FILES:
        assert (out / name).stat().st_size > 0, name
    for target in ("petitions", "hotline", "local_share", "online_share"):
        assert (out / "figures" / f"target-{target}.png").exists()
    assert (out / "figures" / "posterior.png").exists()
    chosen = pd.read_csv(out / "screening.csv").drop_duplicates("parameter")["parameter"].head(2).tolist()
    calibrated = scenarios.load(out / "calibrated.toml")
    confirmed = calibration.load(out / "calibration.toml")
    assert calibrated.params.changed(confirmed.scenario.params).keys() <= set(chosen)
    accepted = pd.read_csv(out / "accepted.csv")
    assert {"wave", "implausibility", "distance", "accepted", *chosen} <= set(accepted.columns)
    assert len(accepted) == 2 * 5  # two waves of five points, one seed each (a row holds every arm's targets)
    confirmation = pd.read_csv(out / "confirmation.csv")
    assert len(confirmation) == 2 and confirmation[["online_share", "local_share"]].notna().all().all()
    screened = pd.read_csv(out / "screening.csv")
    assert set(screened["target"]) == {"petitions", "hotline", "local_share"}  # each on its own arm
    report = (out / "report.md").read_text()
    for target in ("petitions", "hotline", "local_share", "online_share"):
        assert f"| {target} " in report


@pytest.mark.slow
def test_a_rerun_resumes_and_runs_nothing(on_processes):
    """Every stage's folder is complete, so a rerun runs no simulation and writes the same files."""
    config, out = on_processes
    before = {name: (out / name).read_bytes() for name in FILES}
    assert main(["calibrate", str(config), "--out", str(out), "--backend", "sequential"]) == 0
    manifests = sorted(out.glob("**/manifest.json"))
    assert len(manifests) == 4  # screening, two waves, confirmation
    for manifest in manifests:
        sessions = json.loads(manifest.read_text())["sessions"]
        assert [s["runs_to_do"] for s in sessions][-1] == 0 and sessions[0]["runs_to_do"] > 0, manifest
    for name in FILES:
        assert (out / name).read_bytes() == before[name], name


@pytest.mark.slow
def test_dask_gives_the_same_calibration(on_processes, cluster, tmp_path):  # noqa: F811
    """Through a real scheduler and two workers, the calibration is identical file for file."""
    config, out = on_processes
    address, _ = cluster
    assert main(["calibrate", str(config), "--out", str(tmp_path / "dask"), "--scheduler", address]) == 0
    for name in FILES[:-1]:
        assert filecmp.cmp(out / name, tmp_path / "dask" / name, shallow=False), name


@pytest.mark.slow
def test_an_interrupted_stage_is_finished_on_rerun(on_processes, tmp_path):
    """A confirmation folder that lost a batch (as after a kill) is repaired and the report is the same."""
    config, out = on_processes
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    parts = sorted((copy / "confirmation" / "runs").glob("part-*.parquet"))
    parts[0].unlink()  # the batch in flight when the process died
    (copy / "report.md").unlink()
    calibration.calibrate(calibration.load(config), copy, runner.sequential(), say=lambda _: None)
    assert (copy / "confirmation.csv").read_bytes() == (out / "confirmation.csv").read_bytes()


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"colour": "blue"}, "colour"),
        ({"targets": [{**TINY["targets"][0], "outcome": "petitions_per_week"}]}, "targets[0].outcome"),
        ({"targets": [{**TINY["targets"][0], "high": 0.1}]}, "targets[0].high"),
        ({"targets": [{**TINY["targets"][0], "role": "holdout"}]}, 'role = "calibrate"'),
        ({"targets": [{**TINY["targets"][0], "arm": "nowhere"}]}, "targets[0].arm"),
        ({"history_matching": {"cutoff": 0}}, "history_matching.cutoff"),
        ({"screening": {**TINY["screening"], "parameters": ["cost_online", "cost_letter"]}}, "set by an arm"),
        ({"priors": {"level_needed_district": [0.5, 2.0]}}, "priors.level_needed_district"),
        ({"sample": 5000}, "sample"),
    ],
)
def test_bad_calibration_files_are_one_line(tmp_path, capsys, changes, named):
    """A bad field is one line naming it, exit code 2, and no folder is created."""
    out = tmp_path / "out"
    assert main(["calibrate", str(write(tmp_path, **changes)), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert named in err and len(err.strip().splitlines()) == 1, err
    assert not out.exists()


def test_a_folder_of_another_calibration_is_refused(tmp_path, capsys):
    """A folder holding other files, or another calibration, is refused before anything runs."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    assert main(["calibrate", str(write(tmp_path)), "--out", str(out)]) == 2
    assert "holds other files" in capsys.readouterr().err
    (out / "notes.txt").unlink()
    (out / "calibration.toml").write_text("name = 'another'\n")
    assert main(["calibrate", str(write(tmp_path)), "--out", str(out)]) == 2
    assert "another calibration" in capsys.readouterr().err


def test_implausibility_is_the_distance_outside_the_range_in_standard_deviations():
    """On a line y = x with little noise the emulator puts x = 0.5 inside [0.4, 0.6] and x = 0.9 far outside."""
    x = np.linspace(0, 1, 12)[:, None]
    target = Target("y", ("y",), 0.4, 0.6, "baseline", "calibrate", "t")
    fitted = emulator.fit(x, {"y": x[:, 0]}, ["p"], {"p": (0.0, 1.0)}, seed=1)
    score = fitted.implausibility(np.array([[0.5], [0.9]]), [target])[:, 0]
    assert score[0] == 0.0 and score[1] > 3.0
    assert emulator.distance(np.array([0.3, 0.5, 0.7]), target).tolist() == pytest.approx([0.1, 0.0, 0.1])
