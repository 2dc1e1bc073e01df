"""Higher levels, courts and the 12345 hotline: the organs outside the district's petition offices.

Higher levels (city, province, national) register skip-level and non-normal petitions but do not
accept them: they return the matter (交办) to the district with priority and penalise its evaluation,
or, for a matter already terminated after re-review, refuse it (不再受理). Courts are the legal exit
(诉访分离; Yu Jianrong's 2004 survey: courts refused nearly half). The hotline turns calls into work
orders for the subdistrict (the 12345 reform of 2021).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from conflict_sim import books
from conflict_sim.agents import residents
from conflict_sim.cases import Case, CaseKind
from conflict_sim.issues import SKIP_CHANNELS, Channel, Issue, IssueState, Level, Pathway

if TYPE_CHECKING:
    from conflict_sim.world import World

RETURN_DAYS = 15  # a returned matter reaches the district bureau within this many days [A]
COURT_REFUSAL_DAYS = (7, 30)  # a court answers that it will not take a case within these days [A]


class HigherLevel(mesa.Agent):
    """City, province or national petition organs as skip-level sinks (2014 step-by-step Measures)."""

    model: World  # type: ignore[assignment]

    def __init__(self, model: mesa.Model, level: str) -> None:
        super().__init__(model)
        self.level = level
        self.registered = 0

    def register(self, issue: Issue, channel: Channel) -> None:
        """A petitioner who reached this level: turned back, refused if terminated, or returned to the district."""
        w, p, rng = self.model, self.model.params, self.model.streams.handling
        self.registered += 1
        hh, h = w.households, issue.household
        hh.shift_trust(h, -p.center_trust_loss, centre=True)  # turned back without a result (Li 2004)
        hh.diffuse(h, -p.center_trust_loss, p.legitimacy_diffusion, centre=True)
        final = issue.terminated and rng.chance(p.finality)
        returned = not final and not w.manager.pay_off(issue)
        if channel in SKIP_CHANNELS:
            w.log.add("skips", (w.day, issue.uid, int(channel), False, returned, issue.terminated))
        if final:
            residents.on_setback(w, issue, channel, blocked=True)
            return
        if not returned:  # bought off
            return
        case = books.open_case(issue, channel, CaseKind.RETURNED, w.day)
        case.priority, case.leader = True, rng.chance(p.baoan_probability)
        if rng.chance(p.center_fix_probability):
            case.leader = True  # the higher level orders it fixed, with a leader answerable for it
        running = issue.case
        if isinstance(running, Case):  # the matter is already in process: press it along
            running.priority = True
            running.leader = running.leader or case.leader
            return
        w.set_state(issue, IssueState.PETITION)
        issue.case = case
        w.agenda.at(w.day + rng.integer(1, RETURN_DAYS), w.district_bureau.decide_acceptance, case)


class Court(mesa.Agent):
    """Courts, arbitration and administrative reconsideration, as one legal exit."""

    model: World  # type: ignore[assignment]

    def receive(self, issue: Issue) -> None:
        w, p, rng = self.model, self.model.params, self.model.streams.handling
        w.set_state(issue, IssueState.COURT)
        accepted = issue.litigable and rng.chance(p.court_acceptance)
        if not accepted:
            days = rng.integer(*COURT_REFUSAL_DAYS)
            w.agenda.at(w.day + days, self.conclude, (issue, False, False, issue.epoch))
            return
        days = rng.integer(p.court_days_min, p.court_days_max)
        won = rng.random() < issue.merit * p.court_success
        w.agenda.at(w.day + days, self.conclude, (issue, True, won, issue.epoch))

    def conclude(self, event: tuple[Issue, bool, bool, int]) -> None:
        issue, accepted, won, epoch = event
        w = self.model
        w.log.add("courts", (w.day, issue.uid, accepted, won))
        if issue.epoch != epoch or not issue.is_open:
            return
        if won:
            residents.learn(w, issue.household, Channel.COURT, True)
            w.end(issue, IssueState.RESOLVED, Level.COURT, Pathway.COURT)
        else:
            residents.on_setback(w, issue, Channel.COURT, blocked=not accepted)


class Hotline(mesa.Agent):
    """The 12345 hotline: takes calls and dispatches work orders to the subdistrict."""

    model: World  # type: ignore[assignment]

    def __init__(self, model: mesa.Model) -> None:
        super().__init__(model)
        self.orders = 0

    def receive(self, issue: Issue) -> None:
        w, p, rng = self.model, self.model.params, self.model.streams.handling
        self.orders += 1
        w.set_state(issue, IssueState.PETITION)
        office = w.office_of(issue.household)
        delay = 1 if rng.chance(p.hotline_dispatch_accuracy) else rng.integer(4, 10)
        case = books.open_case(issue, Channel.HOTLINE, CaseKind.HOTLINE, w.day)
        issue.case = case
        w.agenda.at(w.day + delay, office.decide_acceptance, case)
