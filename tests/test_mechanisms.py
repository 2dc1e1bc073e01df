"""Every mechanism acting, at the faithful sample (1:4, the district of `tests/paired_checks.py`), on common random
numbers: one check per mechanism of the model description (review ladder, non-normal action, suppression and
venting, latent grievance, trust in the centre, imitation, the level a matter needs, collective events' quiet
window, copy campaigns), with the margin of `tests/paired_checks.py`, and the daily processes of collective action
and trust (the settling of trust on the default district). Single parameters are `test_parameters_move.py`.
"""

from __future__ import annotations

import numpy as np
import pytest

from conflict_sim.params import Params
from conflict_sim.run import simulate
from conflict_sim.scenarios import load
from experiments.dead_parameters import Check
from tests import paired_checks
from tests.paired_checks import SEEDS, assert_moves, cases, results

pytestmark = pytest.mark.slow

C4 = {"collective_issue_multiplier": 4.0}
SUPPRESSIVE = {"interception_base": 0.9, "recognition": 0.6}
MECHANISMS = (
    Check(
        "review ladder: worse replies, more reviews",
        {"office_quality": 0.9},
        {"office_quality": 0.3},
        "review_requests_per_year",
        +1,
    ),
    Check(
        "review ladder: worse replies, more terminations",
        {"office_quality": 0.9},
        {"office_quality": 0.3},
        "terminations_per_year",
        +1,
    ),
    Check(
        "non-normal action when trust in local organs, the centre and legal channels is low",
        {"legitimacy_mean": 0.85},
        {"legitimacy_mean": 0.45, "hierarchical_trust_share": 0.0},
        "nonnormal_per_year",
        +1,
    ),
    Check(
        "suppression builds hostility (Coser)",
        {"hostility_gain": 0.0},
        {"hostility_gain": 0.5},
        "hostility_mean",
        +1,
        {"interception_base": 0.9},
    ),
    Check(
        "voice that is heard releases hostility (safety valve)",
        {"venting": 0.0},
        {"venting": 1.0},
        "hostility_mean",
        -1,
    ),
    Check(
        "given-up grievances return",
        {"reactivation_probability": 0.0},
        {"reactivation_probability": 0.3},
        "reactivations_per_year",
        +1,
    ),
    Check(
        "a higher level that answers well restores trust in the centre",
        {"center_trust_gain": 0.0},
        {"center_trust_gain": 0.2},
        "legitimacy_center_mean",
        +1,
    ),
    Check(
        "imitation: households take up the channels their ties used lately",
        {"peer_imitation": 0.0},
        {"peer_imitation": 1.0},
        "tie_channel_share",
        +1,
    ),
    Check(
        "matters the community can settle end there (the grid workers' level rule)",
        {"level_needed_community": 0.1},
        {"level_needed_community": 0.45},
        "ended_share_community",
        +1,
        {"grid_level_rule": True},
    ),
    Check(
        "an event that dips below five people comes back inside the quiet window",
        {"event_quiet_days": 1},
        {"event_quiet_days": 10},
        "mean_collective_days",
        +1,
        {**C4, "attendance_probability": 0.7},
    ),
    Check(
        "offices that de-duplicate accept fewer campaign copies",
        {"copy_deduplication": 0.0},
        {"copy_deduplication": 1.0},
        "copy_acceptance_rate",
        -1,
        C4,
    ),
)
# Real but small against the seed-to-seed spread, so these run on a larger seed set and share one pair of
# arms. Accumulated hostility raises voice only where grievance sits near the voice threshold (a household
# whose voice was blocked has usually voiced already), so its trace in all ~45,000 submissions a year is
# within the noise (FALLS_SHORT); among the households whose voice was blocked it is measured directly
# (voice_after_blocked: +0.088 ± 0.017 submissions each in 90 days, z +5.2, 15 of 16 seeds up).
POWERED_SEEDS = 16
POWERED = (
    Check(
        "suppressed hostility returns as non-normal action (Coser)",
        {"hostility_gain": 0.0},
        {"hostility_gain": 0.5},
        "nonnormal_per_year",
        +1,
        SUPPRESSIVE,
    ),
    Check(
        "suppression raises later voice (accumulated hostility)",
        {"hostility_gain": 0.0},
        {"hostility_gain": 0.5},
        "voice_after_blocked",
        +1,
        SUPPRESSIVE,
    ),
    Check(
        "suppression raises later voice, seen in all submissions",
        {"hostility_gain": 0.0},
        {"hostility_gain": 0.5},
        "submissions_per_year",
        +1,
        SUPPRESSIVE,
    ),
)


@pytest.fixture(scope="module")
def faithful() -> Params:
    return paired_checks.faithful()


@pytest.fixture(scope="module")
def found():
    return results((MECHANISMS, SEEDS), (POWERED, POWERED_SEEDS))


FALLS_SHORT = {
    "suppression raises later voice, seen in all submissions": "+898 ± 370 submissions a year on 16 seeds "
    "(z +2.5): the added voice of households whose voice was blocked (voice_after_blocked, which passes) is "
    "about 2 % of all submissions, and in this world (4 in 10 submissions brushed off and retried) the "
    "seed-to-seed spread is larger; about 25 seeds would be needed (measured 3 December 2026)",
}


@pytest.mark.parametrize("check", cases((*MECHANISMS, *POWERED), FALLS_SHORT), ids=lambda c: c.label)
def test_mechanism_moves_its_outcome(found, check):
    """The change moves its outcome the declared way by more than 3 standard errors of paired differences."""
    assert_moves(found, check)


def test_collective_events_last_and_vary(faithful):
    """Collective action is a daily process: events last several days and their sizes and durations vary."""
    events = simulate(faithful.replace(**C4), seed=11, days=365).events.collective
    assert len(events) >= 10
    assert events["event_days"].nunique() >= 3 and (events["event_days"] > 1).mean() > 0.2
    assert events["peak_people"].nunique() >= 5


@pytest.mark.parametrize("seed", [21, 22])
def test_trust_settles_under_a_constant_policy(seed):
    """In a 5-year run under constant policy, the slope of mean local and centre trust over the last year is
    within ±0.01 a year, or its 95 % interval holds 0 (least squares on the daily means)."""
    default = load("chengzhong").params.replace(households_per_agent=paired_checks.SAMPLE)  # the default district
    daily = simulate(default, seed=seed, days=5 * 365).daily.tail(365)
    years = daily.index.to_numpy(float) / 365.0
    for column in ("legitimacy_local", "legitimacy_center"):
        slope, intercept = np.polyfit(years, daily[column].to_numpy(), 1)
        residuals = daily[column].to_numpy() - (slope * years + intercept)
        se = np.sqrt(residuals.var(ddof=2) / ((years - years.mean()) ** 2).sum())
        assert abs(slope) <= 0.01 or abs(slope) <= 1.96 * se, f"{column}: {slope:+.4f} a year (SE {se:.4f})"
