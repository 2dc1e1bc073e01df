"""The petition model: invariants over seeds, the statutory clock, determinism, common random numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conflict_sim import model as model_module
from conflict_sim.agenda import Agenda
from conflict_sim.agents.manager import DistrictManager
from conflict_sim.agents.offices import PetitionOffice
from conflict_sim.agents.residents import Resident
from conflict_sim.cases import CaseKind
from conflict_sim.events import ISSUE_COLUMNS, EventLog, issue_row
from conflict_sim.issues import OPEN_STATES, Context, IssueState
from conflict_sim.model import PetitionModel
from conflict_sim.policies import REGISTRY
from conflict_sim.run import simulate
from tests.conftest import seeds

DAYS = 365
ARRIVAL_COLUMNS = [
    "born",
    "household",
    "category",
    "severity",
    "merit",
    "level_needed",
    "litigable",
    "mediable",
    "strategic",
    "group_people",
]


def _run(params, seed, days=DAYS):
    model = PetitionModel(params, rng=seed)
    model.run_for(days)
    return model


class _KeepingLog(EventLog):
    """The event log, keeping every issue it opens (the log keeps only the open ones as objects)."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list = []

    def open(self, issue) -> None:
        super().open(issue)
        self.opened.append(issue)


def _run_keeping_issues(params, seed, days, policies=()):
    """A run, and every issue it opened."""
    model = PetitionModel(params, policies=policies, rng=seed)
    model.log = log = _KeepingLog()
    model.run_for(days)
    return model, log.opened


@pytest.mark.parametrize("seed", seeds(11, 3))
def test_every_issue_is_in_exactly_one_state_every_day(tiny, seed):
    """State counts add up to the issues created, and open issues are exactly those in open states, daily."""
    model = PetitionModel(tiny, rng=seed)
    open_states = sorted(OPEN_STATES)
    for _ in range(200):
        model.step()
        assert (model.state_counts >= 0).all()
        assert model.state_counts.sum() == model.log.issue_count
        assert model.state_counts[open_states].sum() == len(model.open_issues)
        assert sum(len(r.issues) for r in model.residents) == len(model.open_issues)
    assert {i.state for i in model.open_issues.values()} <= OPEN_STATES
    issues = model.log.tables().issues
    ended = ~issues["state"].isin(sorted(OPEN_STATES))
    assert len(issues) == model.log.issue_count and (issues["issue"] == np.arange(len(issues))).all()
    assert (issues.loc[ended, "ended"] >= 0).all() and (issues.loc[~ended, "ended"] == -1).all()


def test_an_ended_issue_is_kept_as_its_row_and_changes_no_more(tiny):
    """The log keeps an ended issue as its row of the issue table, written when it ends: at the end of a
    run with every policy, each row equals what the issue object holds then (so nothing changed it after
    it ended), and no ended issue is still kept as an object."""
    policies = [REGISTRY[kind](start_day=30) for kind in sorted(REGISTRY)]
    model, opened = _run_keeping_issues(tiny, 14, 300, policies)
    rows = model.log.tables().issues
    objects = pd.DataFrame([issue_row(i) for i in opened], columns=list(ISSUE_COLUMNS)).astype(rows.dtypes)
    assert len(rows) == len(opened) and rows["state"].isin(sorted(OPEN_STATES)).mean() < 0.5
    pd.testing.assert_frame_equal(rows, objects)
    assert all(i.is_open for i in model.log.open_issues.values())


@pytest.mark.parametrize("seed", seeds(12, 2))
def test_households_and_agents_are_conserved(tiny, seed):
    """No resident appears or vanishes; one grid worker per grid, one committee per neighbourhood, 11 offices."""
    model = _run(tiny, seed, 120)
    assert len(model.agents_by_type[Resident]) == tiny.agents == model.households.n
    assert len(model.grid_workers) == model.district.n_grids
    assert sum(w.agents for w in model.grid_workers) == tiny.agents
    assert len(model.agents_by_type[PetitionOffice]) == 11  # 8 subdistrict/town + district, city, province
    assert len(model.agents_by_type[DistrictManager]) == 1


