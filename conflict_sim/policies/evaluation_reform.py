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

    The pressure-type system (压力型体制) rewards paper closure and suppression: petition work entered
    officials' evaluation (2005 Regulations art. 7), provinces were ranked monthly on non-normal
    petitions until 2013 (Southern Metropolis Daily, 8 May 2013), and the rankings drove interception
    and bought deletions of registrations (Human Rights Watch 2005; Minzner 2006; Li, Liu & O'Brien
    2012). A manager scored on resolution moves effort from control to resolution. The reformed weights
    are assumptions [A].
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
