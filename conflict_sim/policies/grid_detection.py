"""Grid early detection (网格化管理): find disputes before anyone mobilises (Granovetter)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from conflict_sim.policies.base import ParameterPolicy


@dataclass(frozen=True, slots=True)
class GridDetection(ParameterPolicy):
    """Grid workers visit households more often and find more open issues on a visit.

    An issue found early is fixed, mediated or reported with priority before the household decides,
    and a group reached early holds a dialogue that raises its thresholds: the cascade is broken
    before it starts (Granovetter 1978). Grid workers screen and settle disputes in grids of a few
    hundred households (grid management, 网格化管理; Kangle county 2025: 2,260 of 2,330 screened disputes
    resolved). The values are assumptions [A]: f 0.5 -> 2 visits a household a month, d 0.4 -> 0.7.
    A worker visits at most `grid_visit_capacity` (20) households a day, so a grid of 400 households
    gets 1.5 visits a household a month, not 2.
    """

    name: ClassVar[str] = "grid_detection"
    theory: ClassVar[str] = "Granovetter (break cascades early)"
    label_zh: ClassVar[str] = "网格化管理"

    grid_visits_per_month: float = 2.0
    grid_detection: float = 0.7