@pytest.mark.parametrize("seed", seeds(13, 2))
def test_statutory_clock(tiny, seed, monkeypatch):
    """No handling clock exceeds its limit unless extended; extensions never exceed 30 days; a reply after
    its due date happens only to a case marked overdue; acceptance comes within the registration limits."""
    replies = []
    original_reply = PetitionOffice.reply

    def spy_reply(office, case):
        replies.append((office.model.day, case))
        original_reply(office, case)

    monkeypatch.setattr(PetitionOffice, "reply", spy_reply)
    _run(tiny, seed)
    limits = {
        CaseKind.REVIEW: tiny.review_limit_days,
        CaseKind.REREVIEW: tiny.rereview_limit_days,
        CaseKind.HOTLINE: tiny.hotline_limit_days,
    }
    # registration, forwarding to the competent office, one forwarding upward, then acceptance
    max_wait = 3 * tiny.forward_limit_days + tiny.accept_limit_days
    assert len(replies) > 100
    assert any(case.extended for _, case in replies)  # the extension rule was exercised
    for day, case in replies:
        limit = limits.get(case.kind, tiny.handle_limit_days)
        assert 0 <= case.extended <= tiny.extension_limit_days
        assert case.due - case.accepted == limit + case.extended
        assert day <= case.due or case.overdue
        if case.kind in (CaseKind.INITIAL, CaseKind.REVIEW, CaseKind.REREVIEW):
            assert case.accepted - case.received <= max_wait


def test_an_event_set_for_a_day_already_run_runs_the_next_day():
    """The agenda never loses an event: one scheduled for today after today's events ran comes tomorrow."""
    agenda, ran = Agenda(), []
    agenda.at(5, ran.append, "due")
    agenda.run(5)
    agenda.at(5, ran.append, "late")  # e.g. a decision taken after the day's events, accepting "today"
    agenda.at(3, ran.append, "past")
    agenda.run(6)
    assert ran == ["due", "late", "past"]


def test_a_scheduled_decision_stands_only_while_nothing_has_happened_to_its_issue():
    """`still_due` (compiled: the issues' fields read at their offsets) keeps a day's scheduled decisions whose
    issue kept its epoch and is where the context expects it, each issue's first only, in their order."""
    from conflict_sim.agents.decisions import still_due
    from conflict_sim.issues import Issue, Level

    def issue(uid, state, case=None, epoch=3):
        made = Issue(uid, 0, 0, 0.5, 1.0, Level.COMMUNITY, False, False, 0)
        made.state, made.case, made.epoch = state, case, epoch
        return made

    new, silent, detained = issue(0, IssueState.NEW), issue(1, IssueState.SILENT), issue(2, IssueState.DETAINED)
    late, answered = issue(3, IssueState.PETITION, case=object()), issue(4, IssueState.PETITION)
    gone = [issue(5, IssueState.CLOSED), issue(6, IssueState.GRID), issue(7, IssueState.MEDIATION)]
    bucket = [
        (silent, 3, Context.RECONSIDER),
        (new, 2, Context.SETBACK),  # scheduled before something happened to it (epoch 2, now 3)
        (issue(9, IssueState.SILENT), 2, Context.RECONSIDER),  # likewise, and nothing since
        (new, 3, Context.FIRST),
        (new, 3, Context.SETBACK),  # the same issue again: its first standing decision only
        (late, 3, Context.OVERDUE),
        (late, 3, Context.SETBACK),  # a petition under way: only its late reply is weighed
        (answered, 3, Context.OVERDUE),  # replied meanwhile (no case)
        (issue(8, IssueState.SILENT), 3, Context.OVERDUE),  # no petition under way
        (detained, 3, Context.AFTER_EVENT),
        *((g, 3, Context.RECONSIDER) for g in gone),
    ]
    assert still_due(bucket) == [
        (silent, Context.RECONSIDER),
        (new, Context.FIRST),
        (late, Context.OVERDUE),
        (detained, Context.AFTER_EVENT),
    ]
    assert still_due([]) == []


def test_every_submission_kept_by_its_own_office_is_decided(tiny, monkeypatch):
    """With a one-day acceptance limit (same day or next), every case an office keeps is decided: none waits
    forever because its decision fell on a day whose events had already run."""
    kept, decided = {}, set()
    original_receive, original_decide = PetitionOffice.receive, PetitionOffice.decide_acceptance

    def spy_receive(office, case):
        original_receive(office, case)
        kept[id(case)] = (office.model.day, case)

    def spy_decide(office, case):
        decided.add(id(case))
        original_decide(office, case)

    monkeypatch.setattr(PetitionOffice, "receive", spy_receive)
    monkeypatch.setattr(PetitionOffice, "decide_acceptance", spy_decide)
    model = _run(tiny.replace(accept_limit_days=1, recognition=1.0), seeds(15, 1)[0], days=240)
    old = [case for day, case in kept.values() if day < model.day - 3 * tiny.forward_limit_days]
    assert len(old) > 50
    assert all(id(case) in decided for case in old)


