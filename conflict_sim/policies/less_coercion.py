"""Less coercive stability maintenance (减少强制性维稳): intercept less, sanction less."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from conflict_sim.policies.base import ParameterPolicy


@dataclass(frozen=True, slots=True)
class LessCoercion(ParameterPolicy):
    """Less interception of skip-level petitioners, milder sanctions on skip and collective visits.

    Repression raises hostility and costs legitimacy, so suppressed conflict returns larger (Coser
    1956); deterrence works only through perceived risk and erodes legitimacy (Epstein 2002).
    Interception and detention of petitioners are documented (Human Rights Watch 2005; Li, Liu &
    O'Brien 2012). The values are assumptions [A]: ι 0.4 -> 0.1, sanction severities halved.
    """

    name: ClassVar[str] = "less_coercion"
    theory: ClassVar[str] = "Epstein (limits of deterrence); Coser (suppressed hostility grows)"
    label_zh: ClassVar[str] = "减少强制性维稳 (停止截访)"

    interception_base: float = 0.1
    sanction_skip: float = 0.15
    sanction_collective: float = 0.05
