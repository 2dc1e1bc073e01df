"""What an agent may see and do: the narrow view of the district that every agent is given.

Agents never import the model. They are handed a `World` (the model implements it; tests can fake
it) and reach the other organs only through it, so the import graph runs one way: rules and state at
the bottom, agents above them, the model on top.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    import numpy as np

    from conflict_sim.agenda import Agenda
    from conflict_sim.cases import Case
    from conflict_sim.channels import ChannelTable
    from conflict_sim.district import District
    from conflict_sim.events import EventLog
    from conflict_sim.households import Households
    from conflict_sim.issues import Channel, Context, Issue, IssueState, Level, Pathway
    from conflict_sim.params import Params
    from conflict_sim.streams import Streams


class Office(Protocol):
    """A petition office: it receives cases, decides acceptance and replies in writing."""

    level: Level
    name: str

    def receive(self, case: Case) -> None: ...

    def decide_acceptance(self, case: Case) -> None: ...

    @property
    def review_body(self) -> Office: ...


class IssueOrgan(Protocol):
    """An organ that takes a household's issue itself (a grid worker, a mediation committee, a court)."""

    def receive(self, issue: Issue) -> None: ...


class Manager(Protocol):
    """The district manager as the other agents meet it: effort, control, interception, buy-offs."""

    def quality_shift(self) -> float: ...

    def visible_control(self) -> float: ...

    def event_control(self) -> float: ...

    def individual_risk(self) -> float: ...

    def crowd_risk(self, people: float) -> float: ...

    def intercept(self, issue: Issue, channel: Channel) -> bool: ...

    def pay_off(self, issue: Issue, pressure: float = 1.0) -> bool: ...

    def expect(self, choices: np.ndarray) -> None: ...

    def expect_sums(self, sums: Mapping[Channel, float]) -> None: ...


class World(Protocol):
    """The district as an agent sees it."""

    day: int
    params: Params
    streams: Streams
    households: Households
    district: District
    log: EventLog
    agenda: Agenda
    channels: ChannelTable
    manager: Manager
    district_bureau: Office
    city_bureau: Office
    province_bureau: Office
    court: IssueOrgan

    def office_of(self, household: int) -> Office: ...

    def mediation_of(self, household: int) -> IssueOrgan: ...

    def grid_worker_of(self, household: int) -> IssueOrgan: ...

    def set_state(self, issue: Issue, state: IssueState) -> None: ...

    def end(self, issue: Issue, state: IssueState, level: Level, pathway: Pathway) -> None: ...

    def decide_later(self, issue: Issue, context: Context, delay: int = 0) -> None: ...

    def route(self, issue: Issue, channel: Channel) -> None: ...

    def reactivate(self, household: int, trigger: str) -> None: ...

    def open_groups(self, unit: int) -> Iterable[Issue]: ...

    def overdue_cases(self) -> int: ...

    def collective_events_started(self) -> int: ...
