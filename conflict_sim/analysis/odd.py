"""The generated parts of docs/ODD.md: the parameter table and the countermeasure table.

Both come from the code's own metadata (`Params` field metadata, the policy registry), so the model
description cannot drift from the model: `python -m conflict_sim.analysis.odd docs/ODD.md`
rewrites the blocks between their markers, and a test fails when the file is out of date.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from pathlib import Path

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


BLOCKS = {"PARAMETERS": parameter_table, "POLICIES": policy_table}


def render(text: str) -> str:
    """`text` with each generated block replaced by its current content (markers kept)."""
    for name, make in BLOCKS.items():
        begin, end = BEGIN.format(name=name), END.format(name=name)
        pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)
        if not pattern.search(text):
            raise ValueError(f"marker {begin!r} ... {end!r} not found")
        text = pattern.sub(lambda _, b=begin, e=end, m=make: f"{b}\n{m()}\n{e}", text)
    return text


def main(argv: list[str]) -> int:
    path = Path(argv[0] if argv else "docs/ODD.md")
    path.write_text(render(path.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"updated the generated tables in {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
