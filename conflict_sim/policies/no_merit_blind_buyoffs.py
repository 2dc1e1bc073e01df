"""No buy-offs without merit (依法维护秩序): stop teaching that disruption pays."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from conflict_sim.policies.base import ParameterPolicy


@dataclass(frozen=True, slots=True)
class NoMeritBlindBuyoffs(ParameterPolicy):
    """Rare payoffs to disruptive petitioners, and never to a claim without merit.

    Merit-blind concessions teach peers that troublemaking pays and attract profit-seeking
    petitions (Chen 2012; Lee & Zhang 2013; Gui, Yin & Nie 2020). The values are assumptions [A]:
    κ_buy 0.3 -> 0.05, and never without merit.
    """

    name: ClassVar[str] = "no_merit_blind_buyoffs"
    theory: ClassVar[str] = "China-specific incentives (stability paradox, troublemaking pays)"
    label_zh: ClassVar[str] = "依法维护秩序, 不花钱买稳定"

    buyoff_probability: float = 0.05
    buyoff_merit_blind: bool = False
