"""Saltelli sampling for Sobol' indices (SALib): N (D + 2) points, or N (2D + 2) with second order."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from conflict_sim.designs.base import Design, Fail, Method, sampled_design, sampled_parameters


def build(table: Mapping[str, Any], seed: int, fail: Fail) -> Design:
    from SALib.sample import sobol

    names, bounds, samples = sampled_parameters(table, fail)
    if samples & (samples - 1):
        fail(f"design.samples={samples}", "must be a power of 2 for Sobol' sampling (e.g. 64, 128, 256)")
    second = table.get("second_order", False)
    if not isinstance(second, bool):
        fail("design.second_order", "must be true or false")
    problem = {"num_vars": len(names), "names": names, "bounds": [bounds[n] for n in names]}
    raw = sobol.sample(problem, samples, calc_second_order=second, seed=seed)
    return sampled_design("sobol", names, bounds, raw, {"samples": samples, "second_order": second})


METHOD = Method("sobol", ("method", "parameters", "samples", "bounds", "second_order"), ("sobol",), build)
