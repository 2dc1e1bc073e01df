"""The stylized facts of docs/validation.md on fixed seed sets: each criterion with its stated margin.

A criterion the model does not meet is a strict xfail carrying the reason (docs/validation.md says
what was tried), so that a later fix shows up as an unexpected pass instead of going unnoticed.
"""

from __future__ import annotations

import functools

import pytest

from conflict_sim.scenarios import load
from experiments.validation.facts import Suite

pytestmark = pytest.mark.slow

GAPS = {
    ("SF-1", "adequate_local_share"): "35 % of issues need the district or above (LEVEL_NEEDED_SHARES), "
    "so even fast, well-staffed local organs end only ~75 % at or below the subdistrict",
    ("SF-1", "weak_local_moves_up"): "office quality is one value for every level and skip-level "
    "propensity follows trust, which halved quality erodes too slowly: no upward migration",
    ("SF-1", "weak_local_more_skips"): "as above: skip-level rate rises by < 3 SE",
    ("SF-2", "overdispersed_months"): "collective issues arrive nearly independently; shared projects "
    "and the demonstration effect cluster events only weakly (variance/mean ≈ 1.3)",
    ("SF-2", "interevent_cv"): "as above: inter-event times are close to exponential (CV ≈ 1.07)",
    ("SF-5", "more_disruptive_choices"): "a buy-off ends the issue, removing its repeat skip-level "
    "visits, which offsets peers' learning that disruption pays",
    ("SF-6", "diminishing_returns"): "each step of the reform adds about the same resolution (+0.06): "
    "the response is linear over this range, not concave",
    ("SF-7", "online_share_level"): "free online petitions reach 39 % of 信访 petitions on average "
    "(seeds 36-42 %): close to, but not on every seed within, the national 40-60 %",
    ("SF-11", "reform_shrinks_gap"): "evaluation reform acts only through the manager's noisy "
    "quarterly hill-climbing of its control share; the gap shrinks by < 3 SE",
}


@functools.cache
def _facts() -> dict:
    suite = Suite.standard(load("tiny").params)
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
            f, c, id=f"{f}-{c}", marks=[pytest.mark.xfail(strict=True, reason=GAPS[f, c])] if (f, c) in GAPS else []
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
