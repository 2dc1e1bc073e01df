"""The generated parts of docs/ODD.md: the parameter, countermeasure and district tables.

They come from the code's own metadata (`Params` field metadata, the policy registry, the district
file), so the model description cannot drift from the model: `python -m conflict_sim.analysis.odd
docs/ODD.md` rewrites the blocks between their markers, and a test fails when the file is out of date.
A second argument, a scenario or a district, writes the district table of that district instead.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from collections.abc import Callable
from pathlib import Path

from conflict_sim import districts, scenarios
from conflict_sim.params import Params
from conflict_sim.policies import REGISTRY

BEGIN = "<!-- BEGIN GENERATED {name}: python -m conflict_sim.analysis.odd docs/ODD.md -->"
END = "<!-- END GENERATED {name} -->"


def _cell(text: object) -> str:
    return str(text).replace("|", r"\|")


def default_text(value: object) -> str:
    """A default as the table shows it (TOML spelling for booleans and strings)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u2009")  # thin space: 325 813
    return repr(value)


def _range(f: dataclasses.Field) -> str:
    m = f.metadata
    if m["choices"]:
        return " / ".join(m["choices"])
    if isinstance(f.default, bool):
        return "true / false"
    if isinstance(f.default, str):
        return "bundled name or .toml file"
    return f"{m['min']} – {m['max']}"


def parameter_table() -> str:
    """Every `Params` field, grouped as in the code: name, default, unit, range, source tag, meaning."""
    lines, group = [], None
    for f in dataclasses.fields(Params):
        m = f.metadata
        if m["group"] != group:
            group = m["group"]
            lines += [
                "",
                f"**{group.capitalize()}**",
                "",
                "| Parameter | Default | Unit | Range | Source | Meaning |",
                "|:---|---:|:---|:---|:---:|:---|",
            ]
        lines.append(
            f"| `{f.name}` | {default_text(f.default)} | {_cell(m['unit'])} | {_range(f)} | "
            f"{m['source']} | {_cell(m['doc'])} |"
        )
    return "\n".join(lines[1:])


def policy_table() -> str:
    """Every registered countermeasure: name, Chinese label, theory and the parameters it sets."""
    lines = ["| Policy | 名称 | Theory | Parameters it changes |", "|:---|:---|:---|:---|"]
    for name, cls in REGISTRY.items():
        levers = ", ".join(f"`{p}`" for p in getattr(cls, "levers", tuple)()) or "(its own rule)"
        lines.append(f"| `{name}` | {cls.label_zh} | {_cell(cls.theory)} | {levers} |")
    return "\n".join(lines)


def district_table(name: str = "chengzhong") -> str:
    """The district's figures and units, each with its basis, from its district file."""
    d = districts.load(name)
    lines = [
        f"**{d.english} ({d.name})**: {len(d.units)} units, {d.communities} communities, {d.villages} villages "
        f"({_cell(d.sources['units'])})",
        "",
        "| Figure | Value | Basis |",
        "|:---|---:|:---|",
        *(f"| `{k}` | {default_text(v)} | {_cell(d.sources[k])} |" for k, v in d.figures.items()),
        "",
        f"| Unit | English | {d.size_kind.capitalize()} | Growth | Communities | Villages | In villages |",
        "|:---|:---|---:|---:|---:|---:|---:|",
    ]
    for u in d.units:
        lines.append(
            f"| {u.name} | {u.english} | {default_text(u.figure)} | {u.growth:g} | {u.communities} | {u.villages} | "
            f"{u.village_share:.0%} |"
        )
    lines += ["", "Basis of the unit columns:", ""]
    for key, members, basis in districts.unit_bases(d):
        lines.append(f"- `{key}`{' (' + ', '.join(members) + ')' if members else ''}: {basis}")
    return "\n".join(lines)


BLOCKS = {"PARAMETERS": parameter_table, "POLICIES": policy_table, "DISTRICT": district_table}


def render(text: str, district: str = "chengzhong") -> str:
    """`text` with each generated block replaced by its current content (markers kept).

    The district table shows `district`, a bundled district name or a district file.
    """
    blocks = {**BLOCKS, "DISTRICT": lambda: district_table(district)}
    for name, make in blocks.items():
        begin, end = BEGIN.format(name=name), END.format(name=name)
        pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)
        if not pattern.search(text):
            raise ValueError(f"marker {begin!r} ... {end!r} not found")
        text = pattern.sub(_block(begin, end, make), text)
    return text


def _block(begin: str, end: str, make: Callable[[], str]) -> Callable[[re.Match[str]], str]:
    """The replacement of one generated block: its markers around freshly made content."""
    return lambda _match: f"{begin}\n{make()}\n{end}"


def main(argv: list[str]) -> int:
    path = Path(argv[0] if argv else "docs/ODD.md")
    district = argv[1] if len(argv) > 1 else "chengzhong"
    if district in scenarios.names() or (district.endswith(".toml") and not districts.is_district_file(district)):
        district = scenarios.load(district).params.district
    path.write_text(render(path.read_text(encoding="utf-8"), district), encoding="utf-8")
    print(f"updated the generated tables in {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