def test_a_late_reply_is_weighed_again_while_it_stays_late(tiny, monkeypatch):
    """The overdue wait W enters grievance: a household whose reply stays late decides again later, with W > 0
    (decided only on the day it is told, W would always be 0 and overdue_weight could not matter)."""
    waits = []
    original = model_module.decide

    def spy(world, due):
        waits.extend(world.day - i.overdue_since for i, c in due if c == Context.OVERDUE and i.overdue_since >= 0)
        return original(world, due)

    monkeypatch.setattr(model_module, "decide", spy)  # the model's reference: the compiled build calls no other
    _run(tiny.replace(cases_per_staff_day=0.3), seeds(16, 1)[0])
    assert len(waits) > 10
    assert max(waits) >= tiny.reconsider_days


@pytest.mark.parametrize("seed", seeds(14, 2))
def test_counts_never_decrease_and_levels_stay_in_bounds(tiny, seed):
    """Cumulative counts never decrease; trust and rates stay in [0, 1]; stocks are never negative."""
    daily = simulate(tiny, seed=seed, days=DAYS).daily
    cumulative = [
        "issues",
        "submissions",
        "petitions",
        "replies",
        "skip_attempts",
        "nonnormal",
        "buyoffs",
        "collective_visits",
        "mediations",
        "ended_community",
        "ended_subdistrict",
    ]
    assert (daily[cumulative].diff().dropna() >= 0).all().all()
    for column in ("legitimacy_local", "legitimacy_center", "formal_on_time_rate", "substantive_resolution_rate"):
        values = daily[column].dropna()
        assert ((values >= 0) & (values <= 1)).all(), column
    stocks = ["open_issues", "petition_cases", "backlog_total", "overdue_total", "latent_grievance"]
    assert (daily[stocks] >= 0).all().all()


def test_same_seed_same_run(tiny):
    """Determinism: one seed reproduces the whole daily series and every outcome exactly."""
    a = simulate(tiny, seed=5, days=200)
    b = simulate(tiny, seed=5, days=200)
    pd.testing.assert_frame_equal(a.daily, b.daily)
    assert a.outcomes == pytest.approx(b.outcomes, nan_ok=True)


def test_different_seeds_differ(tiny):
    """Different seeds give different runs."""
    a = simulate(tiny, seed=5, days=200).daily
    b = simulate(tiny, seed=6, days=200).daily
    assert not a["submissions"].equals(b["submissions"])


def _arrivals(params, seed, days=240):
    issues = simulate(params, seed=seed, days=days).events.issues
    first = issues[issues["reactivated_from"] < 0]  # revived grievances are decisions, not arrivals
    return first[ARRIVAL_COLUMNS].reset_index(drop=True)


@pytest.mark.parametrize(
    "change",
    [
        {"office_quality": 0.9, "procedural_justice": 0.8},
        {"logit_beta": 2.0, "voice_threshold": 0.2},
        {"buyoff_probability": 0.6, "interception_base": 0.9},
        {"threshold_sd": 0.3, "instigator_share": 0.3},
    ],
)
def test_arms_that_differ_in_decisions_meet_the_same_issues(tiny, change):
    """Common random numbers: an arm that changes decision parameters meets identical arrivals
    (day, household, category, severity, merit, needed level, group size) from the same seed."""
    pd.testing.assert_frame_equal(_arrivals(tiny, 31), _arrivals(tiny.replace(**change), 31))


def test_an_arm_that_cuts_arrivals_meets_a_subset_of_the_same_issues(tiny):
    """Source governance thins the same stream: every issue of the thinned arm arises in the full arm,
    and a wave adds issues without changing those both arms share."""
    full = _arrivals(tiny, 32)
    cut = _arrivals(tiny.replace(land_housing_rate_multiplier=0.6, labour_rate_multiplier=0.5), 32)
    wave = _arrivals(tiny.replace(wave_category="labour", wave_day=50, wave_days=60, wave_multiplier=3.0), 32)
    key = ["born", "household", "category", "severity"]
    full_keys = set(map(tuple, full[key].to_numpy()))
    assert set(map(tuple, cut[key].to_numpy())) <= full_keys
    assert 0.6 * len(full) < len(cut) < len(full)
    assert full_keys <= set(map(tuple, wave[key].to_numpy()))
    assert len(wave) > len(full)


