"""Reading TOML files users give us, with one-line errors for a missing or malformed file."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from conflict_sim.errors import ConflictSimError


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file, turning a missing or malformed file into a one-line error."""
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConflictSimError(f"file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConflictSimError(f"malformed TOML in {path}: {exc}") from None
