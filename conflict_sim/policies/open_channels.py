"""Open channels (畅通诉求表达渠道): cheap, acknowledged voice as a safety valve."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from conflict_sim.policies.base import ParameterPolicy


@dataclass(frozen=True, slots=True)
class OpenChannels(ParameterPolicy):
    """Cheaper online, hotline and letter petitions, nearly all registered, better 12345 dispatch.

    Voice that is cheap and heard drains hostility before it accumulates (Coser's safety valve) and
    beats exit when it is effective (Hirschman). Source: petition-system.md 3.1, 3.7 and 5.11
    (c_online 0.05 -> 0.01, recognition 0.8 -> 0.98); 12345 dispatch accuracy [A].
    """

    name: ClassVar[str] = "open_channels"
    theory: ClassVar[str] = "Coser (safety valve); Hirschman (cheap, effective voice)"
    label_zh: ClassVar[str] = "畅通诉求表达渠道"

    cost_online: float = 0.01
    cost_hotline: float = 0.005
    cost_letter: float = 0.02
    recognition: float = 0.98
    hotline_dispatch_accuracy: float = 0.95
