"""The metric catalogue on a small event log computed by hand: each outcome's definition, exactly."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from conflict_sim import catalogue
from conflict_sim.cases import CaseKind, Refusal
from conflict_sim.events import ISSUE_COLUMNS, SCHEMA, EventTables
from conflict_sim.issues import Channel as C
from conflict_sim.issues import IssueState as S
from conflict_sim.issues import Level as L
from conflict_sim.issues import Pathway as P
from conflict_sim.params import Params

K = 2
PARAMS = Params(households_per_agent=K, population=1000)
YEAR = 365 / 10  # the window is days 11-20: ten days


def _tables(**rows) -> EventTables:
    frames = {name: pd.DataFrame(rows.get(name, []), columns=list(columns)) for name, columns in SCHEMA.items()}
    frames["issues"] = pd.DataFrame(rows.get("issues", []), columns=list(ISSUE_COLUMNS))
    return EventTables(**frames)


def _issue(uid, born, state, ended=-1, level=-1, pathway=-1, submissions=0, replies=0, reviews=0):
    # issue, household, category, severity, merit, level needed, litigable, mediable, strategic, group people,
    # born, revived from, state, ended, end level, pathway, submissions, first channel, replies, reviews, ...
    return (
        uid,
        uid,
        0,
        0.5,
        1.0,
        1,
        False,
        False,
        False,
        0,
        born,
        -1,
        int(state),
        ended,
        level,
        pathway,
        submissions,
        -1,
        replies,
        reviews,
        False,
        0,
    )


EVENTS = _tables(
    issues=[
        _issue(0, 5, S.RESOLVED, 12, L.SUBDISTRICT, P.OFFICE, 1, 1),
        _issue(1, 12, S.RESOLVED, 15, L.COMMUNITY, P.MEDIATION, 1, 0),
        _issue(2, 12, S.CLOSED, 18, L.DISTRICT, P.ACCEPTED, 2, 2, 1),
        _issue(3, 14, S.EXITED, 19, -1, P.EXIT, 0),
        _issue(4, 15, S.BOUGHT_OFF, 20, L.DISTRICT, P.BUYOFF, 3, 1),
        _issue(5, 16, S.PETITION, -1, -1, -1, 1),
        _issue(6, 8, S.RESOLVED, 9, L.COMMUNITY, P.GRID_FIX, 0),
    ],
    submissions=[  # day, issue, channel, repeat, copy, people, a tie used the channel lately
        (5, 0, C.ONLINE, False, False, 1.0, True),
        (12, 1, C.MEDIATION, False, False, 1.0, False),
        (13, 2, C.VISIT_DISTRICT, False, False, 1.0, True),
        (16, 2, C.REVIEW, False, False, 1.0, False),
        (15, 4, C.HOTLINE, False, False, 1.0, False),
        (16, 4, C.SKIP_CITY, True, False, 1.0, False),
        (17, 4, C.NONNORMAL, True, False, 1.0, False),
        (17, 5, C.ONLINE, False, False, 1.0, True),
        (17, 5, C.ONLINE, False, True, 2.0, True),
    ],
    replies=[
        (12, 0, 1, CaseKind.INITIAL, True, True, True, 0.5, False),
        (15, 2, 2, CaseKind.INITIAL, True, False, True, 0.4, False),
        (18, 2, 3, CaseKind.REVIEW, False, False, False, 0.6, False),
        (19, 4, 2, CaseKind.INITIAL, True, False, True, 0.5, False),
        (19, 5, 2, CaseKind.INITIAL, True, False, True, 0.5, True),
    ],
    refusals=[(18, 5, Refusal.DUPLICATE, C.ONLINE, True)],
    reviews=[(16, 2, 1)],
    skips=[
        (16, 4, C.SKIP_CITY, False, True, False),
        (14, 3, C.SKIP_PROVINCE, True, False, True),
    ],  # the 2nd: terminated
    nonnormal=[(17, 4, True, True, 5, False)],
    buyoffs=[(20, 4, 0.8, 1.0), (18, 3, 0.5, 0.0)],  # the second pays a claim without merit
    mediations=[(15, 1, True), (19, 3, False)],
    collective=[(4, 16, 19, 3, 60.0, 120.0, True, False, 2, 1, 0)],
)
DAILY = pd.DataFrame(
    {
        "legitimacy_local": np.linspace(0.70, 0.51, 20),
        "legitimacy_center": np.full(20, 0.8),
        "hierarchical_trust_share": np.full(20, 0.4),
        "grievance_stock": np.arange(20.0),
        "latent_grievance": np.arange(20.0),
        "backlog_total": np.full(20, 3.0),
        "overdue_total": np.zeros(20),
        "instability_index": np.full(20, 0.5),
        "evaluation_score": np.full(20, 1.5),
        "control_share": np.full(20, 0.4),
        "expectation": np.full(20, 1.0),
        "deprivation": np.linspace(0.40, 0.59, 20),
        "hostility": np.linspace(0.0, 1.9, 20),
        "detained": np.full(20, 2.0),
    },
    index=pd.RangeIndex(1, 21, name="day"),
)


@pytest.fixture(scope="module")
def out() -> dict[str, float]:
    return catalogue.outcomes(EVENTS, DAILY, PARAMS, warmup_days=10)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("days", 20),
        ("issues_per_year", 5 * K * YEAR),  # issues 1-5 arise on days 11-20
        ("submissions_per_year", 9 * K * YEAR),  # eight rows in the window, the copy counts its two people
        ("petitions_per_year", 6 * K * YEAR),  # visit, skip, non-normal, online, copy (2): mediation, review, 12345 out
        ("petitions_per_100_residents_year", 6 * K * YEAR / 1000 * 100),
        ("hotline_orders_per_year", 1 * K * YEAR),
        ("skip_attempts_per_year", 2 * K * YEAR),
        ("intercepted_per_year", 1 * K * YEAR),
        ("terminated_skip_attempts_per_year", 1 * K * YEAR),
        ("collective_visits_per_year", 1 * K * YEAR),
        ("large_collective_per_year", 1 * K * YEAR),
        ("mass_incidents_per_year", 1 * K * YEAR),
        ("nonnormal_per_year", 1 * K * YEAR),
        ("nonnormal_national_per_year", 1 * K * YEAR),
        ("detentions_per_year", 2 * K * YEAR),  # one non-normal act, one arrest at the mass incident
        ("buyoffs_per_year", 2 * K * YEAR),
        ("review_requests_per_year", 1 * K * YEAR),
        ("terminations_per_year", 0.0),
        ("mediations_per_year", 2 * K * YEAR),
        ("veto_months_per_year", 0.0),
        ("substantive_resolution_rate", 2 / 5),  # issues 0 and 1 resolved of 0-4 ended in the window
        ("formal_on_time_rate", 3 / 4),  # the campaign copy's reply is not the household's own
        ("closure_gap", 3 / 4 - 2 / 5),
        ("reply_support_rate", 1 / 4),
        ("satisfaction_rate", 3 / 4),
        ("first_contact_resolution_rate", 2 / 4),  # of the voiced ended issues 0, 1, 2, 4
        ("buyoff_share", 1 / 5),
        ("exit_share", 1 / 5),
        ("escalation_rate", 1 / 3),  # issue 2 of the replied 0, 2, 4
        ("skip_level_rate", 2 / 6),
        ("intercepted_share", 1 / 2),
        ("repeat_rate", 2 / 9),
        ("tie_channel_share", 2 / 7),  # the visit and the lead online petition of the seven own submissions
        ("mediation_success_rate", 1 / 2),
        ("copy_acceptance_rate", 0.0),
        ("isolated_online_acceptance_rate", 1.0),
        ("mean_collective_size", 60.0),
        ("mean_collective_days", 3.0),
        ("legitimacy_local_end", 0.51),
        ("legitimacy_local_mean", float(np.linspace(0.70, 0.51, 20)[10:].mean())),
        ("legitimacy_center_mean", 0.8),
        ("grievance_stock_mean", float(np.arange(20.0)[10:].mean())),
        ("latent_grievance_end", 19.0),
        ("backlog_mean", 3.0),
        ("evaluation_score_mean", 1.5),
        ("cost_total", (5 * 1.0 + 2 * 0.3 + 1 * 0.5 + 0.8 + 0.5) * K),
        ("compensation_total", 1.3 * K),
        ("compensation_without_merit", 0.5 * K),
        ("share_online", 3 / 9),
        ("share_hotline", 1 / 9),
        ("share_review", 1 / 9),
        ("online_share_of_petitions", 3 / 6),
        ("visit_share_of_petitions", 1 / 6),
        ("ended_share_community", 1 / 4),  # handled at a level: 0, 1, 2, 4 (the exit has no level)
        ("ended_share_subdistrict", 1 / 4),
        ("ended_share_district", 2 / 4),
        ("ended_share_city", 0.0),
        ("resolution_by_180_days", 1 / 5),  # of the cohort born in the window, issue 1 resolved
        ("expectation_end", 1.0),
        ("deprivation_mean", float(np.linspace(0.40, 0.59, 20)[10:].mean())),
        ("hostility_mean", np.mean(np.linspace(0.0, 1.9, 20)[10:])),  # the window is days 11-20
        ("detained_mean", 2.0),
        ("returned_resolution_rate", float("nan")),  # no replies to returned matters in this log
        ("terminated_acceptance_rate", float("nan")),  # no terminated issue ended
        ("collective_monthly_dispersion", float("nan")),  # a ten-day window has no two months
        ("voice_after_blocked", float("nan")),  # no voice blocked 90 days before the window ends
    ],
)
def test_outcome_on_a_hand_computed_log(out, name, expected):
    """Each outcome equals its definition computed by hand on a ten-day window."""
    assert out[name] == pytest.approx(expected, abs=1e-12, nan_ok=True)


def test_a_quantile_never_reached_is_not_a_number(out):
    """Only a fifth of the cohort is resolved: the median time to resolution is not reached (NaN)."""
    assert math.isnan(out["median_days_to_resolution"])
    assert math.isnan(out["p90_days_to_resolution"])


def test_aalen_johansen_by_hand():
    """Resolutions at 1, 3, 4, another ending at 2 and a censored issue at 3: CIF 0.2, 0.2, 0.4, 0.8."""
    durations = np.array([1.0, 2.0, 3.0, 3.0, 4.0])
    outcome = np.array([1, 2, 1, 0, 1])
    cif = catalogue.cumulative_incidence(durations, outcome)
    assert cif.loc[[1, 2, 3, 4]].tolist() == pytest.approx([0.2, 0.2, 0.4, 0.8])


def test_chronic_petitioners_by_hand():
    """An issue becomes chronic at its fifth submission within 365 days (copies excluded)."""
    subs = [(d, 7, C.VISIT_DISTRICT, d > 1, False, 1.0, False) for d in (1, 100, 200, 300, 360, 370)]
    subs += [(d, 8, C.LETTER, d > 1, False, 1.0, False) for d in (1, 200, 400, 600, 800)]  # never five within a year
    subs += [(361, 9, C.ONLINE, False, True, 1.0, False)] * 5  # copies do not count
    events = _tables(submissions=subs)
    daily = DAILY.reindex(pd.RangeIndex(1, 801, name="day")).ffill()
    out = catalogue.outcomes(events, daily, PARAMS, warmup_days=300)
    assert out["chronic_petitioners"] == 1 * K  # issue 7, chronic on day 360
    assert out["chronic_share_of_submissions"] == pytest.approx(2 / (2 + 3 + 5))  # days 360, 370 of issue 7


def test_voice_after_blocked_by_hand():
    """Household 1, refused on day 110 and turned away by a court on day 130, voices on days 150, 200 and 201
    (90 days after day 110 end with day 200); the refusal sent to court (household 2), the intercepted
    skip too near the window's end (household 3) and the campaign copy do not count: 2 submissions each."""
    issues = [_issue(uid, 100, S.PETITION) for uid in (1, 2, 3)]
    subs = [(d, 1, C.LETTER, True, False, 1.0, False) for d in (105, 150, 200, 201)]
    subs += [(150, 2, C.ONLINE, True, False, 1.0, False), (160, 1, C.ONLINE, False, True, 2.0, False)]
    events = _tables(
        issues=issues,
        submissions=subs,
        refusals=[(110, 1, Refusal.NOT_REGISTERED, C.LETTER, False), (120, 2, Refusal.LITIGABLE, C.ONLINE, False)],
        courts=[(130, 1, False, False)],
        skips=[(250, 3, C.SKIP_CITY, True, False, False)],
    )
    daily = DAILY.reindex(pd.RangeIndex(1, 301, name="day")).ffill()
    assert catalogue.outcomes(events, daily, PARAMS, warmup_days=100)["voice_after_blocked"] == 2.0


