"""Morris elementary-effects trajectories (SALib): r (D + 1) points."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from conflict_sim.designs.base import Design, Fail, Method, sampled_design, sampled_parameters


def build(table: Mapping[str, Any], seed: int, fail: Fail) -> Design:
    from SALib.sample import morris

    names, bounds, samples = sampled_parameters(table, fail)
    levels = table.get("num_levels", 4)
    if isinstance(levels, bool) or not isinstance(levels, int) or levels < 2 or levels % 2:
        fail(f"design.num_levels={levels!r}", "must be an even integer >= 2")
    problem = {"num_vars": len(names), "names": names, "bounds": [bounds[n] for n in names]}
    raw = morris.sample(problem, samples, num_levels=levels, seed=seed)
    return sampled_design("morris", names, bounds, raw, {"samples": samples, "num_levels": levels})


METHOD = Method("morris", ("method", "parameters", "samples", "bounds", "num_levels"), ("morris",), build)
