"""A case: one submission being processed by a petition office, with its kind and statutory clock."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from conflict_sim.issues import Channel, Issue


class CaseKind(IntEnum):
    """How a case reached an office; it sets the clock that applies (arts. 21-35) and who may handle it."""

    INITIAL = 0  # a first letter, online petition or visit
    HOTLINE = 1  # a 12345 work order
    GRID = 2  # reported by a grid worker, with priority (初信初访)
    REVIEW = 3  # review (复查) of a reply by the next office up
    REREVIEW = 4  # re-review (复核); its decision terminates the matter
    RETURNED = 5  # sent back (交办) by a higher level after a skip-level or non-normal petition
    COLLECTIVE = 6  # a collective visit's matter, registered with priority


class Refusal(IntEnum):
    """Why a submission was not accepted (2005 Regulations arts. 14-15, 21, 35; local rules)."""

    NOT_REGISTERED = 0  # brushed off: not registered or acknowledged (Dahrendorf's recognition)
    LITIGABLE = 1  # belongs in litigation, arbitration or reconsideration (诉访分离)
    TERMINATED = 2  # re-review concluded: not accepted again (art. 35)
    DUPLICATE = 3  # a copy of a campaign petition, merged by de-duplication
    MASS_PETITION = 4  # a campaign petition rejected as a mass petition


REVIEW_KINDS = frozenset({CaseKind.REVIEW, CaseKind.REREVIEW})
FIRST_KINDS = frozenset({CaseKind.INITIAL, CaseKind.HOTLINE, CaseKind.GRID})


@dataclass(slots=True, eq=False)
class Case:
    """One submission being processed by an office: the matter, how it came, and its clock."""

    issue: Issue
    channel: Channel
    kind: CaseKind
    received: int
    priority: bool = False
    leader: bool = False  # 包案 or a reception day: a leader owns the case
    accepted: int = -1
    due: int = -1
    extended: int = 0
    overdue: bool = False  # past its due date without a reply
    rushed: float = 1.0  # quality factor of a formal reply forced out by the deadline
    justice_bonus: float = 0.0
    copy: bool = False  # a campaign copy: processed and answered, but the issue follows its lead case
    campaign: bool = False  # the lead case of a copy campaign
    office: object = None  # the office that accepted the case (set when handling starts)
