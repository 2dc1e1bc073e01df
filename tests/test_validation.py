"""The public stylized facts on the default Chengzhong at the faithful 1:4 sample, on fixed seed sets.

Each criterion with its stated margin is one test; every fact runs once per session (the facts share
the runs of one seed set). A criterion the model does not meet is a strict xfail carrying its
diagnosis (experiments/validation/diagnoses.py, printed in docs/validation.md), so that a later fix
shows up as an unexpected pass instead of going unnoticed.
"""

from __future__ import annotations

import functools

import pytest

from conflict_sim.scenarios import load
from experiments.validation.diagnoses import DIAGNOSES
from experiments.validation.facts import Suite
from tests.conftest import simulation_workers

pytestmark = pytest.mark.slow


@functools.cache
def _facts() -> dict:
    suite = Suite.standard(load("chengzhong").params, workers=simulation_workers())
    return {fid: functools.cache(make) for fid, make in suite.facts().items()}


CRITERIA = [
    ("SF-1", "adequate_local_share"),
    ("SF-1", "weak_local_moves_up"),
    ("SF-1", "weak_local_more_skips"),
    ("SF-2", "overdispersed_months"),
    ("SF-2", "interevent_cv"),
    ("SF-2", "size_ccdf_power_law"),
    ("SF-5", "more_disruptive_choices"),
    ("SF-5", "more_compensation"),
    *[
        ("SF-6", f"{key}_{kind}")
        for key in ("substantive_resolution_rate", "satisfaction_rate", "repeat_rate", "escalation_rate")
        for kind in ("moves", "monotone")
    ],
    ("SF-6", "diminishing_returns"),
    ("SF-7", "online_share_rises"),
    ("SF-7", "visit_share_falls"),
    ("SF-7", "online_share_level"),
    ("SF-9", "few_below"),
    ("SF-9", "nearly_all_above"),
    ("SF-9", "flip_near_0_1"),
    ("SF-11", "formal_closure_high"),
    ("SF-11", "substantive_much_lower"),
    ("SF-11", "reform_shrinks_gap"),
    ("SF-12", "fewer_formal_petitions"),
    ("SF-12", "more_settled_locally"),
    ("SF-14", "copies_accepted_less"),
    ("SF-14", "no_gap_without_dedup"),
]


@pytest.mark.parametrize(
    ("fact", "criterion"),
    [
        pytest.param(
            f,
            c,
            id=f"{f}-{c}",
            marks=[pytest.mark.xfail(strict=True, reason=DIAGNOSES[f, c])] if (f, c) in DIAGNOSES else [],
        )
        for f, c in CRITERIA
    ],
)
def test_stylized_fact(fact, criterion):
    """The model meets the criterion of the stylized fact within its stated margin."""
    check = _facts()[fact]().check(criterion)
    assert check.passed, f"{fact} {criterion}: {check.measured} (needs {check.margin})"


def test_every_criterion_is_asserted():
    """Each criterion a fact reports is one test above, so none is computed but left unchecked."""
    listed = {(f, c.name) for f, make in _facts().items() for c in make().checks}
    assert listed == set(CRITERIA)
