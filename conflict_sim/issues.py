"""Issues (disputes) and the vocabulary they move through: categories, channels, states, levels.

Issues are small data objects, not agents: arrivals create them and residents and organs carry them
through the statutory pipeline (Regulations on Letters and Visits 2005, arts. 21-35; Regulations on
Petition Work 2022). Everything here is a value or an enumeration; nothing imports the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np


class Level(IntEnum):
    """Where a matter is handled, bottom to top (2005 Regulations art. 4: territorial, graded responsibility)."""

    COMMUNITY = 0  # grid worker and community mediation committee
    SUBDISTRICT = 1
    DISTRICT = 2
    CITY = 3  # city and above (the city bureau, the provincial bureau, national organs)
    COURT = 4  # outside the petition hierarchy (litigation, arbitration, reconsideration)


LEVEL_NAMES = tuple(level.name.lower() for level in Level)


class Channel(IntEnum):
    """Ways a resident can act on an issue (2005 Regulations art. 2; the 12345 hotline; exits)."""

    ONLINE = 0
    HOTLINE = 1
    LETTER = 2
    VISIT_SUBDISTRICT = 3
    VISIT_DISTRICT = 4
    REVIEW = 5  # review (复查) or re-review (复核) of the last reply, at the next office up
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
# 信访 petitions proper: what the petition statistics count (letters, visits, online), reviews excluded.
FORMAL_PETITION_CHANNELS = frozenset(
    {Channel.ONLINE, Channel.LETTER, Channel.VISIT_SUBDISTRICT, Channel.VISIT_DISTRICT, Channel.COLLECTIVE_VISIT}
    | SKIP_CHANNELS
    | {Channel.NONNORMAL}
)
LOCAL_CHANNELS = frozenset(
    {
        Channel.ONLINE,
        Channel.HOTLINE,
        Channel.LETTER,
        Channel.VISIT_SUBDISTRICT,
        Channel.VISIT_DISTRICT,
        Channel.MEDIATION,
        Channel.GRID_WORKER,
    }
)
DISRUPTIVE_CHANNELS = frozenset({Channel.COLLECTIVE_VISIT, Channel.NONNORMAL} | SKIP_CHANNELS)
# After a written reply the local organs have spoken: the ladder, a legal exit or escalation remain (arts. 34-35).
AFTER_REPLY_CHANNELS = frozenset({Channel.REVIEW, Channel.COURT} | DISRUPTIVE_CHANNELS)


class IssueState(IntEnum):
    """Where an issue is today; every issue is in exactly one state."""

    NEW = 0  # arisen, not yet acted on
    SILENT = 1  # the household keeps quiet for now (it may reconsider; a grid worker may find it)
    GRID = 2  # with the grid worker
    MEDIATION = 3  # with the community mediation committee
    PETITION = 4  # a case at a petition office (or the hotline)
    COURT = 5
    DETAINED = 6  # the petitioner is in administrative detention after a non-normal act
    RESOLVED = 7  # substantively resolved (terminal)
    CLOSED = 8  # an unfavourable reply accepted (terminal)
    EXITED = 9  # given up; its grievance stays latent and may return as a new issue (terminal)
    BOUGHT_OFF = 10  # paid off by the district (terminal; not a substantive resolution)


TERMINAL_STATES = frozenset({IssueState.RESOLVED, IssueState.CLOSED, IssueState.EXITED, IssueState.BOUGHT_OFF})
OPEN_STATES = frozenset(set(IssueState) - TERMINAL_STATES)
# States in which nothing formal is under way, so a grid worker's visit can find the issue (model.md §7.5).
DETECTABLE_STATES = frozenset({IssueState.NEW, IssueState.SILENT})


class Pathway(IntEnum):
    """How an issue ended: the pathway that resolved it, or why it stopped (the catalogue counts each apart)."""

    OFFICE = 0  # a first written reply of a petition office or a 12345 work order
    REVIEW = 1  # a review or re-review decision
    MEDIATION = 2
    GRID_FIX = 3
    COURT = 4
    BUYOFF = 5
    ACCEPTED = 6  # the household accepted an unfavourable reply
    EXIT = 7


class Context(IntEnum):
    """Why a household decides about an issue today; it sets which channels are open (model.md §7.2)."""

    FIRST = 0  # a new issue
    RECONSIDER = 1  # a silent issue, looked at again
    SETBACK = 2  # a channel failed (not registered, refused, mediation or court lost, intercepted)
    AFTER_REPLY = 3  # an unfavourable written reply, within the review window
    OVERDUE = 4  # the reply is late
    EMBOLDENED = 5  # a nearby collective visit showed that crowds get heard
    AFTER_EVENT = 6  # a collective event ended without an answer


@dataclass(frozen=True, slots=True)
class Category:
    """An issue category with its share of arrivals and its character [A, from national and local statistics]."""

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
CATEGORY_NAMES = tuple(c.name for c in CATEGORIES)


@dataclass(slots=True, eq=False)
class Group:
    """People sharing one collective issue (a building, a workforce, an estate), counted as people.

    Members are household agents of the lead's neighbourhood; each stands for `weights[i]` people of the
    group (1 when the neighbourhood has enough agents, more at coarse samples), so the group keeps its
    real size at any sample. Thresholds are kept as standard-normal draws `z` and an instigator flag, and
    are computed from the current parameters, so that a policy or an arm that changes the threshold
    distribution meets the same people.
    """

    members: np.ndarray  # household (agent) indices
    weights: np.ndarray  # people each member stands for; sums to `size_people`
    z: np.ndarray  # standard-normal draws of the Granovetter thresholds
    instigator_u: np.ndarray  # uniform draws: a member is an instigator when below the instigator share
    size_people: int
    threshold_shift: float = 0.0  # raised by early dialogue with representatives (model.md §7.5)
    represented: bool = False  # acts through <= 5 representatives (Dahrendorf's organisation)
    mobilisations: int = 0

    def thresholds(self, mean: float, sd: float, instigator_share: float) -> np.ndarray:
        """Granovetter thresholds as shares of the group's people; instigators (关键少数) start at 0."""
        theta = np.clip(mean + sd * self.z, 0.0, 1.0) + self.threshold_shift
        theta[self.instigator_u < instigator_share] = 0.0
        theta[0] = 0.0  # the lead is the one who calls the others out
        return theta


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
    reactivated_from: int = -1  # the exited issue whose latent grievance this one revives
    state: IssueState = IssueState.NEW
    epoch: int = 0  # bumped at every change of state; stale scheduled events compare it
    submissions: int = 0  # submissions on this issue, reviews and campaign copies excluded
    first_channel: int = -1
    replies: int = 0
    reviews: int = 0  # review requests made: 0 none, 1 review, 2 re-review
    terminated: bool = False  # re-review decided: not accepted again by any petition organ (art. 35)
    reconsiderations: int = 0
    skip_attempts: int = 0
    window_until: int = -1  # last day a review may be requested
    last_office: object = None  # the office whose reply may be reviewed
    case: object = None  # the case an office is working on, if any
    event: object = None  # the collective event under way, if any
    overdue_since: int = -1
    ended: int = -1
    end_level: int = -1
    pathway: int = -1

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def stake(self) -> float:
        """What the household fights for: strategic (profit-seeking) petitioners ignore merit and severity."""
        return max(self.severity, 0.6) if self.strategic else self.severity
