"""Source governance (源头治理, 完善利益协调机制): fewer disputes, fairer compensation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from conflict_sim.params import Params
from conflict_sim.policies.base import ParameterPolicy, setting


@dataclass(frozen=True, slots=True)
class SourceGovernance(ParameterPolicy):
    """Cut arrivals of housing/land and labour disputes by a share; uniform compensation standards.

    Fixing the policies that produce complaints removes realistic conflict at its source (Coser 1956);
    uniform standards stop peers' payouts raising expectations (Gurr 1970; Kim & Hanneman 2011:
    不患寡而患不均). Land, demolition, labour and social insurance lead the national petition categories
    (China Daily, 28 November 2013); one local change of the demolition-compensation standard was
    reported to cut related complaints by 42 % (Zhoukou 2024, a weak source). The cuts scale the current
    multipliers, so they compose with waves and other policies. The values are assumptions [A]: housing
    and land arrivals −30 %, labour −20 %, compensation dispersion 0.3 -> 0.1.
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
