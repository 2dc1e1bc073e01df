"""Where a simulated day's time goes, sampled by py-spy: each function's share, by itself and with what it calls.

cProfile times every call, which costs more than the small functions of the model's hot path and
inflates them (a day runs about twice as slowly under it). py-spy samples the running process from
outside instead, so the shares are those of a normal run. Only samples inside `run_for` count (the
simulated days, not imports or the build).

    python benchmarks/profile_sampled.py                       # Chengzhong 1:4, 3 runs of 2 years
    python benchmarks/profile_sampled.py --scale 1 --days 365 --runs 1 --top 40

Needs py-spy (`pip install py-spy`; not a dependency of conflict-sim). About a minute at the defaults.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUN = """
from conflict_sim.model import PetitionModel
from conflict_sim.scenarios import load
params = load("chengzhong").params.replace(households_per_agent={scale})
for seed in range(1, {runs} + 1):
    PetitionModel(params, rng=seed).run_for({days})
"""


def shares(raw: Path) -> tuple[int, Counter, Counter]:
    """Samples inside `run_for`; each function's samples by itself and with what it calls.

    "By itself": the function is the running frame. "With what it calls": it is on the stack below the
    day's entry point `PetitionModel._day` (Mesa's loop above it is on every sample and says nothing).
    """
    alone, within, total = Counter(), Counter(), 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = [_function(frame) for frame in stack.split(";")]
        if not any(f.startswith("PetitionModel.run_for ") for f in frames):
            continue
        n = int(count)
        total += n
        alone[frames[-1]] += n
        day = next((i for i, f in enumerate(frames) if f.startswith("PetitionModel._day ")), len(frames))
        for f in set(frames[day:]):
            within[f] += n
    return total, alone, within


def _function(frame: str) -> str:
    """`name (path/file.py:line)` as `name [file.py]`: one entry per function, whatever the line."""
    name, _, where = frame.partition(" (")
    return f"{name} [{where.rsplit(':', 1)[0].rsplit('/', 1)[-1]}]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=4, help="households per agent (default 4: the faithful sample)")
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--runs", type=int, default=3, help="runs, on seeds 1, 2, ... (default 3)")
    parser.add_argument("--rate", type=int, default=500, help="samples a second (default 500)")
    parser.add_argument("--top", type=int, default=30, help="functions listed in each table (default 30)")
    args = parser.parse_args()
    for name in ("scale", "days", "runs", "rate", "top"):
        if getattr(args, name) < 1:
            raise SystemExit(f"--{name}: must be at least 1 (got {getattr(args, name)})")
    spy = shutil.which("py-spy") or shutil.which("py-spy", path=str(Path(sys.executable).parent))
    if spy is None:
        raise SystemExit("py-spy: not found; install it (pip install py-spy)")

    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "samples.txt"
        code = RUN.format(scale=args.scale, days=args.days, runs=args.runs)
        cmd = [spy, "record", "--rate", str(args.rate), "--format", "raw", "--output", str(raw), "--nonblocking"]
        done = subprocess.run([*cmd, "--", sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
        if done.returncode or not raw.exists():
            raise SystemExit(f"py-spy failed: {(done.stderr.strip().splitlines() or ['no output'])[-1]}")
        total, alone, within = shares(raw)
    if not total:
        raise SystemExit("py-spy: no samples inside run_for (is the run too short for the sampling rate?)")

    print(f"Chengzhong 1:{args.scale}, {args.runs} run(s) of {args.days} days: {total} samples in run_for")
    for title, counts in (("by itself", alone), ("with what it calls", within)):
        print(f"\n{title}:")
        for function, n in counts.most_common(args.top):
            print(f"  {100 * n / total:5.1f} %  {function}")


if __name__ == "__main__":
    main()
