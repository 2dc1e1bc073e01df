"""Issues (disputes) and the vocabulary they move through: categories, channels, states, levels.

Issues are small data objects, not agents: they are created by arrivals and carried through the
pipeline by residents and offices (petition-system.md 1.16 and 5.2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from conflict_sim.params import Params


class Level(IntEnum):
    """Where a matter is handled, bottom to top (section 1.3)."""

    COMMUNITY = 0  # grid worker and community mediation committee
    SUBDISTRICT = 1
    DISTRICT = 2
    CITY = 3  # city and above
    COURT = 4  # outside the petition hierarchy


class Channel(IntEnum):
    """Ways a resident can act on an issue (section 1.2, 5.4)."""

    ONLINE = 0
    HOTLINE = 1
    LETTER = 2
    VISIT_SUBDISTRICT = 3
    VISIT_DISTRICT = 4
    REVIEW = 5
    COURT = 6
    MEDIATION = 7
    GRID_WORKER = 8
    COLLECTIVE_VISIT = 9
    SKIP_CITY = 10
    SKIP_PROVINCE = 11
    SKIP_NATIONAL = 12
    NONNORMAL = 13


CHANNEL_NAMES = tuple(c.name.lower() for c in Channel)
SKIP_CHANNELS = frozenset({Channel.SKIP_CITY, Channel.SKIP_PROVINCE, Channel.SKIP_NATIONAL})
PETITION_CHANNELS = frozenset(
    {
        Channel.ONLINE,
        Channel.HOTLINE,
        Channel.LETTER,
        Channel.VISIT_SUBDISTRICT,
        Channel.VISIT_DISTRICT,
        Channel.REVIEW,
        Channel.COLLECTIVE_VISIT,
    }
    | SKIP_CHANNELS
)


class IssueState(IntEnum):
    """Where an issue is today; every issue is in exactly one state."""

    NEW = 0  # arisen, not yet acted on
    SILENT = 1  # the resident keeps quiet for now (may reconsider)
    GRID = 2  # with the grid worker
    MEDIATION = 3  # with the community mediation committee
    PETITION = 4  # a case at a petition office
    COURT = 5
    RESOLVED = 6  # substantively resolved (terminal)
    CLOSED = 7  # reply accepted without resolution (terminal)
    EXITED = 8  # given up; grievance kept as latent (terminal)


OPEN_STATES = frozenset(
    {IssueState.NEW, IssueState.SILENT, IssueState.GRID, IssueState.MEDIATION, IssueState.PETITION, IssueState.COURT}
)


@dataclass(frozen=True, slots=True)
class Category:
    """An issue category with its share of arrivals and its character (section 2.4, 5.2) [A]."""

    name: str
    share: float
    severity_a: float  # Beta(a, b) severity
    severity_b: float
    mediable: float  # probability the dispute suits people's mediation
    litigable: float  # probability it belongs in court (诉访分离)
    collective: float  # probability the issue is shared by a group
    quick_fixable: bool  # minor matters a grid worker can fix on the spot


CATEGORIES = (
    Category("land_housing", 0.30, 3.0, 4.0, 0.2, 0.10, 0.10, False),
    Category("labour", 0.15, 2.5, 4.0, 0.5, 0.15, 0.08, False),
    Category("social_services", 0.15, 2.0, 5.0, 0.2, 0.05, 0.01, True),
    Category("law_related", 0.10, 2.0, 4.0, 0.2, 0.40, 0.01, False),
    Category("market", 0.10, 2.0, 5.0, 0.5, 0.15, 0.02, True),
    Category("neighbourhood", 0.12, 2.0, 6.0, 0.9, 0.05, 0.04, True),
    Category("environment", 0.05, 2.0, 5.0, 0.4, 0.05, 0.05, True),
    Category("other", 0.03, 2.0, 5.0, 0.3, 0.05, 0.00, True),
)
CATEGORY_INDEX = {c.name: i for i, c in enumerate(CATEGORIES)}
LEVEL_NEEDED_SHARES = (0.35, 0.30, 0.25, 0.10)  # community / subdistrict / district / city+ [S: "80 %"]


def category_rates(params: Params, day: int) -> np.ndarray:
    """Daily arrival rate per household for each category, with source governance and waves."""
    shares = np.array([c.share for c in CATEGORIES])
    shares[CATEGORY_INDEX["land_housing"]] *= params.land_housing_rate_multiplier
    labour = CATEGORY_INDEX["labour"]
    shares[labour] *= params.labour_rate_multiplier
    if params.wave_category != "none" and params.wave_day <= day < params.wave_day + params.wave_days:
        shares[CATEGORY_INDEX[params.wave_category]] *= params.wave_multiplier
    return shares * params.issue_rate / 365.0


@dataclass(slots=True, eq=False)
class Group:
    """Households sharing one collective issue (a building, a workforce, an estate)."""

    members: np.ndarray  # household indices
    thresholds: np.ndarray  # Granovetter thresholds, share of the group
    size_people: int  # real people the group stands for
    represented: bool = False  # acts through <= 5 representatives (Dahrendorf organisation)
    mobilisations: int = 0


@dataclass(slots=True, eq=False)
class Issue:
    """One dispute of one household (or one group), followed from birth to its end."""

    uid: int
    household: int
    category: int
    severity: float
    merit: float  # 1 reasonable, 0.5 partly, 0 unreasonable
    level_needed: Level
    litigable: bool
    mediable: bool
    born: int
    strategic: bool = False
    group: Group | None = None
    state: IssueState = IssueState.NEW
    submissions: int = 0
    replies: int = 0
    reviews: int = 0  # 0 none, 1 reviewed, 2 re-reviewed
    terminated: bool = False
    reconsiderations: int = 0
    skip_attempts: int = 0
    window_until: int = -1  # last day a review may be requested
    last_office: object = None  # the office whose reply may be reviewed
    case: object = None  # the case an office is working on, if any
    epoch: int = 0  # bumped at every change of state; stale agenda entries compare it
    overdue_since: int = -1
    ended: int = -1
    end_level: int = -1
    submission_days: list[int] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES
