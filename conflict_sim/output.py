"""Writing a folder of results so that it is complete or absent, never half-written."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from conflict_sim.run import RunOutput


@contextmanager
def atomic_folder(target: Path) -> Iterator[Path]:
    """Yield a scratch folder beside `target`; on success it replaces `target` in one rename."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        yield scratch
        if target.exists():
            old = target.with_name(f".{target.name}.old-{os.getpid()}")
            target.rename(old)
            scratch.rename(target)
            shutil.rmtree(old)
        else:
            scratch.rename(target)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise


def write_json(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")


def write_run(
    target: Path, output: RunOutput, manifest: dict[str, Any], extra: Callable[[Path], None] | None = None
) -> Path:
    """One run's folder: daily.parquet, outcomes.parquet, outcomes.csv, manifest.json."""
    with atomic_folder(target) as folder:
        output.daily.to_parquet(folder / "daily.parquet")
        outcomes = pd.DataFrame([output.outcomes])
        outcomes.to_parquet(folder / "outcomes.parquet")
        outcomes.T.rename(columns={0: "value"}).rename_axis("outcome").to_csv(folder / "outcomes.csv")
        write_json(folder / "manifest.json", manifest)
        if extra:
            extra(folder)
    return Path(target)
