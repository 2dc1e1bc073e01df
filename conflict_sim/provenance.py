"""Where a number came from: package versions, git commit, platform, model revision and input files.

The *model revision* is a digest of every file of the package that a run executes or reads (the model,
agents, policies, parameters, bundled scenarios and data), leaving out the experiment side, the
analysis and the app, which never change a run's numbers. It identifies the model without git, so a
resume or a growing experiment can refuse to mix results of two models.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import platform
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import fields
from pathlib import Path

from conflict_sim import compiled
from conflict_sim.params import Params

PACKAGES = ("conflict-sim", "mesa", "numpy", "pandas", "pyarrow", "scipy", "SALib", "dask", "distributed")
PACKAGE = Path(__file__).resolve().parent

# Parts of the package that never change what a run computes: editing them keeps the model revision.
NOT_THE_MODEL = (
    "__init__.py",
    "__main__.py",
    "compiled.py",  # which build of the model runs: the compiled and the Python one give the same numbers
    "compile.py",
    "_compiled",  # the compiled build itself (made on each machine from the files that are counted)
    "cli.py",
    "backends.py",
    "batches.py",
    "budget.py",
    "comparisons.py",
    "experiment.py",
    "manifest.py",
    "output.py",
    "provenance.py",
    "replay.py",
    "runner.py",
    "sensitivity.py",
    "spec.py",
    "store.py",
    "units.py",
    "app.py",
    "analysis",
    "designs",
    "calibration",
    "viz",
)

# Functions naming the files a run with these parameters reads besides the scenario files (for example
# a district file named by a parameter). Add one here when a parameter starts naming a bundled file;
# a parameter whose value is a path to an existing file is found without one (`files_named_by`).
INPUT_RESOLVERS: tuple[Callable[[Params], Iterable[Path]], ...] = ()


def version() -> str:
    """The installed version of conflict-sim ("unknown" when run from a source tree not installed)."""
    try:
        return importlib.metadata.version("conflict-sim")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def versions() -> dict[str, str]:
    """Python and the versions of the packages a result depends on."""
    found = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def git_state(where: Path | None = None) -> dict[str, object]:
    """The commit of the source tree and whether it had uncommitted changes."""
    root = where or PACKAGE.parent
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True, timeout=10
        ).stdout.strip()
        dirty = bool(
            subprocess.run(
                ["git", "status", "--porcelain", "--untracked-files=no"],
                cwd=root,
                capture_output=True,
                text=True,
                check=True,
                timeout=10,
            ).stdout.strip()
        )
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}
    return {"commit": commit, "dirty": dirty}


@functools.cache
def model_revision() -> str:
    """SHA-256 over the path and content of every model file of the installed package."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        relative = path.relative_to(PACKAGE)
        if not path.is_file() or relative.parts[0] in NOT_THE_MODEL or "__pycache__" in relative.parts:
            continue
        digest.update(str(relative.as_posix()).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def files_named_by(params: Params) -> tuple[Path, ...]:
    """Files a run with these parameters reads.

    String parameters that name an existing file, and whatever `INPUT_RESOLVERS` add.
    """
    found = [
        Path(value).resolve()
        for value in (getattr(params, f.name) for f in fields(params))
        if isinstance(value, str) and ("/" in value or "." in value) and Path(value).is_file()
    ]
    for resolve in INPUT_RESOLVERS:
        found.extend(Path(p).resolve() for p in resolve(params))
    return tuple(dict.fromkeys(found))


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def environment() -> dict[str, object]:
    """Everything a manifest records about the software and machine."""
    return {
        "versions": versions(),
        "git": git_state(),
        "model_revision": model_revision(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "compiled": compiled.active(),  # the model's hot modules as C (the same numbers; the times differ)
    }
