"""The channels' utilities of a day's decisions compiled by numba, one call a day: the same numbers? how fast?

`decisions.utilities` (docs/model.md §7.2: beliefs, costs, risk, norms, imitation of ties, the pull of
the centre on skip-level visits, the extras of non-normal action) is the largest array step of a day's
decisions: about 7 % of a run at 1:4, where a day's batch is about 40 issues and each of its thirty-odd
NumPy operations costs as much for 40 rows as for 160. Here the same arithmetic, in the same order and
precision (the belief counts are float32 as in `Households`), is one compiled loop over the batch,
called once a day: the first piece of a compiled day that needs no change to the model's objects.

1. It checks that the compiled utilities equal the model's, bit for bit, at every decision of three
   runs (1:4 and 1:10 for 2 years, 1:1 for 200 days).
2. It times whole runs in fresh processes, rounds alternating the plain and the compiled build: 1:4
   for 2 years and 1:1 for 1 year, each process first running 30 days of the tiny district so that
   numba's start is not in the run's time. The rest of each process's life is printed apart: the
   compiled build's is longer by numba's import and first call, which every process that runs the
   model would pay.

Both builds run the model's sources as Python (`CONFLICT_SIM_PURE=1`, set by the script): the compiled
build of conflict_sim/compiled.py weighs its decisions in C and never calls `decisions.utilities`.

numba is not a dependency of the project: when it cannot be imported, the script makes a scratch
virtualenv with the project and numba (installed by uv, as `bench_compiled.py` does) and runs itself
there.

    python benchmarks/bench_compiled_decisions.py              # 4 rounds
    python benchmarks/bench_compiled_decisions.py --rounds 6
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from statistics import median

import numpy as np
from bench_compiled import numba_or_rerun

from conflict_sim.agents import decisions
from conflict_sim.channels import LOCAL_ORGANS, SKIP
from conflict_sim.households import IMITATION_DAYS
from conflict_sim.issues import Channel

ROOT = Path(__file__).resolve().parent.parent
RUNS = {"1:4, 730 days": (4, 730), "1:1, 365 days": (1, 365)}
CHECKED = ((4, 730, 1), (10, 730, 3), (1, 200, 2))  # households per agent, days, seed
LOCAL_MASK = np.isin(np.arange(len(Channel)), LOCAL_ORGANS)
SKIP_MASK = np.isin(np.arange(len(Channel)), SKIP)


def utilities_loop(
    who,
    stake,
    group_people,
    prior,
    strength,
    stake_weight,
    cost,
    sanction,
    norm,
    constant,
    risk,
    crowd_risk,
    imitation,
    since,
    skip_trust_weight,
    grievance,
    hostility,
    w_grievance,
    w_hostility,
    w_distrust,
    local_all,
    center_all,
    successes,
    failures,
    budget,
    risk_aversion,
    ties,
    last_channel,
    last_channel_day,
    local_mask,
    skip_mask,
    collective,
    nonnormal,
):
    """`decisions.utilities` as one loop over the batch, each element's operations in NumPy's order."""
    n, m = who.shape[0], cost.shape[0]
    u = np.empty((n, m))
    k = ties.shape[1]
    strength32 = np.float32(strength)  # NumPy adds a Python float to float32 counts in float32
    counts = np.zeros(m + 1, np.int64)
    for r in range(n):
        h = who[r]
        local, center, ra = local_all[h], center_all[h], risk_aversion[h]
        s = stake[r] * stake_weight
        counts[:] = 0
        for j in range(k):  # `Households.channels_of_ties`
            t = ties[h, j]
            if last_channel_day[t] >= since:
                counts[last_channel[t]] += 1
        skip_pull = skip_trust_weight * max(0.0, center - local)
        for a in range(m):
            p = center if skip_mask[a] else (local if local_mask[a] else prior[a])  # `ChannelTable.priors`
            belief = (strength * p + successes[h, a]) / ((strength32 + successes[h, a]) + failures[h, a])
            risk_a = crowd_risk[r] if a == collective and group_people[r] != 0.0 else risk
            v = (
                belief * s
                - cost[a] / budget[h]
                - ra * risk_a * sanction[a]
                + norm[a] * local
                + constant[a]
                + imitation * (counts[a] / k)
            )
            if skip_mask[a]:
                v += skip_pull
            if a == nonnormal:
                v += w_grievance * grievance[r] + w_hostility * hostility[r] + w_distrust * (1.0 - center)
            u[r, a] = v
    return u


@functools.cache
def compiled_loop():
    import numba

    return numba.njit(cache=True)(utilities_loop)


def compiled_utilities(world, batch, grievance, hostility):
    """A drop-in for `decisions.utilities`: the crowd's risk per row in Python (few rows), the rest compiled."""
    hh, p, table, who = world.households, world.params, world.channels, batch.who
    crowd = np.zeros(len(who))
    for row in np.flatnonzero(batch.group_people).tolist():
        crowd[row] = world.manager.crowd_risk(batch.group_people.item(row) / 2)
    return compiled_loop()(
        who,
        batch.stake,
        batch.group_people,
        table._prior,
        float(p.belief_prior_strength),
        float(p.stake_weight),
        table.cost,
        table.sanction,
        table.norm,
        table.constant,
        world.manager.individual_risk(),
        crowd,
        float(p.peer_imitation),
        world.day - IMITATION_DAYS,
        float(p.skip_trust_weight),
        grievance,
        hostility,
        float(p.nonnormal_grievance_weight),
        float(p.nonnormal_hostility_weight),
        float(p.nonnormal_distrust_weight),
        hh.legitimacy_local,
        hh.legitimacy_center,
        hh.successes,
        hh.failures,
        hh.budget,
        hh.risk_aversion,
        hh.ties,
        hh.last_channel,
        hh.last_channel_day,
        LOCAL_MASK,
        SKIP_MASK,
        int(Channel.COLLECTIVE_VISIT),
        int(Channel.NONNORMAL),
    )