def test_full_legitimacy_and_no_deprivation_silences_everyone(tiny):
    """Limit case: with no grievance terms but s(1 - L) and trust near 1, nobody speaks up."""
    quiet = tiny.replace(
        legitimacy_mean=0.95,
        legitimacy_sd=0.01,
        hierarchical_trust_share=0.0,
        deprivation_weight=0.0,
        overdue_weight=0.0,
        loyalty_weight=0.0,
        voice_threshold=0.2,
        grid_visits_per_month=0.0,
    )
    out = simulate(quiet, seed=3, days=200).outcomes
    assert out["submissions_per_year"] == 0  # s(1 - L) <= 1 * 0.05 + noise < T = 0.2


def test_sudden_shock_drops_legitimacy_on_its_day(tiny):
    """A sudden shock lowers every household's local legitimacy by its size on the shock day (clipped at 0)."""
    model = PetitionModel(tiny.replace(shock_mode="sudden", shock_day=45, shock_size=0.2), rng=4)
    model.run_for(44)
    before = model.households.legitimacy_local.copy()
    model.step()  # day 45: the shock comes first, then the day's events move a few households
    after = model.households.legitimacy_local
    assert np.isclose(after, np.maximum(0.0, before - 0.2)).mean() > 0.95


def test_gradual_shock_spreads_the_same_drop(tiny):
    """A gradual shock of size 0.2 over 100 days lowers the level trust relaxes to by the same total."""
    quiet = tiny.replace(issue_rate=0.0, shock_mode="gradual", shock_day=10, shock_days=100, shock_size=0.2)
    model = PetitionModel(quiet, rng=4)
    start = model.households.baseline_local.copy()
    model.run_for(120)
    end = model.households.baseline_local
    clear = start > 0.2  # away from the floor at 0, where daily clipping differs from one clip
    assert np.allclose(end[clear], start[clear] - 0.2)


def test_open_issues_metric_counts_only_open_issues(tiny):
    """The daily open-issue count equals the issues not yet ended (real units)."""
    model = _run(tiny, 8, 200)
    row = model.daily_row()
    still_open = model.log.tables().issues["state"].isin(sorted(OPEN_STATES)).sum()
    assert row["open_issues"] == still_open * tiny.households_per_agent


def test_mediation_backlog_counts_issues_in_mediation(tiny):
    """Each committee's backlog equals the open issues of its neighbourhood that are in mediation."""
    model = _run(tiny, 9, 150)
    expected = np.zeros(len(model.mediation_committees), dtype=int)
    for issue in model.open_issues.values():
        if issue.state == IssueState.MEDIATION:
            expected[model.district.hood_of[issue.household]] += 1
    assert [c.backlog for c in model.mediation_committees] == expected.tolist()


def test_group_members_are_people_of_the_leads_neighbourhood(tiny):
    """A group keeps its real size in people at any sample: its members' weights sum to its size, and
    they live in the lead's neighbourhood."""
    for k in (2, 50):
        params = tiny.replace(households_per_agent=k, collective_issue_multiplier=5.0)
        model, opened = _run_keeping_issues(params, 10, 120)
        groups = [i for i in opened if i.group is not None]
        assert groups
        for issue in groups:
            g = issue.group
            assert g.weights.sum() == pytest.approx(g.size_people)
            assert len(set(g.members.tolist())) == len(g.members)
            assert (model.district.hood_of[g.members] == model.district.hood_of[issue.household]).all()


def test_district_totals_add_what_the_unsampled_households_would_do(tiny):
    """At 1:K the evaluation counts the sample's events plus Poisson draws for the K - 1 households each agent
    stands for: a lone household's choices at the deciders' expected count (no lag behind the district), crowd
    events at the sample's past rate. The mean is checked over 4,000 months against 4 Poisson standard errors."""
    from conflict_sim.issues import Channel

    manager = PetitionModel(tiny, rng=5).manager
    k, months = tiny.households_per_agent, 4000
    probabilities = np.zeros((3, len(Channel)))
    probabilities[:, Channel.NONNORMAL] = [0.1, 0.2, 0.0]
    probabilities[:, Channel.SKIP_CITY] = [0.3, 0.0, 0.5]
    sampled = {"skips": 2, "nonnormal": 1, "national": 0, "collective": 3, "crowd_nonnormal": 0}
    draws = []
    for _ in range(months):
        manager.expect(probabilities)
        draws.append(manager.district_totals(dict(sampled)))
    national = 0.3 * tiny.nonnormal_national_share
    skips = 0.8 * (1 - manager.interception_probability(Channel.SKIP_CITY))
    for key, expected in {"nonnormal": 0.3, "national": national, "skips": skips, "collective": 3.0}.items():
        mean = np.mean([d[key] for d in draws])
        imputed = (k - 1) * expected
        assert abs(mean - sampled[key] - imputed) < 4 * np.sqrt(imputed / months), key
    assert all(d["crowd_nonnormal"] == 0 for d in draws)  # a rate of zero imputes nothing
    assert manager.expected == dict.fromkeys(manager.expected, 0.0)  # each month starts afresh


