"""Every parameter moves what it declares, at the faithful sample: the parameters the mechanisms issue found
dead, each moved across its span with its declared effect, and a fixed sample of the others (the full
table is `python -m experiments.dead_parameters`, docs/parameters.md). The margin is that of
`tests/paired_checks.py`.
"""

from __future__ import annotations

import pytest

from experiments.dead_parameters import check_of
from tests.paired_checks import SEEDS, assert_moves, cases, results

pytestmark = pytest.mark.slow

NAMED = (
    "threshold_mean",
    "threshold_sd",
    "instigator_share",
    "dialogue_threshold_shift",
    "demonstration_probability",
    "sanction_nonnormal",
    "compensation_dispersion",
    "hearing_rate",
    "center_fix_probability",
    "grid_households",
)
# Six of the others, drawn once (numpy's default_rng(2032) over the sorted declared names) and written out so
# that a parameter added later does not redraw them.
SAMPLED = (
    "detention_max_days",
    "first_contact_priority",
    "grid_visits_per_month",
    "interception_enabled",
    "loyalty_weight",
    "weight_on_time",
)
# Added since the full table: the calibration's constant (docs/model.md 7.2).
ADDED = ("petition_reluctance",)
CHECKS = tuple(check_of(n) for n in (*NAMED, *SAMPLED, *ADDED))
# Checks that fall short, as strict xfails with their measured diagnosis (none since detention_max_days is measured
# where residents turn to non-normal action: see its field in conflict_sim/params.py).
FALLS_SHORT: dict[str, str] = {}


@pytest.fixture(scope="module")
def found():
    return results((CHECKS, SEEDS))


@pytest.mark.parametrize("check", cases(CHECKS, FALLS_SHORT), ids=lambda c: c.label)
def test_parameter_moves_its_outcome(found, check):
    """Moved across its span, the parameter moves its declared outcome the declared way by > 3 SE."""
    assert_moves(found, check)
