"""The compiled build of the model's hot modules against its sources run as Python, and against another revision.

Whole runs in fresh processes, in rounds that alternate the arms: the compiled build (what `make`
installs, conflict_sim/compiled.py), the same sources as Python (`CONFLICT_SIM_PURE=1`), and with
`--against REV` the model of another git revision (a temporary worktree, run as it was, compiled if it
compiled). Each arm first prints a digest of the outputs of three short runs, which must agree. Prints
the median run time and the median (min, max) of the per-round ratios to the sources as Python.

    python benchmarks/bench_build.py                       # 1:4 for 2 years and 1:1 for 1 year, 3 rounds
    python benchmarks/bench_build.py --against 54dc6ad --rounds 5
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_compiled import DIGEST, ROOT, TIME, run

PYTHON = "sources as Python"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--against", default="", help="another git revision to time (a temporary worktree)")
    args = parser.parse_args()
    if args.rounds < 1:
        raise SystemExit(f"--rounds: must be at least 1 (got {args.rounds})")
    from conflict_sim import compiled

    if compiled.built() is None:
        raise SystemExit("no compiled build of the sources as they are: run `make compiled` first")
    with tempfile.TemporaryDirectory() as scratch:
        arms = {"compiled": (str(ROOT), False), PYTHON: (str(ROOT), True)}
        if args.against:
            tree = Path(scratch) / "against"
            git = ["git", "-C", str(ROOT), "worktree"]
            if subprocess.run([*git, "add", "--detach", str(tree), args.against], capture_output=True).returncode:
                raise SystemExit(f"--against: not a revision of this repository: {args.against}")
            subprocess.run(
                [sys.executable, "-c", "import conflict_sim.compile as c; c.main()"],
                cwd=tree,
                env={**os.environ, "PYTHONPATH": str(tree)},
                capture_output=True,
            )  # a revision before it: no such module
            arms[args.against] = (str(tree), False)
        try:
            digests = {name: run(DIGEST.format(tree=tree), pure=pure) for name, (tree, pure) in arms.items()}
            for name, digest in digests.items():
                same = "the same" if digest == digests[PYTHON] else "DIFFERENT"
                print(f"outputs of {name}: {same} (sha256 {digest[:16]})", flush=True)
            for scale, days in ((4, 730), (1, 365)):
                seconds: dict[str, list[float]] = {name: [] for name in arms}
                for r in range(args.rounds):
                    for name, (tree, pure) in arms.items():
                        code = TIME.format(tree=tree, scale=scale, seed=r + 1, days=days)
                        seconds[name].append(json.loads(run(code, pure=pure)))
                print(f"\nChengzhong 1:{scale}, {days} days, {args.rounds} rounds: run seconds, ratio to the {PYTHON}")
                for name, values in seconds.items():
                    ratios = [a / b for a, b in zip(values, seconds[PYTHON], strict=True)]
                    print(
                        f"  {name:18s} {statistics.median(values):6.3f} s   ratio {statistics.median(ratios):.3f} "
                        f"({min(ratios):.3f}, {max(ratios):.3f})",
                        flush=True,
                    )
        finally:
            if args.against:
                subprocess.run(
                    ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(Path(scratch) / "against")]
                )


if __name__ == "__main__":
    main()