def test_district_totals_are_the_counts_at_one_agent_per_household(tiny):
    from conflict_sim.issues import Channel

    manager = PetitionModel(tiny.replace(households_per_agent=1), rng=5).manager
    probabilities = np.zeros((1, len(Channel)))
    probabilities[0, Channel.NONNORMAL] = 0.5
    manager.expect(probabilities)
    sampled = {"skips": 2, "nonnormal": 1, "national": 1, "collective": 3, "crowd_nonnormal": 4}
    assert manager.district_totals(dict(sampled)) == {key: float(n) for key, n in sampled.items()}


def test_project_size_clusters_group_issues_without_adding_lone_ones(tiny):
    """Bigger projects (more extra groups) bring group issues in bursts on the same day; the lone issues
    are the same ones, drawn from the same stream (docs/model.md §7.1)."""
    shared = {"collective_issue_multiplier": 4.0}
    single = _arrivals(tiny.replace(**shared, project_extra_groups=0.0), 33)
    bursts = _arrivals(tiny.replace(**shared, project_extra_groups=4.0), 33)
    pd.testing.assert_frame_equal(
        single[single["group_people"] == 0].reset_index(drop=True),
        bursts[bursts["group_people"] == 0].reset_index(drop=True),
    )

    def per_day(arrivals: pd.DataFrame) -> float:
        return float(arrivals[arrivals["group_people"] > 0].groupby("born").size().mean())

    assert per_day(bursts) > 2 * per_day(single)  # 1 + 4 groups a project against 1 (a fixed seed: exact)


@pytest.mark.parametrize("k", [1, 3])
def test_a_sampled_visit_emboldens_as_the_real_visits_it_stands_for(tiny, k):
    """A sampled collective visit stands for K real ones: with certain demonstration each waiting group of its
    subdistrict is reached K times, learns K times and gets K chances, on the next K days, to call its group out."""
    from conflict_sim.issues import Channel

    params = tiny.replace(households_per_agent=k, collective_issue_multiplier=10.0, demonstration_probability=1.0)
    model = _run(params, 4, 60)
    groups = max((list(model.open_groups(u)) for u in range(len(model.district.units))), key=len)
    source, waiting = groups[0], [g for g in groups[1:] if g.state in (IssueState.NEW, IssueState.SILENT)]
    waiting = [g for g in waiting if g.event is None]
    assert waiting, "the scenario should leave waiting groups in one subdistrict"
    before = model.households.successes[[g.household for g in waiting], Channel.COLLECTIVE_VISIT].copy()
    model._pending.clear()
    model.crowds._demonstrate(source)
    learned = model.households.successes[[g.household for g in waiting], Channel.COLLECTIVE_VISIT] - before
    assert learned == pytest.approx(np.full(len(waiting), k * params.social_learning_weight), rel=1e-5)  # float32
    for delay in range(1, k + 2):
        prompted = {issue.uid for issue, _, context in model._pending.get(model.day + delay, [])}
        expected = {g.uid for g in waiting} if delay <= k else set()
        assert prompted == expected, delay
        assert all(c == Context.EMBOLDENED for _, _, c in model._pending.get(model.day + delay, []))


def test_each_submission_records_whether_a_tie_used_its_channel_lately(tiny):
    """`tie_used` (what imitation can copy) agrees with the log itself: the channel a tie of the household used
    last, earlier in the log and within the previous 30 days, is this one (no groups, so no campaign copies)."""
    from conflict_sim.households import IMITATION_DAYS

    model = _run(tiny.replace(collective_issue_multiplier=0.0, peer_imitation=1.0), 8, 200)
    tables = model.log.tables()
    subs = tables.submissions.reset_index(drop=True)
    household = tables.issues.set_index("issue")["household"]
    subs["household"] = household.loc[subs["issue"]].to_numpy()
    assert not subs["copy"].any() and subs["tie_used"].any() and not subs["tie_used"].all()
    for row in subs.sample(300, random_state=1).itertuples():
        ties = set(model.households.ties[row.household].tolist())
        earlier = subs.iloc[: row.Index]
        last = earlier[earlier["household"].isin(ties)].groupby("household").last()
        lately = (last["day"] >= row.day - IMITATION_DAYS) & (last["channel"] == row.channel)
        assert row.tie_used == bool(lately.any()), row
