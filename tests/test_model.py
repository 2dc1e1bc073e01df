"""The petition model: invariants over seeds, determinism, and mechanisms on fixed seed sets."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conflict_sim.agents import DistrictManager, PetitionOffice, Resident
from conflict_sim.issues import CATEGORIES, IssueState
from conflict_sim.metrics import COUNTS
from conflict_sim.model import PetitionModel
from conflict_sim.run import simulate
from tests.conftest import seeds

DAYS = 365


def _run(params, seed, days=DAYS):
    model = PetitionModel(params, rng=seed)
    model.run_for(days)
    return model


@pytest.mark.parametrize("seed", seeds(11, 3))
def test_every_issue_is_in_exactly_one_state_every_day(tiny, seed):
    """State counts add up to the issues created, and open issues are exactly the open states, daily."""
    model = PetitionModel(tiny, rng=seed)
    open_states = [
        IssueState.NEW,
        IssueState.SILENT,
        IssueState.GRID,
        IssueState.MEDIATION,
        IssueState.PETITION,
        IssueState.COURT,
    ]
    for _ in range(200):
        model.step()
        assert (model.state_counts >= 0).all()
        assert model.state_counts.sum() == model.tally.issues
        assert model.state_counts[open_states].sum() == len(model.open_issues)
        assert sum(len(r.issues) for r in model.residents) == len(model.open_issues)
    states = {i.state for i in model.open_issues.values()}
    assert states <= set(open_states)


@pytest.mark.parametrize("seed", seeds(12, 3))
def test_households_and_agents_are_conserved(tiny, seed):
    """No resident appears or vanishes; one grid worker per grid, one committee per neighbourhood."""
    model = _run(tiny, seed, 120)
    assert len(model.agents_by_type[Resident]) == tiny.agents == model.households.n
    assert len(model.grid_workers) == model.district.n_grids
    assert len(model.agents_by_type[PetitionOffice]) == 10  # 8 subdistrict/town + district + city
    assert len(model.agents_by_type[DistrictManager]) == 1
    assert sum(len(cell.agents) for cell in model.space.all_cells) == tiny.agents


@pytest.mark.parametrize("seed", seeds(13, 3))
def test_statutory_clock(tiny, seed, monkeypatch):
    """No handling clock exceeds its limit unless extended; extensions never exceed 30 days;
    a reply after its due date happens only to a case marked overdue."""
    replies, overdue = [], set()
    original_reply, original_overdue = PetitionOffice.reply, PetitionOffice.mark_overdue

    def spy_reply(office, case):
        replies.append((office.model.day, case))
        original_reply(office, case)

    def spy_overdue(office, case):
        overdue.add(id(case))
        original_overdue(office, case)

    monkeypatch.setattr(PetitionOffice, "reply", spy_reply)
    monkeypatch.setattr(PetitionOffice, "mark_overdue", spy_overdue)
    model = _run(tiny, seed)
    limits = {
        "review": tiny.review_limit_days,
        "rereview": tiny.rereview_limit_days,
        "hotline": tiny.hotline_limit_days,
    }
    max_wait = 2 * tiny.forward_limit_days + tiny.accept_limit_days
    assert len(replies) > 100
    for day, case in replies:
        limit = limits.get(case.kind, tiny.handle_limit_days)
        assert 0 <= case.extended <= tiny.extension_limit_days
        assert case.due - case.accepted == limit + case.extended
        assert day <= case.due or id(case) in overdue
        if case.kind in ("initial", "review", "rereview"):
            assert case.accepted - case.received <= max_wait
    assert model.tally.extensions > 0  # the rule was exercised


@pytest.mark.parametrize("seed", seeds(14, 3))
def test_counts_never_decrease_and_formal_bounds_substantive(tiny, seed):
    """Cumulative counts never decrease; formal replies >= substantive resolutions; rates and trust in [0, 1]."""
    daily = simulate(tiny, seed=seed, days=DAYS).daily
    assert (daily[list(COUNTS)].diff().dropna() >= -1e-9).all().all()
    assert (daily["replies"] >= daily["replies_resolved"]).all()
    for column in ("legitimacy_local", "legitimacy_center", "formal_on_time_rate", "substantive_resolution_rate"):
        values = daily[column].dropna()
        assert ((values >= 0) & (values <= 1)).all(), column


def test_same_seed_same_run(tiny):
    """Determinism: one seed reproduces the whole daily series exactly."""
    a = simulate(tiny, seed=5, days=200)
    b = simulate(tiny, seed=5, days=200)
    pd.testing.assert_frame_equal(a.daily, b.daily)
    assert a.outcomes == pytest.approx(b.outcomes, nan_ok=True)


def test_different_seeds_differ(tiny):
    """Different seeds give different runs."""
    a = simulate(tiny, seed=5, days=200).daily
    b = simulate(tiny, seed=6, days=200).daily
    assert not a["submissions"].equals(b["submissions"])


def _paired(tiny, control: dict, treatment: dict, outcome: str, n: int, root: int, days: int = DAYS) -> np.ndarray:
    """Treatment minus control of one outcome over a fixed seed set (common random numbers)."""
    diffs = []
    for seed in seeds(root, n):
        c = simulate(tiny.replace(**control), seed=seed, days=days).outcomes[outcome]
        t = simulate(tiny.replace(**treatment), seed=seed, days=days).outcomes[outcome]
        diffs.append(t - c)
    return np.array(diffs)


def _significant(diffs: np.ndarray) -> float:
    """The paired mean difference in standard errors."""
    return diffs.mean() / (diffs.std(ddof=1) / np.sqrt(len(diffs)))


@pytest.mark.slow
@pytest.mark.parametrize("outcome", ["backlog_mean", "median_days_to_resolution"])
def test_more_capacity_lowers_backlog_and_time_to_resolution(tiny, outcome):
    """Tripling cases per staff-day lowers mean backlog and median time to resolution by > 3 SE over 10 seeds."""
    diffs = _paired(tiny, {"cases_per_staff_day": 1.0}, {"cases_per_staff_day": 3.0}, outcome, 10, 2024)
    assert _significant(diffs) < -3


@pytest.mark.slow
@pytest.mark.parametrize("outcome", ["petitions_per_year", "collective_visits_per_year"])
def test_lower_legitimacy_raises_voice_and_collective_action(tiny, outcome):
    """Mean legitimacy 0.5 instead of 0.85 raises petitions and collective visits by > 3 SE over 10 seeds."""
    # more group issues in both arms (x4) give the 1:50 sample enough collective events to compare
    base = tiny.replace(collective_issue_multiplier=4.0)
    diffs = _paired(base, {"legitimacy_mean": 0.85}, {"legitimacy_mean": 0.5}, outcome, 10, 2025)
    assert _significant(diffs) > 3


@pytest.mark.slow
def test_interception_lowers_recorded_skip_level_arrivals(tiny):
    """Interception lowers the skip-level visits the higher levels register, by > 3 SE over 10 seeds."""
    diffs = []
    for seed in seeds(2026, 10):
        on = _run(tiny.replace(interception_enabled=True, interception_base=0.8), seed)
        off = _run(tiny.replace(interception_enabled=False), seed)
        diffs.append(on.tally.skip_registered - off.tally.skip_registered)
    assert _significant(np.array(diffs)) < -3


@pytest.mark.slow
def test_interception_lowers_the_legitimacy_of_the_intercepted(tiny, monkeypatch):
    """Households intercepted end with lower local legitimacy than the same households (same seed)
    in a district that does not intercept: mean paired gap > 3 SE over 10 seeds."""
    intercepted: list[int] = []
    original = DistrictManager.intercept

    def spy(manager, issue, channel):
        caught = original(manager, issue, channel)
        if caught:
            intercepted.append(issue.household)
        return caught

    monkeypatch.setattr(DistrictManager, "intercept", spy)
    gaps = []
    for seed in seeds(2027, 10):
        intercepted.clear()
        on = _run(tiny.replace(interception_base=0.8), seed)
        who = np.unique(intercepted)
        off = _run(tiny.replace(interception_enabled=False), seed)
        gaps.append(float((on.households.legitimacy_local[who] - off.households.legitimacy_local[who]).mean()))
    assert _significant(np.array(gaps)) < -3


def test_full_legitimacy_and_no_deprivation_silences_everyone(tiny):
    """Limit case: with no grievance terms but s(1 - L) and trust near 1, hardly anyone speaks up."""
    quiet = tiny.replace(
        legitimacy_mean=0.95,
        legitimacy_sd=0.01,
        deprivation_weight=0.0,
        overdue_weight=0.0,
        loyalty_weight=0.0,
        voice_threshold=0.2,
        grid_visits_per_month=0.0,
    )
    out = simulate(quiet, seed=3, days=200).outcomes
    assert out["submissions_per_year"] == 0  # s(1 - L) <= 1 * 0.05 + noise < T = 0.2


@pytest.mark.slow
def test_counts_are_reported_in_real_units_whatever_the_sample(tiny):
    """Issues per year at 1:25 and 1:50 samples agree within 3 standard errors of their difference (6 seeds each)."""
    rates = {}
    for scale in (25, 50):
        values = [
            simulate(tiny.replace(households_per_agent=scale), seed=s, days=365).outcomes["issues_per_year"]
            for s in seeds(2028, 6)
        ]
        rates[scale] = np.array(values)
    difference = rates[25].mean() - rates[50].mean()
    se = np.sqrt(rates[25].var(ddof=1) / 6 + rates[50].var(ddof=1) / 6)
    assert abs(difference) < 3 * se
    # λ per real household per year; a collective project adds `project_extra_groups` issues on average
    extra = tiny.project_extra_groups
    per_arrival = sum(c.share * (1 + c.collective * extra / (1 + extra)) for c in CATEGORIES)
    expected = tiny.households * tiny.issue_rate * per_arrival
    assert abs(rates[50].mean() - expected) < 3 * rates[50].std(ddof=1) / np.sqrt(6) + 1e-9


def test_sudden_shock_drops_legitimacy_on_its_day(tiny):
    """A sudden shock lowers every household's local legitimacy by its size on the shock day (clipped at 0)."""
    model = PetitionModel(tiny.replace(shock_mode="sudden", shock_day=30, shock_size=0.2), rng=4)
    model.run_for(29)
    before = model.households.legitimacy_local.copy()
    model.step()  # day 30: the shock comes first, then the day's events move a few households
    after = model.households.legitimacy_local
    untouched = np.isclose(after, np.maximum(0.0, before - 0.2))
    assert untouched.mean() > 0.95


