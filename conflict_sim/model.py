"""`PetitionModel`: builds the district, fixes the order of a day, applies policies, keeps the records.

A day (docs/model.md, section 3): policies and shocks; new issues arrive; everything due today
runs from the agenda in the order it was scheduled (grid visits, registrations, acceptance decisions,
replies, mediations, courts); the households whose decisions fell due today decide together; the
collective events under way have their day; the day's state is collected. Each month the district is
evaluated, trust relaxes toward its baselines and expectations move with the payouts seen.
"""

from __future__ import annotations

import contextlib
import functools
import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import cython
import mesa
import numpy as np
import pandas as pd
from mesa.time import Schedule

from conflict_sim import books, catalogue, routing
from conflict_sim.agenda import Agenda
from conflict_sim.agents.collective import Crowds
from conflict_sim.agents.decisions import decide, still_due
from conflict_sim.agents.fengqiao import GridWorker, MediationCommittee
from conflict_sim.agents.manager import DistrictManager
from conflict_sim.agents.offices import PetitionOffice, link_reviewers
from conflict_sim.agents.residents import Resident
from conflict_sim.agents.sinks import Court, HigherLevel, Hotline
from conflict_sim.arrivals import Arrivals
from conflict_sim.channels import ChannelTable
from conflict_sim.district import District
from conflict_sim.events import REACTIVATION_TRIGGERS, EventLog, EventTables
from conflict_sim.households import Households
from conflict_sim.issues import (
    Channel,
    Context,
    Issue,
    IssueState,
    Level,
    Pathway,
)
from conflict_sim.params import Params
from conflict_sim.policies.base import Policy
from conflict_sim.state import WorldState
from conflict_sim.streams import Streams

if cython.compiled:  # the compiled build reads the fields of slotted classes at their offsets (layouts.py)
    check_layouts()  # type: ignore[name-defined]  # noqa: F821

MONTH = 30  # days between evaluations and the monthly updates
DECISION_ROUNDS = 3  # decisions a day can trigger on the same day before the rest wait until tomorrow
HIERARCHICAL_GAP = 0.05  # trust in the centre above local trust by more than this counts as hierarchical (Li 2016)
SHOCK_REFERENCE = 0.1  # a drop of 0.1 in legitimacy revives a latent grievance like one trigger [A]
HIGHER_LEVELS = {Channel.SKIP_CITY: "city", Channel.SKIP_PROVINCE: "province", Channel.SKIP_NATIONAL: "national"}


