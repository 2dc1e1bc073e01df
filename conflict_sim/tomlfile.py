"""Reading TOML files users give us, with one-line errors for a missing or malformed file."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from conflict_sim.errors import InputFileError


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file, turning any unreadable or malformed file into a one-line error."""
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputFileError(f"file not found: {path}") from None
    except IsADirectoryError:
        raise InputFileError(f"{path}: is a folder, not a TOML file") from None
    except PermissionError:
        raise InputFileError(f"{path}: not readable (permission denied)") from None
    except UnicodeDecodeError:
        raise InputFileError(f"{path}: not a text file (TOML must be UTF-8)") from None
    except OSError as exc:
        raise InputFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputFileError(f"malformed TOML in {path}: {exc}") from None
