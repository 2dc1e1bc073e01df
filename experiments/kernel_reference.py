"""The kernel's reference: the outcomes the model gives now, kept, so that a rewrite can be shown equivalent.

A faster kernel that processes a day's events as batched arrays (issue 13) draws its random numbers in another
order, so its runs cannot equal today's bit for bit; what it must keep is the distribution of every outcome
(a kernel that keeps the order of draws is held to the golden run instead, tests/test_golden.py). This
script runs Chengzhong at 1:2, 1:4 and 1:10 on a reference seed set (30 seeds, 545 days of which the first
180 are a warm-up: the configuration of tests/test_invariance.py, whose runs are compared with it at no
extra cost) and keeps their outcomes in tests/golden/kernel_reference.csv, with the model revision and
commit they came from. Comparing the current code with it is the invariance test's statistics: for each
outcome of the catalogue, Schuirmann's two one-sided tests (Welch, alpha 0.05) against the outcome's
declared margin, a difference shown only with the family-wise error held at 0.05 (Holm). The reference
seed set is disjoint from the test's, so the comparison is a two-sample one even while the kernel is the
one that wrote the reference.

    python -m experiments.kernel_reference                    # the current code against the kept reference
    python -m experiments.kernel_reference --seeds 10         # the same, on the test's 10 seeds only
    python -m experiments.kernel_reference --write            # keep the current code's outcomes as the reference

Writing a new reference is for a change meant to move outcomes (a mechanism, a calibration), never for a
kernel that should keep them: that one must pass the comparison against the old reference first.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from conflict_sim.provenance import git_state, model_revision
from experiments import invariance

REFERENCE = Path(__file__).resolve().parent.parent / "tests" / "golden" / "kernel_reference.csv"
PRESET = "chengzhong"
SAMPLES = (2, 4, 10)
DAYS, WARMUP = 545, 180  # the invariance test runs this configuration too (tests/test_invariance.py reads it here)
SEED_ROOT = 1313  # not the invariance test's root (1010): the two seed sets share no seed
REFERENCE_SEEDS = 30


def runs(n_seeds: int, workers: int = 2, seed_root: int = invariance.SEED_ROOT) -> pd.DataFrame:
    """The current code's outcomes in the reference's configuration, one row per run (preset, k, seed, outcomes).

    On the invariance test's seed set by default; `SEED_ROOT` gives the reference's own.
    """
    return invariance.run([PRESET], SAMPLES, n_seeds, DAYS, WARMUP, workers, seed_root=seed_root)


def read_reference(path: Path = REFERENCE) -> pd.DataFrame:
    """The kept reference's runs (its first lines, starting with #, say where they came from)."""
    return pd.read_csv(path, comment="#")


def written_by(path: Path = REFERENCE) -> str:
    """The model revision the kept reference was written by (from its header)."""
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("# model revision "):
                return line.split()[3].rstrip(",")
    return "unknown"


def write_reference(runs: pd.DataFrame, path: Path = REFERENCE) -> None:
    """Keep `runs` as the reference, headed by the model revision and commit that produced them."""
    state = git_state()
    dirty = " (with uncommitted changes)" if state["dirty"] else ""
    header = (
        f"# kernel reference: {PRESET}, samples {','.join(map(str, SAMPLES))}, {DAYS} days, warm-up {WARMUP}, "
        f"seed_set({SEED_ROOT}, {runs['seed'].nunique()})\n"
        f"# model revision {model_revision()}, commit {state['commit']}{dirty}\n"
    )
    temporary = path.with_suffix(".tmp")
    temporary.write_text(header + runs.to_csv(index=False, float_format="%.12g"), encoding="utf-8")
    temporary.replace(path)


def compare(reference: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """Verdicts of every outcome of `current` against `reference`, sample by sample (TOST with each margin)."""
    rows = []
    for k, sample in current.groupby("k", sort=True):
        rows += [{"sample": f"1:{k}"} | row for row in invariance.verdicts_of(reference[reference["k"] == k], sample)]
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="keep the current code's outcomes as the reference")
    parser.add_argument(
        "--seeds", type=int, default=REFERENCE_SEEDS, help="seeds to run (the test's own set when comparing)"
    )
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    if args.seeds < 2:
        print(f"kernel_reference: --seeds must be at least 2, got {args.seeds}", file=sys.stderr)
        sys.exit(2)
    if args.write:
        write_reference(runs(args.seeds, args.workers, SEED_ROOT))
        print(f"wrote {REFERENCE}")
        return
    revision, kept = model_revision(), written_by()
    same = "the same model" if revision == kept else f"model revision {revision[:12]}"
    print(f"the reference was written by model revision {kept[:12]}; comparing {same}")
    verdicts = compare(read_reference(), runs(args.seeds, args.workers))
    different = invariance.different_family_wise(verdicts)
    counts = verdicts.pivot_table(index="sample", columns="verdict", values="outcome", aggfunc="count", fill_value=0)
    print(counts.to_markdown())
    print(f"\nShown different, the family-wise error at 0.05 (Holm over {len(verdicts)} tests): {len(different)}")
    columns = ["sample", "outcome", "reference", "value", "low", "high", "margin", "detectable", "verdict"]
    shown = verdicts[verdicts["verdict"] != "equivalent"]
    print(shown[columns].to_markdown(index=False, floatfmt=".4g") if len(shown) else "(every outcome equivalent)")
    sys.exit(1 if len(different) else 0)


if __name__ == "__main__":
    main()
