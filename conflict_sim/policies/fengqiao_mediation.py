"""Fengqiao mediation (枫桥经验, 矛盾纠纷多元化解): more and better third-party mediation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from conflict_sim.policies.base import ParameterPolicy


@dataclass(frozen=True, slots=True)
class FengqiaoMediation(ParameterPolicy):
    """More mediators per community (五老 and part-time mediators), higher success, cheaper access.

    Third parties without binding power regulate conflict by opening communication (Dahrendorf);
    "small matters stay in the village" (矛盾不上交).
    Source: petition-system.md 1.11, 1.13, 3.2, 5.11: 五老 1.7 -> 4 per community, so
    4.7 -> 7 mediators; p_med 0.85 -> 0.9 (national ≈ 96 %, 2.8).
    """

    name: ClassVar[str] = "fengqiao_mediation"
    theory: ClassVar[str] = "Dahrendorf (third-party mediation); Coser (absorb small conflicts)"
    label_zh: ClassVar[str] = "枫桥经验 / 矛盾纠纷多元化解"

    mediators_per_community: float = 7.0
    mediation_success: float = 0.9
    cost_mediation: float = 0.01
