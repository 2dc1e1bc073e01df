"""The screen: Morris elementary effects of the [A]-tagged parameters on every calibration target.

The Morris design (SALib, through the engine's `morris` design) runs on the arms of the calibration
targets at the screen's sample and horizon; SALib computes mu* per target on the *ranks* of the
target's values over the design points, so that a few explosive corners of the parameter box (formal
petitions a hundred times the observed rate where a channel costs nothing) do not decide the screen
(rank transformation: Saltelli et al. 2004, ch. 5; Morris 1991 for the effects). A
parameter's score is its largest mu* over the targets, each target's mu* divided by that target's
largest, so a parameter that dominates any one target is kept; the `keep` highest are calibrated.
"""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import numpy as np
import pandas as pd

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
    """mu*, its confidence and sigma per calibration target and parameter; `score` ranks the parameters.

    A run whose target is undefined (an on-time rate with no reply in the window) leaves its whole
    trajectory out of that target's analysis: an elementary effect needs both ends. `trajectories`
    says how many each target kept.
    """
    from SALib.analyze import morris

    design = results.manifest["design"]
    names = design["parameters"]
    problem = {"num_vars": len(names), "names": names, "bounds": [design["bounds"][n] for n in names]}
    x = results.design.sort_values("point")[names].to_numpy(dtype=float)
    per = len(names) + 1
    values = stages.measured(results, cal.targets_with("calibrate"))
    tables = []
    for t in cal.targets_with("calibrate"):
        y = values[t.name].groupby(level="point").mean().reindex(range(len(x))).rank().to_numpy()
        whole = [k for k in range(len(x) // per) if not np.isnan(y[k * per : (k + 1) * per]).any()]
        if len(whole) < 2:
            raise ExperimentError(
                f"calibration screening: target {t.name} is undefined on runs of {len(x) // per - len(whole)} of "
                f"{len(x) // per} trajectories; add trajectories or narrow the priors"
            )
        rows = np.concatenate([np.arange(k * per, (k + 1) * per) for k in whole])
        seed = design_seed(cal.root_seed) or 1  # SALib treats seed 0 as "no seed"
        found = morris.analyze(problem, x[rows], y[rows], num_levels=design["options"]["num_levels"], seed=seed)
        table = pd.DataFrame({k: np.asarray(found[k], float) for k in ("mu_star", "mu_star_conf", "sigma")})
        table["parameter"] = names
        largest = table["mu_star"].max()
        relative = table["mu_star"] / largest if largest > 0 else 0.0
        tables.append(table.assign(target=t.name, relative=relative, trajectories=len(whole)))
    found_all = pd.concat(tables, ignore_index=True)
    score = found_all.groupby("parameter")["relative"].max().rename("score")
    ordered = found_all.join(score, on="parameter").sort_values(["score", "parameter"], ascending=[False, True])
    return ordered[["parameter", "target", "mu_star", "mu_star_conf", "sigma", "relative", "trajectories", "score"]]


def chosen(cal: Calibration, table: pd.DataFrame) -> tuple[str, ...]:
    """The `keep` parameters with the highest score, ties broken by name."""
    ranked = table.drop_duplicates("parameter").sort_values(["score", "parameter"], ascending=[False, True])
    return tuple(ranked["parameter"].head(cal.screening.keep))
