"""Where a number came from: package versions, git commit, platform."""

from __future__ import annotations

import importlib.metadata
import platform
import subprocess
from pathlib import Path

PACKAGES = ("conflict-sim", "mesa", "numpy", "pandas", "pyarrow", "scipy", "SALib", "dask", "distributed")


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
    root = where or Path(__file__).resolve().parent.parent
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


def environment() -> dict[str, object]:
    """Everything a manifest records about the software and machine."""
    return {"versions": versions(), "git": git_state(), "platform": platform.platform(), "machine": platform.machine()}