class PetitionModel(WorldState, mesa.Model):
    """Grass-roots petition work in one district, one agent per household (or per sample of them).

    Args:
        params: The district's parameters; defaults to the Chengzhong baseline.
        policies: Countermeasures applied, in order, at the start of each day.
        rng: The run's seed (an integer); every random stream of the run is spawned from it.
    """

    def __init__(
        self, params: Params | None = None, *, policies: Sequence[Policy] = (), rng: int | None = None
    ) -> None:
        with paused_cyclic_gc():
            self._build(params, policies, rng)

    def _build(self, params: Params | None, policies: Sequence[Policy], rng: int | None) -> None:
        seed = int(np.random.SeedSequence().generate_state(1)[0]) if rng is None else int(rng)
        super().__init__(rng=seed)
        self.seed = seed
        self.params = p = params or Params()
        self.policies = tuple(policies)
        self.day = 0
        self.streams = Streams.from_seed(seed)
        self.channels = ChannelTable(p)
        self.agenda = Agenda()
        self.log = EventLog()
        self.district = d = District(p)
        self.households = Households(p, self.streams.district, d.grid_of)
        self.arrivals = Arrivals(p, d)
        self._state_counts = [0] * len(IssueState)  # issues in each state (a list: changed on every event)
        self._open_groups: list[dict[int, Issue]] = [{} for _ in d.units]
        self._issues_of: dict[int, list[Issue]] = {}  # household -> its open issues (households with any)
        self._latent: dict[int, list[Issue]] = {}  # household -> issues it gave up (their grievance is latent)
        self._pending: defaultdict[int, list[tuple[Issue, int, Context]]] = defaultdict(list)  # decisions by day
        self._submission_rate = 0.0  # 30-day moving average of real submissions a day (Huntington's P)
        self.hostility_level = 0.0  # mean accumulated hostility (Coser), taken monthly: a full pass over households
        self._submissions_seen = 0

        self.residents = Resident.populate(self, p.agents)
        grid_sizes = np.bincount(d.grid_of, minlength=d.n_grids)
        self.grid_workers = [GridWorker(self, g, int(grid_sizes[g])) for g in range(d.n_grids)]
        self.mediation_committees = [MediationCommittee(self, h) for h in range(len(d.neighbourhoods))]
        self.subdistrict_offices = [PetitionOffice(self, Level.SUBDISTRICT, u.name, i) for i, u in enumerate(d.units)]
        self.district_bureau = PetitionOffice(self, Level.DISTRICT, "district petition bureau")
        self.city_bureau = PetitionOffice(self, Level.CITY, "city petition bureau")
        self.province_bureau = PetitionOffice(self, Level.CITY, "provincial petition bureau")
        link_reviewers(self.subdistrict_offices, self.district_bureau, self.city_bureau, self.province_bureau)
        self.all_offices = [*self.subdistrict_offices, self.district_bureau, self.city_bureau, self.province_bureau]
        # each household's own organs by row: a list lookup per event instead of a NumPy scalar index
        self._office_at = [self.subdistrict_offices[u] for u in d.unit_of.tolist()]
        self._grid_worker_at = [self.grid_workers[g] for g in d.grid_of.tolist()]
        self._mediation_at = [self.mediation_committees[h] for h in d.hood_of.tolist()]
        self.higher_levels = {name: HigherLevel(self, name) for name in ("city", "province", "national")}
        self.court = Court(self)
        self.hotline = Hotline(self)
        self.manager = DistrictManager(self)
        self.crowds = Crowds(self)

        self._row_day = -1
        self._row: dict[str, float] = {}
        self._capacities_of: Params | None = None  # the parameters `_capacity_sums` were computed from
        self._capacity_sums = (0.0, 0.0)
        self.datacollector = DailyCollector(self.daily_row())
        self.schedule_recurring(self._month, Schedule(interval=MONTH, start=MONTH + 0.5))

    # --- the day -------------------------------------------------------------------------------
    def step(self) -> None:
        with paused_cyclic_gc():
            self._day()

    def run_for(self, duration: float | int) -> None:
        """Run for `duration` days (Mesa's `run_for`), with the collector paused throughout (see below)."""
        with paused_cyclic_gc():
            super().run_for(duration)

    def run_until(self, end_time: float | int) -> None:
        """Run until day `end_time` (Mesa's `run_until`), with the collector paused throughout."""
        with paused_cyclic_gc():
            super().run_until(end_time)

    @cython.locals(  # type: ignore[attr-defined]  # C types of the compiled build (model.pxd)
        self="WorldLayout", p="ParamsLayout", streams="StreamsLayout", decisions="Stream"
    )
    def _day(self) -> None:
        self.day = int(self.time)
        for policy in self.policies:
            policy.apply(self)
        self._shocks()
        p, streams = self.params, self.streams
        decisions = streams.decisions
        for issue in self.arrivals.draw(streams.arrivals_on(self.day), p, self.day):
            books.open_issue(self, issue)
            books.decide_later(self, issue, Context.FIRST, decisions.integer(1, p.decision_delay_days))
        self.agenda.run(self.day)
        self._decide()
        self.crowds.step()
        self.datacollector.collect(self)

    def _month(self) -> None:
        p = self.params
        self.manager.evaluate()
        self.households.relax_trust(MONTH, p.trust_half_life_days)
        self.households.update_expectations(p.expectation_adjustment)
        self.hostility_level = self.households.hostility_mean(self.day, p.hostility_half_life_days)

    def _shocks(self) -> None:
        p = self.params
        drop = 0.0
        if p.shock_mode == "sudden" and self.day == p.shock_day:
            drop = p.shock_size
        elif p.shock_mode == "gradual" and p.shock_day <= self.day < p.shock_day + p.shock_days:
            drop = p.shock_size / p.shock_days
        if drop:
            self.households.legitimacy_shock(drop)
            chance = min(1.0, p.reactivation_probability * drop / SHOCK_REFERENCE)
            for household in list(self._latent):
                if self.streams.decisions.chance(chance):
                    self.reactivate(household, "shock")

    @cython.locals(  # type: ignore[attr-defined]  # C types of the compiled build (model.pxd)
        self="WorldLayout"
    )
    def _decide(self) -> None:
        """Every decision due today, in the order they fell due; each issue decides once a day."""
        for _ in range(DECISION_ROUNDS):
            bucket = self._pending.pop(self.day, None)
            if not bucket:
                return
            decide(self, still_due(bucket))
        leftover = self._pending.pop(self.day, [])
        self._pending[self.day + 1].extend(leftover)

    # --- what agents may do (the World interface) ----------------------------------------------
    def decide_later(self, issue: Issue, context: Context, delay: int = 0) -> None:
        """The household will decide about `issue` in `delay` days, unless something happens first."""
        books.decide_later(self, issue, context, delay)

    def route(self, issue: Issue, channel: Channel) -> None:
        routing.submit(self, issue, channel)

    def set_state(self, issue: Issue, state: IssueState) -> None:
        books.set_state(self, issue, state)

    def end(self, issue: Issue, state: IssueState, level: Level | None, pathway: Pathway) -> None:
        """An issue reaches a terminal state, handled at a level of the pyramid (exits at none)."""
        books.end(self, issue, state, level, pathway)

    def reactivate(self, household: int, trigger: str) -> None:
        """A given-up grievance returns as a new issue (Hirschman's latent voice; Thomas et al. 2024)."""
        latent = self._latent.get(household)
        if not latent:
            return
        latent.sort(key=lambda i: i.severity)
        parent = latent.pop()
        if not latent:
            del self._latent[household]
        hh = self.households
        share = parent.severity / (parent.severity + sum(i.severity for i in latent))
        amount = float(hh.latent_grievance[household]) * share
        hh.set_latent(household, max(0.0, float(hh.latent_grievance[household]) - amount))
        issue = Issue(
            uid=-1,
            household=household,
            category=parent.category,
            severity=parent.severity,
            merit=parent.merit,
            level_needed=parent.level_needed,
            litigable=parent.litigable,
            mediable=parent.mediable,
            born=self.day,
            strategic=parent.strategic,
            group=parent.group,
            reactivated_from=parent.uid,
        )
        books.open_issue(self, issue)
        self.log.add("reactivations", (self.day, issue.uid, parent.uid, REACTIVATION_TRIGGERS.index(trigger)))
        if trigger == "grid_contact":
            self.grid_worker_of(household).handle(issue, detected=True)
        else:
            books.decide_later(self, issue, Context.FIRST, 1)

    def update_params(self, **changes: Any) -> None:
        """Change parameters mid-run (policies); validated like any `Params`."""
        self.params = self.params.replace(**changes)
        self.channels = ChannelTable(self.params)

    # --- lookups ---------------------------------------------------------------------------------
    @property
    def open_issues(self) -> dict[int, Issue]:
        """The issues not yet ended, by uid (kept by the event log; do not change the dict)."""
        return self.log.open_issues

    @property
    def state_counts(self) -> np.ndarray:
        """Issues in each `IssueState` so far (indexed by state)."""
        return np.array(self._state_counts, dtype=np.int64)

    def issues_of(self, household: int) -> Sequence[Issue]:
        """The household's open issues, in the order they opened (do not change the list)."""
        return self._issues_of.get(household, ())

    @cython.locals(  # type: ignore[attr-defined]  # C types of the compiled build (model.pxd)
        self="WorldLayout", household="Py_ssize_t", offices=list
    )
    def office_of(self, household: int) -> PetitionOffice:
        offices = self._office_at
        return offices[household]

    @cython.locals(  # type: ignore[attr-defined]  # C types of the compiled build (model.pxd)
        self="WorldLayout", household="Py_ssize_t", workers=list
    )
    def grid_worker_of(self, household: int) -> GridWorker:
        workers = self._grid_worker_at
        return workers[household]

    @cython.locals(  # type: ignore[attr-defined]  # C types of the compiled build (model.pxd)
        self="WorldLayout", household="Py_ssize_t", committees=list
    )
    def mediation_of(self, household: int) -> MediationCommittee:
        committees = self._mediation_at
        return committees[household]

    def higher_level(self, channel: Channel) -> HigherLevel:
        return self.higher_levels[HIGHER_LEVELS[channel]]

    def open_groups(self, unit: int) -> Iterable[Issue]:
        return list(self._open_groups[unit].values())

    def overdue_cases(self) -> int:
        return sum(o.overdue for o in self.all_offices)

    def collective_events_started(self) -> int:
        return self.crowds.started

    def offices_by_level(self) -> dict[str, list[PetitionOffice]]:
        return {
            "subdistrict": self.subdistrict_offices,
            "district": [self.district_bureau],
            "city": [self.city_bureau, self.province_bureau],
        }

    # --- records -----------------------------------------------------------------------------------
    def instability_index(self) -> float:
        """Huntington: voiced demand per day over institutional capacity x quality (real units)."""
        p = self.params
        quality = min(1.0, max(0.0, p.office_quality + self.manager.quality_shift()))
        offices, mediation = self._capacities()
        institutions = offices * quality + mediation * p.mediation_success
        return self._submission_rate / institutions if institutions else float("inf")

    def _capacities(self) -> tuple[float, float]:
        """Real cases a day the petition offices and the mediation committees take on (set by the parameters)."""
        if self._capacities_of is not self.params:
            self._capacities_of = self.params
            self._capacity_sums = (
                sum(o.capacity for o in self.all_offices),
                sum(m.capacity for m in self.mediation_committees),
            )
        return self._capacity_sums

    def daily_row(self) -> dict[str, float]:
        """Today's state (stocks and levels), computed once a day and shared by all DataCollector columns."""
        if self._row_day != self.day:
            submitted = self.log.count("submissions")
            today = (submitted - self._submissions_seen) * self.params.households_per_agent
            self._submissions_seen = submitted
            self._submission_rate += (today - self._submission_rate) / MONTH
            self._row = _state_row(self)
            self._row_day = self.day
        return self._row

    def daily(self, events: EventTables | None = None) -> pd.DataFrame:
        """The daily series so far: the collected state plus the flows counted from the event log."""
        stocks = self.datacollector.get_model_vars_dataframe().astype({"day": "int64"}).set_index("day")
        return catalogue.daily(events if events is not None else self.log.tables(), stocks, self.params)

    def finish(self) -> None:
        """Close the records at the end of a run: collective events still under way are logged as such."""
        self.crowds.close_all()

    def release(self) -> None:
        """Let go of everything the model holds, once its outputs are taken; the model is unusable after.

        The model and its agents are a web of reference cycles, so a finished model waits for the cyclic
        collector, whose pass over its 65,000 objects costs about 27 ms at 1:4 (2 years). Dropped from
        here, the household agents, the arrays and most issues are freed at once by reference counting
        (about 7 ms); what the open issues' cycles hold (an issue and its case, the offices) is left to
        the collector, about 1,000 objects. `simulate` calls it on the model it made, which nothing else
        can hold.
        """
        self.__dict__.clear()
        for name in WorldState.__slots__:  # and the state held in slots
            delattr(self, name)


