"""Petition offices and the statutory clock; higher-level sinks; courts; the 12345 hotline.

Section 1.4 (time limits), 5.5 (office processing), 5.6 (skip-level returns). Each office serves its
cases through a `ServiceQueue`: a case waits for capacity, then for its investigation time. A case
that would finish after its due date is extended (<= 30 days) with approval, or, on a saturated
office, replied to formally on the due date with lower substantive quality (paper closure).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import mesa

from conflict_sim.issues import SKIP_CHANNELS, Channel, Issue, IssueState, Level

if TYPE_CHECKING:
    from conflict_sim.model import PetitionModel

VISIT_CHANNELS = frozenset({Channel.VISIT_SUBDISTRICT, Channel.VISIT_DISTRICT, Channel.COLLECTIVE_VISIT})


class ServiceQueue:
    """Capacity as a virtual server: each booking takes 1/rate days of the office's time."""

    def __init__(self) -> None:
        self.free_at = 0.0

    def book(self, day: int, rate: float, *, priority: bool = False) -> float:
        """Reserve capacity for one case; returns the days it waits (0 for priority cases)."""
        start = max(float(day), self.free_at)
        self.free_at = start + 1.0 / rate
        return 0.0 if priority else start - day

    def delay(self, day: int) -> float:
        return max(0.0, self.free_at - day)


@dataclass(slots=True, eq=False)
class Case:
    """One submission being processed by an office: the matter, how it came, and its clock."""

    issue: Issue
    channel: Channel
    kind: str  # initial, hotline, grid, review, rereview, returned, collective
    received: int
    priority: bool = False
    leader: bool = False  # 包案: a leader owns the case
    accepted: int = -1
    due: int = -1
    extended: int = 0
    rushed: float = 1.0  # quality factor of a formal reply forced out by the deadline
    justice_bonus: float = 0.0


