"""The import graph: no cycle among conflict_sim modules, and each layer imports only the layers below.

The graph is read statically from every import statement, including those under `if TYPE_CHECKING:`
and inside functions, so that a cycle hidden from the interpreter still fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "conflict_sim"

# What each top-level part of the package may import from conflict_sim (modules not listed are free).
ALLOWED = {
    "errors": set(),
    "tomlfile": {"errors"},
    "params": {"errors", "tomlfile", "districts"},  # a district brings its figures (read lazily)
    "districts": {"errors", "tomlfile"},
    "issues": set(),
    "cases": {"issues"},
    "rules": set(),
    "agenda": set(),
    "queues": set(),
    "streams": set(),
    "provenance": set(),
    "sampling": {"errors"},
    "district": {"districts", "params", "sampling"},
    "households": {"issues", "params", "rules", "streams"},
    "channels": {"issues", "params"},
    "events": set(),
    "arrivals": {"district", "issues", "params"},
    "world": {"agenda", "cases", "channels", "district", "events", "households", "issues", "params", "streams"},
    "agents": {"agents", "cases", "events", "issues", "queues", "rules", "world"},
    "routing": {"agents", "cases", "issues", "world"},
    "policies": {"errors", "params", "policies"},
    "catalogue": {"cases", "events", "issues", "params", "model"},
    "model": {
        "agenda",
        "agents",
        "arrivals",
        "catalogue",
        "channels",
        "district",
        "events",
        "households",
        "issues",
        "params",
        "policies",
        "routing",
        "streams",
    },
    "run": {"catalogue", "events", "model", "params", "policies"},
    "scenarios": {"errors", "params", "policies"},
}


def _modules() -> dict[str, Path]:
    """Every module of the package by dotted name (packages by their __init__)."""
    found = {}
    for file in PACKAGE.rglob("*.py"):
        parts = list(file.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = file
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """conflict_sim modules a file imports: every import statement, wherever it stands."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            if not base.startswith("conflict_sim"):
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in MODULES else base)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("conflict_sim"))
    found.discard(name)
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def test_no_import_cycle():
    """No conflict_sim module reaches itself through imports (TYPE_CHECKING and local imports included)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(GRAPH.get(node, ())):
            if state.get(nxt) == 1:
                cycle = [*stack[stack.index(nxt) :], nxt]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(GRAPH):
        if node not in state:
            visit(node)


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layer_imports_only_lower_layers(layer):
    """Each layer imports only the layers below it (its own modules aside)."""
    for name, imports in GRAPH.items():
        parts = name.split(".")
        if len(parts) < 2 or parts[1] != layer:
            continue
        used = {i.split(".")[1] for i in imports if "." in i}
        assert used <= ALLOWED[layer] | {layer}, f"{name} imports {sorted(used - ALLOWED[layer] - {layer})}"


def test_the_library_never_uses_global_random_state():
    """Every draw comes from the run's streams: no `random` module, no np.random.<draw>()."""
    for file in PACKAGE.rglob("*.py"):
        text = file.read_text()
        assert "import random" not in text.replace("import random_", ""), file
        for call in (
            "np.random.seed(",
            "np.random.rand(",
            "np.random.random(",
            "np.random.normal(",
            "np.random.choice(",
            "np.random.uniform(",
            "np.random.randint(",
        ):
            assert call not in text, (file, call)
