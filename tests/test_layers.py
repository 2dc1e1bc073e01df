"""The import graph between modules is written down once and checked here (house style 3.2)."""

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

# What each core module may import from conflict_sim (modules not listed are not constrained here).
ALLOWED = {
    "errors": set(),
    "units": set(),
    "params": {"errors"},
    "issues": {"params"},
    "rules": set(),
    "agenda": set(),
    "provenance": {"params"},
    "district": {"params"},
    "households": {"issues", "params", "rules"},
    "channels": {"issues", "params"},
    "metrics": {"issues", "model"},
    "agents": {"agents", "issues", "rules", "model"},
    "policies": {"errors", "params", "policies"},
    "model": {"agenda", "agents", "channels", "district", "households", "issues", "metrics", "params", "policies"},
    "run": {"errors", "metrics", "model", "params", "policies"},
    "scenarios": {"errors", "params", "policies"},
    # experiments: what to run (typed, and its edges), how to run it, where results go
    "designs": {"designs", "params"},
    "spec": {"designs", "errors", "params", "policies", "provenance", "scenarios"},
    "experiment": {"designs", "errors", "params", "run", "scenarios", "spec"},
    "comparisons": {"designs", "errors", "params", "policies", "scenarios", "spec"},
    "output": {"errors", "units"},
    "manifest": {"errors", "output", "provenance", "spec"},
    "store": {"errors", "manifest", "output"},
    "budget": {"errors", "spec", "units"},
    "backends": {"errors"},
    "batches": {"run", "spec", "store"},
    "runner": {"backends", "batches", "budget", "errors", "experiment", "manifest", "output", "spec", "store"},
    "replay": {"batches", "provenance", "run", "spec", "store"},
    "sensitivity": {"designs", "errors", "spec", "store"},
    # analysis reads stored tables and never a live model
    "analysis": {"analysis", "errors", "params", "policies", "scenarios", "sensitivity", "store"},
    # the browser app drives the model; its side by side runs through the engine; the CLI is the top layer
    "viz": {
        "backends",
        "district",
        "errors",
        "issues",
        "params",
        "policies",
        "run",
        "runner",
        "scenarios",
        "spec",
        "viz",
    },
    "app": {"errors", "model", "params", "scenarios", "viz"},
}


def _imports(path: Path) -> set[str]:
    """conflict_sim modules imported by a file, ignoring `if TYPE_CHECKING:` blocks."""
    tree = ast.parse(path.read_text())
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("conflict_sim"):
            parts = node.module.split(".")
            found.add(parts[1] if len(parts) > 1 else node.names[0].name)
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("conflict_sim."))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


@pytest.mark.parametrize("module", sorted(ALLOWED))
def test_module_imports_only_lower_layers(module):
    """Each module imports only the layers below it (TYPE_CHECKING imports excepted)."""
    path = PACKAGE / module / "__init__.py" if (PACKAGE / module).is_dir() else PACKAGE / f"{module}.py"
    files = sorted((PACKAGE / module).glob("*.py")) if (PACKAGE / module).is_dir() else [path]
    for file in files:
        assert _imports(file) <= ALLOWED[module], file.name


def test_the_library_never_uses_global_random_state():
    """Every draw comes from the model's generator: no `random` module, no np.random.<draw>()."""
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
