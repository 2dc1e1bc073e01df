"""Representative organisation (群众利益代表, 组织化): groups act through representatives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from conflict_sim.policies.base import ParameterPolicy


@dataclass(frozen=True, slots=True)
class Representatives(ParameterPolicy):
    """Homeowner committees and group representatives: most groups send at most five people.

    Organised interest groups negotiate instead of crowding (Dahrendorf 1959's organisation o); five or
    more people with a common matter are to send at most five representatives (2005 Regulations
    art. 18; 2022 Regulations). A group reached early by the grid, or met at an event, holds a dialogue
    that raises its thresholds. The value, o 0.2 -> 0.7, is an assumption [A].
    """

    name: ClassVar[str] = "representatives"
    theory: ClassVar[str] = "Dahrendorf (organisation of interest groups)"
    label_zh: ClassVar[str] = "群众利益代表 / 组织化 (业委会, 代表制)"

    representative_organisation: float = 0.7
