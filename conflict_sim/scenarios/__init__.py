"""Named scenarios: parameter presets (and policy packages) stored as TOML beside this module.

A scenario file has a `description`, an optional `base` scenario it starts from (a bundled name, or a
path relative to the file's own folder), a `[params]` table of fields that differ from the base, and
optional `[[policies]]` entries. Scenarios are data, not code. A `district` in `[params]` brings that
district's figures unless the table sets them (`Params.replace`); a district file's path is relative to
the scenario file. A scenario remembers every file it was read from (its own and its bases'), so an
experiment's identity can include their content.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from conflict_sim.errors import ConflictSimError, InputFileError, ParameterError
from conflict_sim.params import Params, read_toml
from conflict_sim.policies import Policy, build

ALLOWED_KEYS = {"description", "theory", "sources", "base", "params", "policies"}
TEXT_KEYS = ("description", "theory", "sources", "base")


@dataclass(frozen=True)
class Scenario:
    """A named world: its parameters, its standing policies, what it is for, and the files it came from."""

    name: str
    description: str
    params: Params
    policies: tuple[Policy, ...] = ()
    theory: str = ""
    sources: str = ""
    policy_specs: tuple[dict[str, Any], ...] = field(default=(), repr=False)
    files: tuple[Path, ...] = field(default=(), repr=False)


def names() -> list[str]:
    """Names of the bundled scenarios."""
    folder = resources.files(__name__)
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


def load(name_or_path: str | Path) -> Scenario:
    """A bundled scenario by name, or a scenario TOML file by path (relative to the current folder)."""
    return _load(name_or_path, Path.cwd(), ())


def load_from(name_or_path: str | Path, folder: Path) -> Scenario:
    """Like `load`, with a relative path taken from `folder` (the folder of the file that names it)."""
    return _load(name_or_path, folder, ())


def check_policy_days(specs: Iterable[Mapping[str, Any]]) -> None:
    """Day-valued policy settings (`start_day`, `*_days`) must be whole days.

    A policy that starts on day 2.5 would never fire, since the model's clock counts whole days.
    """
    for spec in specs:
        for key, value in spec.items():
            if (key.endswith("_day") or key.endswith("_days")) and not (
                isinstance(value, int) and not isinstance(value, bool)
            ):
                raise ParameterError(f"{spec.get('kind', 'policy')}.{key}", value, "must be a whole number of days")


def _load(name_or_path: str | Path, folder: Path, chain: tuple[Path, ...]) -> Scenario:
    """`chain` holds the files already being read, so a base that leads back to one is an error."""
    text = str(name_or_path)
    if text.endswith(".toml"):
        path = Path(text) if Path(text).is_absolute() else folder / text
        return _from_file(path.resolve(), Path(text).stem, chain)
    if text not in names():
        raise ConflictSimError(f"scenario {text!r}: unknown (known: {', '.join(names())}, or a .toml path)")
    return _from_file(Path(str(resources.files(__name__) / f"{text}.toml")).resolve(), text, chain)


def _from_file(path: Path, name: str, chain: tuple[Path, ...]) -> Scenario:
    if path in chain:
        loop = " -> ".join(p.name for p in (*chain, path))
        raise ConflictSimError(f"scenario {chain[0]}: its base leads back to itself ({loop})")
    data = read_toml(path)
    _check_structure(path, data)
    check_policy_days(data.get("policies", ()))
    base = _load(data["base"], path.parent, (*chain, path)) if "base" in data else None
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
        files=(*(base.files if base else ()), path),
    )


def _check_structure(path: Path, data: Mapping[str, Any]) -> None:
    """Every key of the right kind: strings, a [params] table, a list of [[policies]] tables."""

    def fail(message: str) -> None:
        raise InputFileError(f"scenario {path}: {message}")

    if not data:
        fail("the file is empty; give at least a description, a base or a [params] table")
    unknown = set(data) - ALLOWED_KEYS
    if unknown:
        fail(f"unknown key(s) {', '.join(sorted(unknown))} (allowed: {', '.join(sorted(ALLOWED_KEYS))})")
    for key in TEXT_KEYS:
        if key in data and not isinstance(data[key], str):
            fail(f"{key} = {data[key]!r}: must be a string")
    if not isinstance(data.get("params", {}), dict):
        fail("params must be a table: [params] with name = value lines")
    policies = data.get("policies", [])
    if not isinstance(policies, list) or not all(isinstance(p, dict) for p in policies):
        fail('policies must be [[policies]] tables, each with kind = "..."')
