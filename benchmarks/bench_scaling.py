"""How the cost of a run grows: with the households simulated (1:50 to 1:1) and with the years simulated.

Each configuration runs in a fresh process (build time and peak memory are its own), in rounds; the
script prints medians (min, max) and, with --figure, draws run time and peak memory against both.
The cost should follow the events (issues, agenda events), not the households that stay quiet: the
per-event time is printed beside the per-household-day time so the two can be compared.

    python benchmarks/bench_scaling.py                          # 3 rounds, 1 year per sample, 5 years at 1:1
    python benchmarks/bench_scaling.py --rounds 1 --figure docs/figures/scaling.png
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

SAMPLES = (50, 20, 10, 4, 2, 1)  # households per agent

ONE_RUN = """
import json, resource, time
from conflict_sim.model import PetitionModel
from conflict_sim.scenarios import load
params = load("chengzhong").params.replace(households_per_agent={scale})
start = time.perf_counter()
model = PetitionModel(params, rng={seed})
built = time.perf_counter()
marks = []
for year in range({years}):
    model.run_for(365)
    marks.append({{"seconds": time.perf_counter() - built, "issues": model.log.issue_count,
                   "events": model.agenda.scheduled,
                   "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}})
print(json.dumps({{"build": built - start, "agents": params.agents, "years": marks}}))
"""


def measure(scale: int, seed: int, years: int) -> dict:
    code = ONE_RUN.format(scale=scale, seed=seed, years=years)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def median(values: list[float]) -> float:
    return statistics.median(values)


def spread(values: list[float], fmt: str = ".3g") -> str:
    return f"{median(values):{fmt}} ({min(values):{fmt}}, {max(values):{fmt}})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--years", type=int, default=5, help="years simulated at full scale (default 5)")
    parser.add_argument("--figure", type=Path, help="write the figure (PNG) here")
    args = parser.parse_args()

    by_sample: dict[int, list[dict]] = {k: [] for k in SAMPLES}
    long_runs: list[dict] = []
    for r in range(args.rounds):
        for k in SAMPLES:
            by_sample[k].append(measure(k, r + 1, 1))
        long_runs.append(measure(1, r + 1, args.years))
        print(f"round {r + 1} done", flush=True)

    print(f"\nChengzhong, one simulated year per sample, {args.rounds} rounds, median (min, max):")
    print("  sample  agents    run s                 peak RSS MiB     issues   µs/issue   ns/agent-day")
    rows = []
    for k in SAMPLES:
        runs = by_sample[k]
        seconds = [x["years"][0]["seconds"] for x in runs]
        rss = [x["years"][0]["rss_mib"] for x in runs]
        issues = median([x["years"][0]["issues"] for x in runs])
        per_issue = median(seconds) / issues * 1e6
        per_agent_day = median(seconds) / (runs[0]["agents"] * 365) * 1e9
        rows.append((k, runs[0]["agents"], median(seconds), median(rss), issues))
        print(
            f"  1:{k:<5} {runs[0]['agents']:>7,}  {spread(seconds):<21} {spread(rss, '.0f'):<16} "
            f"{issues:>7,.0f}  {per_issue:>8.0f}   {per_agent_day:>8.0f}"
        )
    print(f"\nFull scale (1:1), {args.years} years, cumulative, median over rounds:")
    print("  year  run s    peak RSS MiB  issues   s/year")
    years = []
    previous = 0.0
    for y in range(args.years):
        seconds = median([x["years"][y]["seconds"] for x in long_runs])
        rss = median([x["years"][y]["rss_mib"] for x in long_runs])
        issues = median([x["years"][y]["issues"] for x in long_runs])
        years.append((y + 1, seconds, rss))
        print(f"  {y + 1:<4}  {seconds:6.2f}   {rss:6.0f}        {issues:7,.0f}  {seconds - previous:5.2f}")
        previous = seconds
    if args.figure:
        draw(rows, years, args.figure)
        print(f"\nfigure: {args.figure}")


def draw(rows: list[tuple], years: list[tuple], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8), constrained_layout=True)
    agents = [r[1] for r in rows]
    left.plot(agents, [r[2] for r in rows], "o-", color="C0", label="run time (1 year)")
    left.set_xscale("log")
    left.set_yscale("log")
    left.set_xlabel("household agents (1:50 … 1:1 of 124,356 households)")
    left.set_ylabel("seconds per simulated year", color="C0")
    for r in rows:
        left.annotate(f"1:{r[0]}", (r[1], r[2]), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=8)
    twin = left.twinx()
    twin.plot(agents, [r[3] for r in rows], "s--", color="C3")
    twin.set_ylabel("peak RSS, MiB", color="C3")
    left.set_title("Against the sample")
    right.plot([y[0] for y in years], [y[1] for y in years], "o-", color="C0")
    right.set_xlabel("simulated years, full scale")
    right.set_ylabel("cumulative run seconds", color="C0")
    twin = right.twinx()
    twin.plot([y[0] for y in years], [y[2] for y in years], "s--", color="C3")
    twin.set_ylabel("peak RSS, MiB", color="C3")
    right.set_title("Against the horizon")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)


if __name__ == "__main__":
    main()
