"""Sweep throughput: the experiment engine on 1 and 2 local workers and on Dask, against simulate().

Prints medians (min, max) over rounds of runs per minute for a fixed small experiment (the tiny
scenario, 730 days, one arm, 32 replications in 8 batches of 4), the parallel efficiency on 2
workers (throughput on 2 / twice the throughput on 1; target >= 85 %) and the engine's per-run overhead against a plain
loop of `simulate()` calls (sequential backend, same runs; target <= 5 %). Configurations run in
rounds A B C ... A B C ..., so slow phases of a shared machine hit all of them; ratios are taken
round by round. Wall times include starting the workers (spawn, imports, a Dask LocalCluster).
Two plain processes that split the runs without any engine give the machine's own 2-process
scaling (on a shared or SMT machine it is well below 2x): the engine is judged against it too.

    python benchmarks/bench_sweep.py                       # 3 rounds, 32 runs of 730 days
    python benchmarks/bench_sweep.py --rounds 5 --runs 48 --days 365

With --comparison it times the study the model is for instead: a comparison of 10 arms (the baseline
and nine countermeasures) x 30 replications on Chengzhong at the faithful 1:4 sample, on 1 and 2
local processes and on 1 and 2 bare processes, beside Mesa's own `batch_run` of its Epstein example
on 1 and 2 processes measured in the same rounds. The target: the engine's 2-process efficiency at
least 95 % of the machine's own (2 bare processes against 1).

    python benchmarks/bench_sweep.py --comparison --rounds 1 --days 365
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from conflict_sim import experiment, runner
from conflict_sim.run import simulate
from conflict_sim.store import load

BUSY = ("sequential", "1 process", "2 processes", "Dask, 2 workers")


def interleaved(configurations: dict, rounds: int) -> tuple[dict[str, list[float]], list[float]]:
    """Seconds of every configuration, in rounds (A B C ... A B C ...), and the load average around them."""
    seconds: dict[str, list[float]] = {name: [] for name in configurations}
    load = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory() as scratch:
        for r in range(rounds):
            for name, measure in configurations.items():
                seconds[name].append(measure(Path(scratch)))
                load.append(os.getloadavg()[0])
                print(f"round {r + 1}: {name}: {seconds[name][-1]:.2f} s", flush=True)
    return seconds, load


def experiment_text(runs: int, days: int) -> str:
    return f"""name = "bench"