def test_every_outcome_is_declared_once_with_its_description():
    """One catalogue: unique names, a label, a unit, a definition and a kind for every outcome."""
    names = [m.name for m in catalogue.OUTCOMES]
    assert len(names) == len(set(names))
    kinds = {"share", "rate", "count_per_year", "level", "duration", "score", "cost", "count"}
    for m in catalogue.OUTCOMES:
        assert m.label and m.unit and m.definition, m.name
        assert m.kind in kinds, m.name
        assert min(m.mid.absolute, m.mid.relative) >= 0 and (
            m.margin.absolute > 0 or m.margin.relative > 0 or m.name == "days"
        ), m.name


def test_a_run_reports_exactly_the_catalogue(tiny):
    """simulate() returns one value for every catalogue outcome, no more and no fewer."""
    from conflict_sim.run import simulate

    out = simulate(tiny, seed=1, days=60).outcomes
    assert list(out) == [m.name for m in catalogue.OUTCOMES]


def test_monthly_dispersion_by_hand():
    """Monthly counts 0 and 4 have variance 8 over mean 2; counts 1 and 3 variance 2 over mean 2; no event is NaN."""
    from conflict_sim.catalogue import Window, monthly_dispersion

    two_months = Window(0, 59)
    assert monthly_dispersion(np.array([30, 31, 45, 59]), two_months) == pytest.approx(4.0)
    assert monthly_dispersion(np.array([1, 30, 31, 45]), two_months) == pytest.approx(1.0)
    assert np.isnan(monthly_dispersion(np.array([], dtype=int), two_months))
