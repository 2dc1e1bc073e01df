"""From a results folder to its report: load the stored tables, analyse, draw, write.

This is what `conflict-sim compare` does after its runs and all that `conflict-sim report` does, so
a report can always be redrawn from stored results without running the model again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from conflict_sim import store
from conflict_sim.analysis.comparison import Comparison, analyse
from conflict_sim.analysis.report import write_report
from conflict_sim.errors import ConflictSimError

SOBOL_PANELS = 6  # key outcomes given Sobol indices (a double-column figure of two rows)
HIDDEN = ("runs",)  # manifest entries too long to print (the per-run status table stays in manifest.json)


def report_folder(folder: str | Path) -> Path:
    """Write `folder/report/` from the stored results; returns the HTML report's path."""
    folder = Path(folder)
    results = store.load(folder)
    manifest = results.manifest
    if results.outcomes.empty:
        raise ConflictSimError(f"{folder}: no finished runs to report on yet (run or resume the experiment)")
    arms = [a["name"] for a in manifest["arms"]]
    comparison = analyse(
        results.runs, results.outcomes, results.daily, baseline=arms[0], warmup_days=int(manifest.get("warmup_days", 0))
    )
    name = manifest["experiment"]["name"]
    return write_report(
        comparison,
        folder,
        title=f"Policy comparison: {name}",
        experiment=(folder / "experiment.toml").read_text(encoding="utf-8"),
        manifest=shown_manifest(manifest),
        sensitivity=sobol(results, comparison),
    )


def shown_manifest(manifest: dict[str, Any]) -> dict[str, Any]:
    """The manifest as the report prints it: without the long per-run table and the experiment text."""
    shown = {k: v for k, v in manifest.items() if k not in HIDDEN}
    shown["experiment"] = {k: v for k, v in manifest["experiment"].items() if k != "text"}
    return shown


def sobol(results: store.Results, comparison: Comparison) -> pd.DataFrame | None:
    """Sobol indices of the tested outcomes for the baseline arm, when the design is a Sobol design.

    Outcomes undefined in some run (nan, e.g. a rate with no replies yet) or constant have no indices.
    """
    if results.manifest.get("design", {}).get("method") != "sobol":
        return None
    from conflict_sim import sensitivity

    outcomes = results.outcomes
    defined = [
        n
        for n in comparison.family
        if "@" not in n and n in outcomes and outcomes[n].notna().all() and outcomes[n].nunique() > 1
    ][:SOBOL_PANELS]
    if not defined:
        return None
    tables = [sensitivity.analyse(results, name, "sobol").assign(outcome=name) for name in defined]
    found = pd.concat(tables, ignore_index=True)
    first = found["scenario"].iloc[0]
    return found[(found["arm"] == comparison.baseline) & (found["scenario"] == first)]
