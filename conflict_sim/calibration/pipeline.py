"""`calibrate`: screen, history-match, confirm and report, each stage resumable in one results folder.

    OUT/calibration.toml        the calibration file, byte for byte (a rerun into OUT must match it)
    OUT/screening/              the Morris screen (an engine results folder)
    OUT/waves/wave-N/           each history-matching wave (engine results folders)
    OUT/confirmation/           the calibrated point on the confirmation seed set, every arm
    OUT/screening.csv, accepted.csv, region.csv, confirmation.csv, calibrated.toml, report.md, figures/

Pattern-oriented modelling (Grimm et al. 2005): several patterns at once constrain the parameters
that no single pattern pins down. Nothing is written outside OUT; the files at the top of OUT are
written at the end, each by an atomic rename.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from conflict_sim.backends import Backend
from conflict_sim.calibration import matching, report, screening, stages
from conflict_sim.calibration.config import Calibration
from conflict_sim.designs import Design
from conflict_sim.errors import OutputError
from conflict_sim.output import check_writable

CONFIG_NAME = "calibration.toml"
SIGNIFICANT = 3  # digits the calibrated values keep in the scenario file (and in the confirmation)


@dataclass(frozen=True)
class Outcome:
    """What a calibration produced: the chosen parameters, their calibrated values, the verdicts."""

    folder: Path
    parameters: tuple[str, ...]
    calibrated: dict[str, float | int]
    confirmation: pd.DataFrame  # one row per target: role, low, high, mean, share inside, verdict


def calibrate(
    cal: Calibration,
    out: str | Path,
    backend: Backend,
    *,
    progress: bool = False,
    say: Callable[[str], None] | None = None,
) -> Outcome:
    """Run (or resume) every stage of `cal` into `out` and write its results and report."""
    out = Path(out)
    say = say or (lambda line: print(line, file=sys.stderr))
    _claim(out, cal)
    say(f"calibration {cal.name}: screening {len(cal.screening.parameters)} parameters (Morris)")
    indices = screening.screen(cal, out / "screening", backend, progress=progress)
    names = screening.chosen(cal, indices)
    say(f"screening: calibrating {', '.join(names)}")
    matched = matching.history_match(cal, names, out / "waves", backend, progress=progress, say=say)
    calibrated = best_point(cal, matched)
    say(f"calibrated point: {', '.join(f'{k} = {v:g}' for k, v in calibrated.items())}")
    confirmation = confirm(cal, calibrated, out / "confirmation", backend, progress=progress)
    verdicts = report.verdicts(cal, confirmation)
    report.write(cal, out, indices, matched, calibrated, confirmation, verdicts)
    held = verdicts[verdicts["role"] != "check"]
    say(
        f"wrote {out}/report.md: {int((held['verdict'] == 'inside').sum())} of {len(held)} targets inside "
        f"on {cal.confirmation.replications} seeds"
    )
    return Outcome(out, names, calibrated, verdicts)


def _claim(out: Path, cal: Calibration) -> None:
    """A new or empty folder, or one holding this very calibration (resumed); anything else is refused."""
    check_writable(out)
    config = out / CONFIG_NAME
    if out.exists() and not out.is_dir():
        raise OutputError(f"--out {out}: is a file, not a folder")
    if out.is_dir() and any(out.iterdir()):
        if not config.is_file():
            raise OutputError(f"--out {out}: holds other files and no {CONFIG_NAME}; give a new or empty folder")
        if config.read_text(encoding="utf-8") != cal.text:
            raise OutputError(
                f"--out {out}: holds another calibration ({CONFIG_NAME} differs from the file given); "
                "give another folder"
            )
        return
    out.mkdir(parents=True, exist_ok=True)
    report.atomic_text(config, cal.text)


def best_point(cal: Calibration, matched: matching.Matching) -> dict[str, float | int]:
    """The calibrated point: where the targets sit closest to their ranges.

    With a non-implausible region: its candidate whose emulated targets sit closest to the centres
    of their ranges (the sum over targets of ((mean - centre) / half-width)^2, so every range counts
    alike). Without one, the emulators would be extrapolating, so the point is the simulated run with
    the smallest largest distance outside a range (in range widths). The values are rounded to
    `SIGNIFICANT` digits, and the confirmation runs the rounded values.
    """
    cloud = matched.cloud
    pool = cloud[cloud["non_implausible"]]
    if pool.empty:
        runs = matched.simulated
        row = runs.loc[runs["distance"].idxmin()]
        return {n: _rounded(n, float(row[n])) for n in matched.names}
    x = pool[list(matched.names)].to_numpy()
    score = np.zeros(len(pool))
    for t in cal.targets_with("calibrate"):
        mean, _ = matched.emulators.predict(x, t.name)
        score += ((mean - t.centre) / (t.width / 2)) ** 2
    row = pool.iloc[int(np.argmin(score))]
    return {n: _rounded(n, float(row[n])) for n in matched.names}


def _rounded(name: str, value: float) -> float | int:
    from conflict_sim.designs.base import as_field_type

    if value == 0:
        return as_field_type(name, 0.0)
    digits = SIGNIFICANT - 1 - int(np.floor(np.log10(abs(value))))
    return as_field_type(name, round(value, digits))


def confirm(
    cal: Calibration, calibrated: dict[str, float | int], folder: Path, backend: Backend, *, progress: bool
) -> pd.DataFrame:
    """The calibrated point on the confirmation seed set, on every arm: each target's value per seed."""
    exp = stages.stored(folder)
    if exp is None:
        design = Design("list", tuple(calibrated), (dict(calibrated),))
        exp = stages.experiment(
            cal, "confirmation", cal.confirmation.horizon, design, cal.arms, cal.confirmation.replications
        )
    elif dict(exp.design.points[0]) != calibrated:
        raise OutputError(
            f"{folder}: holds the confirmation of another point ({exp.design.points[0]}); the waves changed "
            "since it ran: move the folder aside to confirm the new point"
        )
    results = stages.run(exp, folder, backend, progress=progress)
    return stages.measured(results, cal.targets).reset_index()
