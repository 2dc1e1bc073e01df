"""Standardised procedure and transparency (规范程序、公开透明): written reasons and hearings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from conflict_sim.policies.base import ParameterPolicy


@dataclass(frozen=True, slots=True)
class StandardProcedure(ParameterPolicy):
    """Every reply gives written reasons; half of re-reviews hold a public hearing (听证).

    Predictable rules with explanation regulate conflict (Dahrendorf 1959) and raise the procedural
    justice people meet (Tyler 1990). A re-review may hold a hearing, and its decision ends the matter
    (2005 Regulations art. 35; 2022 Regulations): finality is already enforced in the model. The values
    are assumptions [A]: hearings 0 -> 0.5 of re-reviews, written reasons 0.5 -> 1.
    """

    name: ClassVar[str] = "standard_procedure"
    theory: ClassVar[str] = "Dahrendorf (rules, predictability); Tyler (explanation, voice)"
    label_zh: ClassVar[str] = "规范程序、公开透明"

    written_reasons: float = 1.0
    hearing_rate: float = 0.5
