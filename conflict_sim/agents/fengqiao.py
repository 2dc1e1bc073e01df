"""Grid workers and community mediation committees: the Fengqiao pathway ("矛盾不上交").

A grid worker patrols the households of its grid: f visits per household a month, up to what one worker
can make in a day, so a larger grid is visited less often. A visit can find any open issue that is not
in a formal process, voiced or silent; the worker fixes minor ones on the spot, refers civil disputes
to mediation and reports the rest to the subdistrict with priority (初信初访); under the level rule
(`grid_level_rule`, "小事不出社区，大事不出街办") it fixes or refers only what the community can settle.
A group found before it acts is offered a dialogue with representatives, which raises its members'
thresholds. A visit to a household that has given up an issue can bring the old grievance back.
Mediation committees settle civil disputes (People's Mediation Law 2010; success about 85-96 % in the
reported figures).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import cython
import mesa

from conflict_sim import books
from conflict_sim.agents import residents
from conflict_sim.cases import CaseKind
from conflict_sim.events import GRID_KINDS
from conflict_sim.issues import CATEGORIES, OPEN_STATES, Channel, Issue, IssueState, Level, Pathway
from conflict_sim.queues import FluidServer
from conflict_sim.state import CommitteeState, GridWorkerState

if TYPE_CHECKING:
    from conflict_sim.world import World

if cython.compiled:  # the compiled build reads the fields of slotted classes at their offsets (layouts.py)
    check_layouts()  # type: ignore[name-defined]  # noqa: F821

MINOR_SEVERITY = 0.3  # what a grid worker can fix on the spot [A]
GRID_JUSTICE_BONUS = 0.1  # a report by the grid worker comes with a first contact already made [A]
KIND = {name: code for code, name in enumerate(GRID_KINDS)}


class GridWorker(GridWorkerState, mesa.Agent):
    """The grid worker (网格员) of one grid: patrols, detects, fixes, refers, reports."""

    model: World  # type: ignore[assignment]

    def __init__(self, model: mesa.Model, grid: int, agents: int) -> None:
        super().__init__(model)
        self.grid = grid
        self.agents = agents  # household agents living in the grid
        self.server = FluidServer(model.params.grid_capacity)
        self.handled = 0
        self._chance_of: object = None  # the parameters (`model.params`) `_chance` was computed from
        self._chance = 0.0

    def visit_chance(self) -> float:
        """Chance a given household is visited today: f/30, unless the worker cannot visit that many."""
        return _visit_chance(self)

    # --- patrols ----------------------------------------------------------------------------------
    @cython.locals(  # type: ignore[attr-defined]  # C types of the compiled build (fengqiao.pxd)
        self="GridWorkerLayout",
        w="WorldLayout",
        p="ParamsLayout",
        streams="StreamsLayout",
        rng="Stream",
        agenda="Agenda",
        issue="IssueLayout",
    )
    def watch(self, issue: Issue) -> None:
        """An issue nobody is handling: the next visit that finds it comes after a geometric wait."""
        w = self.model
        p, streams = w.params, w.streams
        rng = streams.grid
        days = rng.geometric(_visit_chance(self) * p.grid_detection)
        if days < 10_000:
            agenda = w.agenda
            agenda.at(w.day + days, self.detect, (issue, issue.epoch))

    @cython.locals(  # type: ignore[attr-defined]  # C types of the compiled build (fengqiao.pxd)
        self="GridWorkerLayout",
        w="WorldLayout",
        p="ParamsLayout",
        streams="StreamsLayout",
        rng="Stream",
        server="FluidServer",
        log="EventLog",
        issue="IssueLayout",
    )
    def detect(self, event: tuple[Issue, int]) -> None:
        """A visit finds an issue that is not in any formal process."""
        issue, epoch = event
        w = self.model
        p, streams, server, log = w.params, w.streams, self.server, w.log
        rng = streams.grid
        if issue.epoch != epoch or issue.state not in OPEN_STATES:
            return
        server.capacity = p.grid_capacity
        if server.wait(w.day) > 1.0:  # more than a day behind: the visit finds nothing new
            self.watch(issue)
            return
        log.add("grid", (w.day, issue.uid, issue.household, KIND["detected"]))
        group = issue.group
        if group is not None and issue.event is None and rng.chance(p.representative_organisation):
            group.threshold_shift += p.dialogue_threshold_shift  # early dialogue with representatives
            group.represented = True
        self.handle(issue, detected=True)

    @cython.locals(  # type: ignore[attr-defined]  # C types of the compiled build (fengqiao.pxd)
        self="GridWorkerLayout", w="WorldLayout", streams="StreamsLayout", rng="Stream", agenda="Agenda"
    )
    def look_in(self, household: int) -> None:
        """A household keeps a latent grievance: the next visit may bring it back (Hirschman; Thomas et al. 2024)."""
        w = self.model
        streams, agenda = w.streams, w.agenda
        rng = streams.grid
        days = rng.geometric(_visit_chance(self))
        if days < 10_000:
            agenda.at(w.day + days, self._contact, household)

    @cython.locals(  # type: ignore[attr-defined]  # C types of the compiled build (fengqiao.pxd)
        self="GridWorkerLayout", w="WorldLayout", p="ParamsLayout", streams="StreamsLayout", rng="Stream"
    )
    def _contact(self, household: int) -> None:
        w = self.model
        if w.households.latent_grievance[household] <= 0:
            return
        p, streams = w.params, w.streams
        rng = streams.grid
        if rng.chance(p.reactivation_probability):
            w.reactivate(household, "grid_contact")
        if w.households.latent_grievance[household] > 0:
            self.look_in(household)

    # --- handling ----------------------------------------------------------------------------------
    @cython.locals(  # type: ignore[attr-defined]  # C types of the compiled build (fengqiao.pxd)
        self="GridWorkerLayout", w="WorldLayout", log="EventLog", issue="IssueLayout"
    )
    def receive(self, issue: Issue) -> None:
        """The household tells the grid worker itself."""
        w = self.model
        log = w.log
        log.add("grid", (w.day, issue.uid, issue.household, KIND["told"]))
        self.handle(issue)

    @cython.locals(  # type: ignore[attr-defined]  # C types of the compiled build (fengqiao.pxd)
        self="GridWorkerLayout",
        w="WorldLayout",
        p="ParamsLayout",
        streams="StreamsLayout",
        rng="Stream",
        server="FluidServer",
        log="EventLog",
        issue="IssueLayout",
    )
    def handle(self, issue: Issue, *, detected: bool = False) -> None:
        """Fix on the spot, refer to mediation, or report to the subdistrict office with priority.

        Under `grid_level_rule` only matters the community can settle (their level needed) are fixed or
        referred; the rest are reported.
        """
        w = self.model
        p, streams, server, log = w.params, w.streams, self.server, w.log
        rng = streams.grid
        server.capacity = p.grid_capacity
        server.book(w.day, p.households_per_agent)
        self.handled += 1
        books.set_state(w, issue, IssueState.GRID)
        category = CATEGORIES[issue.category]
        fixable = category.quick_fixable and issue.severity < MINOR_SEVERITY and rng.chance(p.grid_quick_fix)
        settles = not p.grid_level_rule or issue.level_needed == Level.COMMUNITY  # 小事不出社区: more is reported up
        if fixable and settles:
            log.add("grid", (w.day, issue.uid, issue.household, KIND["quick_fix"]))
            residents.learn(w, issue.household, Channel.GRID_WORKER, True, neighbours=not detected)
            books.end(w, issue, IssueState.RESOLVED, Level.COMMUNITY, Pathway.GRID_FIX)
            return
        if issue.mediable and settles:
            log.add("grid", (w.day, issue.uid, issue.household, KIND["to_mediation"]))
            w.mediation_of(issue.household).receive(issue)
            return
        log.add("grid", (w.day, issue.uid, issue.household, KIND["reported"]))
        case = books.open_case(issue, Channel.GRID_WORKER, CaseKind.GRID, w.day)
        case.priority, case.justice_bonus = True, GRID_JUSTICE_BONUS
        books.set_state(w, issue, IssueState.PETITION)
        w.office_of(issue.household).receive(case)


def _visit_chance(worker: GridWorker) -> float:
    """Chance a given household is visited today: f/30, unless the worker cannot visit that many.

    Needed each time an issue is left unattended (about 40 times a day at 1:4), so kept until a
    policy replaces the parameters.
    """
    w = worker.model
    p = w.params
    if worker._chance_of is not p:
        households = worker.agents * p.households_per_agent
        wanted = p.grid_visits_per_month / 30.0
        worker._chance = min(wanted, p.grid_visit_capacity / households) if households else 0.0
        worker._chance_of = p
    return worker._chance


class MediationCommittee(CommitteeState, mesa.Agent):
    """A people's mediation committee (调委会) of one community or village."""

    model: World  # type: ignore[assignment]

    def __init__(self, model: mesa.Model, neighbourhood: int) -> None:
        super().__init__(model)
        self.neighbourhood = neighbourhood
        self.server = FluidServer(self.capacity)
        self.cases = 0  # mediations taken on so far
        self.backlog = 0  # mediations under way

    @property
    @cython.locals(  # type: ignore[attr-defined]  # C types of the compiled build (fengqiao.pxd)
        self="CommitteeLayout", p="ParamsLayout"
    )
    def capacity(self) -> float:
        """Real mediations begun per day."""
        p = self.model.params
        return max(1e-3, p.mediators_per_community * p.mediation_cases_per_mediator_day)

    @cython.locals(  # type: ignore[attr-defined]  # C types of the compiled build (fengqiao.pxd)
        self="CommitteeLayout",
        w="WorldLayout",
        p="ParamsLayout",
        streams="StreamsLayout",
        rng="Stream",
        server="FluidServer",
        agenda="Agenda",
        issue="IssueLayout",
    )
    def receive(self, issue: Issue) -> None:
        w = self.model
        p, streams, server, agenda = w.params, w.streams, self.server, w.agenda
        rng = streams.grid
        self.cases += 1
        self.backlog += 1
        books.set_state(w, issue, IssueState.MEDIATION)
        server.capacity = self.capacity
        wait = server.book(w.day, p.households_per_agent)
        days = max(1, round(rng.uniform(0.5, 1.5) * p.mediation_days + wait))
        success = rng.chance(p.mediation_success if issue.mediable else p.mediation_success_other)
        agenda.at(w.day + days, self.conclude, (issue, success, issue.epoch))

    @cython.locals(  # type: ignore[attr-defined]  # C types of the compiled build (fengqiao.pxd)
        self="CommitteeLayout", w="WorldLayout", log="EventLog", issue="IssueLayout"
    )
    def conclude(self, event: tuple[Issue, bool, int]) -> None:
        """An agreement resolves the dispute; a failure sends the household back to choose."""
        issue, success, epoch = event
        w = self.model
        log = w.log
        self.backlog -= 1
        log.add("mediations", (w.day, issue.uid, success))
        if issue.epoch != epoch or issue.state not in OPEN_STATES:
            return
        residents.heard(w, issue.household, w.params.procedural_justice)
        if success:
            residents.learn(w, issue.household, Channel.MEDIATION, True)
            books.end(w, issue, IssueState.RESOLVED, Level.COMMUNITY, Pathway.MEDIATION)
        else:
            residents.on_setback(w, issue, Channel.MEDIATION, blocked=False)
