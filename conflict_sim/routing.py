"""Where a household's submission goes: one route per channel, as a table.

The law decides the organ (2005 Regulations arts. 16-22; the 2014 Measures on step-by-step visits;
12345 since 2021): letters and online petitions go to the district bureau, which assigns them to the
competent office; visits go to the office visited; a review request goes one level above the office
that replied; skip-level visits meet the district's interceptors and then the higher level; non-normal
acts meet the police. Every route is a small function of the `Router` (the model) and the issue.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Protocol

import cython

from conflict_sim import books
from conflict_sim.agents import residents
from conflict_sim.cases import Case, CaseKind, Refusal
from conflict_sim.issues import FORMAL_PETITION_CHANNELS, SKIP_CHANNELS, Channel, Context, Issue, IssueState
from conflict_sim.world import World

if TYPE_CHECKING:
    from conflict_sim.agents.collective import Crowds
    from conflict_sim.agents.sinks import HigherLevel, Hotline

if cython.compiled:  # the compiled build reads the fields of slotted classes at their offsets (layouts.py)
    check_layouts()  # type: ignore[name-defined]  # noqa: F821

PRESSING = frozenset(FORMAL_PETITION_CHANNELS - SKIP_CHANNELS - {Channel.NONNORMAL, Channel.COLLECTIVE_VISIT}) | {
    Channel.HOTLINE
}


class Router(World, Protocol):
    """The organs the routes need beyond an agent's view of the world."""

    hotline: Hotline
    crowds: Crowds

    def higher_level(self, channel: Channel) -> HigherLevel: ...


@cython.locals(  # type: ignore[attr-defined]  # C types of the compiled build (routing.pxd)
    world="WorldLayout", w="WorldLayout", issue="IssueLayout", hh="Households", log="EventLog"
)
def submit(world: Router, issue: Issue, channel: Channel) -> None:
    """A household acts on an issue through a channel: record it, then send it where the law says."""
    w, hh, log = world, world.households, world.log
    review = channel == Channel.REVIEW
    repeat = issue.submissions > 0 and not review
    if not review:
        issue.submissions += 1
        if issue.first_channel < 0:
            issue.first_channel = int(channel)
    tie_used = hh.tie_used_lately(issue.household, channel, w.day)
    log.add("submissions", (w.day, issue.uid, int(channel), repeat, False, 1.0, tie_used))
    hh.note_channel(issue.household, channel, w.day)
    if isinstance(issue.case, Case) and channel in PRESSING:
        issue.case.priority = True  # pressing a case already in process: counted, nothing new starts
        return
    ROUTES[channel](world, issue, channel)


def _case_at(office_of: Callable[[Router, Issue], object]) -> Callable[[Router, Issue, Channel], None]:
    def route(world: Router, issue: Issue, channel: Channel) -> None:
        books.set_state(world, issue, IssueState.PETITION)
        office_of(world, issue).receive(books.open_case(issue, channel, CaseKind.INITIAL, world.day))  # type: ignore[attr-defined]

    return route


def _online(world: Router, issue: Issue, channel: Channel) -> None:
    """An online petition; a group's lead may run a copy campaign (SF-14: Li's online mass petitions).

    Members willing to act (their net grievance clears the threshold) submit the same text. An office
    that de-duplicates merges the copies (refused as duplicates) and may reject the lead petition as a
    mass petition; one that does not answers every copy as a separate petition.
    """
    p, rng = world.params, world.streams.decisions
    books.set_state(world, issue, IssueState.PETITION)
    lead = books.open_case(issue, channel, CaseKind.INITIAL, world.day)
    group = issue.group
    if group is None:
        world.district_bureau.receive(lead)
        return
    hh = world.households
    willing = issue.severity * (1 - hh.legitimacy_local[group.members[1:]]) > p.voice_threshold
    copies = group.members[1:][willing]
    dedup = rng.chance(p.copy_deduplication)
    for member in copies.tolist():
        world.log.add("submissions", (world.day, issue.uid, int(channel), False, True, float(group.weights[0]), False))
        copy = books.open_case(issue, channel, CaseKind.INITIAL, world.day)
        copy.copy = True
        if dedup:
            world.agenda.at(world.day + 1, world.district_bureau.refuse, (copy, Refusal.DUPLICATE, issue.epoch))  # type: ignore[attr-defined]
        else:
            world.district_bureau.receive(copy)
        hh.note_channel(member, channel, world.day)
    lead.campaign = bool(len(copies))
    if lead.campaign and dedup and rng.chance(p.campaign_rejection):
        issue.case = lead
        world.agenda.at(world.day + 1, world.district_bureau.refuse, (lead, Refusal.MASS_PETITION, issue.epoch))  # type: ignore[attr-defined]
        return
    world.district_bureau.receive(lead)


