"""What one run of a study costs around its simulated days, as a worker of the engine pays it.

Tests, validation and policy comparisons run hundreds of runs of the calibrated Chengzhong at the faithful
1:4 sample through the engine's worker processes. Each fresh process (one per round) imports what a worker
imports, times one full pass of the garbage collector before and after freezing the imports (what a worker
does after its first batch, `conflict_sim.batches`), then runs two runs and reports the phases of the
second (the first pays the lazy imports): building the district, the simulated days, the event tables, the
daily series and the outcomes. Shares are of the same run's total, so the days are the reference measured
alongside. The collector is paused through each run, as `simulate` pauses it; then the finished model is
freed, and the pass of the youngest generation that frees it is timed: the second run's model released
first (`PetitionModel.release`, as `simulate` does), a third run's model not, as before it.

    python benchmarks/bench_run_costs.py                  # 5 rounds, 2 years at 1:4, outcomes after 1
    python benchmarks/bench_run_costs.py --rounds 3 --days 450 --scale 10
"""

from __future__ import annotations

import argparse

from bench_model import measure, summary

RUN = """
import gc, json, time
start = time.process_time()
from conflict_sim import catalogue
from conflict_sim.model import PetitionModel
from conflict_sim.scenarios import load
imported = time.process_time() - start

def full_pass():
    t = time.perf_counter(); gc.collect(); return time.perf_counter() - t

gc_before = full_pass()
gc.freeze()
gc_frozen = full_pass()
gc.unfreeze()
params = load("chengzhong").params.replace(households_per_agent={scale})
totals, freeing = [], []
for seed, release in (({seed}, True), ({seed} + 100, True), ({seed} + 200, False)):
    gc.disable()
    t0 = time.perf_counter()
    model = PetitionModel(params, rng=seed)
    t1 = time.perf_counter()
    model.run_for({days})
    model.finish()
    t2 = time.perf_counter()
    events = model.log.tables()
    t3 = time.perf_counter()
    daily = model.daily(events)
    t4 = time.perf_counter()
    catalogue.outcomes(events, daily, model.params, {warmup})
    t5 = time.perf_counter()
    if release:
        model.release()
    del model
    gc.enable()
    gc.collect(0)
    t6 = time.perf_counter()
    totals.append(t6 - t0)
    freeing.append(t6 - t5)
print(json.dumps({{"first": totals[0], "import": imported, "gc_pass": gc_before, "gc_pass_frozen": gc_frozen,
                   "build": t1 - t0, "days": t2 - t1, "tables": t3 - t2, "daily": t4 - t3,
                   "outcomes": t5 - t4, "freed": freeing[1], "total": totals[1],
                   "unreleased_freed": freeing[2]}}))
"""
PHASES = ("build", "days", "tables", "daily", "outcomes", "freed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--days", type=int, default=2 * 365)
    parser.add_argument("--warmup", type=int, default=365)
    parser.add_argument("--scale", type=int, default=4, help="households per agent (4 = the faithful sample)")
    args = parser.parse_args()

    found = [
        measure(RUN.format(scale=args.scale, seed=r + 1, days=args.days, warmup=args.warmup))
        for r in range(args.rounds)
    ]
    print(f"Chengzhong 1:{args.scale}, {args.days} days, outcomes after {args.warmup}; {args.rounds} fresh processes:")
    print(f"  a worker's imports, CPU seconds        {summary([f['import'] for f in found])}")
    print(f"  one full collector pass after them, ms {summary([1000 * f['gc_pass'] for f in found])}")
    print(f"  … the same with the imports frozen, ms {summary([1000 * f['gc_pass_frozen'] for f in found])}")
    print(f"  the first run (lazy imports), seconds  {summary([f['first'] for f in found])}")
    print(f"  the second run, seconds                {summary([f['total'] for f in found])}")
    for phase in PHASES:
        ms = [1000 * f[phase] for f in found]
        share = [100 * f[phase] / f["total"] for f in found]
        print(f"    {phase:<10} ms {summary(ms):<32} share % {summary(share, '.2g')}")
    print(f"  a third run's model freed without `release`, ms {summary([1000 * f['unreleased_freed'] for f in found])}")


if __name__ == "__main__":
    main()
