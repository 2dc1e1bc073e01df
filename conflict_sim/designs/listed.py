"""An explicit list of design points, run in the listed order."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from conflict_sim.designs.base import Design, Fail, Method, check_parameter, typed


def build(table: Mapping[str, Any], seed: int, fail: Fail) -> Design:
    points = table.get("points")
    if not isinstance(points, list) or not points or not all(isinstance(p, dict) for p in points):
        fail("design.points", "is required: a list of [[design.points]] tables")
    names = tuple(dict.fromkeys(n for p in points for n in p))
    for name in names:
        check_parameter(name, "design.points", fail)
    return Design("list", names, tuple({n: typed(n, v) for n, v in p.items()} for p in points))


METHOD = Method("list", ("method", "points"), ("per-point",), build)