def differing_decisions() -> tuple[int, int]:
    """Decisions of the checked runs whose compiled utilities differ from the model's in any bit; decisions seen."""
    from conflict_sim.model import PetitionModel
    from conflict_sim.scenarios import load

    plain, seen = decisions.utilities, [0, 0]

    def both(world, batch, grievance, hostility):
        u = plain(world, batch, grievance, hostility)
        same = np.all(u == compiled_utilities(world, batch, grievance, hostility), axis=1)
        seen[0] += int((~same).sum())
        seen[1] += len(same)
        return u

    decisions.utilities = both
    try:
        for scale, days, seed in CHECKED:
            PetitionModel(load("chengzhong").params.replace(households_per_agent=scale), rng=seed).run_for(days)
    finally:
        decisions.utilities = plain
    return seen[0], seen[1]


def child(build: str, scale: int, days: int) -> None:
    """One timed run in this fresh process, after 30 days of the tiny district (numba's first call, if compiled)."""
    from conflict_sim.model import PetitionModel
    from conflict_sim.scenarios import load

    if build == "compiled":
        decisions.utilities = compiled_utilities  # `decisions.decide` reads it from its module
    PetitionModel(load("tiny").params, rng=1).run_for(30)
    world = PetitionModel(load("chengzhong").params.replace(households_per_agent=scale), rng=1)
    begin = time.perf_counter()
    world.run_for(days)
    print(json.dumps({"run": time.perf_counter() - begin}))


def timed(build: str, scale: int, days: int) -> dict[str, float]:
    """The run's seconds, and the rest of its process's life (start, imports, the tiny days, the build, exit)."""
    command = [sys.executable, __file__, "--child", build, str(scale), str(days)]
    begin = time.perf_counter()
    out = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    found = json.loads(out.splitlines()[-1])
    return {"run": found["run"], "rest": time.perf_counter() - begin - found["run"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--child", nargs=3, metavar=("BUILD", "SCALE", "DAYS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]), int(args.child[2]))
        return
    if args.rounds < 1:
        raise SystemExit(f"--rounds: must be at least 1 (got {args.rounds})")
    if os.environ.get("CONFLICT_SIM_PURE") != "1":  # again, the sources as Python (the docstring)
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "CONFLICT_SIM_PURE": "1"})
    numba = numba_or_rerun(__file__)

    differing, seen = differing_decisions()
    print(f"numba {numba.__version__}, NumPy {np.__version__}")
    print(f"decisions whose compiled utilities differ from the model's in any bit: {differing} of {seen:,}")
    times = {(label, build): [] for label in RUNS for build in ("plain", "compiled")}
    for _ in range(args.rounds):  # alternating, so drift of the machine falls on both builds alike
        for label, (scale, days) in RUNS.items():
            for build in ("plain", "compiled"):
                times[label, build].append(timed(build, scale, days))
    print(f"\n  {'run':16s} {'plain s':>8s} {'compiled s':>11s}  ratio (median, min, max over {args.rounds} rounds)")
    for label in RUNS:
        plain, compiled = ([t["run"] for t in times[label, b]] for b in ("plain", "compiled"))
        ratios = [c / p for c, p in zip(compiled, plain, strict=True)]
        print(
            f"  {label:16s} {median(plain):8.3f} {median(compiled):11.3f}  "
            f"{median(ratios):.3f} ({min(ratios):.3f}, {max(ratios):.3f})"
        )
    rest = {b: median(t["rest"] for label in RUNS for t in times[label, b]) for b in ("plain", "compiled")}
    print(
        f"\n  the rest of a process (start, imports, 30 tiny days, the build, exit; compiled: numba's import and "
        f"first call too): plain {rest['plain']:.2f} s, compiled {rest['compiled']:.2f} s"
    )


if __name__ == "__main__":
    main()
