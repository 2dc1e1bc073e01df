"""What a countermeasure is: the `Policy` protocol and the base of policies that set parameters.

A policy is a frozen dataclass with a class-level `name`, the `theory` it operationalises, its
Chinese label, and `apply(model)`, called once per simulated day before anything else happens.
Most countermeasures change parameters from a start day on (`ParameterPolicy`): a field named like
a `Params` field is the value that parameter takes, so a policy's settings validate, print and sweep
like any other parameter. Adding a countermeasure: write `policies/<name>.py`, add its class to
`REGISTRY` in `policies/__init__.py`, use it in a scenario as `[[policies]] kind = "<name>"`.
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar, Protocol

from conflict_sim.errors import ParameterError
from conflict_sim.params import PARAM_FIELDS, Params, allowed


class PolicyTarget(Protocol):
    """What a policy may see and change: the day and the parameters (the model implements it)."""

    day: int
    params: Params

    def update_params(self, **changes: Any) -> None: ...


class Policy(Protocol):
    """A countermeasure. It reads and changes the model once per day."""

    name: ClassVar[str]
    theory: ClassVar[str]
    label_zh: ClassVar[str]

    def apply(self, model: PolicyTarget) -> None: ...


def setting(default: Any, lo: float, hi: float, *, doc: str) -> Any:
    """A policy's own field (not a `Params` field), with its allowed range and meaning.

    An integer default makes the field integer-valued (days are counted in whole days).
    """
    return dataclasses.field(default=default, metadata={"min": lo, "max": hi, "doc": doc})


@dataclasses.dataclass(frozen=True, slots=True)
class ParameterPolicy:
    """Base of policies that set parameters from `start_day` on.

    Fields named like a `Params` field are the values those parameters take (validated by `Params`);
    other fields are declared with `setting` and checked against their range. A subclass whose
    changes are relative (added to or scaling the current value) overrides `levers` and `changes`.
    """

    name: ClassVar[str] = ""
    theory: ClassVar[str] = ""
    label_zh: ClassVar[str] = ""
    start_day: int = setting(0, 0, 100_000, doc="Day the policy takes effect (0, 1: first day)")

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name in PARAM_FIELDS:
                continue
            lo, hi = f.metadata["min"], f.metadata["max"]
            kinds = int if isinstance(f.default, int) else int | float
            number = isinstance(value, kinds) and not isinstance(value, bool)
            if not number or not lo <= value <= hi:
                what = "an integer" if kinds is int else "a number"
                raise ParameterError(f"{self.name}.{f.name}", value, f"must be {what} in [{lo}, {hi}]")
        try:
            Params().replace(**{n: getattr(self, n) for n in self.own_params()})
        except ParameterError as exc:
            raise ParameterError(f"{self.name}.{exc.name}", exc.value, exc.allowed) from None

    @classmethod
    def own_params(cls) -> tuple[str, ...]:
        """Fields that are `Params` fields: each sets that parameter to the field's value."""
        return tuple(f.name for f in dataclasses.fields(cls) if f.name in PARAM_FIELDS)

    @classmethod
    def levers(cls) -> tuple[str, ...]:
        """Every model parameter this policy may change."""
        return cls.own_params()

    def changes(self, params: Params) -> dict[str, Any]:
        """New parameter values, given the current ones."""
        return {name: getattr(self, name) for name in self.own_params()}

    def apply(self, model: PolicyTarget) -> None:
        if model.day == max(1, self.start_day):
            model.update_params(**self.changes(model.params))


def settings(cls: type) -> list[tuple[str, Any, str, str]]:
    """A policy's fields as (name, default, allowed values, meaning); `Params` fields use its metadata."""
    rows = []
    for f in dataclasses.fields(cls):
        if f.name in PARAM_FIELDS:
            rows.append((f.name, f.default, allowed(PARAM_FIELDS[f.name]), PARAM_FIELDS[f.name].metadata["doc"]))
        else:
            m = f.metadata
            rows.append((f.name, f.default, f"a number in [{m['min']}, {m['max']}]", m["doc"]))
    return rows
