"""Named scenarios: parameter presets (and policy packages) stored as TOML beside this module.

A scenario file has a `description`, an optional `base` scenario it starts from, a `[params]` table of
fields that differ from the base, and optional `[[policies]]` entries. Scenarios are data, not code.
A `district` in `[params]` brings that district's figures unless the table sets them (`Params.replace`);
a district file's path is relative to the scenario file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from conflict_sim.errors import ConflictSimError
from conflict_sim.params import Params, read_toml
from conflict_sim.policies import Policy, build

ALLOWED_KEYS = {"description", "theory", "sources", "base", "params", "policies"}


@dataclass(frozen=True)
class Scenario:
    """A named world: its parameters, its standing policies, and what it is for."""

    name: str
    description: str
    params: Params
    policies: tuple[Policy, ...] = ()
    theory: str = ""
    sources: str = ""
    policy_specs: tuple[dict[str, Any], ...] = field(default=(), repr=False)


def names() -> list[str]:
    """Names of the bundled scenarios."""
    folder = resources.files(__name__)
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


def load(name_or_path: str | Path) -> Scenario:
    """A bundled scenario by name, or a scenario TOML file by path."""
    path = Path(name_or_path)
    if path.suffix == ".toml":
        return _from_file(path, path.stem)
    if str(name_or_path) not in names():
        raise ConflictSimError(f"scenario {str(name_or_path)!r}: unknown (known: {', '.join(names())})")
    return _from_file(Path(str(resources.files(__name__) / f"{name_or_path}.toml")), str(name_or_path))


def _from_file(path: Path, name: str) -> Scenario:
    data = read_toml(path)
    unknown = set(data) - ALLOWED_KEYS
    if unknown:
        raise ConflictSimError(
            f"scenario {path}: unknown key(s) {', '.join(sorted(unknown))} (allowed: {', '.join(sorted(ALLOWED_KEYS))})"
        )
    base = load(data["base"]) if "base" in data else None
    changes = dict(data.get("params", {}))
    if isinstance(changes.get("district"), str) and changes["district"].endswith(".toml"):
        changes["district"] = str(path.parent / changes["district"])  # a district file beside the scenario
    specs = (*(base.policy_specs if base else ()), *data.get("policies", ()))
    return Scenario(
        name=name,
        description=data.get("description", ""),
        params=(base.params if base else Params()).replace(**changes),
        policies=tuple(build(s) for s in specs),
        theory=data.get("theory", ""),
        sources=data.get("sources", ""),
        policy_specs=tuple(specs),
    )
