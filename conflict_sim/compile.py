"""Compiles the model's hot modules (`compiled.MODULES`) with Cython and the C compiler.

    python -m conflict_sim.compile      # what `make` runs; nothing to do when the build is up to date

A machine without a C compiler (or without Python's headers) keeps running the modules as Python: the
same numbers, slower. The build goes to `compiled.BUILDS`, keyed by the sources (`compiled.key`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from conflict_sim import layouts
from conflict_sim.compiled import BUILDS, CFLAGS, DECLARED, DIRECTIVES, MODULES, ROOT, built, key, library, source


def build() -> Path:
    """Compile the modules into their build folder (nothing to do when it exists); returns the folder.

    Cython writes C next to a copy of the sources in a scratch folder and the C compiler builds it, each
    two modules at a time; the libraries move into place only when all are built, so an interrupted
    build leaves nothing half-made. Older builds are removed.
    """
    folder = built()
    if folder is not None:
        return folder
    target = BUILDS / key()
    with tempfile.TemporaryDirectory(prefix="conflict-sim-build-") as scratch:
        tree = Path(scratch)
        for module in MODULES + DECLARED:
            for extension in (".py", ".pxd"):
                path = source(module, extension)
                if path.exists():
                    copy = tree / path.relative_to(ROOT)
                    copy.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy(path, copy)
        (tree / "conflict_sim" / "layouts.pxd").write_text(layouts.declaration())  # from the classes as they are
        sources = [str(source(module, ".py").relative_to(ROOT)) for module in MODULES]
        for package in {Path(s).parent for s in sources}:  # the packages, so that Cython names the modules
            (tree / package / "__init__.py").touch()
        # each module with NumPy's headers and its static library of random distributions (numpy/random/lib),
        # which the arrivals' draws call (arrivals.pxd); the linker takes from it only what a module calls
        script = (
            "import numpy, pathlib\nfrom setuptools import Extension, setup\nfrom Cython.Build import cythonize\n"
            "random = str(pathlib.Path(numpy.__file__).parent / 'random' / 'lib')\n"
            f"modules = [Extension(name, [path], include_dirs=[numpy.get_include()], library_dirs=[random],"
            f" libraries=['npyrandom']) for name, path in {list(zip(MODULES, sources, strict=True))!r}]\n"
            f"setup(name='conflict-sim-compiled', packages=[], script_args=['build_ext', '--inplace', '-j', '2'],"
            f" ext_modules=cythonize(modules, quiet=True, nthreads=2, compiler_directives={DIRECTIVES!r}))\n"
        )
        env = {**os.environ, "CFLAGS": CFLAGS}
        done = subprocess.run([sys.executable, "-c", script], cwd=tree, capture_output=True, text=True, env=env)
        if done.returncode:
            lines = (done.stderr + done.stdout).strip().splitlines() or ["no output"]
            errors = [line for line in lines if re.search(r"\.py:\d+:\d+: |error:", line)] or lines
            raise RuntimeError(f"compiling the model's modules failed: {errors[-1].strip()}")
        BUILDS.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=BUILDS))
        for module in MODULES:
            placed = library(staging, module)
            placed.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(library(tree, module), placed)
        for old in BUILDS.iterdir():  # builds of older sources (a process still running one keeps its copy)
            if old.is_dir() and old != staging:
                shutil.rmtree(old, ignore_errors=True)
        if target.exists():  # built meanwhile by another process, from the same sources
            shutil.rmtree(staging, ignore_errors=True)
        else:
            staging.rename(target)
    print(f"compiled {len(MODULES)} modules of the model into {target.relative_to(ROOT)}")
    return target


def main() -> int:
    """Build the compiled modules if they are not up to date; without a compiler, say so and go on."""
    try:
        build()
    except (RuntimeError, OSError) as error:
        print(f"conflict-sim: the model will run as plain Python, slower ({error})", file=sys.stderr)
    return 0  # the sources run either way: set-up goes on


if __name__ == "__main__":
    sys.exit(main())
