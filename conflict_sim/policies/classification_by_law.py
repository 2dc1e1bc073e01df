"""Classification by law (依法分类处理, 诉访分离) and legal aid: a real legal exit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from conflict_sim.policies.base import ParameterPolicy


@dataclass(frozen=True, slots=True)
class ClassificationByLaw(ParameterPolicy):
    """Litigable matters go to court, courts accept more of them, legal aid makes suing cheap.

    Rules of the game regulate conflict (Dahrendorf); an exit that actually resolves takes pressure
    off voice (Hirschman). Source: petition-system.md 1.9, 3.2, 3.7, 5.11 (routing 0.6 -> 0.9,
    p_court 0.5 -> 0.8, court cost 0.3 -> 0.1).
    """

    name: ClassVar[str] = "classification_by_law"
    theory: ClassVar[str] = "Dahrendorf (rules of the game); Hirschman (legal exit)"
    label_zh: ClassVar[str] = "依法分类处理、诉访分离、法律援助"

    routing_accuracy: float = 0.9
    court_acceptance: float = 0.8
    cost_court: float = 0.1