class PetitionOffice(mesa.Agent):
    """A petition office: a subdistrict/town office, the district bureau or the city bureau."""

    def __init__(self, model: PetitionModel, level: Level, name: str, unit: int = -1) -> None:
        super().__init__(model)
        self.level, self.name, self.unit = level, name, unit
        self.queue = ServiceQueue()
        self.backlog = 0  # accepted cases not yet replied
        self.overdue = 0  # cases past their due date without a reply
        self.received = 0

    @property
    def capacity(self) -> float:
        """Cases per calendar day: staff x cases per staff-day x working days / 7."""
        p = self.model.params
        staff = {Level.SUBDISTRICT: p.subdistrict_staff, Level.DISTRICT: p.district_staff}.get(self.level, p.city_staff)
        return staff * p.cases_per_staff_day * p.working_days_per_week / 7.0

    def utilisation(self, day: int) -> float:
        """Queue delay in units of the handling limit: above 1 the office cannot keep the clock."""
        return self.queue.delay(day) / self.model.params.handle_limit_days

    def limit(self, days: int) -> int:
        """A statutory limit in calendar days (working-day clocks stretch by 7 / working days)."""
        p = self.model.params
        return days if p.clock_mode == "calendar" else round(days * 7 / p.working_days_per_week)

    @property
    def review_body(self) -> PetitionOffice:
        """The organ one level up that reviews this office's decisions (section 1.4)."""
        m = self.model
        return m.district_bureau if self.level == Level.SUBDISTRICT else m.city_bureau

    def receive(self, case: Case) -> None:
        """Register a submission; forward it to the competent office or decide acceptance."""
        m, p, rng = self.model, self.model.params, self.model.rng
        self.received += 1
        case.issue.case = case
        if case.channel in VISIT_CHANNELS and rng.random() < p.leader_days_per_month / 30.0:
            case.leader = True  # 领导接访: the visit falls on a leader's reception day (1.10)
        if rng.random() > p.recognition:  # not registered: brushed off (Dahrendorf recognition)
            m.agenda.at(
                m.day + int(rng.integers(1, self.limit(p.forward_limit_days) + 1)),
                m.not_accepted,
                (case, self, "not registered", case.issue.epoch),
            )
            return
        target = self._competent_office(case)
        if target is not self:
            delay = int(rng.integers(1, self.limit(p.forward_limit_days) + 1))
            m.agenda.at(m.day + delay, target.decide_acceptance, case)
        else:
            delay = int(rng.integers(0, self.limit(p.accept_limit_days) + 1))
            m.agenda.at(m.day + delay, self.decide_acceptance, case)

    def _competent_office(self, case: Case) -> PetitionOffice:
        """Territorial management: initial matters needing no more than a subdistrict go there."""
        if self.level == Level.DISTRICT and case.kind == "initial" and case.issue.level_needed <= Level.SUBDISTRICT:
            return self.model.subdistrict_office_of(case.issue.household)
        return self

    def decide_acceptance(self, case: Case) -> None:
        """Accept and start the handling clock, or refuse (terminated, or belongs in court)."""
        m, p, rng, issue = self.model, self.model.params, self.model.rng, case.issue
        if not issue.is_open:
            return
        if issue.terminated and case.kind not in ("returned",):
            m.not_accepted((case, self, "terminated", issue.epoch))
            return
        if issue.litigable and rng.random() < p.routing_accuracy:
            m.not_accepted((case, self, "litigable", issue.epoch))
            return
        if (
            case.kind in ("initial", "hotline", "grid") and self.level < issue.level_needed and self.level < Level.CITY
        ):  # 交办上报: beyond this office's powers
            upper = self.review_body
            case.justice_bonus -= 0.05
            m.agenda.at(
                m.day + int(rng.integers(1, self.limit(p.forward_limit_days) + 1)), upper.decide_acceptance, case
            )
            return
        self._start_handling(case)

    def _start_handling(self, case: Case) -> None:
        m, p, rng = self.model, self.model.params, self.model.rng
        limit = self.limit(
            {"review": p.review_limit_days, "rereview": p.rereview_limit_days, "hotline": p.hotline_limit_days}.get(
                case.kind, p.handle_limit_days
            )
        )
        # reviews and work orders take the same share of their (shorter) limits as first handling
        mean = p.handling_mean_days * limit / self.limit(p.handle_limit_days)
        handling = min(_gamma(rng, mean, p.handling_cv), float(limit))
        priority = case.priority or (case.kind == "initial" and rng.random() < p.first_contact_priority)
        wait = self.queue.book(m.day, self.capacity / p.households_per_agent, priority=priority)
        case.accepted = m.day
        case.due = m.day + limit
        finish = m.day + max(1, round(handling + wait))
        if finish > case.due and p.extension_limit_days and rng.random() < p.extension_probability:
            case.extended = min(p.extension_limit_days, finish - case.due)
            case.due += case.extended
            m.tally.extensions += 1
        if finish > case.due:
            if rng.random() < p.formal_reply_probability:  # formal reply on time, rushed
                late_share = (finish - case.due) / limit
                case.rushed = max(0.0, 1.0 - p.load_quality_penalty * late_share)
                finish = case.due
            else:
                m.agenda.at(case.due + 1, self.mark_overdue, case)
        self.backlog += 1
        m.agenda.at(finish, self.reply, case)

    def mark_overdue(self, case: Case) -> None:
        """The clock ran out without a reply: the petitioner notices and may act (5.6)."""
        self.overdue += 1
        case.issue.overdue_since = self.model.day
        self.model.residents[case.issue.household].on_overdue(case.issue)

    def reply(self, case: Case) -> None:
        """Reply in writing: support / explain / not support, with its procedural justice."""
        m, p, rng, issue = self.model, self.model.params, self.model.rng, case.issue
        self.backlog -= 1
        if m.day > case.due:
            self.overdue -= 1
        issue.case = None
        issue.overdue_since = -1
        if not issue.is_open:  # resolved meanwhile (e.g. bought off)
            return
        leader = p.leader_bonus if case.leader else 0.0
        quality = min(1.0, m.manager.quality_shift() + p.office_quality + leader) * case.rushed
        if issue.litigable:  # wrongly accepted: an administrative office cannot really solve it
            quality *= 0.3
        level_ok = self.level >= issue.level_needed
        merit = issue.merit
        resolved = bool(level_ok and rng.random() < merit * quality)
        hearing = case.kind == "rereview" and rng.random() < p.hearing_rate
        justice = p.procedural_justice + leader + case.justice_bonus + 0.1 * p.written_reasons - 0.05 + 0.2 * hearing
        justice = min(1.0, max(0.0, justice + 0.1 * rng.standard_normal()))
        on_time = m.day <= case.due
        m.record_reply(issue, resolved, justice, on_time)
        if case.kind in ("review", "rereview"):
            issue.reviews += 1
            if case.kind == "rereview":
                issue.terminated = True
                m.tally.terminated += 1
        m.residents[issue.household].on_reply(issue, self, resolved, justice, case.channel)


