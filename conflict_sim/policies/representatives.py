"""Representative organisation (群众利益代表, 组织化): groups act through representatives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from conflict_sim.policies.base import ParameterPolicy


@dataclass(frozen=True, slots=True)
class Representatives(ParameterPolicy):
    """Homeowner committees and group representatives: most groups send at most five people.

    Organised interest groups negotiate instead of crowding (Dahrendorf's organisation o); a group
    reached early by the grid holds a dialogue that raises its thresholds.
    Source: petition-system.md 1.6, 3.2, 5.7, 5.11 (o 0.2 -> 0.7).
    """

    name: ClassVar[str] = "representatives"
    theory: ClassVar[str] = "Dahrendorf (organisation of interest groups)"
    label_zh: ClassVar[str] = "群众利益代表 / 组织化 (业委会, 代表制)"

    representative_organisation: float = 0.7
