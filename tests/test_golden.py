"""Golden run: a tripwire for unintended change in a pinned environment.

A failure after a deliberate model change or a dependency upgrade means: look at the diff, then
regenerate with `pytest tests/test_golden.py --update-golden` and review it like code.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from conflict_sim.run import simulate

GOLDEN = Path(__file__).parent / "golden" / "tiny_seed42_120d.csv"
COLUMNS = [
    "issues",
    "submissions",
    "petitions",
    "replies",
    "skip_attempts",
    "intercepted",
    "collective_visits",
    "nonnormal",
    "open_issues",
    "legitimacy_local",
    "legitimacy_center",
    "backlog_subdistrict",
    "backlog_district",
    "evaluation_score",
    "control_share",
    "formal_on_time_rate",
]


def test_tiny_matches_golden(tiny, update_golden):
    """The tiny scenario, seed 42, 120 days, reproduces the stored daily series exactly."""
    actual = simulate(tiny, seed=42, days=120).daily[COLUMNS].reset_index()
    if update_golden:
        actual.to_csv(GOLDEN, index=False, float_format="%.12g")
    expected = pd.read_csv(GOLDEN)
    pd.testing.assert_frame_equal(actual, expected, check_dtype=False, rtol=1e-10)
