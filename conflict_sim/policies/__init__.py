"""Countermeasures as first-class policies: the `Policy` protocol and the explicit registry.

A policy is a frozen dataclass with a class-level `name`, the `theory` it operationalises, its
Chinese label, and `apply(model)`, called once per simulated day before anything else happens.
Most countermeasures change parameters from a start day on (`ParameterPolicy`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from conflict_sim.errors import ConflictSimError

if TYPE_CHECKING:
    from conflict_sim.model import PetitionModel
    from conflict_sim.params import Params


class Policy(Protocol):
    """A countermeasure. It reads and changes the model once per day."""

    name: ClassVar[str]
    theory: ClassVar[str]
    label_zh: ClassVar[str]

    def apply(self, model: PetitionModel) -> None: ...


@dataclasses.dataclass(frozen=True, slots=True)
class ParameterPolicy:
    """Base of policies that set parameters from `start_day` on; subclasses define `changes`."""

    name: ClassVar[str] = ""
    theory: ClassVar[str] = ""
    label_zh: ClassVar[str] = ""
    start_day: int = 0

    def changes(self, params: Params) -> dict[str, Any]:
        raise NotImplementedError

    def apply(self, model: PetitionModel) -> None:
        if model.day == max(1, self.start_day):
            model.update_params(**self.changes(model.params))


REGISTRY: dict[str, Callable[..., Policy]] = {}


def build(spec: dict[str, Any]) -> Policy:
    """A policy from its TOML form `{kind = "name", start_day = 0, ...}`; bad specs are one-line errors."""
    spec = dict(spec)
    kind = spec.pop("kind", None)
    if kind not in REGISTRY:
        known = ", ".join(sorted(REGISTRY)) or "none registered"
        raise ConflictSimError(f"policy kind={kind!r}: unknown (known: {known})")
    cls = REGISTRY[kind]
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    for key in spec:
        if key not in names:
            raise ConflictSimError(f"policy {kind}: unknown field {key!r} (fields: {', '.join(sorted(names))})")
    return cls(**spec)


def to_spec(policy: Policy) -> dict[str, Any]:
    """The TOML form of a policy, readable by `build`."""
    return {"kind": policy.name, **dataclasses.asdict(policy)}  # type: ignore[call-overload]
