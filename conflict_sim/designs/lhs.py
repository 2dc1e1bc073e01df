"""Latin hypercube sample of numeric parameters within their bounds (scipy.stats.qmc)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from conflict_sim.designs.base import Design, Fail, Method, sampled_design, sampled_parameters


def build(table: Mapping[str, Any], seed: int, fail: Fail) -> Design:
    from scipy.stats import qmc

    names, bounds, samples = sampled_parameters(table, fail)
    unit = qmc.LatinHypercube(d=len(names), rng=np.random.default_rng(seed)).random(samples)
    raw = qmc.scale(unit, *np.array([bounds[n] for n in names]).T)
    return sampled_design("lhs", names, bounds, raw, {"samples": samples})


METHOD = Method("lhs", ("method", "parameters", "samples", "bounds"), ("per-point", "regression"), build)
