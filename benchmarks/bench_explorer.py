"""The results explorer on a large stored sweep: time to open it and draw its first view, against loading it whole.

Writes (once; kept with --keep) a sweep of at least 10,000 runs through the engine's batch writer, with
every outcome of the catalogue and the default daily series for every day: an LHS design over three
office levers, two arms, replications. The runs come from a stand-in model (instant, deterministic in
its seed and parameters) so that the folder is written in a minute rather than days; the folder is
exactly what `conflict-sim sweep` writes (manifest, design, runs/outcomes/daily parts).

Then, in a fresh process per round (the operating system's file cache is warm after the first):

- **explorer**: `open_results` (runs and outcomes read through a pyarrow dataset, no daily series) and
  the first view the page shows for a sweep (an outcome against the first parameter, drawn by the
  report's plotting code, as the PNG the page displays);
- **page**: the explorer's Solara component rendered in-process on the folder, until its first
  figure is on the page (the same path the browser gets, without the browser);
- **reference**: `store.load`, how the report reads a folder (every table whole, daily series included).

Prints medians (min, max) over rounds, peak memory of each process, and the ratio reference/explorer.
Target: the explorer opens and draws its first view in under 5 s on 2 cores.

    python benchmarks/bench_explorer.py                      # 10,000 runs of 365 days, 3 rounds
    python benchmarks/bench_explorer.py --keep /tmp/big-sweep --rounds 5
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from conflict_sim import experiment, runner
from conflict_sim.catalogue import CATALOGUE
from conflict_sim.run import RunOutput
from conflict_sim.spec import DEFAULT_DAILY

LEVERS = ("office_quality", "procedural_justice", "recognition")
SHARES = {
    "substantive_resolution_rate",
    "formal_on_time_rate",
    "satisfaction_rate",
    "legitimacy_local",
    "legitimacy_center",
}


def stand_in(params, *, seed, days, policies=(), warmup_days=0) -> RunOutput:
    """Every catalogue outcome and the default daily series, drawn from the run's seed; outcomes move
    with the three levers so that the first view has something to show."""
    rng = np.random.default_rng(seed)
    lever = sum(getattr(params, name) for name in LEVERS) / len(LEVERS)
    outcomes = {name: float(lever + 0.1 * rng.normal()) for name in CATALOGUE}
    daily = {
        name: np.clip(lever + 0.05 * rng.normal(size=days), 0, 1)
        if name in SHARES
        else np.cumsum(rng.poisson(5.0 * (1 + lever), size=days)).astype(float)
        for name in DEFAULT_DAILY
    }
    return RunOutput(pd.DataFrame(daily, index=pd.Index(range(1, days + 1), name="day")), outcomes, 0.0)


def experiment_text(points: int, replications: int, days: int) -> str:
    return f"""name = "explorer_bench"
scenario = "tiny"
days = {days}
replications = {replications}
root_seed = 11
batch_size = 100

[[arms]]
name = "baseline"

[[arms]]
name = "open channels"
policies = [{{ kind = "open_channels" }}]

[design]
method = "lhs"
parameters = {json.dumps(list(LEVERS))}
samples = {points}
"""


def write_sweep(folder: Path, points: int, replications: int, days: int, workers: int) -> float:
    """The sweep written through the engine (its batch writer, its parts, its manifest); seconds taken."""
    scratch = folder.parent / "explorer_bench.toml"
    scratch.write_text(experiment_text(points, replications, days))
    start = time.perf_counter()
    backend = runner.processes(workers) if workers > 1 else runner.sequential()
    runner.run_experiment(experiment.load(scratch), folder, backend, simulate=stand_in, progress=True)
    return time.perf_counter() - start


MEASURE = {
    "explorer": """
