"""Global sensitivity of an outcome to the design's parameters, from stored runs (no re-running).

Sobol' first- and total-order indices with bootstrap confidence intervals (a `sobol` design:
Saltelli sampling) or Morris elementary effects (a `morris` design), both computed by SALib. The
response at a design point is the outcome's mean over its replications, which share seeds across
points (common random numbers), so noise between points is as small as the replications allow.
One analysis per scenario and arm.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from conflict_sim.designs import REGISTRY
from conflict_sim.errors import ConflictSimError
from conflict_sim.spec import design_seed
from conflict_sim.store import Results

METHODS = ("sobol", "morris")
CONFIDENCE = 0.95


def analyse(results: Results, outcome: str, method: str | None = None) -> pd.DataFrame:
    """A tidy table of indices: scenario, arm, parameter, then the method's indices and CIs."""
    design = results.manifest["design"]
    method = method or design["method"]
    if method not in METHODS:
        raise ConflictSimError(f"--method {method!r}: must be one of {', '.join(METHODS)}")
    if method not in REGISTRY[design["method"]].analyses:
        raise ConflictSimError(
            f"--method {method}: these results come from a {design['method']!r} "
            f"design; {method} indices need a {method!r} design"
        )
    if outcome not in results.outcomes.columns:
        known = ", ".join(c for c in results.outcomes.columns if c != "run_key")
        raise ConflictSimError(f"--outcome {outcome!r}: not among the stored outcomes ({known})")
    names = design["parameters"]
    problem = {"num_vars": len(names), "names": names, "bounds": [design["bounds"][n] for n in names]}
    seed = design_seed(results.manifest["root_seed"]) or 1  # SALib treats seed 0 as "no seed"
    values = results.runs[["run_key", "point", "arm", "scenario"]].merge(
        results.outcomes[["run_key", outcome]], on="run_key"
    )
    means = values.groupby(["scenario", "arm", "point"])[outcome].mean()
    tables = []
    for scenario, points in results.design.groupby("scenario", sort=False):
        for arm in (a["name"] for a in results.manifest["arms"]):
            y = means.reindex(pd.MultiIndex.from_product([[scenario], [arm], points["point"]]))
            if y.isna().any():
                raise ConflictSimError(
                    f"--outcome {outcome}: missing at {int(y.isna().sum())} of {len(y)} design points "
                    f"(scenario {scenario}, arm {arm}: failed or not yet run); rerun the sweep to "
                    "finish it"
                )
            if y.nunique() == 1:
                raise ConflictSimError(
                    f"--outcome {outcome}: the same value ({y.iloc[0]:g}) at every design point "
                    f"(scenario {scenario}, arm {arm}); it has no sensitivity to explain"
                )
            x = points[names].to_numpy(dtype=float)
            table = _indices(method, problem, x, y.to_numpy(), design["options"], seed)
            tables.append(table.assign(scenario=scenario, arm=arm))
    found = pd.concat(tables).rename_axis("parameter").reset_index()
    return found[["scenario", "arm", "parameter", *(c for c in found if c not in ("scenario", "arm", "parameter"))]]


def _indices(method: str, problem: dict, x: np.ndarray, y: np.ndarray, options: dict, seed: int) -> pd.DataFrame:
    if method == "sobol":
        from SALib.analyze import sobol

        second = options.get("second_order", False)
        found = sobol.analyze(problem, y, calc_second_order=second, conf_level=CONFIDENCE, seed=seed)
        return pd.DataFrame({k: found[k] for k in ("S1", "S1_conf", "ST", "ST_conf")}, index=problem["names"])
    from SALib.analyze import morris

    found = morris.analyze(problem, x, y, num_levels=options.get("num_levels", 4), conf_level=CONFIDENCE, seed=seed)
    return pd.DataFrame(
        {k: np.asarray(found[k], dtype=float) for k in ("mu", "mu_star", "sigma", "mu_star_conf")},
        index=problem["names"],
    )


def write(table: pd.DataFrame, folder: str | Path, outcome: str, method: str) -> tuple[Path, Path]:
    """The table as CSV and a figure as PNG, named after outcome and method."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    csv, png = folder / f"{outcome}-{method}.csv", folder / f"{outcome}-{method}.png"
    table.to_csv(csv, index=False)
    figure(table, outcome, method).savefig(png, dpi=150)
    return csv, png


def figure(table: pd.DataFrame, outcome: str, method: str):
    """One panel per scenario and arm: Sobol' S1 and ST bars with CIs, or Morris mu* against sigma."""
    from matplotlib.figure import Figure

    groups = list(table.groupby(["scenario", "arm"], sort=False))
    fig = Figure(figsize=(6.4, 2.2 + 1.6 * len(groups) * (1 if method == "sobol" else 2)), layout="constrained")
    axes = fig.subplots(len(groups), 1, squeeze=False)[:, 0]
    for ax, ((scenario, arm), rows) in zip(axes, groups, strict=True):
        if method == "sobol":
            at = np.arange(len(rows))
            ax.barh(at - 0.2, rows["S1"], 0.4, xerr=rows["S1_conf"], label="first order S1")
            ax.barh(at + 0.2, rows["ST"], 0.4, xerr=rows["ST_conf"], label="total order ST")
            ax.set_yticks(at, rows["parameter"])
            ax.invert_yaxis()
            ax.set_xlabel("Sobol' index (95 % CI)")
            ax.legend(loc="lower right", fontsize="small")
        else:
            ax.errorbar(rows["mu_star"], rows["sigma"], xerr=rows["mu_star_conf"], fmt="o")
            for _, r in rows.iterrows():
                ax.annotate(
                    r["parameter"],
                    (r["mu_star"], r["sigma"]),
                    fontsize="small",
                    xytext=(4, 4),
                    textcoords="offset points",
                )
            ax.set_xlabel("mu* (mean |elementary effect|, 95 % CI)")
            ax.set_ylabel("sigma")
        ax.set_title(f"{outcome}: {scenario}, {arm}", fontsize="medium")
    return fig
