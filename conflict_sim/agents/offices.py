"""Petition offices and the statutory clock (Regulations on Letters and Visits 2005, arts. 21-35).

An office registers a submission (or brushes it off: Dahrendorf's recognition), forwards it to the
competent office (territorial management) or decides acceptance within 15 days, refuses what belongs
in court or was terminated, and handles the rest within 60 days (+ up to 30 with approval), replying in
writing: support, explain or not support. A saturated office still replies formally by the due date
most of the time, with lower substantive quality (paper closure). Capacity is a fluid server counted
in real cases, so waits are the same at any sample (`queues.py`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import cython
import mesa

from conflict_sim import books
from conflict_sim.agents import residents
from conflict_sim.cases import FIRST_KINDS, Case, CaseKind, Refusal
from conflict_sim.issues import OPEN_STATES, Channel, Context, Level
from conflict_sim.queues import FluidServer
from conflict_sim.state import OfficeState

if TYPE_CHECKING:
    from conflict_sim.world import Office, World

if cython.compiled:  # the compiled build reads the fields of slotted classes at their offsets (layouts.py)
    check_layouts()  # type: ignore[name-defined]  # noqa: F821

VISIT_CHANNELS = frozenset({Channel.VISIT_SUBDISTRICT, Channel.VISIT_DISTRICT, Channel.COLLECTIVE_VISIT})
LITIGABLE_QUALITY = 0.3  # a litigable matter wrongly accepted: an office can barely solve it [A]


class PetitionOffice(OfficeState, mesa.Agent):
    """A petition office: a subdistrict/town office, the district bureau, the city or provincial bureau."""

    model: World  # type: ignore[assignment]

    def __init__(self, model: mesa.Model, level: Level, name: str, unit: int = -1) -> None:
        super().__init__(model)
        self.level, self.name, self.unit = level, name, unit
        self._terms_of: object = None  # the parameters (`model.params`) `_terms` were computed from
        self._terms = _Terms(0.0, 0, 0, {})
        self.server = FluidServer(self.capacity)
        self.backlog = 0  # accepted cases not yet replied (agent units)
        self.overdue = 0  # cases past their due date without a reply
        self.received = 0
        self.reviewer: Office | None = None  # the organ one level up that reviews this office's decisions

    @property
    def capacity(self) -> float:
        """Real cases taken on per calendar day: staff x cases per staff-day x working days / 7."""
        return _terms(self).capacity

    def terms(self) -> _Terms:
        """Capacity and statutory limits under the current parameters, computed again only when they change.

        A policy replaces `model.params` whole (`update_params`), so its identity says when to recompute;
        every case the office takes on needs them (about 30 a day at 1:4).
        """
        return _terms(self)

    def _compute_terms(self) -> _Terms:
        p = self.model.params
        staff = {Level.SUBDISTRICT: p.subdistrict_staff, Level.DISTRICT: p.district_staff}.get(self.level, p.city_staff)
        handling = {
            CaseKind.REVIEW: self.limit(p.review_limit_days),
            CaseKind.REREVIEW: self.limit(p.rereview_limit_days),
            CaseKind.HOTLINE: self.limit(p.hotline_limit_days),
        }
        return _Terms(
            staff * p.cases_per_staff_day * p.working_days_per_week / 7.0,
            self.limit(p.forward_limit_days),
            self.limit(p.accept_limit_days),
            {kind: handling.get(kind, self.limit(p.handle_limit_days)) for kind in CaseKind},
        )

    @property
    def quality(self) -> float:
        """q: the chance a meritorious case is really solved here, before load and leaders."""
        return _quality(self)

    @property
    def review_body(self) -> Office:
        return self.reviewer if self.reviewer is not None else self

    @cython.locals(  # type: ignore[attr-defined]  # C types of the compiled build (offices.pxd)
        self="OfficeLayout", server="FluidServer"
    )
    def utilisation(self, day: int) -> float:
        """Smoothed inflow over capacity: above 1 the office falls behind."""
        server = self.server
        server.capacity = self.capacity
        return server.utilisation(day)

    def limit(self, days: int) -> int:
        """A statutory limit in calendar days (working-day clocks stretch by 7 / working days)."""
        p = self.model.params
        return days if p.clock_mode == "calendar" else round(days * 7 / p.working_days_per_week)

    # --- registration and acceptance ----------------------------------------------------------
    @cython.locals(  # type: ignore[attr-defined]  # C types of the compiled build (offices.pxd)
        self="OfficeLayout",
        w="WorldLayout",
        p="ParamsLayout",
        streams="StreamsLayout",
        rng="Stream",
        case="CaseLayout",
        agenda="Agenda",
    )
    def receive(self, case: Case) -> None:
        """Register a submission; forward it to the competent office or decide acceptance."""
        w = self.model
        p, streams, agenda = w.params, w.streams, w.agenda
        rng = streams.handling
        self.received += 1
        if not case.copy:
            case.issue.case = case
        if case.channel in VISIT_CHANNELS and rng.chance(p.leader_days_per_month / 30.0):
            case.leader = True  # 领导接访: the visit falls on a leader's reception day
        forward = rng.integer(1, _terms(self).forward)
        if not rng.chance(p.recognition):  # not registered: brushed off (Dahrendorf's recognition)
            agenda.at(w.day + forward, self.refuse, (case, Refusal.NOT_REGISTERED, case.issue.epoch))
            return
        target = self._competent_office(case)
        if target is not self:
            agenda.at(w.day + forward, target.decide_acceptance, case)
        else:
            agenda.at(w.day + rng.integer(0, _terms(self).accept), self.decide_acceptance, case)

    def _competent_office(self, case: Case) -> Office:
        """Territorial management: first submissions needing no more than a subdistrict go there."""
        if (
            self.level == Level.DISTRICT
            and case.kind == CaseKind.INITIAL
            and case.issue.level_needed <= Level.SUBDISTRICT
        ):
            return self.model.office_of(case.issue.household)
        return self

    @cython.locals(  # type: ignore[attr-defined]  # C types of the compiled build (offices.pxd)
        self="OfficeLayout",
        w="WorldLayout",
        p="ParamsLayout",
        streams="StreamsLayout",
        rng="Stream",
        case="CaseLayout",
        issue="IssueLayout",
    )
    def decide_acceptance(self, case: Case) -> None:
        """Accept and start the handling clock, forward upward, or refuse (terminated, belongs in court)."""
        w = self.model
        p, streams, issue = w.params, w.streams, case.issue
        rng = streams.handling
        if not case.copy and issue.state not in OPEN_STATES:
            return
        if issue.terminated and case.kind != CaseKind.RETURNED:
            self.refuse((case, Refusal.TERMINATED, issue.epoch))
            return
        if issue.litigable and rng.chance(p.routing_accuracy):
            self.refuse((case, Refusal.LITIGABLE, issue.epoch))
            return
        if case.kind in FIRST_KINDS and self.level < issue.level_needed and self.level < Level.CITY:
            case.justice_bonus -= 0.05  # 交办上报: beyond this office's powers, sent up
            w.agenda.at(w.day + rng.integer(1, _terms(self).forward), self.review_body.decide_acceptance, case)
            return
        self._start_handling(case)

    @cython.locals(  # type: ignore[attr-defined]  # C types of the compiled build (offices.pxd)
        self="OfficeLayout", w="WorldLayout", log="EventLog", case="CaseLayout", issue="IssueLayout"
    )
    def refuse(self, event: tuple[Case, Refusal, int]) -> None:
        """Not registered or not accepted: recorded, and the household thinks again."""
        case, reason, epoch = event
        issue, w = case.issue, self.model
        log = w.log
        log.add("refusals", (w.day, issue.uid, int(reason), int(case.channel), case.copy))
        if case.copy or issue.epoch != epoch or issue.state not in OPEN_STATES:
            return
        residents.on_setback(w, issue, case.channel, blocked=reason != Refusal.LITIGABLE)

    # --- handling and the reply -----------------------------------------------------------------
    @cython.locals(  # type: ignore[attr-defined]  # C types of the compiled build (offices.pxd)
        self="OfficeLayout",
        w="WorldLayout",
        p="ParamsLayout",
        streams="StreamsLayout",
        rng="Stream",
        case="CaseLayout",
        agenda="Agenda",
        server="FluidServer",
    )
    def _start_handling(self, case: Case) -> None:
        w = self.model
        p, streams, terms, agenda, server = w.params, w.streams, _terms(self), w.agenda, self.server
        rng = streams.handling
        limit = terms.handling[case.kind]
        # reviews and work orders take the same share of their (shorter) limits as first handling
        # an investigation that would run past the limit is extended, or cut short by a formal reply (below)
        handling = rng.gamma_mean(p.handling_mean_days * limit / terms.handling[CaseKind.INITIAL], p.handling_cv)
        priority = case.priority or (case.kind == CaseKind.INITIAL and rng.chance(p.first_contact_priority))
        server.capacity = terms.capacity
        wait = server.book(w.day, p.households_per_agent)
        wait = 0.0 if priority else wait
        case.accepted = w.day
        case.office = self
        case.due = w.day + limit
        finish = w.day + max(1, round(handling + wait))
        if finish > case.due and p.extension_limit_days and rng.chance(p.extension_probability):
            case.extended = min(p.extension_limit_days, finish - case.due)
            case.due += case.extended
        if finish > case.due:
            if rng.chance(p.formal_reply_probability):  # a formal reply on time, rushed
                case.rushed = max(0.0, 1.0 - p.load_quality_penalty * (finish - case.due) / limit)
                finish = case.due
            else:
                agenda.at(case.due + 1, self.mark_overdue, case)
        self.backlog += 1
        agenda.at(finish, self.reply, case)

    @cython.locals(  # type: ignore[attr-defined]  # C types of the compiled build (offices.pxd)
        self="OfficeLayout", case="CaseLayout", issue="IssueLayout"
    )
    def mark_overdue(self, case: Case) -> None:
        """The clock ran out without a reply: the petitioner notices and may act."""
        self.overdue += 1
        case.overdue = True
        issue = case.issue
        if not case.copy and issue.case is case and issue.state in OPEN_STATES:
            issue.overdue_since = self.model.day
            books.decide_later(self.model, issue, Context.OVERDUE, 0)

    @cython.locals(  # type: ignore[attr-defined]  # C types of the compiled build (offices.pxd)
        self="OfficeLayout",
        w="WorldLayout",
        p="ParamsLayout",
        streams="StreamsLayout",
        rng="Stream",
        case="CaseLayout",
        issue="IssueLayout",
        log="EventLog",
    )
    def reply(self, case: Case) -> None:
        """Reply in writing: support / explain / not support, with its procedural justice (Tyler)."""
        w = self.model
        p, streams, issue, log = w.params, w.streams, case.issue, w.log
        rng = streams.handling
        self.backlog -= 1
        if case.overdue:
            self.overdue -= 1
        leader = p.leader_bonus if case.leader else 0.0
        quality = min(1.0, max(0.0, _quality(self) + leader)) * case.rushed
        if issue.litigable:
            quality *= LITIGABLE_QUALITY
        resolved = bool(self.level >= issue.level_needed and rng.random() < issue.merit * quality)
        hearing = case.kind == CaseKind.REREVIEW and rng.chance(p.hearing_rate)
        justice = p.procedural_justice + leader + case.justice_bonus + 0.1 * p.written_reasons - 0.05 + 0.2 * hearing
        justice = min(1.0, max(0.0, justice + 0.1 * rng.normal()))
        on_time = w.day <= case.due
        satisfied = rng.chance(0.9 + 0.1 * justice) if p.satisfaction_mode == "revisit_formal" else resolved
        log.add(
            "replies",
            (
                w.day,
                issue.uid,
                int(self.level),
                int(case.kind),
                on_time,
                resolved,
                satisfied,
                justice,
                case.copy,
            ),
        )
        if case.copy:
            return
        issue.case = None
        issue.overdue_since = -1
        if issue.state not in OPEN_STATES:  # ended meanwhile (e.g. bought off)
            return
        issue.replies += 1
        if case.kind == CaseKind.REREVIEW:
            issue.terminated = True  # art. 35: not accepted again on the same facts and reasons
        if case.kind == CaseKind.RETURNED and resolved:  # the centre's order was carried out (Li 2004)
            hh = w.households
            hh.shift_trust(issue.household, p.center_trust_gain, centre=True)
            hh.diffuse(issue.household, p.center_trust_gain, p.legitimacy_diffusion, centre=True)
        residents.on_reply(w, issue, self, resolved, justice, case.channel)


def _terms(office: PetitionOffice) -> _Terms:
    """`PetitionOffice.terms`: kept until a policy replaces the parameters (a C call in the build)."""
    w = office.model
    p = w.params
    if office._terms_of is not p:
        office._terms = office._compute_terms()
        office._terms_of = p
    return office._terms


def _quality(office: PetitionOffice) -> float:
    """`PetitionOffice.quality` (a C call in the build)."""
    w = office.model
    p = w.params
    factor = p.subdistrict_quality_factor if office.level == Level.SUBDISTRICT else 1.0
    return p.office_quality * factor + w.manager.quality_shift()


class _Terms(NamedTuple):
    """An office's capacity (real cases a day) and its statutory limits in days, under one set of parameters."""

    capacity: float
    forward: int  # days to pass a submission to the competent office
    accept: int  # days to decide acceptance
    handling: dict[CaseKind, int]  # days to reply, by the kind of case


def link_reviewers(
    subdistricts: list[PetitionOffice], district: PetitionOffice, city: PetitionOffice, province: PetitionOffice
) -> None:
    """Review goes one level up (art. 34), re-review one level above the reviewer (art. 35)."""
    for office in subdistricts:
        office.reviewer = district
    district.reviewer = city
    city.reviewer = province
