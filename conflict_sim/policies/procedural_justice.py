"""Cadre quality (提升信访干部素质, 群众工作方法): respectful, neutral, explained handling."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from conflict_sim.policies.base import ParameterPolicy


@dataclass(frozen=True, slots=True)
class ProceduralJustice(ParameterPolicy):
    """Trained petition cadres raise the procedural justice of every contact.

    Legitimacy follows fair process more than favourable outcomes, and fair process makes people
    accept an unfavourable answer (Tyler 1990). The value, π 0.5 -> 0.8, is an assumption [A].
    """

    name: ClassVar[str] = "procedural_justice"
    theory: ClassVar[str] = "Tyler (procedural justice and legitimacy)"
    label_zh: ClassVar[str] = "提升信访干部素质 / 群众工作方法"

    procedural_justice: float = 0.8