scenario = "tiny"
days = {days}
replications = {runs}
root_seed = 1
daily = ["petitions", "legitimacy_local", "backlog_subdistrict"]
batch_size = {max(1, runs // 8)}
"""


COMPARISON_ARMS = (
    "open_channels",
    "fengqiao_mediation",
    "grid_detection",
    "fast_handling",
    "procedural_justice",
    "classification_by_law",
    "source_governance",
    "evaluation_reform",
    "less_coercion",
)


def comparison_text(replications: int, days: int, scale: int) -> str:
    """10 arms (baseline + 9 countermeasures) x `replications` on Chengzhong at 1:`scale`."""
    arms = '[[arms]]\nname = "baseline"\npolicies = []\n' + "".join(
        f'\n[[arms]]\nname = "{kind}"\npolicies = [{{ kind = "{kind}" }}]\n' for kind in COMPARISON_ARMS
    )
    return f"""name = "bench-comparison"
scenario = "chengzhong"
days = {days}
replications = {replications}
root_seed = 1
daily = ["petitions", "legitimacy_local", "backlog_subdistrict"]
batch_size = 5

[overrides]
households_per_agent = {scale}

{arms}"""


SEEDED_EPSTEIN = """
from mesa.examples.advanced.epstein_civil_violence.model import EpsteinCivilViolence, EpsteinScenario


class Seeded(EpsteinCivilViolence):
    def __init__(self, rng=None):
        super().__init__(scenario=EpsteinScenario(rng=rng))
"""

MESA_BATCH = """
import sys
from mesa import batch_run
from seeded_epstein import Seeded

runs, steps, processes = (int(a) for a in sys.argv[1:4])
batch_run(Seeded, {}, number_processes=processes, max_steps=steps, rng=list(range(runs)), display_progress=False)
"""


def mesa_batch(runs: int, steps: int, processes: int) -> float:
    """Mesa's `batch_run` of its Epstein example, in a fresh process (start-up included, as for the engine).

    `batch_run` spawns its workers, which import the model class by module: it lives in a module of its own.
    """
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "seeded_epstein.py").write_text(SEEDED_EPSTEIN)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [folder, os.environ.get("PYTHONPATH")]))}
        start = time.perf_counter()
        command = [sys.executable, "-c", MESA_BATCH, str(runs), str(steps), str(processes)]
        subprocess.run(command, check=True, env=env)
        return time.perf_counter() - start


def direct(exp: experiment.Experiment, cpu: list[float]) -> float:
    """The same runs as a plain loop of simulate() calls: the floor the engine is measured against."""
    start, start_cpu = time.perf_counter(), time.process_time()
    for run in exp.runs():
        simulate(run.params, seed=run.seed, days=exp.config.days, policies=run.policies)
    cpu.append(time.process_time() - start_cpu)
    return time.perf_counter() - start


BARE = """
import sys
from conflict_sim import experiment
from conflict_sim.run import simulate
exp = experiment.from_text(sys.argv[1], source="bench")
for run in exp.runs()[int(sys.argv[2])::int(sys.argv[3])]:
    simulate(run.params, seed=run.seed, days=exp.config.days, policies=run.policies)
"""


def bare(text: str, processes: int) -> float:
    """The runs split over `processes` plain Python processes, no engine: the machine's ceiling
    (it includes their start-up, as the engine's local workers do)."""
    start = time.perf_counter()
    started = [subprocess.Popen([sys.executable, "-c", BARE, text, str(i), str(processes)]) for i in range(processes)]
    assert all(p.wait() == 0 for p in started)
    return time.perf_counter() - start


def engine(
    exp: experiment.Experiment,
    backend: runner.Backend,
    scratch: Path,
    busy: list[float],
    cpu: list[float] | None = None,
) -> float:
    """A whole sweep into a fresh folder, from the call to the manifest's last write.

    Appends to `busy` the share of the workers' wall time spent inside runs: what the engine
    controls (start-up, idle waits, the tail), unlike the slowdown other tenants cause.
    """
    folder = scratch / f"{backend.name}-{backend.workers}-{time.monotonic_ns()}"
    start, start_cpu = time.perf_counter(), time.process_time()
    summary = runner.run_experiment(exp, folder, backend)
    seconds = time.perf_counter() - start
    if cpu is not None:
        cpu.append(time.process_time() - start_cpu)
    assert summary.succeeded == len(exp), summary
    busy.append(load(folder).runs["seconds"].sum() / (backend.workers * seconds))
    shutil.rmtree(folder)
    return seconds


def summary(values: list[float], fmt: str = ".1f") -> str:
    return f"{statistics.median(values):{fmt}} ({min(values):{fmt}}, {max(values):{fmt}})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=32)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--comparison", action="store_true", help="10 arms x 30 replications at 1:4 (see above)")
    parser.add_argument("--replications", type=int, default=30, help="with --comparison: runs per arm")
    parser.add_argument("--scale", type=int, default=4, help="with --comparison: households per agent")
    parser.add_argument("--mesa-runs", type=int, default=20, help="with --comparison: Epstein runs of batch_run")
    parser.add_argument("--mesa-steps", type=int, default=50, help="with --comparison: steps per Epstein run")
    args = parser.parse_args()
    if args.comparison:
        comparison(args)
        return
    exp = experiment.from_text(experiment_text(args.runs, args.days), source="bench")
    cpu_direct: list[float] = []
    cpu_engine: list[float] = []
    busy: dict[str, list[float]] = {name: [] for name in BUSY}
    text = experiment_text(args.runs, args.days)
    configurations = {
        "simulate() loop": lambda _: direct(exp, cpu_direct),
        "no engine, 1 bare process": lambda _: bare(text, 1),
        "no engine, 2 bare processes": lambda _: bare(text, 2),
        "engine, sequential": lambda s: engine(exp, runner.sequential(), s, busy["sequential"], cpu_engine),
        "engine, 1 local process": lambda s: engine(exp, runner.processes(1), s, busy["1 process"]),
        "engine, 2 local processes": lambda s: engine(exp, runner.processes(2), s, busy["2 processes"]),
        "engine, Dask LocalCluster (2 workers)": lambda s: engine(
            exp, runner.dask(workers=2), s, busy["Dask, 2 workers"]
        ),
    }
    seconds, load = interleaved(configurations, args.rounds)
    per_minute = {name: [args.runs * 60 / s for s in values] for name, values in seconds.items()}
    print(
        f"\n{args.runs} runs of tiny x {args.days} days; {args.rounds} rounds; "
        f"{os.cpu_count()} cores; 1-minute load average during the rounds "
        f"{min(load):.1f} to {max(load):.1f}; median (min, max)\n"
    )
    print("| configuration | wall seconds | runs per minute |\n|---|---|---|")
    for name in configurations:
        print(f"| {name} | {summary(seconds[name], '.2f')} | {summary(per_minute[name])} |")
    one, two = seconds["engine, 1 local process"], seconds["engine, 2 local processes"]
    efficiency = [100 * a / (2 * b) for a, b in zip(one, two, strict=True)]
    dask = [100 * a / (2 * b) for a, b in zip(one, seconds["engine, Dask LocalCluster (2 workers)"], strict=True)]
    overhead = [
        100 * (e / d - 1) for e, d in zip(seconds["engine, sequential"], seconds["simulate() loop"], strict=True)
    ]
    hardware = [
        100 * a / (2 * b)
        for a, b in zip(seconds["no engine, 1 bare process"], seconds["no engine, 2 bare processes"], strict=True)
    ]
    ceiling = [100 * a / b for a, b in zip(seconds["no engine, 2 bare processes"], two, strict=True)]
    print(f"| parallel efficiency, 2 local processes vs 1 (target >= 85 %) | | {summary(efficiency)} % |")
    print(f"| the machine's own 2-process efficiency (2 bare processes vs 1) | | {summary(hardware)} % |")
    print(f"| engine on 2 local processes vs 2 bare processes (the ceiling) | | {summary(ceiling)} % |")
    print(f"| parallel efficiency, Dask 2 workers vs 1 local process | | {summary(dask)} % |")
    for name, shares in busy.items():
        print(
            f"| workers busy in runs, {name} (start-up and idle excluded) | | {summary([100 * b for b in shares])} % |"
        )
    cpu_overhead = [100 * (e / d - 1) for e, d in zip(cpu_engine, cpu_direct, strict=True)]
    print(f"| engine overhead per run vs simulate() loop, wall (target <= 5 %) | | {summary(overhead)} % |")
    print(f"| engine overhead per run vs simulate() loop, CPU seconds | | {summary(cpu_overhead)} % |")


def comparison(args: argparse.Namespace) -> None:
    """The 10-arm x 30-replication comparison at the faithful sample, beside Mesa's batch_run."""
    text = comparison_text(args.replications, args.days, args.scale)
    exp = experiment.from_text(text, source="bench")
    busy: dict[str, list[float]] = {"1 process": [], "2 processes": []}
    configurations = {
        "no engine, 1 bare process": lambda _: bare(text, 1),
        "no engine, 2 bare processes": lambda _: bare(text, 2),
        "engine, 1 local process": lambda s: engine(exp, runner.processes(1), s, busy["1 process"]),
        "engine, 2 local processes": lambda s: engine(exp, runner.processes(2), s, busy["2 processes"]),
        "Mesa batch_run (Epstein), 1 process": lambda _: mesa_batch(args.mesa_runs, args.mesa_steps, 1),
        "Mesa batch_run (Epstein), 2 processes": lambda _: mesa_batch(args.mesa_runs, args.mesa_steps, 2),
    }
    seconds, load = interleaved(configurations, args.rounds)
    runs = len(exp)
    print(
        f"\n{runs} runs (10 arms x {args.replications} replications) of chengzhong at 1:{args.scale} x {args.days} "
        f"days; Mesa: {args.mesa_runs} Epstein runs x {args.mesa_steps} steps; {args.rounds} rounds; "
        f"{os.cpu_count()} cores; 1-minute load average {min(load):.1f} to {max(load):.1f}; median (min, max)\n"
    )
    print("| configuration | wall seconds | runs per minute |\n|---|---|---|")
    for name, values in seconds.items():
        n = args.mesa_runs if name.startswith("Mesa") else runs
        print(f"| {name} | {summary(values, '.1f')} | {summary([n * 60 / v for v in values])} |")

    def efficiency(one: str, two: str) -> list[float]:
        return [100 * a / (2 * b) for a, b in zip(seconds[one], seconds[two], strict=True)]

    engine_eff = efficiency("engine, 1 local process", "engine, 2 local processes")
    bare_eff = efficiency("no engine, 1 bare process", "no engine, 2 bare processes")
    mesa_eff = efficiency("Mesa batch_run (Epstein), 1 process", "Mesa batch_run (Epstein), 2 processes")
    relative = [100 * e / b for e, b in zip(engine_eff, bare_eff, strict=True)]
    print(f"| parallel efficiency, engine, 2 local processes vs 1 | | {summary(engine_eff)} % |")
    print(f"| the machine's own 2-process efficiency (2 bare processes vs 1) | | {summary(bare_eff)} % |")
    print(f"| **engine's efficiency / the machine's (target >= 95 %)** | | **{summary(relative)} %** |")
    print(f"| Mesa batch_run's 2-process efficiency (Epstein) | | {summary(mesa_eff)} % |")
    for name, shares in busy.items():
        print(f"| workers busy in runs, engine, {name} | | {summary([100 * b for b in shares])} % |")


if __name__ == "__main__":
    main()
