"""No dead parameter: move every parameter across its range and test the effect its metadata declares.

Each `Params` field declares (`effect` in its metadata) the outcome that moving it from the low to the high
end of its span should move, and in which direction, in a district where the mechanism has room to act
(`Effect.world`), or that it is a label or the structure of the sample (`Role`). For every declared
effect, the script runs both ends on one seed set with common random numbers (the same seed meets the
same issues in both arms), takes the paired differences of the outcome, and tests them: a one-sided
paired t-test in the declared direction (two-sided when either direction will do), Holm-adjusted across
all parameters (Holm 1979). A parameter passes when its adjusted p-value is below 0.05 and the effect
has the declared sign.

    python -m experiments.dead_parameters                         # every parameter, 1:4, 12 seeds
    python -m experiments.dead_parameters --only threshold_sd,hearing_rate --seeds 4 --days 365

Writes results/dead_parameters/{effects.csv,table.md}; the last full table is committed in
docs/parameters.md. `tests/test_parameters_move.py` runs the parameters of the mechanisms issue and a
fixed sampled subset with the same functions.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from conflict_sim.params import PARAM_FIELDS, Effect, Params, Role
from conflict_sim.scenarios import load
from experiments.validation.seedsets import Arm, outcome, run_arms, seed_set

SAMPLE = 4  # households per agent: the faithful sample of docs/model.md
# The district the table runs on: the one before calibration, where residents petition about ten times as
# often as in the calibrated Chengzhong, so that every mechanism that acts on petitions (offices, the
# review ladder, skip-level visits, collective and non-normal action) has events to act on. In the
# calibrated district the same mechanisms act on a tenth of the events, and their z shrinks by about
# the square root of ten (docs/parameters.md).
DISTRICT = "chengzhong_uncalibrated"
ALPHA = 0.05
SEED_ROOT = 2031


@dataclass(frozen=True)
class Check:
    """Two settings of the district whose difference should move `outcome` by `sign` (0: either way)."""

    label: str
    low: dict[str, Any]
    high: dict[str, Any]
    outcome: str
    sign: int
    world: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Result:
    """A check's paired differences (high minus low) over the seed set, and its verdict."""

    check: Check
    diffs: np.ndarray

    @property
    def mean(self) -> float:
        return float(np.nanmean(self.diffs))

    @property
    def se(self) -> float:
        d = self.diffs[~np.isnan(self.diffs)]
        return float(d.std(ddof=1) / math.sqrt(len(d))) if len(d) > 1 else math.nan

    @property
    def z(self) -> float:
        return (
            self.mean / self.se
            if self.se and np.isfinite(self.se) and self.se > 0
            else math.copysign(math.inf, self.mean)
            if self.mean
            else 0.0
        )

    @property
    def p(self) -> float:
        """One-sided in the declared direction (two-sided for sign 0); nan when undefined."""
        d = self.diffs[~np.isnan(self.diffs)]
        if len(d) < 2:
            return math.nan
        if np.all(d == d[0]):
            return 0.0 if (d[0] * self.check.sign > 0 or (self.check.sign == 0 and d[0] != 0)) else 1.0
        alternative = {1: "greater", -1: "less", 0: "two-sided"}[self.check.sign]
        return float(stats.ttest_1samp(d, 0.0, alternative=alternative).pvalue)


def ends(name: str) -> tuple[Any, Any]:
    """The low and high values of a parameter: its declared span, else its range, choices or booleans."""
    f = PARAM_FIELDS[name]
    effect = f.metadata["effect"]
    if isinstance(effect, Effect) and effect.span is not None:
        return effect.span
    if isinstance(f.default, bool):
        return False, True
    if f.metadata["choices"]:
        return f.metadata["choices"][0], f.metadata["choices"][-1]
    return f.metadata["min"], f.metadata["max"]


def declared() -> list[str]:
    """Parameters with a declared effect (labels and the sample's structure have none to test)."""
    return [name for name, f in PARAM_FIELDS.items() if isinstance(f.metadata["effect"], Effect)]


