"""Collective action as a daily process (Granovetter 1978; Epstein 2002; Coser 1956; Cai 2010).

A group's lead calls it out; each day of the event, each member is active when the share of the
group's people already active reaches the member's threshold and the member's grievance, net of the
risk of sanction, clears the voice threshold, where the risk is Epstein's with C the control staff sent
to the event and A the people active (a bigger crowd lowers each member's risk). Five or more people
make a collective visit (集体访), fifty a large one; a member who turns disruptive (accumulated
hostility) makes it a mass incident (群体性事件). An event ends when fewer than five are active for
`event_quiet_days` days, or when its issue is resolved, conceded or closed.

The government responds on every event day (the rule is stated in docs/model.md): the matter is
registered with priority at the district bureau on the first day (the resolution path); it concedes
(pays off) with the buy-off probability scaled by the crowd's size relative to a large incident
(Cai 2010: large disruptive events succeed); in a mass incident its control staff arrest disruptive
members with Epstein's probability (detention, hostility, lost trust for them and their ties); and with
the organisation probability it holds a dialogue with representatives, which raises the members'
thresholds and counts as a fair hearing (Tyler). Groups already organised send at most five
representatives and do not riot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from conflict_sim import books, rules
from conflict_sim.agents import residents
from conflict_sim.cases import Case, CaseKind
from conflict_sim.events import EVENT_OUTCOMES
from conflict_sim.issues import Channel, Context, Group, Issue, IssueState

if TYPE_CHECKING:
    from conflict_sim.world import World

MAX_REPRESENTATIVES = 5  # at most five representatives (2005 Regulations art. 18)


@dataclass(eq=False)
class Event:
    """One collective event of one group, followed day by day."""

    issue: Issue
    group: Group
    start: int
    active: np.ndarray
    detained_until: np.ndarray
    event_days: int = 0  # days with at least five active people
    quiet_days: int = 0
    peak: float = 0.0
    person_days: float = 0.0
    mass_incident: bool = False
    arrests: int = 0
    dialogues: int = 0
    outcome: str = "faded"
    days: list[int] = field(default_factory=list)


class Crowds:
    """Every collective event under way in the district, stepped once a day."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.events: list[Event] = []
        self.started = 0  # events begun so far (the evaluation counts them when they start)

    def start(self, issue: Issue) -> bool:
        """The lead calls the group out today; True if five or more people come (an event begins)."""
        w, group = self.world, issue.group
        assert group is not None
        group.mobilisations += 1
        if not group.represented and w.streams.collective.chance(w.params.representative_organisation):
            group.represented = True  # Dahrendorf's organisation: the group sends at most five representatives
        n = len(group.members)
        event = Event(issue, group, w.day, np.zeros(n, dtype=bool), np.full(n, -1))
        people = self._turnout(event)
        if people < w.params.collective_min_people:
            return False
        issue.event = event
        self.events.append(event)
        self.started += 1
        self._count_day(event, people)
        self._register(event)
        self._demonstrate(issue)
        self._respond(event, people)
        return True

    def step(self) -> None:
        """One day of every event under way (events started today have had theirs)."""
        w = self.world
        for event in list(self.events):
            if event.start == w.day:
                continue
            issue = event.issue
            if not issue.is_open or issue.event is not event:
                self._end(event, _outcome(issue))
                continue
            people = self._turnout(event)
            if people >= w.params.collective_min_people:
                self._count_day(event, people)
                self._respond(event, people)
            else:
                event.quiet_days += 1
                if event.quiet_days >= w.params.event_quiet_days:
                    self._end(event, "faded")

    def close_all(self) -> None:
        """The run ends: events still under way are recorded as ongoing."""
        for event in list(self.events):
            self._end(event, "ongoing", decide=False)

    # --- who turns out -----------------------------------------------------------------------------
    def _turnout(self, event: Event) -> float:
        """Today's active members, by the threshold rule under deterrence; returns the people active."""
        w, p, hh, issue = self.world, self.world.params, self.world.households, event.issue
        group = event.group
        members, weights = group.members, group.weights
        overdue = rules.overdue_waiting(w.day - issue.overdue_since) if issue.overdue_since >= 0 else 0.0
        g = rules.grievance(
            issue.severity,
            hh.legitimacy_local[members],
            hh.deprivation(members),
            overdue,
            hh.hostility_on(members, w.day, p.hostility_half_life_days),
            phi=p.deprivation_weight,
            psi=p.overdue_weight,
        )
        free = event.detained_until < w.day
        total = float(weights.sum())
        if p.attendance_probability < 1.0:  # who can come today: each member's people, each with the probability
            weights = self._attending(weights, p.attendance_probability)
            free &= weights > 0
        thresholds = group.thresholds(p.threshold_mean, p.threshold_sd, p.instigator_share)
        control = w.manager.event_control()
        active = event.active & free
        for _ in range(len(members) + 1):
            people = max(1.0, float(weights[active].sum()))
            risk = rules.sanction_probability(control, people, k=p.arrest_constant, mode=p.arrest_ratio_mode)
            willing = free & (g - hh.risk_aversion[members] * risk * p.sanction_collective > p.voice_threshold)
            nxt = rules.granovetter_cascade(thresholds, willing, weights, total)
            if (nxt == active).all():
                break
            active = nxt
        event.active = active
        people = float(weights[active].sum())
        return min(people, MAX_REPRESENTATIVES) if group.represented else people

    def _attending(self, weights: np.ndarray, probability: float) -> np.ndarray:
        """The people of each member who come today.

        A binomial share of the whole people it stands for (one person at fine samples), so that a group's
        turnout varies alike at any sample.
        """
        whole = np.ceil(weights - 1e-9)
        come = self.world.streams.collective.generator.binomial(whole.astype(np.int64), probability)
        return weights * come / whole

    def _count_day(self, event: Event, people: float) -> None:
        event.event_days += 1
        event.quiet_days = 0
        event.peak = max(event.peak, people)
        event.person_days += people
        event.days.append(self.world.day)

    # --- the government's response ------------------------------------------------------------------
    def _register(self, event: Event) -> None:
        """First day: the matter is registered with priority at the district bureau (the resolution path)."""
        w, p, issue = self.world, self.world.params, event.issue
        running = issue.case
        leader = w.streams.collective.chance(p.baoan_probability)
        if isinstance(running, Case):
            running.priority, running.leader = True, running.leader or leader
            return
        case = books.open_case(issue, Channel.COLLECTIVE_VISIT, CaseKind.COLLECTIVE, w.day)
        case.priority, case.leader = True, leader
        w.set_state(issue, IssueState.PETITION)
        w.district_bureau.receive(case)

    def _respond(self, event: Event, people: float) -> None:
        """One event day's response: disruption and control, concession, dialogue (see the module docstring)."""
        w, p, rng, hh, issue = (
            self.world,
            self.world.params,
            self.world.streams.collective,
            self.world.households,
            event.issue,
        )
        group = event.group
        if not group.represented:
            members = group.members[event.active]
            hostility = hh.hostility_on(members, w.day, p.hostility_half_life_days)
            grievance = issue.severity * (1 - hh.legitimacy_local[members])
            chance = rules.disruption_probability(
                hostility, grievance, a0=p.disruption_intercept, a1=p.disruption_slope
            )
            disrupt = rng.generator.random(len(members)) < chance
            if disrupt.any():
                if not event.mass_incident:
                    event.mass_incident = True
                    w.log.add("nonnormal", (w.day, issue.uid, False, False, 0, True))
                self._control(event, members[disrupt], people)
        if w.manager.pay_off(issue, rules.concession_pressure(people, p.collective_large_people)):
            for member in group.members:  # "troublemaking works": the members learn it
                residents.learn(w, int(member), Channel.COLLECTIVE_VISIT, True, neighbours=False)
            return
        if not group.represented and rng.chance(p.representative_organisation):
            event.dialogues += 1
            group.threshold_shift += p.dialogue_threshold_shift
            residents.update_trust(w, issue.household, p.procedural_justice, 0.0, 0.0, group.members)
            residents.heard(w, issue.household, p.procedural_justice)

    def _control(self, event: Event, disruptive: np.ndarray, people: float) -> None:
        """Epstein's cop rule at a mass incident: each disruptive member is arrested with probability P."""
        w, p, rng = self.world, self.world.params, self.world.streams.collective
        risk = rules.sanction_probability(
            w.manager.event_control(), people, k=p.arrest_constant, mode=p.arrest_ratio_mode
        )
        index = {int(m): i for i, m in enumerate(event.group.members)}
        for member in disruptive.tolist():
            if not rng.chance(risk):
                continue
            event.arrests += 1
            event.detained_until[index[member]] = w.day + rng.integer(0, p.detention_max_days)
            residents.suffer_repression(w, member, p.hostility_gain, Channel.COLLECTIVE_VISIT)
            w.households.diffuse(member, -p.nonnormal_neighbour_loss, 1.0)

    def _demonstrate(self, source: Issue) -> None:
        """示范效应: a collective visit emboldens waiting groups of its subdistrict (contagion between groups).

        Each visit reaches a waiting group with the demonstration probability: its lead learns that crowds
        get heard and weighs, the next day, calling its own group out against waiting. A sampled visit
        stands for `households_per_agent` real ones, so a sampled group is reached by a binomial number of
        them, each teaching once and each one more chance to call the group out, on successive days (an
        issue decides once a day); a chance taken voids the rest. Counting one reach at most, as until
        December 2026, lost demonstrations at coarser samples (docs/model.md section 8).
        """
        w, p, rng = self.world, self.world.params, self.world.streams.collective
        unit = int(w.district.unit_of[source.household])
        for other in w.open_groups(unit):
            if other is source or other.state not in (IssueState.NEW, IssueState.SILENT) or other.event is not None:
                continue
            reached = sum(rng.chance(p.demonstration_probability) for _ in range(p.households_per_agent))
            if reached:
                w.households.successes[other.household, Channel.COLLECTIVE_VISIT] += reached * p.social_learning_weight
                for delay in range(1, reached + 1):
                    w.decide_later(other, Context.EMBOLDENED, delay)

    def _end(self, event: Event, outcome: str, *, decide: bool = True) -> None:
        w, issue = self.world, event.issue
        self.events.remove(event)
        if issue.event is event:
            issue.event = None
        event.outcome = outcome
        w.log.add(
            "collective",
            (
                issue.uid,
                event.start,
                w.day,
                event.event_days,
                event.peak,
                event.person_days,
                event.mass_incident,
                event.group.represented,
                EVENT_OUTCOMES.index(outcome),
                event.arrests,
                event.dialogues,
            ),
        )
        if decide and issue.is_open and issue.case is None and issue.state in (IssueState.NEW, IssueState.SILENT):
            w.decide_later(issue, Context.AFTER_EVENT, 1)


def _outcome(issue: Issue) -> str:
    if issue.state == IssueState.RESOLVED:
        return "resolved"
    if issue.state == IssueState.BOUGHT_OFF:
        return "conceded"
    return "closed"
