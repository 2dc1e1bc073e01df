"""Output safety: where results may go, and writing a folder so that it is complete or absent.

Nothing of the user's is deleted or replaced unasked: an existing non-empty folder that is not ours
(or a file) is refused, or with `force` moved aside to a visible backup beside it. Writability and free
space are checked before any work starts, not after. Folders are created with the user's umask.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from conflict_sim.errors import OutputError
from conflict_sim.units import size

if TYPE_CHECKING:
    from conflict_sim.run import RunOutput

SPACE_MARGIN = 1.2  # ask for 20 % more free space than estimated: Parquet sizes vary with the data


def backup_name(target: Path) -> Path:
    """A visible, dated name beside `target` for what `force` moves aside."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    candidate = target.with_name(f"{target.name}.backup-{stamp}")
    n = 1
    while candidate.exists():
        n += 1
        candidate = target.with_name(f"{target.name}.backup-{stamp}-{n}")
    return candidate


def claim(target: Path, *, force: bool = False, ours: Callable[[Path], bool] = lambda _: False) -> Path | None:
    """Check that results may be written to `target`; with `force`, move what is in the way aside.

    Allowed without force: a missing path, an empty folder, or a folder `ours` recognises. Returns the
    backup path if something was moved aside.
    """
    target = Path(target)
    here = Path.cwd().resolve()
    resolved = target.resolve()
    if resolved == here or resolved in here.parents:
        raise OutputError(f"{target}: is the current folder or contains it; choose a new folder for --out")
    if not target.exists() and not target.is_symlink():
        return None
    if target.is_dir() and not target.is_symlink() and (not any(target.iterdir()) or ours(target)):
        return None
    what = "a file" if not target.is_dir() else "a folder that holds other files"
    if not force:
        raise OutputError(
            f"{target}: exists and is {what}; choose another --out, or add --force to move it aside "
            f"to {target.name}.backup-DATE"
        )
    backup = backup_name(target)
    target.rename(backup)
    return backup


def check_writable(target: Path) -> None:
    """The folder that will hold `target` exists (it is created) and can be written to."""
    parent = Path(target).absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(f"{target}: {parent} is a file, not a folder") from None
    except OSError as exc:
        raise OutputError(f"{target}: cannot create {parent} ({exc.strerror or exc})") from None
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"{target}: cannot write in {parent} (permission denied)")


def check_space(target: Path, needed_bytes: float, *, force: bool = False) -> None:
    """Refuse work whose estimated output does not fit on the disk (unless `force`)."""
    where = Path(target).absolute()
    while not where.exists():
        where = where.parent
    free = shutil.disk_usage(where).free
    if needed_bytes * SPACE_MARGIN > free and not force:
        raise OutputError(
            f"{target}: needs about {size(needed_bytes)} but {size(free)} is free; free some space, "
            "write elsewhere, or add --force"
        )


def make_folder(path: Path) -> None:
    """Mkdir with the user's umask (tempfile.mkdtemp would make it private, mode 0700)."""
    os.mkdir(path)


@contextmanager
def atomic_folder(target: Path) -> Iterator[Path]:
    """Yield a scratch folder beside `target`; on success it becomes `target` in one rename.

    `target` must be missing or an empty folder (see `claim`); a scratch folder is never left behind.
    """
    target = Path(target)
    check_writable(target)
    scratch = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    make_folder(scratch)
    try:
        yield scratch
        if target.is_dir():
            target.rmdir()  # empty, checked by `claim`; rmdir refuses anything else
        scratch.rename(target)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise


def write_json(path: Path, data: dict[str, Any]) -> None:
    """JSON that appears whole: written to a scratch file, then renamed over `path`."""
    path = Path(path)
    scratch = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    scratch.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    os.replace(scratch, path)


def write_run(
    target: Path, output: RunOutput, manifest: dict[str, Any], extra: Callable[[Path], None] | None = None
) -> Path:
    """One run's folder: daily.parquet, outcomes.parquet, outcomes.csv, manifest.json."""
    import pandas as pd

    with atomic_folder(target) as folder:
        output.daily.to_parquet(folder / "daily.parquet")
        outcomes = pd.DataFrame([output.outcomes])
        outcomes.to_parquet(folder / "outcomes.parquet")
        outcomes.T.rename(columns={0: "value"}).rename_axis("outcome").to_csv(folder / "outcomes.csv")
        write_json(folder / "manifest.json", manifest)
        if extra:
            extra(folder)
    return Path(target)