def _gamma(rng, mean: float, cv: float) -> float:
    if cv <= 0:
        return mean
    shape = 1.0 / cv**2
    return float(rng.gamma(shape, mean / shape))


class HigherLevel(mesa.Agent):
    """City, province or national petition organs as skip-level sinks (section 1.5).

    They register skip-level visits but do not accept them: the matter is returned (交办) to the
    district with priority, and the district's evaluation is penalised.
    """

    def __init__(self, model: PetitionModel, level: str) -> None:
        super().__init__(model)
        self.level = level
        self.registered = 0

    def register(self, issue: Issue, channel: Channel) -> None:
        m, p, rng = self.model, self.model.params, self.model.rng
        self.registered += 1
        if channel in SKIP_CHANNELS:
            m.tally.skip_registered += 1
            m.tally.skip_national += channel == Channel.SKIP_NATIONAL
        household = issue.household
        hh = m.households
        before = hh.legitimacy_center[household]
        hh.legitimacy_center[household] = max(0.0, before - p.center_trust_loss)  # turned back (Li 2004)
        hh.diffuse(household, -p.center_trust_loss, p.legitimacy_diffusion, hh.legitimacy_center)
        if m.manager.pay_off(issue):
            return
        case = Case(issue, channel, "returned", m.day, priority=True, leader=rng.random() < p.baoan_probability)
        if rng.random() < p.center_fix_probability:
            case.leader = True
        if issue.case is not None:  # the matter is already in process: press it along
            issue.case.priority = True
            issue.case.leader = issue.case.leader or case.leader
            m.residents[household].reconsider_later(issue)
            return
        m.set_state(issue, IssueState.PETITION)
        issue.case = case
        m.agenda.at(m.day + int(rng.integers(1, 16)), m.district_bureau.decide_acceptance, case)


class Court(mesa.Agent):
    """Courts, arbitration and administrative reconsideration, as one legal exit (section 1.9)."""

    def receive(self, issue: Issue) -> None:
        m, p, rng = self.model, self.model.params, self.model.rng
        m.tally.court_cases += 1
        accepted = issue.litigable and rng.random() < p.court_acceptance
        if not accepted:
            m.agenda.at(m.day + int(rng.integers(7, 31)), m.court_result, (issue, False, False, issue.epoch))
            return
        days = int(rng.integers(p.court_days_min, p.court_days_max + 1))
        won = rng.random() < issue.merit * p.court_success
        m.agenda.at(m.day + days, m.court_result, (issue, True, won, issue.epoch))


class Hotline(mesa.Agent):
    """The 12345 hotline: takes calls and dispatches work orders to the subdistrict (section 1.14)."""

    def __init__(self, model: PetitionModel) -> None:
        super().__init__(model)
        self.orders = 0

    def receive(self, issue: Issue) -> None:
        m, p, rng = self.model, self.model.params, self.model.rng
        self.orders += 1
        m.tally.hotline_orders += 1
        office = m.subdistrict_office_of(issue.household)
        delay = 1 if rng.random() < p.hotline_dispatch_accuracy else int(rng.integers(4, 11))
        case = Case(issue, Channel.HOTLINE, "hotline", m.day)
        issue.case = case
        m.agenda.at(m.day + delay, office.decide_acceptance, case)
