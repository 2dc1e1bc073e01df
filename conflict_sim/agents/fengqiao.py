"""Grid workers and community mediation committees: the Fengqiao pathway (sections 1.11-1.13, 5.7).

"Conflicts are not passed upward": a grid worker who finds an issue early fixes minor ones on the
spot, refers civil disputes to mediation and reports the rest to the subdistrict with priority; an
early dialogue with a group whose issue is found before anyone acts raises its members' thresholds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from conflict_sim.agents.offices import Case, ServiceQueue
from conflict_sim.issues import CATEGORIES, Channel, Issue, IssueState, Level

if TYPE_CHECKING:
    from conflict_sim.model import PetitionModel

MINOR_SEVERITY = 0.3  # what a grid worker can fix on the spot [A]


class GridWorker(mesa.Agent):
    """The grid worker (网格员) of one grid: visits households, detects, fixes, refers, reports."""

    def __init__(self, model: PetitionModel, grid: int) -> None:
        super().__init__(model)
        self.grid = grid
        self.queue = ServiceQueue()
        self.handled = 0

    def has_capacity(self) -> bool:
        """About `grid_capacity` real cases a day; a worker more than a day behind finds nothing new."""
        return self.queue.delay(self.model.day) < 1.0

    def detect(self, event: tuple[Issue, int]) -> None:
        """A visit finds an issue before the household has acted on it."""
        issue, epoch = event
        if issue.epoch != epoch or not issue.is_open:
            return
        m = self.model
        if not self.has_capacity():
            m.agenda.at(m.day + 1, m.residents[issue.household].decide, (issue, issue.epoch))
            return
        m.tally.grid_detections += 1
        group = issue.group
        if group is not None and m.rng.random() < m.params.representative_organisation:
            group.thresholds += m.params.dialogue_threshold_shift  # early dialogue (5.7)
            group.represented = True
        self.handle(issue, detected=True)

    def handle(self, issue: Issue, *, detected: bool = False) -> None:
        """Fix on the spot, refer to mediation, or report to the subdistrict office with priority."""
        m, p, rng = self.model, self.model.params, self.model.rng
        self.queue.book(m.day, p.grid_capacity / p.households_per_agent)
        self.handled += 1
        m.set_state(issue, IssueState.GRID)
        category = CATEGORIES[issue.category]
        if category.quick_fixable and issue.severity < MINOR_SEVERITY and rng.random() < p.grid_quick_fix:
            m.tally.grid_fixes += 1
            m.residents[issue.household].learn(Channel.GRID_WORKER, True, neighbours=not detected)
            m.end(issue, IssueState.RESOLVED, Level.COMMUNITY)
            return
        if issue.mediable:
            m.mediation_of(issue.household).receive(issue)
            return
        case = Case(issue, Channel.GRID_WORKER, "grid", m.day, priority=True, justice_bonus=0.1)
        m.set_state(issue, IssueState.PETITION)
        m.subdistrict_office_of(issue.household).receive(case)


class MediationCommittee(mesa.Agent):
    """A people's mediation committee (调委会) of one community or village."""

    def __init__(self, model: PetitionModel, neighbourhood: int) -> None:
        super().__init__(model)
        self.neighbourhood = neighbourhood
        self.queue = ServiceQueue()
        self.cases = 0  # mediations taken on so far
        self.backlog = 0  # mediations under way

    @property
    def capacity(self) -> float:
        p = self.model.params
        return max(1e-3, p.mediators_per_community * p.mediation_cases_per_mediator_day)

    def receive(self, issue: Issue) -> None:
        m, p, rng = self.model, self.model.params, self.model.rng
        self.cases += 1
        self.backlog += 1
        m.tally.mediations += 1
        m.set_state(issue, IssueState.MEDIATION)
        wait = self.queue.book(m.day, self.capacity / p.households_per_agent)
        days = max(1, round(rng.uniform(0.5, 1.5) * p.mediation_days + wait))
        success = rng.random() < (p.mediation_success if issue.mediable else p.mediation_success_other)
        m.agenda.at(m.day + days, self.conclude, (issue, success, issue.epoch))

    def conclude(self, event: tuple[Issue, bool, int]) -> None:
        """An agreement resolves the dispute; a failure sends the household back to choose."""
        issue, success, epoch = event
        self.backlog -= 1
        if issue.epoch != epoch or not issue.is_open:
            return
        m = self.model
        resident = m.residents[issue.household]
        if success:
            m.tally.mediation_successes += 1
            resident.learn(Channel.MEDIATION, True)
            m.end(issue, IssueState.RESOLVED, Level.COMMUNITY)
        else:
            resident.on_setback(issue, Channel.MEDIATION, blocked=False)
