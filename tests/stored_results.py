"""Small results folders written by the engine, as the explorer opens them: a comparison and a sweep."""

from __future__ import annotations

from pathlib import Path

import tomli_w

from conflict_sim import comparisons, experiment, runner
from tests.stub_model import fake_simulate

COMPARISON_ARMS = ("baseline", "fast_handling", "open_channels")
SWEEP_ARMS = ("baseline", "better")


def stored_comparison(folder: Path) -> Path:
    """Three arms on tiny, three replications of 120 days (warm-up 30): the model itself, every outcome."""
    comparison = comparisons.comparison(
        "tiny", list(COMPARISON_ARMS), replications=3, days=120, warmup_days=30, root_seed=1
    )
    runner.run_experiment(comparison, folder, runner.sequential())
    return folder


def stored_sweep(folder: Path) -> Path:
    """A Sobol design over two office levers (N = 8: 32 points) x two arms x two replications, with the
    stand-in model (instant): its petitions per year follow office quality, its daily series is petitions."""
    text = tomli_w.dumps(
        {
            "name": "office_sweep",
            "scenario": "tiny",
            "days": 90,
            "root_seed": 3,
            "replications": 2,
            "batch_size": 32,
            "daily": ["petitions"],
            "arms": [{"name": "baseline"}, {"name": "better", "params": {"procedural_justice": 0.9}}],
            "design": {"method": "sobol", "parameters": ["office_quality", "recognition"], "samples": 8},
        }
    )
    path = folder.with_suffix(".toml")
    path.write_text(text)
    runner.run_experiment(experiment.load(path), folder, runner.sequential(), simulate=fake_simulate)
    return folder
