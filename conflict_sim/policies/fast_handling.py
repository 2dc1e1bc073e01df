"""Faster, better handling (提高办理质量与效率, 首办责任, 初信初访): institutions keep up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from conflict_sim.policies.base import ParameterPolicy


@dataclass(frozen=True, slots=True)
class FastHandling(ParameterPolicy):
    """Shorter investigations, higher quality, more subdistrict staff, first submissions first.

    Instability is participation over institutionalisation: grow capacity and quality with demand
    (Huntington); a fast, substantive first answer pre-empts repeat and escalation (12345 reforms).
    Source: petition-system.md 3.3, 5.11 (μ 45 -> 15 days, q 0.6 -> 0.85), first-contact
    responsibility 1.4; subdistrict staff 6 -> 9 and priority share 0.8 [A].
    """

    name: ClassVar[str] = "fast_handling"
    theory: ClassVar[str] = "Huntington (institutionalisation); Tyler (timely response)"
    label_zh: ClassVar[str] = "提高办理质量与效率 (首办责任, 初信初访)"

    handling_mean_days: float = 15.0
    office_quality: float = 0.85
    subdistrict_staff: int = 9
    first_contact_priority: float = 0.8