import sys, time, resource
start = time.perf_counter()
from conflict_sim.viz import explorer_views as ev
from conflict_sim.viz.stored import open_results
imported = time.perf_counter()
results = open_results(sys.argv[1])
opened = time.perf_counter()
study = results.whole
assert ev.views_for(results)[0] == "parameter"
view = ev.parameter_view(results, ev.default_outcomes(results)[:1], study.parameters[0], study.arms)
png = view.image("png", dpi=ev.SCREEN_DPI)
drawn = time.perf_counter()
assert png.startswith(b"\\x89PNG") and len(results.runs) >= 10_000
print(imported - start, opened - imported, drawn - opened, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
""",
    "page": """
import sys, time, resource
start = time.perf_counter()
import ipywidgets, solara
from conflict_sim.viz.explorer import Explorer
imported = time.perf_counter()
box, rc = solara.render(Explorer(sys.argv[1]), handle_error=False)
opened = time.perf_counter()
while not rc.find(ipywidgets.Image).widgets:
    assert time.perf_counter() - opened < 120, "no figure after 120 s"
    time.sleep(0.01)
drawn = time.perf_counter()
print(imported - start, opened - imported, drawn - opened, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
""",
    "reference": """
import sys, time, resource
start = time.perf_counter()
from conflict_sim.store import load
imported = time.perf_counter()
results = load(sys.argv[1])
opened = time.perf_counter()
assert len(results.daily) > 0
print(imported - start, opened - imported, 0.0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
""",
}


def measure(kind: str, folder: Path) -> tuple[float, float, float, float]:
    """(import s, open s, first view s, peak RSS MiB) of one fresh process."""
    out = subprocess.run([sys.executable, "-c", MEASURE[kind], str(folder)], capture_output=True, text=True, check=True)
    imported, opened, drawn, rss_kib = map(float, out.stdout.split())
    return imported, opened, drawn, rss_kib / 1024


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):6.2f} s ({min(values):.2f}-{max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1000, help="LHS design points (x 2 arms x replications)")
    parser.add_argument("--replications", type=int, default=5)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="processes writing the sweep")
    parser.add_argument("--keep", type=Path, help="write the sweep here (or reuse it if it is there)")
    args = parser.parse_args()

    temporary = None if args.keep else Path(tempfile.mkdtemp(prefix="explorer-bench-"))
    folder = args.keep or temporary / "sweep"  # type: ignore[operator]
    try:
        if not (folder / "manifest.json").exists():
            folder.parent.mkdir(parents=True, exist_ok=True)
            seconds = write_sweep(folder, args.points, args.replications, args.days, args.workers)
            print(f"wrote {folder} in {seconds:.0f} s", file=sys.stderr)
        size = sum(p.stat().st_size for p in folder.rglob("*.parquet")) / 2**20
        runs = len(list((folder / "runs").glob("part-*.parquet")))
        print(f"sweep: {folder} ({size:,.0f} MiB of Parquet, {runs} batches)")

        timings: dict[str, list[tuple[float, float, float, float]]] = {k: [] for k in MEASURE}
        for _ in range(args.rounds):
            for kind in MEASURE:  # interleaved, so that a busy phase of a shared machine hits all three
                timings[kind].append(measure(kind, folder))

        print(f"{'':10} {'import':>22} {'open':>22} {'first view':>22} {'open + view':>22} {'peak RSS':>10}")
        for kind, rows in timings.items():
            imported, opened, drawn, rss = (list(column) for column in zip(*rows, strict=True))
            total = [o + d for o, d in zip(opened, drawn, strict=True)]
            print(
                f"{kind:10} {summary(imported):>22} {summary(opened):>22} {summary(drawn):>22} {summary(total):>22} "
                f"{statistics.median(rss):7.0f} MiB"
            )
        explorer = [o + d for _, o, d, _ in timings["explorer"]]
        page = [o + d for _, o, d, _ in timings["page"]]
        reference = [o for _, o, _, _ in timings["reference"]]
        ratios = [r / e for r, e in zip(reference, explorer, strict=True)]
        print(
            f"explorer open + first view: median {statistics.median(explorer):.2f} s, in the page "
            f"{statistics.median(page):.2f} s (target < 5 s); store.load alone takes "
            f"{statistics.median(ratios):.1f}x as long (median of per-round ratios)"
        )
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)


if __name__ == "__main__":
    main()
