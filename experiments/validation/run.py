"""Run every stylized fact on the calibrated scenario at the faithful sample and regenerate docs/validation.md.

    python -m experiments.validation.run [--out docs] [--seeds 8] [--workers 2]

One command writes `OUT/validation.md` (a table of every criterion with its margin, seed set and
verdict, and a section per fact) and one figure per fact (`OUT/validation/SF-*.png|pdf`). The same
fixed seed sets as tests/test_validation.py (with --seeds 8), so the document and the tests agree. The
runs go through the engine (`conflict_sim.runner`, via `experiments.validation.seedsets`).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from conflict_sim.analysis.figures import save
from conflict_sim.calibration.report import atomic_text
from conflict_sim.provenance import version
from conflict_sim.scenarios import load
from experiments.validation.facts import Fact, Suite
from experiments.validation.figures import draw
from experiments.validation.report import markdown

SCENARIO = "chengzhong"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs"), help="folder of validation.md (default docs)")
    parser.add_argument("--seeds", type=int, default=8, help="seeds per arm (the tests use 8)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    suite = Suite.standard(load(SCENARIO).params, n=args.seeds, workers=args.workers)
    facts: dict[str, Fact] = {}
    seconds: dict[str, float] = {}
    for fid, make in suite.facts().items():
        started = time.perf_counter()
        facts[fid] = make()
        seconds[fid] = time.perf_counter() - started
        save(draw(facts[fid]), args.out / "validation", fid)
        met = sum(c.passed for c in facts[fid].checks)
        print(f"{fid} {facts[fid].pattern}: {met}/{len(facts[fid].checks)} criteria met ({seconds[fid]:.0f} s)")
    text = markdown(facts, suite.settings(), SCENARIO, seconds, version())
    atomic_text(args.out / "validation.md", text)
    print(f"wrote {args.out}/validation.md and {args.out}/validation/SF-*.png|pdf", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
