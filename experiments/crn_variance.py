"""What common random numbers buy: the variance of paired differences against unpaired ones, measured.

Two arms run on the same seed set. Because every process of the model draws from its own stream and
arrivals from a stream of their own (conflict_sim.streams), both arms meet the same issues; their
paired difference removes the luck of the draw. For each outcome the script prints the variance of
the paired differences (arm B minus arm A on the same seed), the variance an unpaired comparison
would have (var A + var B), their ratio, and the replications an unpaired design would need for the
same precision.

    python -m experiments.crn_variance                     # chengzhong at 1:4, baseline vs fast_fair, 12 seeds
    python -m experiments.crn_variance --sample 10 --seeds 20 --arm fengqiao_grid
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from conflict_sim.scenarios import load
from experiments.validation.seedsets import Arm, outcome, run_arms, seed_set

OUTCOMES = (
    "substantive_resolution_rate",
    "formal_on_time_rate",
    "petitions_per_100_residents_year",
    "skip_attempts_per_year",
    "collective_visits_per_year",
    "nonnormal_per_year",
    "legitimacy_local_mean",
    "legitimacy_center_mean",
    "median_days_to_resolution",
    "cost_total",
)


def measure(sample: int, seeds: int, days: int, warmup: int, arm: str, workers: int) -> pd.DataFrame:
    base = load("chengzhong")
    treated = load(arm)
    arms = [
        Arm(base.params.replace(households_per_agent=sample), base.policies),
        Arm(treated.params.replace(households_per_agent=sample), treated.policies),
    ]
    a, b = run_arms(arms, seed_set(77, seeds), days, workers=workers, warmup_days=warmup)
    rows = []
    for name in OUTCOMES:
        x, y = outcome(a, name), outcome(b, name)
        ok = ~(np.isnan(x) | np.isnan(y))
        x, y = x[ok], y[ok]
        paired = float(np.var(y - x, ddof=1))
        unpaired = float(np.var(x, ddof=1) + np.var(y, ddof=1))
        rows.append(
            {
                "outcome": name,
                "mean difference": float((y - x).mean()),
                "paired variance": paired,
                "unpaired variance": unpaired,
                "ratio": paired / unpaired if unpaired else np.nan,
                "unpaired replications for the same precision": unpaired / paired if paired else np.inf,
            }
        )
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sample", type=int, default=4, help="households per agent (4: the faithful sample)")
    parser.add_argument("--seeds", type=int, default=12)
    parser.add_argument("--days", type=int, default=3 * 365)
    parser.add_argument("--warmup", type=int, default=365)
    parser.add_argument("--arm", default="fast_fair", help="the preset compared with chengzhong")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    table = measure(args.sample, args.seeds, args.days, args.warmup, args.arm, args.workers)
    print(
        f"chengzhong vs {args.arm}, 1:{args.sample}, {args.seeds} seeds, {args.days} days after a "
        f"{args.warmup}-day warm-up\n"
    )
    print(table.to_markdown(index=False, floatfmt=".4g"))


if __name__ == "__main__":
    main()
