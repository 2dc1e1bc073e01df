"""Full factorial design: every combination of the listed levels."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

from conflict_sim.designs.base import Design, Fail, Method, check_parameter, typed


def build(table: Mapping[str, Any], seed: int, fail: Fail) -> Design:
    levels = table.get("levels")
    if not isinstance(levels, dict) or not levels:
        fail("design.levels", "is required: a table of parameter = [values, ...]")
    for name, values in levels.items():
        check_parameter(name, "design.levels", fail)
        if not isinstance(values, list) or not values:
            fail(f"design.levels.{name}", "must be a non-empty list of values")
    names = tuple(levels)
    points = tuple(
        {n: typed(n, v) for n, v in zip(names, combo, strict=True)} for combo in itertools.product(*levels.values())
    )
    return Design("factorial", names, points)


METHOD = Method("factorial", ("method", "levels"), ("per-point", "main effects"), build)
