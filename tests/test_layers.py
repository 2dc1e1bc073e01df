"""The import graph between modules is written down once and checked here (house style 3.2)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "conflict_sim"

# What each core module may import from conflict_sim (modules not listed are not constrained here).
ALLOWED = {
    "errors": set(),
    # params reads a district file's figures (imported lazily); districts checks them against params' ranges
    "params": {"errors", "districts"},
    "districts": {"errors", "params"},
    "issues": {"params"},
    "rules": set(),
    "agenda": set(),
    "provenance": set(),
    "district": {"districts", "params"},
    "households": {"issues", "params", "rules"},
    "channels": {"issues", "params"},
    "metrics": {"issues", "model"},
    "agents": {"agents", "issues", "rules", "model"},
    "policies": {"errors", "params", "policies"},
    "model": {"agenda", "agents", "channels", "district", "households", "issues", "metrics", "params", "policies"},
    "run": {"metrics", "model", "params", "policies"},
    "output": {"run"},
    "scenarios": {"errors", "params", "policies"},
    # experiments: what to run, how to run it, where results go
    "experiment": {"errors", "params", "policies", "run", "scenarios"},
    "store": {"errors", "output"},
    "runner": {"errors", "experiment", "provenance", "run", "store"},
    "sensitivity": {"errors", "experiment", "store"},
    # analysis reads stored tables and never a live model
    "analysis": {"analysis", "districts", "errors", "params", "policies", "scenarios", "sensitivity", "store"},
    # the browser app drives the model; the CLI is the top layer
    "viz": {"district", "issues", "params", "policies", "run", "scenarios", "viz"},
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
