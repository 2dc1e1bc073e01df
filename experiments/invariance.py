"""The same district at any sample: every outcome at 1:K against the finest sample, by equivalence tests.

For each preset and each sample 1:K, the script runs a fixed seed set and compares every outcome of the
catalogue with the finest sample by Schuirmann's two one-sided tests (TOST, Welch t at alpha = 0.05;
equivalently the 90 % confidence interval of the difference lies inside the outcome's declared margin).
Samples of different sizes are different districts, so the comparison is unpaired. Each row states the
smallest margin the seed set could establish (the half-width of that interval), so that an
"inconclusive" verdict reads as "needs more seeds", not as "different".

    python -m experiments.invariance                      # chengzhong, repressive, fengqiao_grid; 1:2, 1:4, 1:10
    python -m experiments.invariance --presets tiny --samples 25,50 --seeds 4 --days 365   # a quick look
    python -m experiments.invariance --presets repressive --samples 2,4 --set adaptive_manager=false

Writes results/invariance/outcomes.csv (every run), results/invariance/table.md (the table) and prints it.
The last full result is committed in docs/model.md ("Sampling: the same district at any sample").
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from conflict_sim.analysis.statistics import holm
from conflict_sim.catalogue import CATALOGUE, Metric
from conflict_sim.errors import ConflictSimError
from conflict_sim.params import parse_assignments
from conflict_sim.scenarios import load
from experiments.validation.seedsets import Arm, run_arms, seed_set

PRESETS = ("chengzhong", "repressive", "fengqiao_grid")
SAMPLES = (2, 4, 10)
ALPHA = 0.05
SEED_ROOT = 1010


@dataclass(frozen=True)
class Verdict:
    """One outcome at one sample against the reference sample."""

    outcome: str
    reference: float
    value: float
    low: float  # 90 % interval of the difference (value - reference)
    high: float
    margin: float
    verdict: str  # equivalent | different | inconclusive | undefined
    p_different: float = math.nan  # one-sided p of "the difference lies beyond the margin", in its observed direction

    @property
    def detectable(self) -> float:
        """The smallest margin this seed set could establish: the half-width of the 90 % interval."""
        return (self.high - self.low) / 2


def tost(metric: Metric, reference: np.ndarray, sample: np.ndarray) -> Verdict:
    """Schuirmann's TOST (Welch) of `sample` against `reference` with the metric's margin."""
    a, b = reference[~np.isnan(reference)], sample[~np.isnan(sample)]
    if len(a) < 2 or len(b) < 2:
        return Verdict(metric.name, _mean(a), _mean(b), math.nan, math.nan, math.nan, "undefined")
    margin = metric.margin.at(float(a.mean()))
    diff = float(b.mean() - a.mean())
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    se = math.sqrt(va + vb)
    if se == 0:
        verdict = "equivalent" if abs(diff) < margin else "different"
        p = 1.0 if verdict == "equivalent" else 0.0
        return Verdict(metric.name, float(a.mean()), float(b.mean()), diff, diff, margin, verdict, p)
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    lower = float(stats.t.cdf((diff - margin) / se, df))  # Welch's one-sided p for diff < +margin
    upper = float(stats.t.sf((diff + margin) / se, df))  # and for diff > -margin
    half = float(stats.t.ppf(1 - ALPHA, df) * se)
    # the "different" test, in diff's direction: below ALPHA exactly when the 90 % interval lies beyond the margin
    beyond = float(stats.t.sf((abs(diff) - margin) / se, df))
    if max(lower, upper) < ALPHA:
        verdict = "equivalent"
    elif beyond < ALPHA:
        verdict = "different"
    else:
        verdict = "inconclusive"
    return Verdict(metric.name, float(a.mean()), float(b.mean()), diff - half, diff + half, margin, verdict, beyond)


def _mean(x: np.ndarray) -> float:
    return float(x.mean()) if len(x) else math.nan


def different_family_wise(verdicts: pd.DataFrame, alpha: float = ALPHA) -> pd.DataFrame:
    """The rows shown different with the family-wise error held at `alpha` (Holm over the rows given).

    Each row's "different" verdict is a test at `alpha`; a claim about many outcomes at once ("no outcome
    differs") needs the family's error held instead, or one in twenty true equivalences reads as a difference.
    """
    return verdicts[holm(verdicts["p_different"].to_numpy(float)) < alpha]


def run(
    presets,
    samples,
    n_seeds: int,
    days: int,
    warmup: int,
    workers: int,
    changes: dict | None = None,
    *,
    seed_root: int = SEED_ROOT,
) -> pd.DataFrame:
    """Every preset at every sample on one seed set, with `changes` to every preset; one row of outcomes per run."""
    seeds = seed_set(seed_root, n_seeds)
    rows = []
    for preset in presets:
        scenario = load(preset)
        params = scenario.params.replace(**(changes or {}))
        arms = [Arm(params.replace(households_per_agent=k), scenario.policies) for k in samples]
        print(f"{preset}: {len(arms) * len(seeds)} runs ...", file=sys.stderr, flush=True)
        results = run_arms(arms, seeds, days, workers=workers, warmup_days=warmup)
        for k, runs in zip(samples, results, strict=True):
            rows += [{"preset": preset, "k": k, "seed": s, **o} for s, (o, _) in zip(seeds, runs, strict=True)]
    return pd.DataFrame(rows)


def verdicts_of(reference: pd.DataFrame, runs: pd.DataFrame) -> list[dict]:
    """Every outcome of the catalogue in `runs` against `reference` (TOST with its margin), one row each."""
    rows = []
    for name, metric in CATALOGUE.items():
        if name == "days":
            continue
        v = tost(metric, reference[name].to_numpy(float), runs[name].to_numpy(float))
        rows.append({**v.__dict__, "detectable": v.detectable})
    return rows


def table(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Verdicts of every outcome at every coarser sample against the finest one, per preset."""
    rows = []
    for preset, runs in outcomes.groupby("preset", sort=False):
        samples = sorted(runs["k"].unique())
        finest = runs[runs["k"] == samples[0]]
        for k in samples[1:]:
            where = {"preset": preset, "reference": f"1:{samples[0]}", "sample": f"1:{k}"}
            rows += [where | row for row in verdicts_of(finest, runs[runs["k"] == k])]
    return pd.DataFrame(rows)


