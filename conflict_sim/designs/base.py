"""What every design module shares: the `Design` it returns, the `Method` it declares, and bounds."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NoReturn

import numpy as np

from conflict_sim.params import PARAM_FIELDS

Fail = Callable[[str, str], NoReturn]  # (where, message): raises the reader's one-line error


@dataclass(frozen=True)
class Design:
    """The parameter points of an experiment, as applied (`points`) and as sampled (`samples`).

    `samples` keeps the raw numbers of a sampled design (integer parameters unrounded), which is
    what SALib's analysers expect; it is None for factorial and list designs.
    """

    method: str
    parameters: tuple[str, ...]
    points: tuple[dict[str, Any], ...]
    bounds: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    samples: np.ndarray | None = field(default=None, repr=False, compare=False)
    options: Mapping[str, Any] = field(default_factory=dict)

    def problem(self) -> dict[str, Any]:
        """The SALib problem definition of a sampled design."""
        return {
            "num_vars": len(self.parameters),
            "names": list(self.parameters),
            "bounds": [list(self.bounds[p]) for p in self.parameters],
        }


@dataclass(frozen=True)
class Method:
    """A design method: the keys its `[design]` table takes, the analyses it supports, its builder.

    `build(table, seed, fail)` turns a validated-as-a-table `[design]` into a `Design`; `seed` is the
    design sampler's own seed (unused by deterministic designs).
    """

    name: str
    keys: tuple[str, ...]
    analyses: tuple[str, ...]
    build: Callable[[Mapping[str, Any], int, Fail], Design]


def check_parameter(name: str, where: str, fail: Fail) -> None:
    if name not in PARAM_FIELDS:
        fail(f"{where}.{name}", "unknown parameter (see `conflict-sim list params`)")


def typed(name: str, value: Any) -> Any:
    """A TOML value as its parameter's type: an integer given for a float parameter becomes a float.

    So one design column has one type in every part file.
    """
    float_field = type(PARAM_FIELDS[name].default) is float
    return float(value) if float_field and type(value) is int else value


def as_field_type(name: str, value: float) -> Any:
    """A sampled number as the parameter takes it: integers rounded, floats as Python floats."""
    return round(float(value)) if isinstance(PARAM_FIELDS[name].default, int) else float(value)


def sampled_parameters(table: Mapping[str, Any], fail: Fail) -> tuple[list[str], dict[str, tuple[float, float]], int]:
    """The parameters, bounds and sample count of a sampled design (LHS, Sobol', Morris)."""
    names = table.get("parameters")
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        fail("design.parameters", "is required: a list of numeric parameter names")
    if len(set(names)) < len(names):
        fail("design.parameters", "names must be distinct")
    overrides = table.get("bounds", {})
    if not isinstance(overrides, dict):
        fail("design.bounds", "must be a table of parameter = [low, high]")
    for name in overrides:
        if name not in names:
            fail(f"design.bounds.{name}", f"is not in design.parameters ({', '.join(names)})")
    bounds = {n: _bounds(n, overrides.get(n), fail) for n in names}
    samples = table.get("samples")
    if isinstance(samples, bool) or not isinstance(samples, int) or not 2 <= samples <= MAX_SAMPLES:
        fail(f"design.samples={samples!r}", f"must be an integer in [2, {MAX_SAMPLES}]")
    return names, bounds, samples


MAX_SAMPLES = 1_000_000  # beyond this the design alone would not fit in memory


def _bounds(name: str, override: Any, fail: Fail) -> tuple[float, float]:
    check_parameter(name, "design.parameters", fail)
    f = PARAM_FIELDS[name]
    numeric = isinstance(f.default, int | float) and not isinstance(f.default, bool)
    if not numeric or f.metadata["min"] is None:
        fail(f"design.parameters.{name}", "is not numeric; vary it with a factorial or list design")
    lo, hi = f.metadata["min"], f.metadata["max"]
    if override is None:
        return float(lo), float(hi)
    ok = (
        isinstance(override, list)
        and len(override) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in override)
    )
    if not ok or not lo <= override[0] < override[1] <= hi:
        fail(f"design.bounds.{name}={override!r}", f"must be [low, high] with {lo} <= low < high <= {hi}")
    return float(override[0]), float(override[1])


def sampled_design(
    method: str, names: list[str], bounds: dict[str, tuple[float, float]], raw: np.ndarray, options: dict[str, Any]
) -> Design:
    points = tuple({n: as_field_type(n, v) for n, v in zip(names, row, strict=True)} for row in raw)
    return Design(method, tuple(names), points, bounds, np.asarray(raw), options)
