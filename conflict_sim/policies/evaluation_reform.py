"""Evaluation reform (改革考核机制): score the district on resolution, not on counted petitions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from conflict_sim.policies.base import ParameterPolicy


@dataclass(frozen=True, slots=True)
class EvaluationReform(ParameterPolicy):
    """Score the district on resolution, not on counts of petitions.

    No penalties per skip-level, collective or non-normal petition, no one-vote veto, and substantive
    resolution, measured independently of revisit calls, enters the score.

    The pressure-type system (压力型体制) rewards paper closure and suppression; a manager scored
    on resolution moves effort from control to resolution (China-specific incentives, 1.15).
    Source: petition-system.md 1.15, 3.9, 5.9, 5.11 (pressure-type -> reformed).
    """

    name: ClassVar[str] = "evaluation_reform"
    theory: ClassVar[str] = "China-specific incentives (pressure-type system, 不出事逻辑)"
    label_zh: ClassVar[str] = "改革考核机制 (取消排名、一票否决)"

    weight_skip: float = 0.0
    weight_collective: float = 0.0
    weight_nonnormal: float = 0.0
    weight_substantive: float = 2.0
    veto_enabled: bool = False
    satisfaction_mode: str = "independent"
