"""Each policy's intended effect, and the effects it was not meant to have, on paired seeds.

Every countermeasure declares one outcome it should move and the way it should move it (`DIRECTIONS`,
asserted by `tests/test_policies.py::test_policy_direction`). This script runs the same arms on the same
seeds as that test (Chengzhong at the faithful 1:4 sample, `seed_set(2024, n)`, policy against none with
common random numbers, outcomes after a one-year warm-up) and writes, for every policy, the paired
difference of its target outcome and the six other outcomes it moves most (beyond 3 standard errors).

    python -m experiments.policy_directions            # about 7 minutes on 2 quiet cores

Writes results/policy_directions/{effects.csv,table.md}; the tables in docs/policies.md are its last result.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from conflict_sim.policies import REGISTRY
from conflict_sim.scenarios import load
from experiments.dead_parameters import SAMPLE
from experiments.validation.seedsets import Arm, Paired, outcome, run_arms, seed_set


class Direction(NamedTuple):
    """A policy's intended effect: the outcome, its sign, and the world and runs that show it."""

    kind: str
    outcome: str
    sign: int
    world: dict = {}  # noqa: RUF012 - scenario changes that give the mechanism room to act
    seeds: int = 8
    days: int = 2 * 365


# Margin: the mean paired difference (policy minus none) over the seeds exceeds 3 standard errors.
# More shared issues give crowds room to show:
COLLECTIVE = {"collective_issue_multiplier": 4.0}
# Residents who do not shy from petitioning (the reluctance to petition of docs/model.md 7.2 at 0, as before
# calibration): about ten times the petitions of the calibrated district, so the skip-level visits a higher
# level returns to the district are frequent enough to show what is done with them.
PETITIONING = {"petition_reluctance": 0.0}
DIRECTIONS = [
    # Coser's safety valve, the policy's theory: voice that is cheap and heard releases hostility. Its channel
    # shifts are small in the calibrated district, where most voice goes to the hotline, the grid and mediation:
    # online share of all submissions +0.005 (z +3.0 on 8 seeds), of petitions +0.048 ± 0.019 (z +2.5 on 16;
    # letters get cheaper too) (4 December 2026).
    Direction("open_channels", "hostility_mean", -1),
    # the Fengqiao claim itself: "small matters stay in the community" (小事不出社区, 矛盾不上交)
    Direction("fengqiao_mediation", "ended_share_community", +1),
    Direction("grid_detection", "petitions_per_year", -1),
    Direction("fast_handling", "substantive_resolution_rate", +1),
    Direction("procedural_justice", "legitimacy_local_mean", +1),
    # Its levers act on the cases a higher level returns to the district (交办, 包案): leader owners resolve
    # them more often (the levers' own declared outcome, found on another seed set, docs/parameters.md).
    # Its effect on trust is too small to show (+0.0003 ± 0.0002 on 16 seeds, 3 December 2026). Returned cases
    # come from skip-level visits, rare in the calibrated district (+0.015 ± 0.038 on 16 seeds, 4 December 2026).
    Direction("leader_ownership", "returned_resolution_rate", +1, PETITIONING, seeds=16),
    Direction("classification_by_law", "share_court", +1),
    Direction("standard_procedure", "legitimacy_local_mean", +1),
    Direction("source_governance", "grievance_stock_mean", -1),
    Direction("representatives", "mean_collective_size", -1, COLLECTIVE),
    # the manager's quarterly hill-climbing is noisy: its drift away from control needs seeds (z -4.8 on 12
    # seeds over 3 years, -3.9 on 16 over 2, which share their control with leader_ownership; 3 December 2026)
    Direction("evaluation_reform", "control_share_end", -1, seeds=16),
    Direction("no_merit_blind_buyoffs", "compensation_total", -1),
    Direction("less_coercion", "intercepted_share", -1),
    Direction("social_organisations", "legitimacy_local_mean", +1),
]
ROOT = 2024
WARMUP_DAYS = 365
SIDE_EFFECTS = 6  # the outcomes each policy moves most, besides its target
MARGIN_SE = 3.0


