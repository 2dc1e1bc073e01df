"""District files: a district's units, communities, villages, scale figures and map, each with its basis.

A district is data, not code: a TOML file (docs/districts.md), optionally with its units as a CSV table
and a GeoJSON outline beside it. The bundled districts live beside this module and are named by their
file stem; any other district is named by the path of its `.toml` file. Every figure states its basis,
[S: source], [D] derivation or [A] assumption, and a bad file is one line naming the file, the row and
the field with the allowed range.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, NoReturn

from conflict_sim.errors import ConflictSimError
from conflict_sim.tomlfile import read_toml

FIGURES = ("population", "household_size", "grid_households")  # Params fields a district file may give
DISTRICT_FIELDS = ("district", *FIGURES)  # what a district brings: the parameters districts may differ in
KINDS = {"街道": "subdistrict", "镇": "town", "乡": "township"}  # kind of a unit from its name's suffix
TOP_KEYS = {"name", "english", "description", *FIGURES, "units", "sources", "unit_sources", "map"}
UNIT_SIZES = ("population", "households")  # a unit's size: persons or households, one kind per file
UNIT_KEYS = (
    "name",
    "english",
    "kind",
    *UNIT_SIZES,
    "growth",
    "communities",
    "villages",
    "village_share",
    "x",
    "y",
)
BASIS_KEYS = (*UNIT_SIZES, "growth", "communities", "villages", "village_share", "position")
MAP_KEYS = {"outline", "unit_spacing", "district_bureau", "city_bureau"}
BASIS = re.compile(r"^\[(S:|[SDA]\]|[DA]:)")
MAX_UNITS = 500
DEFAULT_SHARE_BASIS = "[A] not given: every community and village of the unit holds the same number of households"


class DistrictError(ConflictSimError):
    """A district that cannot be read: unknown name, missing file, or a field out of its range."""


@dataclass(frozen=True, slots=True)
class Unit:
    """A subdistrict (街道), town (镇) or township (乡): its size, neighbourhoods and map position.

    `weight` is the unit's size (`figure` persons or households, times `growth`); households are split
    over units in proportion to it. `village_share` of the unit's households live in its villages.
    """

    name: str
    english: str
    weight: float
    communities: int
    villages: int
    x: float
    y: float
    village_share: float = 0.0
    kind: str = "subdistrict"
    figure: float = 0.0
    growth: float = 1.0
    sources: Mapping[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, slots=True)
class MapLayout:
    """How the browser map draws the district: outline rings, unit spacing and where the bureaus sit."""

    unit_spacing: float = 1.0
    outline: tuple[tuple[tuple[float, float], ...], ...] = ()
    district_bureau: tuple[float, float] | None = None
    city_bureau: tuple[float, float] | None = None


@dataclass(frozen=True, slots=True)
class DistrictData:
    """One district file, read and checked: what the model builds the district from."""

    key: str  # the bundled name or the file's path, as `Params.district` names it
    name: str
    english: str
    description: str
    units: tuple[Unit, ...]
    size_kind: str  # "population" or "households": what the units' figures count
    figures: Mapping[str, float] = field(hash=False)  # population, household_size, grid_households given
    sources: Mapping[str, str] = field(hash=False)  # basis of each district-level figure
    map: MapLayout = MapLayout()
    path: str = ""
    digest: str = ""  # sha256 of the file and the files beside it that it reads

    @property
    def communities(self) -> int:
        return sum(u.communities for u in self.units)

    @property
    def villages(self) -> int:
        return sum(u.villages for u in self.units)


def names() -> list[str]:
    """Names of the bundled districts."""
    return list(_bundled())


@functools.cache
def _bundled() -> tuple[str, ...]:
    folder = resources.files(__name__)
    return tuple(sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml")))


def is_file_name(name: str) -> bool:
    """Whether `name` names a district file (a `.toml` path) rather than a bundled district."""
    return str(name).endswith(".toml")


def path_of(name: str) -> Path:
    """The file of a bundled district or a district path; unknown names are a one-line error."""
    if is_file_name(name):
        return Path(name)
    if name not in _bundled():
        raise DistrictError(
            f"district {name!r}: unknown (bundled: {', '.join(names())}; or the path of a district .toml file)"
        )
    return Path(str(resources.files(__name__) / f"{name}.toml"))


def load(name: str) -> DistrictData:
    """A bundled district by name, or a district file by path, read once while the file is unchanged."""
    path = path_of(name)
    try:
        stat = path.stat()
    except OSError:
        raise DistrictError(f"district file {path}: not found") from None
    return _load(str(name), str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)
def _load(key: str, path: str, _mtime_ns: int, _size: int) -> DistrictData:
    return _Reader(key, Path(path)).read()


def is_district_file(name: str) -> bool:
    """Whether `name` is a bundled district or a `.toml` file holding a district (it has `units`)."""
    if not is_file_name(name):
        return name in names()
    try:
        return "units" in read_toml(Path(name))
    except ConflictSimError:
        return False


# --- reading and checking ---------------------------------------------------------------------


class _Reader:
    """Reads one district file; every error names the file, the row and the field."""

    def __init__(self, key: str, path: Path) -> None:
        self.key, self.path = key, path
        self.read_bytes = [path.read_bytes()]

    def fail(self, where: str, message: str) -> NoReturn:
        raise DistrictError(f"district file {self.path}: {where}: {message}")

    def read(self) -> DistrictData:
        data = read_toml(self.path)
        self.unknown("", data, TOP_KEYS)
        name = self.text(data, "name", "")
        english = self.text(data, "english", "")
        description = self.text(data, "description", "", required=False)
        figures = {k: self.figure(k, data[k]) for k in FIGURES if k in data}
        sources = self.basis_table(data, "sources")
        for key in (*figures, "units"):
            if key not in sources:
                self.fail(f"sources.{key}", "missing: every figure needs its basis ([S: source], [D] or [A])")
        unit_sources = self.basis_table(data, "unit_sources", allowed_keys=BASIS_KEYS)
        rows, where = self.unit_rows(data)
        units = self.units(rows, where, unit_sources)
        layout = self.layout(data.get("map", {}), placed=any("x" in row for row in rows))
        digest = hashlib.sha256(b"".join(self.read_bytes)).hexdigest()
        size_kind = next(k for k in UNIT_SIZES if rows[0].get(k) is not None)
        return DistrictData(
            self.key, name, english, description, units, size_kind, figures, sources, layout, str(self.path), digest
        )

    # --- values -----------------------------------------------------------------------------
    def unknown(self, where: str, table: Mapping[str, Any], known: set[str] | tuple[str, ...]) -> None:
        extra = sorted(set(table) - set(known))
        if extra:
            self.fail(where or "top level", f"unknown key(s) {', '.join(extra)} (allowed: {', '.join(sorted(known))})")

    def text(self, table: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
        value = table.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{where}field {key}", f"must be a non-empty text (got {value!r})")
        return value.strip()

    def figure(self, key: str, value: Any) -> float:
        """A figure the district brings to the parameters: a positive number (Params checks its range)."""
        whole = key != "household_size"
        ok = isinstance(value, int | float) and not isinstance(value, bool) and (not whole or isinstance(value, int))
        if not ok or not value > 0:
            self.fail(f"field {key}", f"must be a positive {'integer' if whole else 'number'} (got {value!r})")
        return value

    def basis_table(self, data: Mapping[str, Any], key: str, allowed_keys: tuple[str, ...] = ()) -> dict[str, str]:
        table = data.get(key, {})
        if not isinstance(table, dict):
            self.fail(key, "must be a table of field = basis")
        if allowed_keys:
            self.unknown(key, table, allowed_keys)
        for name, basis in table.items():
            self.basis(f"{key}.{name}", basis)
        return dict(table)

    def basis(self, where: str, value: Any) -> str:
        if not isinstance(value, str) or not BASIS.match(value.strip()):
            self.fail(
                where, f"must start with its basis: [S: source], [D] derivation or [A] assumption (got {value!r})"
            )
        return value.strip()

    # --- units --------------------------------------------------------------------------------
    def unit_rows(self, data: Mapping[str, Any]) -> tuple[list[dict[str, Any]], Callable[[int, dict], str]]:
        units = data.get("units")
        if isinstance(units, str):
            return self.csv_rows(units)
        if not isinstance(units, list) or not units or not all(isinstance(u, dict) for u in units):
            self.fail("field units", 'must be a list of [[units]] tables or the name of a CSV file (e.g. "units.csv")')
        return units, lambda i, row: f"unit {i + 1}{_label(row)}, "

    def csv_rows(self, name: str) -> tuple[list[dict[str, Any]], Callable[[int, dict], str]]:
        path = self.path.parent / name
        try:
            raw = path.read_bytes()
        except OSError:
            self.fail("field units", f"CSV file {path} not found")
        self.read_bytes.append(raw)
        try:
            reader = csv.DictReader(raw.decode("utf-8-sig").splitlines())
            rows = list(reader)
        except (UnicodeDecodeError, csv.Error) as exc:
            self.fail(f"{name}", f"not a UTF-8 CSV table ({exc})")
        columns = reader.fieldnames or []
        known = (*UNIT_KEYS, *(f"{k}_source" for k in BASIS_KEYS))
        self.unknown(f"{name} header", dict.fromkeys(columns), known)
        if not rows:
            self.fail(name, "has no rows (one row per unit, under a header of column names)")
        typed = [{k: _cell(k, v) for k, v in row.items() if k is not None and v not in (None, "")} for row in rows]
        extra = [i for i, row in enumerate(rows) if None in row]
        if extra:
            self.fail(f"{name} row {extra[0] + 2}", "has more cells than the header has columns")
        return typed, lambda i, row: f"{name} row {i + 2}{_label(row)}, "

    def units(self, rows: list[dict[str, Any]], where: Callable[[int, dict], str], defaults: dict) -> tuple[Unit, ...]:
        if len(rows) > MAX_UNITS:
            self.fail("field units", f"must hold at most {MAX_UNITS} units (got {len(rows)})")
        sizes = {k for row in rows for k in UNIT_SIZES if row.get(k) is not None}
        if len(sizes) > 1:
            self.fail("field units", "give every unit's size as population or every unit's as households, not both")
        placed = [("x" in row or "y" in row) for row in rows]
        if any(placed) and not all(placed):
            first = placed.index(not placed[0])
            self.fail(f"{where(first, rows[first])}field x", "give x and y for every unit or for none")
        units = [self.unit(row, where(i, row), defaults) for i, row in enumerate(rows)]
        seen: set[str] = set()
        for i, u in enumerate(units):
            if u.name in seen:
                self.fail(f"{where(i, rows[i])}field name", f"{u.name!r} names two units")
            seen.add(u.name)
        if not any(placed):
            units = _ring_layout(units)
        return tuple(units)

    def unit(self, row: dict[str, Any], where: str, defaults: Mapping[str, str]) -> Unit:
        keys = set(row) - {f"{k}_source" for k in BASIS_KEYS}
        self.unknown(where.rstrip(", "), dict.fromkeys(keys), UNIT_KEYS)
        name = self.text(row, "name", where)
        english = self.text(row, "english", where)
        kind = row.get("kind", next((k for suffix, k in KINDS.items() if name.endswith(suffix)), None))
        if kind not in KINDS.values():
            self.fail(f"{where}field kind", f"must be one of {', '.join(KINDS.values())} (got {kind!r})")
        size_key = next((k for k in UNIT_SIZES if k in row), None)
        if size_key is None:
            self.fail(f"{where}field population", "missing: give the unit's population or households")
        size = self.number(row, size_key, where, lo=0, hi=1e8, low_open=True)
        growth = self.number(row, "growth", where, lo=0, hi=100, low_open=True, default=1.0)
        communities = self.integer(row, "communities", where)
        villages = self.integer(row, "villages", where)
        if communities + villages == 0:
            self.fail(f"{where}field villages", "a unit needs at least one community or village")
        share = self.village_share(row, where, communities, villages)
        x = self.number(row, "x", where, default=0.0)
        y = self.number(row, "y", where, default=0.0)
        needed = [size_key, "communities", "villages"]
        needed += [k for k in ("growth", "village_share") if k in row] + (["position"] if "x" in row else [])
        sources = {}
        for key in needed:
            basis = row.get(f"{key}_source", defaults.get(key))
            if basis is None:
                self.fail(f"{where}field {key}_source", "missing: give it here or in [unit_sources]")
            sources[key] = self.basis(f"{where}field {key}_source", basis)
        if "village_share" not in row and communities and villages:
            sources["village_share"] = DEFAULT_SHARE_BASIS
        return Unit(name, english, size * growth, communities, villages, x, y, share, str(kind), size, growth, sources)

    def number(
        self,
        row: dict,
        key: str,
        where: str,
        *,
        lo: float = -1e9,
        hi: float = 1e9,
        low_open: bool = False,
        default=None,
    ) -> float:
        value = row.get(key, default)
        ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
        if not ok or not ((lo < value) if low_open else (lo <= value)) or value > hi:
            bracket = "(" if low_open else "["
            self.fail(f"{where}field {key}", f"must be a number in {bracket}{lo:g}, {hi:g}] (got {value!r})")
        return value

    def integer(self, row: dict, key: str, where: str) -> int:
        value = row.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10_000:
            self.fail(f"{where}field {key}", f"must be an integer in [0, 10000] (got {value!r})")
        return value

    def village_share(self, row: dict, where: str, communities: int, villages: int) -> float:
        """Share of households in villages; by default every community and village is the same size [A]."""
        if "village_share" not in row:
            return villages / (communities + villages)
        share = self.number(row, "village_share", where, lo=0.0, hi=1.0)
        if (villages == 0 and share != 0) or (communities == 0 and share != 1):
            self.fail(
                f"{where}field village_share",
                f"must be 0 without villages and 1 without communities (got {share!r} with "
                f"{communities} communities and {villages} villages)",
            )
        return share

    # --- map ---------------------------------------------------------------------------------
    def layout(self, table: Any, *, placed: bool) -> MapLayout:
        if not isinstance(table, dict):
            self.fail("map", "must be a table")
        self.unknown("map", table, MAP_KEYS)
        spacing = self.number(table, "unit_spacing", "map ", lo=0, hi=1e6, low_open=True, default=1.0)
        bureaus = {k: self.point(table, k) for k in ("district_bureau", "city_bureau")}
        outline: tuple = ()
        if "outline" in table:
            if not placed:
                self.fail("map.outline", "an outline needs every unit's x and y in the outline's coordinates")
            outline = self.outline(table["outline"])
        return MapLayout(spacing, outline, bureaus["district_bureau"], bureaus["city_bureau"])

    def point(self, table: dict, key: str) -> tuple[float, float] | None:
        value = table.get(key)
        if value is None:
            return None
        if not (isinstance(value, list) and len(value) == 2 and all(_finite(v) for v in value)):
            self.fail(f"map.{key}", f"must be [x, y], two numbers (got {value!r})")
        return float(value[0]), float(value[1])

    def outline(self, name: Any) -> tuple[tuple[tuple[float, float], ...], ...]:
        if not isinstance(name, str):
            self.fail("map.outline", f"must be the name of a GeoJSON file (got {name!r})")
        path = self.path.parent / name
        try:
            raw = path.read_bytes()
            geo = json.loads(raw)
        except OSError:
            self.fail("map.outline", f"GeoJSON file {path} not found")
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            self.fail("map.outline", f"{path} is not JSON ({exc})")
        self.read_bytes.append(raw)
        rings = _rings(geo)
        if rings is None or not rings:
            self.fail("map.outline", f"{path}: expected Polygon or MultiPolygon geometries with [x, y] rings")
        return rings


def _label(row: Mapping[str, Any]) -> str:
    name = row.get("name")
    return f" ({name})" if isinstance(name, str) and name else ""


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _cell(key: str, text: str) -> Any:
    """A CSV cell as the TOML value it stands for: numbers for numeric columns, text otherwise."""
    text = text.strip()
    if key in ("communities", "villages"):
        try:
            return int(text)
        except ValueError:
            return text
    if key in (*UNIT_SIZES, "growth", "village_share", "x", "y"):
        try:
            return float(text) if any(c in text for c in ".eE") else int(text)
        except ValueError:
            return text
    return text


def _rings(geo: Any) -> tuple[tuple[tuple[float, float], ...], ...] | None:
    """The rings of every Polygon and MultiPolygon in a GeoJSON object; None if it holds anything else."""
    if not isinstance(geo, dict):
        return None
    kind = geo.get("type")
    if kind == "FeatureCollection":
        parts = [_rings(f) for f in geo.get("features") or []]
        return None if any(p is None for p in parts) else tuple(r for p in parts for r in p)  # type: ignore[union-attr]
    if kind == "Feature":
        return _rings(geo.get("geometry"))
    polygons = {"Polygon": [geo.get("coordinates")], "MultiPolygon": geo.get("coordinates")}.get(str(kind))
    if not isinstance(polygons, list):
        return None
    rings = []
    for polygon in polygons:
        if not isinstance(polygon, list):
            return None
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                return None
            if not all(isinstance(p, list) and len(p) >= 2 and _finite(p[0]) and _finite(p[1]) for p in ring):
                return None
            rings.append(tuple((float(p[0]), float(p[1])) for p in ring))
    return tuple(rings)


def _ring_layout(units: list[Unit]) -> list[Unit]:
    """No positions given: units on a ring about 1.5 apart, for a readable sketch [A]."""
    n = len(units)
    radius = 0.0 if n == 1 else 0.75 / math.sin(math.pi / n)
    placed = []
    for i, u in enumerate(units):
        angle = math.pi / 2 - 2 * math.pi * i / n
        sources = {**u.sources, "position": "[A] no positions in the file: units drawn on a ring"}
        placed.append(
            Unit(
                u.name,
                u.english,
                u.weight,
                u.communities,
                u.villages,
                radius * math.cos(angle),
                radius * math.sin(angle),
                u.village_share,
                u.kind,
                u.figure,
                u.growth,
                sources,
            )
        )
    return placed


# --- description -------------------------------------------------------------------------------

FIGURE_TITLES = {
    "population": ("population", "persons"),
    "household_size": ("household size", "persons per household"),
    "grid_households": ("grid size", "households per grid"),
}


def describe(name: str) -> str:
    """The district as a researcher checks it: figures, units and the basis of every number."""
    d = load(name)
    kinds: dict[str, int] = {}
    for u in d.units:
        kinds[u.kind] = kinds.get(u.kind, 0) + 1
    counts = " and ".join(f"{n} {kind}{'s' if n > 1 else ''}" for kind, n in kinds.items())
    lines = [f"{d.english} ({d.name})  [district {d.key}]", ""]
    if d.description:
        lines += [" ".join(d.description.split()), ""]
    lines.append(f"units: {counts}; {d.communities} communities and {d.villages} villages  {d.sources['units']}")
    for key, value in d.figures.items():
        title, unit = FIGURE_TITLES[key]
        lines.append(f"{title}: {value:,} {unit}  {d.sources[key]}")
    width = max(_width(u.name) for u in d.units)
    lines += [
        "",
        f"  {_pad('unit', width)}  {'english':20} {d.size_kind:>11} {'growth':>6} {'comm.':>5} {'vill.':>5} "
        f"{'in villages':>11}  position",
    ]
    for u in d.units:
        lines.append(
            f"  {_pad(u.name, width)}  {u.english:20} {u.figure:>11,} {u.growth:>6g} {u.communities:>5} "
            f"{u.villages:>5} {u.village_share:>11.0%}  ({u.x:g}, {u.y:g})"
        )
    lines += ["", "basis of the unit figures:"]
    for key, members, basis in unit_bases(d):
        lines.append(f"  {key}{f' ({", ".join(members)})' if members else ''}: {basis}")
    if d.map.outline:
        lines.append(f"map outline: {len(d.map.outline)} ring(s)")
    lines.append(f"file: {d.path} (sha256 {d.digest[:16]})")
    return "\n".join(lines)


def unit_bases(d: DistrictData) -> list[tuple[str, list[str], str]]:
    """(column, units, basis) for every basis of the unit columns; units is empty when it holds for all."""
    found = []
    for key in BASIS_KEYS:
        groups: dict[str, list[str]] = {}
        for u in d.units:
            if key in u.sources:
                groups.setdefault(u.sources[key], []).append(u.name)
        for basis, members in groups.items():
            found.append((key, [] if len(members) == len(d.units) else members, basis))
    return found


def _width(text: str) -> int:
    """Columns `text` takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