def check_of(name: str) -> Check:
    """A parameter's declared effect as a check across its span."""
    effect: Effect = PARAM_FIELDS[name].metadata["effect"]
    low, high = ends(name)
    return Check(name, {name: low}, {name: high}, effect.outcome, effect.sign, dict(effect.world))


def run_checks(
    checks: Sequence[Check], base: Params, seeds: int, days: int, warmup: int, workers: int = 2
) -> list[Result]:
    """Both arms of every check on one seed set (identical arms run once); paired differences per check."""
    arms: dict[Arm, int] = {}
    pairs = []
    for c in checks:
        low = Arm(base.replace(**{**c.world, **c.low}))
        high = Arm(base.replace(**{**c.world, **c.high}))
        pairs.append((arms.setdefault(low, len(arms)), arms.setdefault(high, len(arms))))
    results = run_arms(list(arms), seed_set(SEED_ROOT, seeds), days, workers=workers, warmup_days=warmup)
    return [
        Result(c, outcome(results[hi], c.outcome) - outcome(results[lo], c.outcome))
        for c, (lo, hi) in zip(checks, pairs, strict=True)
    ]


def holm(p: Sequence[float]) -> np.ndarray:
    """Holm's step-down adjusted p-values; nan stays nan."""
    from conflict_sim.analysis.statistics import holm as adjust

    return adjust(p)


def verdicts(results: Sequence[Result]) -> pd.DataFrame:
    """One row per check: the effect, its z, its Holm-adjusted p-value and the verdict."""
    adjusted = holm([r.p for r in results])
    rows = []
    for r, q in zip(results, adjusted, strict=True):
        opposite = r.check.sign != 0 and r.mean * r.check.sign < 0 and abs(r.z) > 3
        verdict = "moves" if q < ALPHA else "wrong direction" if opposite else "no effect detected"
        rows.append(
            {
                "parameter": r.check.label,
                "low": _text(r.check.low),
                "high": _text(r.check.high),
                "world": _text(r.check.world),
                "outcome": r.check.outcome,
                "declared": {1: "up", -1: "down", 0: "either"}[r.check.sign],
                "mean difference": r.mean,
                "se": r.se,
                "z": r.z,
                "p (Holm)": q,
                "verdict": verdict,
            }
        )
    return pd.DataFrame(rows)


def _text(values: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in values.items())


def roles() -> pd.DataFrame:
    """The parameters declared as labels or as the structure of the sample, with the reason."""
    return pd.DataFrame(
        [
            {"parameter": n, "role": f.metadata["effect"].kind, "why": f.metadata["effect"].why}
            for n, f in PARAM_FIELDS.items()
            if isinstance(f.metadata["effect"], Role)
        ]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="", help="comma-separated parameters (default: every declared one)")
    parser.add_argument("--sample", type=int, default=SAMPLE, help="households per agent")
    parser.add_argument("--seeds", type=int, default=12, help="paired seeds (Holm over ~175 needs more than 6)")
    parser.add_argument("--days", type=int, default=450)
    parser.add_argument("--warmup", type=int, default=150)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("results/dead_parameters"))
    args = parser.parse_args(argv)
    names = args.only.split(",") if args.only else declared()
    base = load(DISTRICT).params.replace(households_per_agent=args.sample)
    print(f"{len(names)} parameters, {args.seeds} seeds, 1:{args.sample}, {args.days} days ...", file=sys.stderr)
    table = verdicts(run_checks([check_of(n) for n in names], base, args.seeds, args.days, args.warmup, args.workers))
    args.out.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out / "effects.csv", index=False)
    counts = table["verdict"].value_counts().to_dict()
    text = (
        f"{DISTRICT} at 1:{args.sample}, {args.seeds} paired seeds, {args.days} days (outcomes after a "
        f"{args.warmup}-day warm-up); one-sided paired t-test in the declared direction, Holm-adjusted "
        f"across the {len(table)} parameters, alpha {ALPHA}.\n\nVerdicts: {counts}\n\n"
        + table.to_markdown(index=False, floatfmt=".3g")
        + "\n\nParameters without an effect to test:\n\n"
        + roles().to_markdown(index=False)
        + "\n"
    )
    (args.out / "table.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
