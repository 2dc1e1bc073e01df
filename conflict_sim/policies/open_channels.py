"""Open channels (畅通诉求表达渠道): cheap, acknowledged voice as a safety valve."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from conflict_sim.policies.base import ParameterPolicy


@dataclass(frozen=True, slots=True)
class OpenChannels(ParameterPolicy):
    """Cheaper online and letter petitions, nearly all registered, better 12345 dispatch.

    Voice that is cheap and heard drains hostility before it accumulates (Coser 1956's safety valve)
    and beats exit when it is effective (Hirschman 1970). Online petitions were opened nationally in
    July 2013 and carried over half of all petitions by 2018 (Xinhua, 26 July 2018); the 12345 hotlines
    were merged by 2021 (State Council General Office 2020, Guobanfa No. 53). The values are
    assumptions [A]: online 0.05 -> 0.01, letters 0.08 -> 0.02, recognition 0.8 -> 0.98, dispatch
    accuracy 0.85 -> 0.95. The hotline is set to 0.005, its default, so it changes only where a
    scenario made calls dearer.
    """

    name: ClassVar[str] = "open_channels"
    theory: ClassVar[str] = "Coser (safety valve); Hirschman (cheap, effective voice)"
    label_zh: ClassVar[str] = "畅通诉求表达渠道"

    cost_online: float = 0.01
    cost_hotline: float = 0.005
    cost_letter: float = 0.02
    recognition: float = 0.98
    hotline_dispatch_accuracy: float = 0.95
