"""Leaders' reception and case ownership (领导接访下访, 包案): a leader answers for hard cases."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from conflict_sim.policies.base import ParameterPolicy


@dataclass(frozen=True, slots=True)
class LeaderOwnership(ParameterPolicy):
    """More returned and collective cases get a leader owner, and a leader handles better and fairer.

    A leader who receives petitioners brings authority to resolve and respect in the contact (Tyler
    1990) and recognises the conflict as real (Dahrendorf 1959). Heads of organs hold reception days
    (领导接访) and visit petitioners (2005 Regulations art. 10), and leaders take charge of hard cases
    (包案; 2022 Regulations). The values are assumptions [A]: a returned skip-level case or a collective
    visit gets a leader owner with probability 0.1 -> 0.4, and a leader adds 0.2 -> 0.3 to quality and
    procedural justice, which also reaches the visits that fall on a reception day. The number of
    reception days (`leader_days_per_month`) is left as it is.
    """

    name: ClassVar[str] = "leader_ownership"
    theory: ClassVar[str] = "Tyler (respect, voice); Dahrendorf (recognition)"
    label_zh: ClassVar[str] = "领导接访下访、包案"

    baoan_probability: float = 0.4
    leader_bonus: float = 0.3
