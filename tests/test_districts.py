"""Districts as data: Chengzhong from its file, district files, their validation, and runs on them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from conflict_sim.district import District
from conflict_sim.params import Params

GOLDEN = Path(__file__).parent / "golden" / "chengzhong_district.npz"
# Recorded from the code before Chengzhong became a file (its UNITS constant); see test below.
GOLDEN_CASES = {
    "full": {},
    "tiny": {"households_per_agent": 50},
    "small": {"population": 1000},
    "odd_grids": {"grid_households": 137, "households_per_agent": 7},
}
ARRAYS = ("grid_of", "unit_of", "hood_of", "grid_unit", "grid_hood", "positions")


@pytest.mark.parametrize("case", sorted(GOLDEN_CASES))
def test_chengzhong_gives_exactly_the_recorded_arrays(case):
    """Chengzhong's households, grids, neighbourhoods and map positions equal the recorded ones, bit for bit."""
    golden = np.load(GOLDEN)
    d = District(Params().replace(**GOLDEN_CASES[case]))
    for name in ARRAYS:
        np.testing.assert_array_equal(getattr(d, name), golden[f"{case}.{name}"], err_msg=name)
    hoods = [(h.unit, h.index_in_unit, h.village, h.households) for h in d.neighbourhoods]
    np.testing.assert_array_equal(np.array(hoods, dtype=np.int64), golden[f"{case}.neighbourhoods"])
