"""The house tooling runs in `make test`: ruff (lint, docstrings, format) and mypy on conflict_sim."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "."],
        ["ruff", "format", "--check", "."],
        ["mypy"],
    ],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_tool_is_clean(command):
    """Each tool, configured in pyproject.toml, reports nothing."""
    result = subprocess.run([str(BIN / command[0]), *command[1:]], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


RUN = 6  # identical lines in a row that count as copy-paste
UNDER_REWRITE = ("agents",)  # the lead's kernel rewrite removes the duplicated voice check; empty it then


def _windows(path: Path) -> list[tuple[tuple[str, ...], int]]:
    """Runs of RUN consecutive code lines (blank lines, comments and imports skipped) with their line."""
    lines = [(i + 1, text.strip()) for i, text in enumerate(path.read_text().splitlines())]
    code = [(n, t) for n, t in lines if t and not t.startswith(("#", "import ", "from "))]
    return [
        (tuple(t for _, t in code[j : j + RUN]), code[j][0])
        for j in range(len(code) - RUN + 1)
        if sum(len(t) for _, t in code[j : j + RUN]) >= 120  # not a run of brackets and short names
    ]


def test_no_copy_paste_in_the_package():
    """No run of six or more identical code lines appears twice in conflict_sim/."""
    seen: dict[tuple[str, ...], str] = {}
    repeats = []
    for path in sorted((ROOT / "conflict_sim").rglob("*.py")):
        if path.relative_to(ROOT / "conflict_sim").parts[0] in UNDER_REWRITE:
            continue
        for window, line in _windows(path):
            where = f"{path.relative_to(ROOT)}:{line}"
            if window in seen:
                repeats.append(f"{where} repeats {seen[window]}")
            seen.setdefault(window, where)
    assert not repeats, "\n".join(repeats[:10])
