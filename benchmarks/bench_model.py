"""Speed of one full-district run, measured beside Mesa's bundled Epstein civil-violence example.

Prints medians (min, max) over rounds. Each configuration runs in a fresh process (so build time and
peak memory are its own), in rounds A B A B ...; the throughput ratio is taken round by round. Peak
memory is read after the run (the target's figure) and again after the run's tables and outcomes are
made, as `simulate()` makes them, and after the imports alone (Mesa's pandas, pyarrow and SciPy before
the model exists): the run's peak minus that is the model's own, which another machine's shared
libraries, huge pages and allocator move less (docs/performance.md, 5 December, late evening).

    python benchmarks/bench_model.py              # full scale, 3 years, 3 rounds
    python benchmarks/bench_model.py --rounds 5 --days 365 --scale 10
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

CHENGZHONG = """
import json, resource, sys, time
from conflict_sim.model import PetitionModel
from conflict_sim.scenarios import load
rss_imports = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
params = load("chengzhong").params.replace(households_per_agent={scale})
start = time.perf_counter()
model = PetitionModel(params, rng={seed})
built = time.perf_counter()
model.run_for({days})
done = time.perf_counter()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
from conflict_sim import catalogue  # what simulate() does after the run: the tables and the outcomes
model.finish()
events = model.log.tables()
catalogue.outcomes(events, model.daily(events), model.params, 0)
print(json.dumps({{"build": built - start, "run": done - built, "wall": done - start,
                   "agents": params.agents, "events": model.agenda.scheduled, "rss_mib": rss,
                   "rss_imports_mib": rss_imports,
                   "rss_results_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""

EPSTEIN = """
import json, resource, time
from mesa.examples.advanced.epstein_civil_violence.model import EpsteinCivilViolence, EpsteinScenario
model = EpsteinCivilViolence(scenario=EpsteinScenario(rng={seed}))
n = len(model.agents)
model.step(); model.step()  # warm-up: the first steps fill the neighbourhood caches
start = time.perf_counter()
for _ in range({steps}):
    model.step()
run = time.perf_counter() - start
print(json.dumps({{"run": run, "agent_steps": n * {steps}, "agents": n,
                   "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def measure(code: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def summary(values: list[float], fmt: str = ".3g") -> str:
    return f"{statistics.median(values):{fmt}} ({min(values):{fmt}}, {max(values):{fmt}}; n={len(values)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--days", type=int, default=3 * 365)
    parser.add_argument("--scale", type=int, default=1, help="households per agent (1 = full scale)")
    parser.add_argument("--epstein-steps", type=int, default=30)
    args = parser.parse_args()

    walls, runs, builds, rss, rss_results, rss_imports, hh_days, epstein_rate, epstein_rss, ratios = (
        [] for _ in range(10)
    )
    for r in range(args.rounds):
        c = measure(CHENGZHONG.format(scale=args.scale, seed=r + 1, days=args.days))
        e = measure(EPSTEIN.format(seed=r + 1, steps=args.epstein_steps))
        households = c["agents"] * args.scale
        walls.append(c["wall"]), runs.append(c["run"]), builds.append(c["build"])
        rss.append(c["rss_mib"]), rss_results.append(c["rss_results_mib"]), epstein_rss.append(e["rss_mib"])
        rss_imports.append(c["rss_imports_mib"])
        hh_days.append(households * args.days / c["run"])
        epstein_rate.append(e["agent_steps"] / e["run"])
        ratios.append(hh_days[-1] / epstein_rate[-1])
        print(
            f"round {r + 1}: chengzhong {c['wall']:.2f} s ({c['agents']:,} agents, "
            f"{c['events']:,} agenda events), epstein {epstein_rate[-1]:,.0f} agent-steps/s",
            flush=True,
        )

    from conflict_sim import compiled

    how = "compiled modules" if compiled.active() else "the sources as Python (no compiled build)"
    print(f"\nChengzhong, {args.days} days, households_per_agent={args.scale}, one core, {how}:")
    print(f"  wall seconds (build + run)   {summary(walls)}")
    print(f"  build seconds                {summary(builds)}")
    print(f"  run seconds                  {summary(runs)}")
    print(f"  peak RSS MiB                 {summary(rss, '.0f')}")
    print(f"  ... with tables and outcomes {summary(rss_results, '.0f')}")
    print(f"  ... after the imports alone  {summary(rss_imports, '.0f')}")
    own = [after - before for after, before in zip(rss, rss_imports, strict=True)]
    print(f"  the model's own (peak - imports) MiB {summary(own, '.0f')}")
    print(f"  household-days per second    {summary(hh_days, ',.0f')}")
    print("Mesa 3.5 Epstein civil violence, 40x40 defaults, steady steps after 2 warm-up steps:")
    print(f"  agent-steps per second       {summary(epstein_rate, ',.0f')}")
    print(f"  peak RSS MiB                 {summary(epstein_rss, '.0f')}")
    print(f"Ratio household-days/s over Epstein agent-steps/s, per round: {summary(ratios, '.0f')}")
    targets = {
        "ratio >= 1,000": statistics.median(ratios) >= 1000,
        "peak RSS <= 300 MiB": statistics.median(rss) <= 300,
        "build <= 0.5 s": statistics.median(builds) <= 0.5,
    }
    print("Targets (issue 13): " + "; ".join(f"{k} -> {'met' if ok else 'NOT met'}" for k, ok in targets.items()))


if __name__ == "__main__":
    main()