def test_gradual_shock_spreads_the_same_drop(tiny):
    """A gradual shock of size 0.2 over 100 days removes the same total as a sudden one, a day at a time."""
    quiet = tiny.replace(issue_rate=0.0, shock_mode="gradual", shock_day=10, shock_days=100, shock_size=0.2)
    model = PetitionModel(quiet, rng=4)
    start = model.households.legitimacy_local.copy()
    model.run_for(60)
    mid = model.households.legitimacy_local.copy()
    model.run_for(60)
    end = model.households.legitimacy_local
    clear = start > 0.2  # away from the floor at 0, where daily clipping differs from one clip
    assert np.allclose(mid[clear], start[clear] - 0.2 * 51 / 100)
    assert np.allclose(end[clear], start[clear] - 0.2)


def test_open_issues_metric_counts_only_open_issues(tiny):
    """The daily open-issue count equals the issues not yet ended (real units)."""
    model = _run(tiny, 8, 200)
    row = model.daily_row()
    ended = model.tally.resolved + model.tally.closed_unresolved + model.tally.exited
    assert row["open_issues"] == (model.tally.issues - ended) * tiny.households_per_agent


def test_mediation_backlog_counts_issues_in_mediation(tiny):
    """Each committee's backlog equals the open issues of its neighbourhood that are in mediation."""
    model = _run(tiny, 9, 150)
    expected = np.zeros(len(model.mediation_committees), dtype=int)
    for issue in model.open_issues.values():
        if issue.state == IssueState.MEDIATION:
            expected[model.district.hood_of[issue.household]] += 1
    assert [c.backlog for c in model.mediation_committees] == expected.tolist()
