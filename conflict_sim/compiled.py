"""The model's hot modules compiled to C by Cython, used only when the build matches their sources.

The modules in `MODULES` are plain Python, in Cython's "pure Python mode": the `.pxd` file beside each
declares the C types of its classes' fields, of its functions and of their local variables, which
Cython compiles to C structs, C numbers and C calls and Python never reads. So the model is written
once, and its compiled build gives the same numbers as its sources, bit for bit (tests/test_compiled.py),
only faster (docs/performance.md). One exception: arrivals.pxd also holds the C that makes the day's
draws through NumPy's own C functions, where the source calls the NumPy methods that wrap them; the
test compares the two. And the slotted classes the compiled modules read most (issues, cases, the
parameters, the streams, the hot state of the model and its organs: `state.py`) stay Python, but the
build declares their memory layouts to Cython (`layouts.py`), so that compiled code reads and writes
their fields at their offsets; the modules that do check the layouts when imported. Their sources (the
modules in `DECLARED`) are part of the build's key. Each `.pxd` also declares the module globals its
functions read as C variables (`cdef object ...`): Python 3.12's dicts carry no version for Cython
to cache a global's lookup by, so each read would otherwise be a dict lookup (docs/performance.md,
6 December 2026, morning); such names are then no longer attributes of the compiled module.

`python -m conflict_sim.compile` (run by `make`) builds them into `_compiled/<key>/`, the key a hash of
their sources, of the interpreter and of NumPy's version; `install()`, called when `conflict_sim` is imported, puts the
build of the sources as they are in front of them. A source edited since the last build has another
key: Python runs the sources until the next build. A machine without a C compiler runs the sources,
and `CONFLICT_SIM_PURE=1` runs them whatever is built.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
from pathlib import Path

MODULES = (
    "conflict_sim.streams",
    "conflict_sim.queues",
    "conflict_sim.households",
    "conflict_sim.agents.residents",
    "conflict_sim.agents.decisions",
    "conflict_sim.events",
    "conflict_sim.arrivals",
    "conflict_sim.agenda",
    "conflict_sim.books",
    "conflict_sim.agents.offices",
    "conflict_sim.agents.fengqiao",
    "conflict_sim.routing",
    "conflict_sim.model",
)
# Modules not compiled whose classes' layouts (written by layouts.py) or declarations (issues.pxd, cases.pxd) the
# compiled ones read: their sources are part of the build's key all the same.
DECLARED = (
    "conflict_sim.layouts",
    "conflict_sim.issues",
    "conflict_sim.cases",
    "conflict_sim.params",
    "conflict_sim.state",
)
ROOT = Path(__file__).resolve().parent.parent  # the folder that holds the package
BUILDS = Path(__file__).resolve().parent / "_compiled"
SUFFIX = importlib.machinery.EXTENSION_SUFFIXES[0]
# Cython's settings for every module: the sources' annotations stay Python's (their C types are in the
# .pxd files), no bounds or negative-index checks on typed arrays (the model indexes them with household
# and channel numbers it made itself), C's pow for C doubles (the function Python's float ** calls), and
# module functions as builtins (`binding` off): Python's interpreter calls a builtin through its own fast
# path, a Cython function object through the generic one (the organs call the residents' responses and
# the decisions hundreds of thousands of times a run; docs/performance.md, 6 December 2026), and a module's
# calls of its own functions as direct C calls (`inline_defnode_calls`: so a function replaced on the
# compiled module from outside is not what its own module calls; only the sources can be patched so).
DIRECTIVES = {
    "language_level": 3,
    "annotation_typing": False,
    "boundscheck": False,
    "wraparound": False,
    "initializedcheck": False,
    "cpow": True,
    "binding": False,
    "optimize.inline_defnode_calls": True,
}
# -O2 without debug symbols: Python's own -O3 -g compiles far longer, and ran no faster (docs/performance.md).
# No fused multiply-adds: where the processor has them (every ARM64 machine; x86-64 only with -march flags)
# the C compiler would otherwise fuse a*b + c into one rounding, and the build would no longer give the
# numbers of the sources (NumPy and Python round each operation): tests/test_fast_paths.py failed so.
# Calls into Python's shared library through its global offset table, not a PLT stub (-fno-plt): one
# jump fewer for each of the C-API calls the compiled code makes.
CFLAGS = "-O2 -g0 -ffp-contract=off -fno-plt"


def source(module: str, extension: str) -> Path:
    return ROOT.joinpath(*module.split(".")).with_suffix(extension)


def key() -> str:
    """A hash of the compiled and declared modules' sources (.py, .pxd), the build's settings, Python and NumPy."""
    import numpy  # the build holds NumPy's random distributions (arrivals.pxd): another NumPy, another build

    interpreter = f"{sys.implementation.cache_tag} {SUFFIX} numpy {numpy.__version__}"
    digest = hashlib.sha256(f"{interpreter} {sorted(DIRECTIVES.items())} {CFLAGS}".encode())
    for module in MODULES + DECLARED:
        for extension in (".py", ".pxd"):
            path = source(module, extension)
            digest.update(path.read_bytes() if path.exists() else b"-")
    return digest.hexdigest()[:16]


def library(folder: Path, module: str) -> Path:
    return folder.joinpath(*module.split(".")).with_suffix(SUFFIX)


def built() -> Path | None:
    """The build of the sources as they are now, if there is one (every module compiled)."""
    folder = BUILDS / key()
    return folder if all(library(folder, m).exists() for m in MODULES) else None


class _Finder(importlib.abc.MetaPathFinder):
    """Finds the compiled modules in one build folder (and nothing else)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def find_spec(self, fullname, path=None, target=None):  # type: ignore[no-untyped-def]
        if fullname not in MODULES:
            return None
        compiled = library(self.folder, fullname)
        loader = importlib.machinery.ExtensionFileLoader(fullname, str(compiled))
        return importlib.util.spec_from_file_location(fullname, compiled, loader=loader)


def install() -> bool:
    """Put the matching build in front of the sources; False (the sources run) without one."""
    if os.environ.get("CONFLICT_SIM_PURE") or any(isinstance(f, _Finder) for f in sys.meta_path):
        return active()
    folder = built()
    if folder is None:
        return False
    sys.meta_path.insert(0, _Finder(folder))
    return True


def active() -> bool:
    """Whether this process runs the compiled modules."""
    return any(isinstance(f, _Finder) for f in sys.meta_path)