def _review(world: Router, issue: Issue, channel: Channel) -> None:
    """Review (复查) at the office above the one that replied; a second request is re-review (复核)."""
    kind = CaseKind.REVIEW if issue.reviews == 0 else CaseKind.REREVIEW
    issue.reviews += 1
    world.log.add("reviews", (world.day, issue.uid, issue.reviews))
    books.set_state(world, issue, IssueState.PETITION)
    issue.last_office.review_body.receive(books.open_case(issue, channel, kind, world.day))  # type: ignore[attr-defined]


def _organ(organ_of: Callable[[Router, Issue], object]) -> Callable[[Router, Issue, Channel], None]:
    def route(world: Router, issue: Issue, channel: Channel) -> None:
        organ_of(world, issue).receive(issue)  # type: ignore[attr-defined]

    return route


def _collective(world: Router, issue: Issue, channel: Channel) -> None:
    """The lead calls the group out; if fewer than five come, the lead goes to the district alone."""
    if world.crowds.start(issue):
        return
    residents.learn(world, issue.household, Channel.COLLECTIVE_VISIT, False)
    books.set_state(world, issue, IssueState.PETITION)
    world.district_bureau.receive(books.open_case(issue, Channel.VISIT_DISTRICT, CaseKind.INITIAL, world.day))


def _skip_level(world: Router, issue: Issue, channel: Channel) -> None:
    """越级上访: the district may intercept on the way; otherwise the higher level registers it."""
    issue.skip_attempts += 1
    if world.manager.intercept(issue, channel):
        residents.suffer_repression(world, issue.household, world.params.intercept_grievance, channel)
        if issue.case is None:
            books.set_state(world, issue, IssueState.SILENT)
            books.decide_later(world, issue, Context.SETBACK, world.params.reconsider_days)
        return
    world.higher_level(channel).register(issue, channel)


def _nonnormal(world: Router, issue: Issue, channel: Channel) -> None:
    """Non-normal petitioning (非正常上访), met by the police.

    Epstein's arrest and detention, a shock to the ties' trust, the national count that feeds the
    veto, and otherwise registration at a higher level.
    """
    w, p, rng = world, world.params, world.streams.manager
    national = rng.chance(p.nonnormal_national_share)
    arrested = rng.chance(w.manager.individual_risk())
    days = rng.integer(0, p.detention_max_days) if arrested else 0
    w.log.add("nonnormal", (w.day, issue.uid, national, arrested, days, False))
    issue.skip_attempts += 1
    w.households.diffuse(issue.household, -p.nonnormal_neighbour_loss, 1.0)
    if arrested:
        residents.suffer_repression(w, issue.household, p.hostility_gain, Channel.NONNORMAL)
        if issue.case is None:  # after detention, the household takes stock before it acts again
            books.set_state(w, issue, IssueState.DETAINED)
            books.decide_later(w, issue, Context.SETBACK, days + p.reconsider_days)
        return
    w.higher_level(Channel.SKIP_NATIONAL if national else Channel.SKIP_PROVINCE).register(issue, channel)


ROUTES: Mapping[Channel, Callable[[Router, Issue, Channel], None]] = {
    Channel.ONLINE: _online,
    Channel.LETTER: _case_at(lambda w, i: w.district_bureau),
    Channel.VISIT_DISTRICT: _case_at(lambda w, i: w.district_bureau),
    Channel.VISIT_SUBDISTRICT: _case_at(lambda w, i: w.office_of(i.household)),
    Channel.HOTLINE: _organ(lambda w, i: w.hotline),
    Channel.REVIEW: _review,
    Channel.COURT: _organ(lambda w, i: w.court),
    Channel.MEDIATION: _organ(lambda w, i: w.mediation_of(i.household)),
    Channel.GRID_WORKER: _organ(lambda w, i: w.grid_worker_of(i.household)),
    Channel.COLLECTIVE_VISIT: _collective,
    Channel.SKIP_CITY: _skip_level,
    Channel.SKIP_PROVINCE: _skip_level,
    Channel.SKIP_NATIONAL: _skip_level,
    Channel.NONNORMAL: _nonnormal,
}
