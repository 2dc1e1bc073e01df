"""Source governance (源头治理, 完善利益协调机制): fewer disputes, fairer compensation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from conflict_sim.params import Params
from conflict_sim.policies.base import ParameterPolicy, setting


@dataclass(frozen=True, slots=True)
class SourceGovernance(ParameterPolicy):
    """Cut arrivals of housing/land and labour disputes by a share; uniform compensation standards.

    Fixing the policies that produce complaints removes realistic conflict at its source (Coser);
    uniform, disclosed standards stop peers' payouts raising expectations (Gurr: 不患寡而患不均).
    The cuts scale the current multipliers, so they compose with waves and other policies.
    Source: petition-system.md 3.4, 5.11 (λ_land −30 %, σ_comp 0.3 -> 0.1); labour cut [A].
    """

    name: ClassVar[str] = "source_governance"
    theory: ClassVar[str] = "Gurr (relative deprivation); Coser (realistic conflict)"
    label_zh: ClassVar[str] = "源头治理 / 完善利益协调机制"

    land_housing_cut: float = setting(0.3, 0.0, 1.0, doc="Share of housing/land arrivals prevented")
    labour_cut: float = setting(0.2, 0.0, 1.0, doc="Share of labour and wage arrivals prevented")
    compensation_dispersion: float = 0.1

    @classmethod
    def levers(cls) -> tuple[str, ...]:
        return (*cls.own_params(), "land_housing_rate_multiplier", "labour_rate_multiplier")

    def changes(self, params: Params) -> dict[str, Any]:
        land = params.land_housing_rate_multiplier * (1 - self.land_housing_cut)
        labour = params.labour_rate_multiplier * (1 - self.labour_cut)
        return {
            **ParameterPolicy.changes(self, params),
            "land_housing_rate_multiplier": land,
            "labour_rate_multiplier": labour,
        }
