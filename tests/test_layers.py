"""The import graph: no cycle among conflict_sim modules, and each layer imports only the layers below.

The graph is read statically from every import statement, including those under `if TYPE_CHECKING:`
and inside functions, so that a cycle hidden from the interpreter still fails here.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "conflict_sim"

# What each top-level part of the package may import from conflict_sim (modules not listed are free).
ALLOWED = {
    "errors": set(),
    "units": set(),
    "tomlfile": {"errors"},
    "params": {"errors", "tomlfile", "districts"},  # a district brings its figures (read lazily)
    "districts": {"errors", "tomlfile"},
    "issues": set(),
    "cases": {"issues"},
    "rules": set(),
    "agenda": set(),
    "queues": set(),
    "streams": set(),
    "state": set(),  # the model's and the offices' hot state in slots: a base of each, below both
    "layouts": set(),  # declares the slotted classes it names for the build (imported by name, when built)
    "provenance": {"compiled", "params"},
    "compiled": set(),  # imported first, by the package: it may import nothing of it
    "compile": {"compiled", "layouts"},
    "sampling": {"errors"},
    "district": {"districts", "params", "sampling"},
    "households": {"issues", "params", "rules", "streams"},
    "channels": {"issues", "params"},
    "events": {"issues"},  # the log keeps the open issues, and the ended ones as rows
    "arrivals": {"district", "issues", "params", "streams"},
    "world": {"agenda", "cases", "channels", "district", "events", "households", "issues", "params", "streams"},
    "books": {"cases", "issues", "world"},  # the books of issues and cases, kept by the organs and the model
    # channels, households and streams (below the world, which hands them to agents): their constants and the
    # C types (in .pxd files) of the table, arrays and draws that agents use through the world
    "agents": {
        "agents",
        "books",
        "cases",
        "channels",
        "events",
        "households",
        "issues",
        "queues",
        "rules",
        "state",
        "streams",
        "world",
    },
    "routing": {"agents", "books", "cases", "issues", "world"},
    "policies": {"errors", "params", "policies"},
    "catalogue": {"cases", "events", "issues", "params"},
    "model": {
        "agenda",
        "agents",
        "arrivals",
        "books",
        "catalogue",
        "channels",
        "district",
        "events",
        "households",
        "issues",
        "params",
        "policies",
        "routing",
        "state",
        "streams",
    },
    "run": {"catalogue", "errors", "events", "model", "params", "policies"},
    "scenarios": {"errors", "params", "policies", "tomlfile"},
    # experiments: what to run (typed, and its edges), how to run it, where results go
    "designs": {"designs", "params"},
    "spec": {"designs", "errors", "params", "policies", "provenance", "scenarios"},
    "experiment": {"designs", "district", "errors", "params", "run", "scenarios", "spec", "tomlfile"},
    "comparisons": {"designs", "district", "districts", "errors", "params", "policies", "scenarios", "spec"},
    "output": {"errors", "run", "units"},  # run only for the type of what it writes
    "manifest": {"errors", "output", "provenance", "spec"},
    "store": {"errors", "manifest", "output"},
    "budget": {"errors", "spec", "units"},
    "backends": {"errors"},
    "batches": {"run", "spec", "store"},
    "runner": {"backends", "batches", "budget", "errors", "experiment", "manifest", "output", "spec", "store"},
    "replay": {"batches", "provenance", "run", "spec", "store"},
    "sensitivity": {"designs", "errors", "spec", "store"},
    # analysis reads stored tables and the catalogue, never a live model
    "analysis": {
        "analysis",
        "catalogue",
        "districts",
        "errors",
        "issues",
        "params",
        "policies",
        "scenarios",
        "sensitivity",
        "store",
    },
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


LIGHT = (
    "params",
    "scenarios",
    "spec",
    "experiment",
    "comparisons",
    "store",
    "manifest",
    "runner",
    "replay",
    "sensitivity",
)
HEAVY = ("mesa", "solara", "dask", "distributed")


@pytest.mark.parametrize("module", LIGHT)
def test_light_modules_load_no_heavy_package(module):
    """Importing a parameter, scenario, experiment or results module in a fresh interpreter loads
    neither Mesa nor Solara nor Dask (the package faces are lazy)."""
    code = (
        f"import sys, conflict_sim.{module}; print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]", f"conflict_sim.{module} loads {result.stdout.strip()}"


def _declared() -> set[str]:
    project = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text())["project"]
    return {_normal(re.split(r"[\\[<>=!~; ]", d, maxsplit=1)[0]) for d in project["dependencies"]}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_imported_distribution_is_declared():
    """Each third-party module the library or the experiments import comes from a distribution that
    pyproject.toml declares (not one that only arrives with another package)."""
    owners = importlib.metadata.packages_distributions()
    declared = _declared()
    missing = []
    for path in [*PACKAGE.rglob("*.py"), *(PACKAGE.parent / "experiments").rglob("*.py")]:
        for top in sorted(_third_party(path)):
            distributions = {_normal(d) for d in owners.get(top, [top])}
            if not distributions & declared:
                missing.append(
                    f"{path.relative_to(PACKAGE.parent)} imports {top} (from {', '.join(sorted(distributions))})"
                )
    assert not missing, "declare these in [project] dependencies of pyproject.toml: " + "; ".join(missing)


def _third_party(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n not in ("conflict_sim", "experiments")}
