"""The compiled build of the model's hot modules against its sources run as Python, and against another revision.

Whole runs in fresh processes, in rounds that alternate the arms: the compiled build (what `make`
installs, conflict_sim/compiled.py), the same sources as Python (`CONFLICT_SIM_PURE=1`), and with
`--against REV` the model of another git revision (a temporary worktree, run as it was, compiled if it
compiled). Each arm first prints a digest of the outputs of two short runs, which must agree. Prints
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

ROOT = Path(__file__).resolve().parents[1]
TIME = """
import json, sys, time
sys.path.insert(0, {tree!r})
from conflict_sim.model import PetitionModel
from conflict_sim.scenarios import load
params = load("chengzhong").params.replace(households_per_agent={scale})
model = PetitionModel(params, rng={seed})
start = time.perf_counter()
model.run_for({days})
print(json.dumps(time.perf_counter() - start))
"""
DIGEST = """
import hashlib, sys
sys.path.insert(0, {tree!r})
import conflict_sim
from conflict_sim.run import simulate
from conflict_sim.scenarios import load
assert conflict_sim.__file__.startswith({tree!r})
digest = hashlib.sha256()
for name, scale, days, seed in (("chengzhong", 4, 400, 1), ("chengzhong_uncalibrated", 10, 240, 2)):
    out = simulate(load(name).params.replace(households_per_agent=scale), seed=seed, days=days, warmup_days=60)
    digest.update(out.daily.to_csv(float_format="%.17g").encode())
    for table in ("issues", "submissions", "replies", "refusals", "collective", "grid", "mediations"):
        digest.update(getattr(out.events, table).to_csv(float_format="%.17g").encode())
    digest.update(repr(sorted(out.outcomes.items())).encode())
print(digest.hexdigest())
"""
PYTHON = "sources as Python"


def run(code: str, env: dict[str, str]) -> str:
    """The last line a fresh interpreter prints running `code`, outside the repository."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, **env})
    if done.returncode:
        raise SystemExit((done.stderr.strip().splitlines() or ["failed"])[-1])
    return done.stdout.strip().splitlines()[-1]


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
        arms = {"compiled": (str(ROOT), {}), PYTHON: (str(ROOT), {"CONFLICT_SIM_PURE": "1"})}
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
            arms[args.against] = (str(tree), {})
        try:
            digests = {name: run(DIGEST.format(tree=tree), env) for name, (tree, env) in arms.items()}
            for name, digest in digests.items():
                same = "the same" if digest == digests[PYTHON] else "DIFFERENT"
                print(f"outputs of {name}: {same} (sha256 {digest[:16]})", flush=True)
            for scale, days in ((4, 730), (1, 365)):
                seconds: dict[str, list[float]] = {name: [] for name in arms}
                for r in range(args.rounds):
                    for name, (tree, env) in arms.items():
                        code = TIME.format(tree=tree, scale=scale, seed=r + 1, days=days)
                        seconds[name].append(json.loads(run(code, env)))
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
