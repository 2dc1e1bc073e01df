"""What running more model processes than cores costs: CPU seconds a run with one process a core, and with two.

`make test` runs two pytest-xdist workers on a 2-core machine; when each of them ran its seed sets on a
pool of two processes, four model processes shared two cores. This benchmark splits the same runs
(Chengzhong at the faithful 1:4 sample, seeds 0, 1, ...) over as many bare processes as there are cores,
and over twice as many, started together, and prints for each the CPU seconds a run (its build and its
days; not the imports) and the wall time, as medians (min, max) over rounds, and
the ratio of CPU a run, taken round by round. Rounds alternate the two layouts.

    python benchmarks/bench_oversubscription.py                 # 3 rounds of 16 runs of 730 days
    python benchmarks/bench_oversubscription.py --rounds 5 --runs 8 --days 365

About 3 minutes at the defaults on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = """
import sys, time
from conflict_sim.model import PetitionModel
from conflict_sim.scenarios import load
params = load("chengzhong").params.replace(households_per_agent=4)
start = time.process_time()
for seed in map(int, sys.argv[1:]):
    PetitionModel(params, rng=seed).run_for({days})
print(time.process_time() - start)
"""


def layout(processes: int, runs: int, days: int) -> tuple[float, float]:
    """The runs split over `processes` processes started together: (CPU seconds a run, wall seconds)."""
    code = RUNS.format(days=days)
    start = time.perf_counter()
    children = [
        subprocess.Popen(
            [sys.executable, "-c", code, *map(str, range(p, runs, processes))],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for p in range(processes)
    ]
    outputs = [child.communicate()[0] for child in children]
    wall = time.perf_counter() - start
    if any(child.returncode for child in children):
        raise SystemExit("a benchmark process failed (see its traceback above)")
    return sum(float(out) for out in outputs) / runs, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=16, help="runs in each layout (default 16)")
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    for name in ("runs", "days", "rounds"):
        if getattr(args, name) < 1:
            raise SystemExit(f"--{name}: must be at least 1 (got {getattr(args, name)})")
    cores = os.cpu_count() or 1
    if args.runs < 2 * cores:
        raise SystemExit(f"--runs: must be at least {2 * cores}, one a process (got {args.runs})")

    layouts = {f"{cores} processes": cores, f"{2 * cores} processes": 2 * cores}
    cpu: dict[str, list[float]] = {name: [] for name in layouts}
    wall: dict[str, list[float]] = {name: [] for name in layouts}
    for r in range(args.rounds):
        for name, processes in layouts.items():
            per_run, seconds = layout(processes, args.runs, args.days)
            cpu[name].append(per_run)
            wall[name].append(seconds)
            print(f"round {r + 1}: {name}: {per_run:.3f} CPU s a run, {seconds:.1f} s wall", flush=True)

    print(f"\nChengzhong 1:4, {args.runs} runs of {args.days} days on {cores} cores, {args.rounds} rounds:")
    for name in layouts:
        print(
            f"  {name}: {statistics.median(cpu[name]):.3f} CPU s a run ({min(cpu[name]):.3f}, {max(cpu[name]):.3f}), "
            f"{statistics.median(wall[name]):.1f} s wall"
        )
    one, two = layouts
    ratios = [b / a for a, b in zip(cpu[one], cpu[two], strict=True)]
    print(
        f"  CPU a run, {two} / {one}: {statistics.median(ratios):.3f} "
        f"({min(ratios):.3f}, {max(ratios):.3f}; n={len(ratios)})"
    )


if __name__ == "__main__":
    main()
