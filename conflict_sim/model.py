"""`PetitionModel`: builds the district, fixes the order of a day, applies policies, collects metrics.

The day (section 5.3): policies and shocks; new issues arrive; then everything due today runs from
the agenda in the order it was scheduled (grid visits, decisions, acceptance decisions, replies,
windows); the district manager's monthly evaluation is a Mesa scheduled event; the day's metrics
are collected. Quiet households do no work.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import mesa
import numpy as np
from mesa.discrete_space import Network
from mesa.time import Schedule

from conflict_sim.agenda import Agenda
from conflict_sim.agents import (
    Court,
    DistrictManager,
    GridWorker,
    HigherLevel,
    Hotline,
    MediationCommittee,
    PetitionOffice,
    Resident,
)
from conflict_sim.agents.collective import act_nonnormal, mobilise
from conflict_sim.agents.offices import Case
from conflict_sim.channels import ChannelTable
from conflict_sim.district import District
from conflict_sim.households import Households
from conflict_sim.issues import (
    CATEGORIES,
    LEVEL_NEEDED_SHARES,
    PETITION_CHANNELS,
    SKIP_CHANNELS,
    Channel,
    Group,
    Issue,
    IssueState,
    Level,
    category_rates,
)
from conflict_sim.metrics import Tally, reporters
from conflict_sim.params import Params
from conflict_sim.policies import Policy

CHRONIC_SUBMISSIONS = 5  # >= 5 submissions on one issue within a year make a chronic petitioner (5.6)
EVALUATION_INTERVAL = 30  # days between the district's evaluations
REPLY_COST, MEDIATION_COST, COURT_COST = 1.0, 0.3, 2.0  # cost units per case [A]


class PetitionModel(mesa.Model):
    """Grass-roots petition work in one district, one agent per household (or per sample of them).

    Args:
        params: The district's parameters; defaults to the Chengzhong baseline.
        policies: Countermeasures applied, in order, at the start of each day.
        rng: Seed; the only source of randomness in a run.
    """

    def __init__(
        self, params: Params | None = None, *, policies: Sequence[Policy] = (), rng: int | None = None
    ) -> None:
        super().__init__(rng=rng)
        self.params = p = params or Params()
        self.policies = tuple(policies)
        self.day = 0
        self.channels = ChannelTable(p)
        self.agenda = Agenda()
        self.tally = Tally()
        self.state_counts = np.zeros(len(IssueState), dtype=np.int64)
        self.open_issues: dict[int, Issue] = {}
        self._next_issue = 0
        self._submission_rate = 0.0  # 30-day moving average of submissions per day
        self._submissions_seen = 0

        self.district = d = District(p)
        self.space = Network(d.graph, random=self.random, layout=None)
        self.households = Households(p, self.rng, d.grid_of)
        self._hood_start, self._hood_end = _ranges(d.hood_of, len(d.neighbourhoods))
        self._unit_start, self._unit_end = _ranges(d.unit_of, len(d.units))
        self.open_groups: list[dict[int, Issue]] = [{} for _ in d.units]  # open group issues per unit
        cells = [self.space[g] for g in range(d.n_grids)]
        self.residents = [Resident(self, i, cells[g]) for i, g in enumerate(d.grid_of.tolist())]
        self.grid_workers = [GridWorker(self, g) for g in range(d.n_grids)]
        self.mediation_committees = [MediationCommittee(self, h) for h in range(len(d.neighbourhoods))]
        self.subdistrict_offices = [PetitionOffice(self, Level.SUBDISTRICT, u.name, i) for i, u in enumerate(d.units)]
        self.district_bureau = PetitionOffice(self, Level.DISTRICT, "城中区信访局")
        self.city_bureau = PetitionOffice(self, Level.CITY, "西宁市信访局")
        self.higher_levels = {level: HigherLevel(self, level) for level in ("city", "province", "national")}
        self.court = Court(self)
        self.hotline = Hotline(self)
        self.manager = DistrictManager(self)
        self.all_offices = [*self.subdistrict_offices, self.district_bureau, self.city_bureau]

        self._row_day = -1
        self._row: dict[str, float] = {}
        names = list(self.daily_row())
        self.datacollector = mesa.DataCollector(
            model_reporters={name: functools.partial(_column, name) for name in names}
        )
        self.schedule_recurring(self._evaluate, Schedule(interval=EVALUATION_INTERVAL, start=EVALUATION_INTERVAL + 0.5))

    # --- the day -----------------------------------------------------------------------------
    def step(self) -> None:
        self.day = int(self.time)
        for policy in self.policies:
            policy.apply(self)
        self._apply_shocks()
        self._arrivals()
        self.agenda.run(self.day)
        self.datacollector.collect(self)

    def _evaluate(self) -> None:
        self.manager.evaluate()

    def update_params(self, **changes: Any) -> None:
        """Change parameters mid-run (policies); validated like any `Params`."""
        self.params = self.params.replace(**changes)
        self.channels = ChannelTable(self.params)

    def _apply_shocks(self) -> None:
        p = self.params
        if p.shock_mode == "sudden" and self.day == p.shock_day:
            self.households.legitimacy_shock(p.shock_size)
        elif p.shock_mode == "gradual" and p.shock_day <= self.day < p.shock_day + p.shock_days:
            self.households.legitimacy_shock(p.shock_size / p.shock_days)

    def _arrivals(self) -> None:
        """Poisson arrivals by category; some issues are shared by a group (5.3 item 1)."""
        p, rng = self.params, self.rng
        counts = rng.poisson(category_rates(p, self.day) * self.households.n)
        for category, count in enumerate(counts.tolist()):
            # a collective project hits 1 + Poisson(extra) groups: the expected share of group issues stays
            project = CATEGORIES[category].collective * p.collective_issue_multiplier / (1 + p.project_extra_groups)
            for _ in range(count):
                household = int(rng.integers(self.households.n))
                if rng.random() < project:
                    self._new_project(category, household)
                else:
                    self._new_issue(category, household)

    def _new_project(self, category: int, household: int) -> None:
        """A demolition or closure hits several groups of one subdistrict on the same day (bursts, SF-2)."""
        unit = int(self.district.unit_of[household])
        extra = int(self.rng.poisson(self.params.project_extra_groups))
        leads = [household, *self.rng.integers(self._unit_start[unit], self._unit_end[unit], extra).tolist()]
        for lead in leads:
            self._new_issue(category, int(lead), shared=True)

    def _new_issue(self, category: int, household: int, *, shared: bool = False) -> None:
        p, rng = self.params, self.rng
        kind = CATEGORIES[category]
        u = rng.random()
        merit = 1.0 if u < p.reasonable_share else 0.5 if u < p.reasonable_share + p.partly_reasonable_share else 0.0
        issue = Issue(
            uid=self._next_issue,
            household=household,
            category=category,
            severity=float(rng.beta(kind.severity_a, kind.severity_b)),
            merit=merit,
            level_needed=Level(int(rng.choice(4, p=LEVEL_NEEDED_SHARES))),
            litigable=bool(rng.random() < kind.litigable),
            mediable=bool(rng.random() < kind.mediable),
            born=self.day,
            strategic=bool(rng.random() < p.strategic_share),
        )
        self._next_issue += 1
        if shared:
            issue.group = self._new_group(household)
            self.open_groups[int(self.district.unit_of[household])][issue.uid] = issue
        self.tally.issues += 1
        self.open_issues[issue.uid] = issue
        self.state_counts[IssueState.NEW] += 1
        self.residents[household].on_issue(issue)

    def _new_group(self, lead: int) -> Group:
        """Neighbours sharing the issue: a lognormal number of people from the lead's community."""
        p, rng = self.params, self.rng
        people = int(
            np.clip(
                round(p.group_size_median * np.exp(p.group_size_sigma * rng.standard_normal())),
                p.collective_min_people,
                5_000,
            )
        )
        hood = self.district.hood_of[lead]
        start, end = int(self._hood_start[hood]), int(self._hood_end[hood])
        n = min(max(1, round(people / p.households_per_agent)), end - start)
        others = rng.choice(np.r_[start:lead, lead + 1 : end], n - 1, replace=False) if n > 1 else []
        members = np.r_[lead, others].astype(np.int64)
        thresholds = np.clip(rng.normal(p.threshold_mean, p.threshold_sd, n), 0.0, 1.0)
        thresholds[rng.random(n) < p.instigator_share] = 0.0
        thresholds[0] = 0.0  # the lead is the one who calls the others out
        return Group(members, thresholds, people)

    # --- bookkeeping used by the agents ------------------------------------------------------
    def set_state(self, issue: Issue, state: IssueState) -> None:
        self.state_counts[issue.state] -= 1
        self.state_counts[state] += 1
        issue.state = state
        issue.epoch += 1

    def end(self, issue: Issue, state: IssueState, level: Level) -> None:
        """An issue reaches a terminal state at a level of the pyramid."""
        t = self.tally
        self.set_state(issue, state)
        issue.ended, issue.end_level = self.day, int(level)
        t.end_level[level] += 1
        if state == IssueState.RESOLVED:
            t.resolved += 1
            t.resolution_days.append(self.day - issue.born)
            if issue.submissions == 1 and issue.reviews == 0:
                t.first_contact_resolutions += 1
        elif state == IssueState.CLOSED:
            t.closed_unresolved += 1
        else:
            t.exited += 1
        del self.open_issues[issue.uid]
        if issue.group is not None:
            del self.open_groups[int(self.district.unit_of[issue.household])][issue.uid]
        self.residents[issue.household].close(issue)

    def demonstrate(self, source: Issue) -> None:
        """示范效应: a collective visit emboldens other waiting groups of the subdistrict, whose leads
        learn that crowds get heard and reconsider tomorrow (Granovetter contagion between groups)."""
        p, rng = self.params, self.rng
        for other in self.open_groups[int(self.district.unit_of[source.household])].values():
            if (
                other is not source
                and other.state in (IssueState.NEW, IssueState.SILENT)
                and rng.random() < p.demonstration_probability
            ):
                self.households.successes[other.household, Channel.COLLECTIVE_VISIT] += p.social_learning_weight
                self.agenda.at(self.day + 1, self.residents[other.household].decide, (other, other.epoch))

    def record_reply(self, issue: Issue, resolved: bool, justice: float, on_time: bool) -> None:
        """Count a written reply: support (resolved), explain (has merit, not solved), not support (1.4)."""
        t, p = self.tally, self.params
        issue.replies += 1
        t.replies += 1
        t.replies_on_time += on_time
        t.replies_resolved += resolved
        t.replies_explain += not resolved and issue.merit > 0
        t.replies_not_support += not resolved and issue.merit == 0
        if p.satisfaction_mode == "revisit_formal":  # administrative revisit calls (5.9)
            t.replies_satisfied += self.rng.random() < 0.9 + 0.1 * justice
        else:
            t.replies_satisfied += resolved

    def not_accepted(self, event: tuple[Case, PetitionOffice, str, int]) -> None:
        case, _office, reason, epoch = event
        if case.issue.epoch != epoch:
            return
        self.tally.not_accepted += 1
        self.residents[case.issue.household].on_setback(case.issue, case.channel, blocked=reason != "litigable")

    def court_result(self, event: tuple[Issue, bool, bool, int]) -> None:
        issue, accepted, won, epoch = event
        if issue.epoch != epoch:
            return
        if won:
            self.residents[issue.household].learn(Channel.COURT, True)
            self.end(issue, IssueState.RESOLVED, Level.COURT)
        else:
            self.residents[issue.household].on_setback(issue, Channel.COURT, blocked=not accepted)

    def submit(self, resident: Resident, issue: Issue, channel: Channel) -> None:
        """A resident acts on an issue through a channel; route it to the organ that receives it."""
        t, hh, day = self.tally, self.households, self.day
        t.submissions += 1
        t.by_channel[channel] += 1
        issue.submissions += 1
        t.first_submissions += issue.submissions == 1
        days = issue.submission_days
        days.append(day)
        if len(days) == CHRONIC_SUBMISSIONS and day - days[0] <= 365:
            t.chronic_petitioners += 1
        hh.last_channel[resident.index] = channel
        hh.last_channel_day[resident.index] = day
        running = issue.case is not None
        if running or issue.terminated:
            t.repeat_submissions += 1
        if running and channel in PETITION_CHANNELS and channel not in SKIP_CHANNELS:
            return  # pressing a case already in process: counted, nothing new starts
        match channel:
            case Channel.ONLINE | Channel.LETTER | Channel.VISIT_DISTRICT:
                self._open_case(issue, channel, "initial", self.district_bureau)
            case Channel.VISIT_SUBDISTRICT:
                self._open_case(issue, channel, "initial", self.subdistrict_office_of(issue.household))
            case Channel.REVIEW:
                t.review_requests += 1
                kind = "review" if issue.reviews == 0 else "rereview"
                self._open_case(issue, channel, kind, issue.last_office.review_body)
            case Channel.HOTLINE:
                self.set_state(issue, IssueState.PETITION)
                self.hotline.receive(issue)
            case Channel.COURT:
                self.set_state(issue, IssueState.COURT)
                self.court.receive(issue)
            case Channel.MEDIATION:
                self.mediation_of(issue.household).receive(issue)
            case Channel.GRID_WORKER:
                self.grid_worker_of(issue.household).handle(issue)
            case Channel.COLLECTIVE_VISIT:
                mobilise(self, resident, issue)
            case Channel.NONNORMAL:
                act_nonnormal(self, resident, issue)
            case _:
                self._skip_level(resident, issue, channel)

    def _open_case(self, issue: Issue, channel: Channel, kind: str, office: PetitionOffice) -> None:
        self.set_state(issue, IssueState.PETITION)
        office.receive(Case(issue, channel, kind, self.day))

    def _skip_level(self, resident: Resident, issue: Issue, channel: Channel) -> None:
        """越级上访: the district may intercept on the way; otherwise the higher level registers it."""
        self.tally.skip_attempts += 1
        issue.skip_attempts += 1
        if self.manager.intercept(issue, channel):
            resident.reconsider_later(issue)
            return
        level = {Channel.SKIP_CITY: "city", Channel.SKIP_PROVINCE: "province"}.get(channel, "national")
        self.higher_levels[level].register(issue, channel)

    # --- lookups -------------------------------------------------------------------------------
    def subdistrict_office_of(self, household: int) -> PetitionOffice:
        return self.subdistrict_offices[int(self.district.unit_of[household])]

    def grid_worker_of(self, household: int) -> GridWorker:
        return self.grid_workers[int(self.district.grid_of[household])]

    def mediation_of(self, household: int) -> MediationCommittee:
        return self.mediation_committees[int(self.district.hood_of[household])]

    def offices_by_level(self) -> dict[str, list[PetitionOffice]]:
        return {"subdistrict": self.subdistrict_offices, "district": [self.district_bureau], "city": [self.city_bureau]}

    # --- model-level metrics ------------------------------------------------------------------
    def instability_index(self) -> float:
        """Huntington (3.3): voiced demand per day over institutional capacity x quality."""
        p = self.params
        quality = min(1.0, max(0.0, p.office_quality + self.manager.quality_shift()))
        institutions = (
            sum(o.capacity for o in self.all_offices) * quality
            + sum(m.capacity for m in self.mediation_committees) * p.mediation_success
        )
        return self._submission_rate * p.households_per_agent / institutions if institutions else float("inf")

    def cost(self) -> float:
        """Cumulative cost in agent units: cases handled, interceptions, compensation, courts [A]."""
        t = self.tally
        return (
            t.replies * REPLY_COST
            + t.mediations * MEDIATION_COST
            + t.court_cases * COURT_COST
            + t.interception_cost
            + t.compensation_merit
            + t.compensation_no_merit
        )

    def daily_row(self) -> dict[str, float]:
        """Today's metrics, computed once a day and shared by all DataCollector columns."""
        if self._row_day != self.day:
            submitted_today = self.tally.submissions - self._submissions_seen
            self._submissions_seen = self.tally.submissions
            self._submission_rate += (submitted_today - self._submission_rate) / 30.0
            self._row = {"day": self.day, **reporters(self)}
            self._row_day = self.day
        return self._row


def _ranges(sorted_labels: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """First and one-past-last index of each label in a sorted label array."""
    labels = np.arange(n)
    return (np.searchsorted(sorted_labels, labels, side="left"), np.searchsorted(sorted_labels, labels, side="right"))


def _column(name: str, model: PetitionModel) -> float:
    return model.daily_row()[name]
