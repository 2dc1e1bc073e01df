"""Classification by law (依法分类处理, 诉访分离) and legal aid: a real legal exit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from conflict_sim.policies.base import ParameterPolicy


@dataclass(frozen=True, slots=True)
class ClassificationByLaw(ParameterPolicy):
    """Litigable matters go to court, courts accept more of them, legal aid makes suing cheap.

    Rules of the game regulate conflict (Dahrendorf 1959); an exit that actually resolves takes pressure
    off voice (Hirschman 1970). Matters for litigation, arbitration or reconsideration are not accepted
    as petitions (2005 Regulations arts. 14 and 21; the law-related petition reform after 2013); in Yu
    Jianrong's 2004 survey 63 % of petitioners had gone to court first and the courts refused almost
    half of them. The values are assumptions [A]: routing 0.6 -> 0.9, court acceptance 0.5 -> 0.8,
    court cost 0.3 -> 0.1.
    """

    name: ClassVar[str] = "classification_by_law"
    theory: ClassVar[str] = "Dahrendorf (rules of the game); Hirschman (legal exit)"
    label_zh: ClassVar[str] = "依法分类处理、诉访分离、法律援助"

    routing_accuracy: float = 0.9
    court_acceptance: float = 0.8
    cost_court: float = 0.1
