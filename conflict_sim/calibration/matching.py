"""History matching in waves (Craig et al. 1997; Vernon, Goldstein & Bower 2010; Andrianakis et al. 2015).

Wave 1 runs a Latin hypercube over the priors of the calibrated parameters (the engine's `lhs`
design). After each wave, Gaussian-process emulators are fitted to every simulated point so far and
a cloud of candidates (a scipy Latin hypercube of `candidates` points over the priors) is cut to the
non-implausible ones; the next wave runs `points` of them (a `list` design), drawn at random. The
last wave's emulators give the non-implausible region (the calibrated parameters' posterior
support) and the accepted simulated points. Every wave is an experiment of the engine in its own
folder, so an interrupted calibration resumes at the run it stopped at, with the design it started.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import numpy as np
import pandas as pd

from conflict_sim.backends import Backend
from conflict_sim.calibration import emulator, stages
from conflict_sim.calibration.config import Calibration
from conflict_sim.designs import REGISTRY, Design
from conflict_sim.designs.base import as_field_type
from conflict_sim.errors import ExperimentError
from conflict_sim.spec import design_seed


@dataclass(frozen=True)
class Matching:
    """What the waves found: every simulated point, the final emulators, the non-implausible cloud."""

    names: tuple[str, ...]
    simulated: pd.DataFrame  # wave, point, replication, parameters, targets, implausibility, accepted
    emulators: emulator.Emulators
    cloud: pd.DataFrame  # candidates of the last emulators: parameters, implausibility, non_implausible
    waves: pd.DataFrame  # per wave: runs, and the share of the prior box left non-implausible after it


def history_match(
    cal: Calibration,
    names: Sequence[str],
    folder: Path,
    backend: Backend,
    *,
    progress: bool,
    say: Callable[[str], None],
) -> Matching:
    """Run every wave (resuming stored ones) and return what the last emulators say."""
    targets = cal.targets_with("calibrate")
    bounds = {n: cal.prior(n) for n in names}
    hm = cal.history_matching
    frames: list[pd.DataFrame] = []
    fitted: emulator.Emulators | None = None
    cloud = pd.DataFrame()
    summary = []
    for wave in range(1, hm.waves + 1):
        where = folder / f"wave-{wave}"
        exp = stages.stored(where)
        if exp is None:
            design = _first(cal, names, bounds) if fitted is None else _next(cal, names, cloud, wave)
            exp = stages.experiment(
                cal, f"wave-{wave}", cal.horizon, design, cal.arms_for("calibrate"), hm.replications
            )
        say(f"wave {wave} of {hm.waves}: {exp.n_points} points x {len(exp.arms)} arms x {hm.replications} seeds")
        results = stages.run(exp, where, backend, progress=progress)
        values = stages.measured(results, targets).reset_index()
        frame = values.join(stages.design_values(results, names), on="point").assign(wave=wave)
        frames.append(frame)
        simulated = pd.concat(frames, ignore_index=True).dropna(subset=[t.name for t in targets])
        fitted = emulator.fit(
            simulated[list(names)].to_numpy(),
            {t.name: simulated[t.name].to_numpy() for t in targets},
            names,
            bounds,
            seed=cal.root_seed % 2**31,
        )
        cloud = _cloud(cal, names, bounds, fitted)
        kept = int(cloud["non_implausible"].sum())
        summary.append({"wave": wave, "points": exp.n_points, "runs": len(exp), "non_implausible": kept / len(cloud)})
        say(
            f"wave {wave}: {len(frame)} runs; {kept} of {len(cloud)} candidates non-implausible "
            f"({kept / len(cloud):.1%} of the prior box) at cut-off {hm.cutoff:g}"
        )
    assert fitted is not None
    simulated = pd.concat(frames, ignore_index=True)
    simulated = _scored(simulated, cal, names, fitted)
    return Matching(tuple(names), simulated, fitted, cloud, pd.DataFrame(summary))


def _first(cal: Calibration, names: Sequence[str], bounds: dict) -> Design:
    """Wave 1: the engine's Latin hypercube over the priors."""

    def fail(where: str, message: str) -> NoReturn:
        raise ExperimentError(f"calibration history_matching {where}: {message}")

    table = {
        "method": "lhs",
        "parameters": list(names),
        "samples": cal.history_matching.points,
        "bounds": {n: list(b) for n, b in bounds.items()},
    }
    return REGISTRY["lhs"].build(table, design_seed(cal.root_seed), fail)


def _next(cal: Calibration, names: Sequence[str], cloud: pd.DataFrame, wave: int) -> Design:
    """A later wave: `points` candidates drawn at random from the non-implausible cloud.

    If fewer are left, the least implausible are taken, so the waves go on and the report says so.
    """
    n = cal.history_matching.points
    pool = cloud[cloud["non_implausible"]]
    if len(pool) < n:
        pool = cloud.nsmallest(max(n, len(pool)), "implausibility")
    rng = np.random.default_rng([cal.root_seed, wave])
    rows = pool.iloc[np.sort(rng.choice(len(pool), size=n, replace=False))]
    points = tuple({name: as_field_type(name, row[name]) for name in names} for _, row in rows.iterrows())
    return Design("list", tuple(names), points)


def _cloud(cal: Calibration, names: Sequence[str], bounds: dict, fitted: emulator.Emulators) -> pd.DataFrame:
    """The candidate cloud (one fixed Latin hypercube over the priors) and its implausibility."""
    from scipy.stats import qmc

    sampler = qmc.LatinHypercube(d=len(names), seed=np.random.default_rng([cal.root_seed, 0]))
    unit = sampler.random(cal.history_matching.candidates)
    lo = np.array([bounds[n][0] for n in names])
    hi = np.array([bounds[n][1] for n in names])
    x = qmc.scale(unit, lo, hi)
    targets = cal.targets_with("calibrate")
    score = fitted.implausibility(x, targets)
    cloud = pd.DataFrame(x, columns=list(names))
    for j, t in enumerate(targets):
        cloud[f"I_{t.name}"] = score[:, j]
    cloud["implausibility"] = score.max(axis=1)
    cloud["non_implausible"] = cloud["implausibility"] < cal.history_matching.cutoff
    return cloud


def _scored(
    simulated: pd.DataFrame, cal: Calibration, names: Sequence[str], fitted: emulator.Emulators
) -> pd.DataFrame:
    """Every simulated run with the last emulators' implausibility and its own distance to each range.

    `distance` is the largest distance outside a range, in units of that range's width (0: the run
    is inside every range); `accepted` means non-implausible under the last emulators.
    """
    targets = cal.targets_with("calibrate")
    complete = simulated.dropna(subset=[t.name for t in targets]).copy()
    score = fitted.implausibility(complete[list(names)].to_numpy(), targets)
    for j, t in enumerate(targets):
        complete[f"I_{t.name}"] = score[:, j]
    complete["implausibility"] = score.max(axis=1)
    complete["distance"] = np.column_stack(
        [emulator.distance(complete[t.name].to_numpy(), t) / t.width for t in targets]
    ).max(axis=1)
    complete["accepted"] = complete["implausibility"] < cal.history_matching.cutoff
    return complete.sort_values(["wave", "point", "replication"]).reset_index(drop=True)
