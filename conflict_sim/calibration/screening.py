"""The screen: Morris elementary effects of the [A]-tagged parameters on every calibration target.

The Morris design (SALib, through the engine's `morris` design) runs on the arms of the calibration
targets at the screen's sample and horizon; `conflict_sim.sensitivity` computes mu* per target. A
parameter's score is its largest mu* over the targets, each target's mu* divided by that target's
largest, so a parameter that dominates any one target is kept; the `keep` highest are calibrated.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import NoReturn

import pandas as pd

from conflict_sim import sensitivity
from conflict_sim.backends import Backend
from conflict_sim.calibration import stages
from conflict_sim.calibration.config import Calibration
from conflict_sim.designs import REGISTRY
from conflict_sim.errors import ExperimentError
from conflict_sim.spec import design_seed
from conflict_sim.store import Results


def design_table(cal: Calibration) -> dict:
    """The `[design]` table of the screen; bounds are the narrowed priors where the file gives them."""
    names = list(cal.screening.parameters)
    bounds = {n: list(b) for n, b in cal.priors.items() if n in names}
    return {
        "method": "morris",
        "parameters": names,
        "samples": cal.screening.trajectories,
        "num_levels": cal.screening.num_levels,
        "bounds": bounds,
    }


def screen(cal: Calibration, folder: Path, backend: Backend, *, progress: bool) -> pd.DataFrame:
    """Run the screen (or finish it) and return mu* per target and parameter, with each parameter's score."""
    exp = stages.stored(folder)
    if exp is None:

        def fail(where: str, message: str) -> NoReturn:
            raise ExperimentError(f"calibration screening {where}: {message}")

        design = REGISTRY["morris"].build(design_table(cal), design_seed(cal.root_seed), fail)
        exp = stages.experiment(
            cal, "screening", cal.screening.horizon, design, cal.arms_for("calibrate"), replications=1
        )
    results = stages.run(exp, folder, backend, progress=progress)
    return indices(cal, results)


def indices(cal: Calibration, results: Results) -> pd.DataFrame:
    """mu*, its confidence and sigma per calibration target and parameter; `score` ranks the parameters."""
    targets = cal.targets_with("calibrate")
    values = stages.measured(results, targets)
    tables = []
    for t in targets:
        per_run = results.runs.loc[results.runs["arm"] == t.arm, ["run_key", "point", "replication"]]
        column = per_run.join(values[t.name], on=["point", "replication"])[["run_key", t.name]]
        arms = [a for a in results.manifest["arms"] if a["name"] == t.arm]  # the target's arm only
        with_target = dataclasses.replace(
            results,
            outcomes=results.outcomes.merge(column, on="run_key"),
            manifest={**results.manifest, "arms": arms},
        )
        table = sensitivity.analyse(with_target, t.name, "morris").drop(columns=["scenario", "arm"])
        largest = table["mu_star"].max()
        tables.append(table.assign(target=t.name, relative=table["mu_star"] / largest if largest > 0 else 0.0))
    found = pd.concat(tables, ignore_index=True)
    score = found.groupby("parameter")["relative"].max().rename("score")
    return found.join(score, on="parameter").sort_values(["score", "parameter"], ascending=[False, True])


def chosen(cal: Calibration, table: pd.DataFrame) -> tuple[str, ...]:
    """The `keep` parameters with the highest score, ties broken by name."""
    ranked = table.drop_duplicates("parameter").sort_values(["score", "parameter"], ascending=[False, True])
    return tuple(ranked["parameter"].head(cal.screening.keep))