@contextlib.contextmanager
def paused_cyclic_gc() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a day (or the build) runs, and restored after.

    A full district holds about a million long-lived objects (household agents, issues, the log), and
    the collector's full passes over them cost about 15 % of a run and half of the build, while a day
    makes next to no cyclic garbage (issues live on in the event log). Reference counting still frees
    everything else at once; the few cycles left are collected after the day (or the `run_for`).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _state_row(model: PetitionModel) -> dict[str, float]:
    """Today's state: open issues, loads, trust, grievance and the manager's choices (the DataCollector row)."""
    k, hh, states = model.params.households_per_agent, model.households, model._state_counts
    district = hh.district_figures(HIERARCHICAL_GAP, model.params.deprivation_weight)
    row: dict[str, float] = {
        "day": model.day,
        "open_issues": len(model.open_issues) * k,
        "silent_issues": int(states[IssueState.SILENT]) * k,
        "petition_cases": int(states[IssueState.PETITION]) * k,
        "detained": int(states[IssueState.DETAINED]) * k,
        "collective_events_active": len(model.crowds.events) * k,
        "legitimacy_local": district.legitimacy_local,
        "legitimacy_center": district.legitimacy_center,
        "hierarchical_trust_share": district.hierarchical_share,
        "expectation": hh.expectation_mean,
        "deprivation": hh.deprivation_mean,
        "hostility": model.hostility_level,
        "grievance_stock": district.grievance_stock * k,
        "latent_grievance": district.latent_grievance * k,
        "evaluation_score": model.manager.last_score,
        "control_share": model.manager.control_share,
        "instability_index": model.instability_index(),
    }
    for office in model.subdistrict_offices:
        row[f"backlog_office_{office.unit}"] = office.backlog * k
    backlog = overdue = 0.0
    for level, offices in model.offices_by_level().items():
        row[f"backlog_{level}"] = sum(o.backlog for o in offices) * k
        row[f"overdue_{level}"] = sum(o.overdue for o in offices) * k
        row[f"utilisation_{level}"] = _mean(np.array([o.utilisation(model.day) for o in offices]))
        backlog += row[f"backlog_{level}"]
        overdue += row[f"overdue_{level}"]
    row["backlog_total"], row["overdue_total"] = backlog, overdue
    return row


def _mean(values: np.ndarray) -> float:
    """`values.mean()` without NumPy's Python wrapper: the same sum (`np.add.reduce`) over the same count.

    About 3 µs less a call; the daily row takes one for each level's utilisation.
    """
    return float(np.add.reduce(values)) / values.size


class DailyCollector(mesa.DataCollector):
    """Mesa's DataCollector with one reporter per column of the model's daily row (`daily_row`).

    Mesa's `collect` calls each of the 45 reporters and deep-copies each value, about 18 µs a day. Every
    column reads the same row, computed once a day, of plain numbers; so here a day is one pass that
    appends the row's values. The reporters, `model_vars` and the DataFrames are Mesa's own.
    """

    def __init__(self, columns: Iterable[str]) -> None:
        super().__init__(model_reporters={name: functools.partial(_column, name) for name in columns})

    def collect(self, model: PetitionModel) -> None:  # type: ignore[override]
        row = model.daily_row()
        self._collection_steps.append(model.time)
        for name, values in self.model_vars.items():
            values.append(row[name])


def _column(name: str, model: PetitionModel) -> float:
    return model.daily_row()[name]