def direction_runs(workers: int = 2) -> dict:
    """Each direction's control and policy runs, {kind: (control, treated)}.

    Each world's control runs once per horizon, on the most seeds any of its directions needs; a
    direction on fewer seeds pairs with the first of them (a seed set's first members do not depend on
    its size). One batch per seed count and horizon.
    """
    faithful = load("chengzhong").params.replace(households_per_agent=SAMPLE)
    controls: dict[tuple, int] = {}
    for d in DIRECTIONS:
        controls[_control(d)] = max(controls.get(_control(d), 0), d.seeds)
    batches: dict[tuple[int, int], list[tuple[tuple, Arm]]] = {}
    for (world, days), seeds in controls.items():
        batches.setdefault((seeds, days), []).append(((world, days), Arm(faithful.replace(**dict(world)))))
    for d in DIRECTIONS:
        arm = Arm(faithful.replace(**d.world), (REGISTRY[d.kind](),))
        batches.setdefault((d.seeds, d.days), []).append(((d.kind,), arm))
    found: dict[tuple, list] = {}
    for (seeds, days), labelled in sorted(batches.items()):
        results = run_arms(
            [arm for _, arm in labelled], seed_set(ROOT, seeds), days, workers=workers, warmup_days=WARMUP_DAYS
        )
        found |= {label: runs for (label, _), runs in zip(labelled, results, strict=True)}
    return {d.kind: (found[_control(d)][: d.seeds], found[(d.kind,)]) for d in DIRECTIONS}


def _control(d: Direction) -> tuple:
    """The control a direction pairs with: its world without the policy, on its horizon."""
    return tuple(sorted(d.world.items())), d.days


def effects(runs: dict) -> pd.DataFrame:
    """Every outcome's paired difference for every policy (outcomes undefined on some seed left out)."""
    rows = []
    for d in DIRECTIONS:
        control, treated = runs[d.kind]
        for key in sorted(control[0][0]):
            a, b = outcome(control, key).astype(float), outcome(treated, key).astype(float)
            if not np.all(np.isfinite(b - a)):
                continue
            effect = Paired.of(a, b)
            rows.append(
                {
                    "policy": d.kind,
                    "outcome": key,
                    "control": a.mean(),
                    "difference": effect.mean,
                    "se": effect.se,
                    "z": effect.z,
                    "seeds": effect.n,
                    "target": key == d.outcome,
                }
            )
    return pd.DataFrame(rows)


def _number(x: float) -> str:
    text = f"{x:+,.0f}" if abs(x) >= 100 else f"{x:+.2g}" if abs(x) < 0.01 else f"{x:+.3g}"
    return text.replace("-", "−")


def _z(z: float) -> str:
    return f"{z:.1f}".replace("-", "−")


def markdown(table: pd.DataFrame) -> str:
    """The two tables of docs/policies.md: the tested direction, and the side effects beyond 3 SE."""
    lines = ["| policy | tested effect: outcome, paired difference ± SE (z) |", "|---|---|"]
    side = ["| policy | side effects |", "|---|---|"]
    for d in DIRECTIONS:
        rows = table[table["policy"] == d.kind]
        target = rows[rows["target"]].iloc[0]
        verdict = "passes" if d.sign * target["difference"] > MARGIN_SE * target["se"] else "FAILS"
        arrow = "↑" if d.sign > 0 else "↓"
        lines.append(
            f"| `{d.kind}` | `{d.outcome}` {arrow}: {_number(target['difference'])} ± {target['se']:.2g} "
            f"(z {_z(target['z'])}; {int(target['seeds'])} seeds), {verdict} |"
        )
        others = rows[~rows["target"] & (rows["z"].abs() > MARGIN_SE)]
        top = others.reindex(others["z"].abs().sort_values(ascending=False).index).head(SIDE_EFFECTS)
        side.append(
            f"| `{d.kind}` | "
            + "; ".join(f"`{r.outcome}` {_number(r.difference)} (z {_z(r.z)})" for r in top.itertuples())
            + " |"
        )
    return "\n".join(lines) + "\n\n" + "\n".join(side) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("results/policy_directions"))
    args = parser.parse_args(argv)
    print(f"{len(DIRECTIONS)} policies at 1:{SAMPLE} ...", file=sys.stderr, flush=True)
    table = effects(direction_runs(args.workers))
    args.out.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out / "effects.csv", index=False)
    text = markdown(table)
    (args.out / "table.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
