"""Run the validation suite and write a figure per stylized fact plus a summary table.

    python -m experiments.validation.run [--out results/validation] [--seeds 8] [--workers 2]

The same fixed seed sets as tests/test_validation.py (with --seeds 8), so figures and tests agree. The
runs go through the engine (`conflict_sim.runner`, via `experiments.validation.seedsets`) with its one
seed rule, on `--workers` local processes.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from conflict_sim.analysis.figures import save
from conflict_sim.scenarios import load
from experiments.validation.facts import Suite
from experiments.validation.figures import draw


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("results/validation"))
    parser.add_argument("--seeds", type=int, default=8, help="seeds per arm (the tests use 8)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    suite = Suite.standard(load("tiny").params, n=args.seeds, workers=args.workers)
    rows = ["| fact | criterion | measured | margin | met |", "|---|---|---|---|---|"]
    for fid, make in suite.facts().items():
        started = time.perf_counter()
        fact = make()
        figure = draw(fact)
        save(figure, args.out, fid)
        for c in fact.checks:
            rows.append(f"| {fid} | {c.name} | {c.measured} | {c.margin} | {'yes' if c.passed else 'no'} |")
        print(
            f"{fid} {fact.pattern}: {sum(c.passed for c in fact.checks)}/{len(fact.checks)} criteria met "
            f"({time.perf_counter() - started:.0f} s)"
        )
    (args.out / "summary.md").write_text("\n".join(rows) + "\n")
    print(f"wrote {args.out}/SF-*.pdf, SF-*.png and summary.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
