"""The command line: outputs of `run`, listings, and every kind of bad input."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from conflict_sim.cli import main


def test_run_writes_outputs_and_manifest(tmp_path: Path, capsys):
    """`run` writes daily and outcome tables plus a manifest with every parameter, seed and versions."""
    out = tmp_path / "run"
    assert main(["run", "tiny", "--days", "60", "--seed", "3", "--set", "office_quality=0.7", "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "daily.parquet",
        "manifest.json",
        "outcomes.csv",
        "outcomes.parquet",
        "params.toml",
    ]
    daily = pd.read_parquet(out / "daily.parquet")
    assert len(daily) == 60 and "formal_on_time_rate" in daily and "substantive_resolution_rate" in daily
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 3 and manifest["scenario"] == "tiny"
    assert manifest["params"]["office_quality"] == 0.7
    assert manifest["overrides"] == {"office_quality": 0.7}
    assert {"mesa", "numpy", "python"} <= set(manifest["versions"])
    assert "commit" in manifest["git"]
    assert "substantive resolution" in capsys.readouterr().out


def test_run_never_replaces_a_folder_unasked(tmp_path: Path, capsys):
    """A second `run` into an existing folder is refused (exit 2, folder untouched); with --force the old
    folder is moved aside to a visible backup, never deleted."""
    out = tmp_path / "run"
    assert main(["run", "tiny", "--days", "10", "--out", str(out)]) == 0
    before = (out / "daily.parquet").read_bytes()
    assert main(["run", "tiny", "--days", "20", "--out", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    assert (out / "daily.parquet").read_bytes() == before
    assert main(["run", "tiny", "--days", "20", "--out", str(out), "--force"]) == 0
    assert len(pd.read_parquet(out / "daily.parquet")) == 20
    backups = [p for p in tmp_path.iterdir() if p.name.startswith("run.backup-")]
    assert len(backups) == 1 and (backups[0] / "daily.parquet").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no scratch left


@pytest.mark.parametrize("what", ["scenarios", "params"])
def test_list(what, capsys):
    """`list` names the bundled scenarios and every parameter with its range and source tag."""
    assert main(["list", what]) == 0
    text = capsys.readouterr().out
    assert ("chengzhong" in text and "tiny" in text) if what == "scenarios" else "office_quality" in text


BAD_INPUTS = {
    "unknown parameter": (["--set", "ofice_quality=0.5"], "ofice_quality"),
    "out of range": (["--set", "office_quality=1.5"], "[0.0, 1.0]"),
    "wrong type": (["--set", "subdistrict_staff=many"], "subdistrict_staff"),
    "bad switch": (["--set", "veto_enabled=maybe"], "veto_enabled"),
    "bad choice": (["--set", "arrest_ratio_mode=ceil"], "raw, floor, round"),
    "no equals": (["--set", "office_quality"], "name=value"),
    "bad days": (["--days", "0"], "--days"),
    "negative seed": (["--seed", "-1"], "--seed"),
    "same --set twice": (["--set", "office_quality=0.5", "--set", "office_quality=0.6"], "set twice"),
    "a century and more": (["--days", str(10**9)], "100 years"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_one_line_exit_2_and_no_output(case, tmp_path: Path):
    """Bad values: one line on stderr naming the field, exit code 2, no traceback, no output folder."""
    extra, needle = BAD_INPUTS[case]
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "conflict_sim", "run", "tiny", "--days", "5", "--out", str(out), *extra],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and "Traceback" not in result.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (None, "file not found"),
        ("description = 'x'\n[params\n", "malformed TOML"),
        ("[params]\noffice_qualty = 0.5\n", "office_qualty"),
        ("[params]\noffice_quality = 'high'\n", "office_quality"),
        ("colour = 'red'\n", "unknown key"),
        ("base = 'atlantis'\n", "atlantis"),
    ],
)
def test_bad_scenario_files(content, needle, tmp_path: Path):
    """A missing, malformed or invalid scenario file is one line on stderr and exit code 2."""
    path = tmp_path / "scenario.toml"
    if content is not None:
        path.write_text(content)
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "conflict_sim", "run", str(path), "--days", "5", "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and needle in result.stderr
    assert not out.exists()


def test_unknown_scenario_and_command():
    """An unknown scenario or subcommand is one line and exit code 2."""
    for argv in (["run", "atlantis"], ["fly"]):
        result = subprocess.run([sys.executable, "-m", "conflict_sim", *argv], capture_output=True, text=True)
        assert result.returncode == 2
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_console_script_is_installed():
    """The `conflict-sim` entry point exists beside the interpreter and answers."""
    script = Path(sys.executable).with_name("conflict-sim")
    result = subprocess.run([str(script), "list", "scenarios"], capture_output=True, text=True)
    assert result.returncode == 0 and "chengzhong" in result.stdout


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_viz_prints_its_address_only_once_the_server_answers(monkeypatch, capsys):
    """`viz` waits until the page answers before printing where to open it."""
    from conflict_sim.viz import server

    port = _free_port()
    answer_once = (
        "import http.server, time; time.sleep(1.0); "
        f"s = http.server.HTTPServer(('127.0.0.1', {port}), http.server.SimpleHTTPRequestHandler); "
        "s.handle_request()"
    )
    monkeypatch.setattr(server, "ensure_assets", lambda: None)
    monkeypatch.setattr(server, "command", lambda host, port: [sys.executable, "-c", answer_once])
    started = time.monotonic()
    assert server.serve("127.0.0.1", port, "tiny") == 0
    assert time.monotonic() - started >= 1.0
    assert f"open http://127.0.0.1:{port}/" in capsys.readouterr().out


def test_viz_that_cannot_start_is_one_line(monkeypatch):
    """A server that exits before answering (a busy port, say) is a ConflictSimError, not a silent URL."""
    from conflict_sim.errors import ConflictSimError
    from conflict_sim.viz import server

    monkeypatch.setattr(server, "ensure_assets", lambda: None)
    monkeypatch.setattr(server, "command", lambda host, port: [sys.executable, "-c", "raise SystemExit(1)"])
    with pytest.raises(ConflictSimError, match="did not start"):
        server.serve("127.0.0.1", _free_port(), "tiny")