def markdown(verdicts: pd.DataFrame, *, n_seeds: int, days: int) -> str:
    """The summary (verdict counts) and the rows that are not equivalent."""
    lines = [f"Seeds: {n_seeds} per sample; horizon {days} days; outcomes after warm-up; TOST at alpha 0.05.", ""]
    counts = verdicts.pivot_table(
        index=["preset", "sample"], columns="verdict", values="outcome", aggfunc="count", fill_value=0
    )
    family = [
        f"{preset} {sample}: {len(different_family_wise(rows))}"
        for (preset, sample), rows in verdicts.groupby(["preset", "sample"], sort=False)
    ]
    lines += [
        counts.to_markdown(),
        "",
        "Shown different with the family-wise error at 0.05 (Holm over each preset's outcomes at each sample): "
        + "; ".join(family)
        + ".",
        "",
        "Outcomes not shown equivalent:",
        "",
    ]
    shown = verdicts[verdicts["verdict"] != "equivalent"]
    columns = ["preset", "sample", "outcome", "reference", "value", "low", "high", "margin", "detectable", "verdict"]
    lines.append(shown[columns].to_markdown(index=False, floatfmt=".4g") if len(shown) else "(none)")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--presets", default=",".join(PRESETS))
    parser.add_argument("--samples", default=",".join(map(str, SAMPLES)), help="households per agent, finest first")
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--days", type=int, default=3 * 365)
    parser.add_argument("--warmup", type=int, default=365)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("results/invariance"))
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", help="change a parameter of every preset"
    )
    args = parser.parse_args(argv)
    try:
        changes = parse_assignments(args.set)
        outcomes = run(
            args.presets.split(","),
            [int(k) for k in args.samples.split(",")],
            args.seeds,
            args.days,
            args.warmup,
            args.workers,
            changes,
        )
    except ConflictSimError as exc:
        print(f"invariance: {exc}", file=sys.stderr)
        sys.exit(2)
    args.out.mkdir(parents=True, exist_ok=True)
    outcomes.to_csv(args.out / "outcomes.csv", index=False)
    verdicts = table(outcomes)
    verdicts.to_csv(args.out / "verdicts.csv", index=False)
    text = markdown(verdicts, n_seeds=args.seeds, days=args.days)
    (args.out / "table.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
