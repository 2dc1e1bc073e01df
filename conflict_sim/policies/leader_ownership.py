"""Leaders' reception and case ownership (领导接访下访, 包案): a leader answers for hard cases."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from conflict_sim.policies.base import ParameterPolicy


@dataclass(frozen=True, slots=True)
class LeaderOwnership(ParameterPolicy):
    """More returned and collective cases get a leader owner, who handles them better and fairer.

    A leader who receives petitioners brings authority to resolve and respect in the contact (Tyler)
    and recognises the conflict as real (Dahrendorf). Source: petition-system.md 1.10, 5.11
    (p_baoan 0.1 -> 0.4); leader bonus 0.2 -> 0.3 [A]. The model does not yet use reception days
    (`leader_days_per_month`), so this policy does not set them.
    """

    name: ClassVar[str] = "leader_ownership"
    theory: ClassVar[str] = "Tyler (respect, voice); Dahrendorf (recognition)"
    label_zh: ClassVar[str] = "领导接访下访、包案"

    baoan_probability: float = 0.4
    leader_bonus: float = 0.3
