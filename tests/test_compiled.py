"""The compiled build of the model's hot modules: in use, the same numbers as the sources, never stale."""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conflict_sim import compiled

# What the digest covers: every daily series, the event tables and the outcomes of two runs, one of the
# calibrated district and one of the uncalibrated (ten times the petitions: crowds, courts, interception).
DIGEST = """
import hashlib, sys
from conflict_sim import compiled
from conflict_sim.run import simulate
from conflict_sim.scenarios import load
digest = hashlib.sha256()
for name, days, seed in (("chengzhong", 400, 5), ("chengzhong_uncalibrated", 240, 6)):
    out = simulate(load(name).params.replace(households_per_agent=10), seed=seed, days=days, warmup_days=60)
    digest.update(out.daily.to_csv(float_format="%.17g").encode())
    for table in ("issues", "submissions", "replies", "refusals", "collective", "grid", "mediations", "courts"):
        digest.update(getattr(out.events, table).to_csv(float_format="%.17g").encode())
    digest.update(repr(sorted(out.outcomes.items())).encode())
print(compiled.active(), digest.hexdigest())
"""


def _run(code: str, **env: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, **env})
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def test_the_build_is_in_use():
    """`make` builds the modules; a process that imports the package runs the build of its sources."""
    assert compiled.built() is not None, "no compiled build of the sources: see what `make` printed when it built"
    assert compiled.active()
    for name in compiled.MODULES:
        assert Path(importlib.import_module(name).__file__).parent.is_relative_to(compiled.built()), name


@pytest.mark.slow
def test_compiled_and_python_give_the_same_numbers():
    """The same runs, compiled and as Python (CONFLICT_SIM_PURE=1), bit for bit."""
    compiled_run = _run(DIGEST)
    python_run = _run(DIGEST, CONFLICT_SIM_PURE="1")
    assert compiled_run.startswith("True ") and python_run.startswith("False ")
    assert compiled_run.split()[1] == python_run.split()[1]


@pytest.mark.parametrize("edited", ["households.py", "households.pxd"])
def test_an_edited_source_is_not_run_compiled(tmp_path, monkeypatch, edited):
    """A source or declaration changed since the build has another key: the build is not used."""
    copy = tmp_path / "conflict_sim"
    shutil.copytree(compiled.ROOT / "conflict_sim", copy, ignore=shutil.ignore_patterns("_compiled", "__pycache__"))
    monkeypatch.setattr(compiled, "ROOT", tmp_path)
    monkeypatch.setattr(compiled, "BUILDS", copy / "_compiled")
    before = compiled.key()
    (compiled.BUILDS / before).mkdir(parents=True)
    for name in compiled.MODULES:  # a stand-in build of these sources
        compiled.library(compiled.BUILDS / before, name).parent.mkdir(parents=True, exist_ok=True)
        compiled.library(compiled.BUILDS / before, name).touch()
    assert compiled.built() == compiled.BUILDS / before
    (copy / edited).write_text((copy / edited).read_text() + "\n# an edit\n")
    assert compiled.key() != before
    assert compiled.built() is None


def test_pure_runs_the_sources():
    """CONFLICT_SIM_PURE=1: the sources run whatever is built."""
    code = "import conflict_sim.households as h, conflict_sim.compiled as c; print(c.active(), h.__file__)"
    active, path = _run(code, CONFLICT_SIM_PURE="1").split()
    assert active == "False" and path.endswith("households.py")
