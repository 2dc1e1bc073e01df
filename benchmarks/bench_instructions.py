"""Instructions per simulated day, this checkout against a git revision, counted by valgrind.

On a shared machine wall-clock A/B runs of the model spread by ±15 % from one run to the next, more
than most single changes gain. Valgrind's instruction count moves by about 1 % between runs of the
same code (with the hash seed fixed), so it shows a change of a few per cent. Each side runs the model
for a short and a long horizon, and the difference is the cost of the days in between: imports and the
build cancel out. Rounds alternate the sides; the ratio is taken round by round and printed as median
(min, max). The reference is checked out into a temporary git worktree and imported from there.
Instructions are not seconds (memory stalls count for nothing), so confirm a gain with bench_model.py.

    python benchmarks/bench_instructions.py --against main~1
    python benchmarks/bench_instructions.py --against 606fd04 --scale 1 --days 100 200 --rounds 1

Needs valgrind (Debian: `apt install valgrind`). About 4 minutes at the defaults.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUN = """
from conflict_sim.model import PetitionModel
from conflict_sim.scenarios import load
params = load("chengzhong").params.replace(households_per_agent={scale})
PetitionModel(params, rng={seed}).run_for({days})
"""


def instructions(code: str, source: Path, workdir: Path) -> int:
    """Instructions valgrind counts for one Python process importing conflict_sim from `source`."""
    env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(source)}
    cmd = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
    out = subprocess.run([*cmd, sys.executable, "-c", code], cwd=workdir, env=env, capture_output=True, text=True)
    found = re.search(r"I\s+refs:\s+([\d,]+)", out.stderr)
    if out.returncode or not found:
        raise SystemExit(f"the run under valgrind failed: {out.stderr.strip().splitlines()[-1:]}")
    return int(found.group(1).replace(",", ""))


def per_day(source: Path, workdir: Path, scale: int, seed: int, short: int, long: int) -> float:
    counts = [instructions(RUN.format(scale=scale, seed=seed, days=d), source, workdir) for d in (short, long)]
    return (counts[1] - counts[0]) / (long - short)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", default="HEAD", help="git revision to compare with (default: HEAD)")
    parser.add_argument("--scale", type=int, default=4, help="households per agent (default 4: the faithful sample)")
    parser.add_argument("--days", type=int, nargs=2, default=(100, 300), metavar=("SHORT", "LONG"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    short, long = args.days
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind: not found; install it (Debian: apt install valgrind)")
    if not 0 <= short < long:
        raise SystemExit(f"--days: SHORT must be at least 0 and below LONG (got {short} {long})")
    if args.rounds < 1:
        raise SystemExit(f"--rounds: must be at least 1 (got {args.rounds})")

    with tempfile.TemporaryDirectory() as tmp:
        reference = Path(tmp) / "reference"
        checkout = subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(reference), args.against],
            capture_output=True,
            text=True,
        )
        if checkout.returncode:
            raise SystemExit(f"--against: not a revision of this repository: {args.against}")
        try:
            subprocess.run([sys.executable, "-m", "compileall", "-q", str(reference / "conflict_sim")], check=True)
            ratios = []
            for r in range(args.rounds):
                before = per_day(reference, Path(tmp), args.scale, args.seed, short, long)
                after = per_day(ROOT, Path(tmp), args.scale, args.seed, short, long)
                ratios.append(after / before)
                print(
                    f"round {r + 1}: {args.against} {before / 1e6:.2f}, this checkout {after / 1e6:.2f} "
                    f"million instructions a day",
                    flush=True,
                )
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(reference)], check=False)

    ratio = statistics.median(ratios)
    print(
        f"Chengzhong 1:{args.scale}, days {short}-{long}, seed {args.seed}: this checkout / {args.against} = "
        f"{ratio:.3f} ({min(ratios):.3f}, {max(ratios):.3f}; n={len(ratios)}), "
        f"{100 * (ratio - 1):+.1f} % instructions a day"
    )


if __name__ == "__main__":
    main()
