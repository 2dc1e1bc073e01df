"""Does compiling the model's own modules to C, or another interpreter, speed it up? Against plain CPython.

The model's hot path is object code (issues, cases, agents, one Python call per event) and small NumPy
calls; issue 13 allows a compiled kernel if it installs from the project's own files and changes no
number. This builds compiled copies of the hot modules in a scratch folder (the repository is not
touched), checks that they give the same outputs bit for bit as the plain modules, and times them in
fresh processes, in rounds A B C A B C ..., with the ratio to plain CPython taken round by round.

    python benchmarks/bench_compiled.py                  # both compilers; 1:4 for 2 years, 1:1 for 1 year
    python benchmarks/bench_compiled.py --compilers mypyc --rounds 3
    python benchmarks/bench_compiled.py --compilers "" --pythons ~/.pyenv/versions/3.13.0/bin/python

`--pythons` adds other interpreters, each with its own scratch virtualenv of the project's dependencies
(installed by uv from PyPI), running the repository's plain modules: the interpreter's version and build
(PGO, LTO) against the one running this script.

Needs a C compiler and Python's headers; installs Cython and setuptools into the scratch folder from
PyPI (mypyc comes with mypy, a test dependency). About 3 minutes at the defaults.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLAIN = f"plain CPython {platform.python_version()}"  # this interpreter, the modules as they are
HOT = [  # the modules of a simulated day
    *["agenda", "arrivals", "cases", "events", "households", "issues", "queues", "routing", "rules"],
    *["agents/decisions", "agents/fengqiao", "agents/offices", "agents/sinks"],
]
# Cython compiles these too. mypyc does not: `Resident.populate` makes agents with `object.__new__`, which
# mypyc's classes refuse at run time; the other five were not tried with it.
CYTHON_ONLY = ["model", "channels", "streams", "agents/residents", "agents/collective", "agents/manager"]
DATACLASS = "from dataclasses import dataclass\n"
BUILD = {
    "mypyc": "from mypyc.build import mypycify as build; ext = build({files}, opt_level='3')",
    "cython": "from Cython.Build import cythonize as build; ext = build({files}, language_level=3, quiet=True, "
    "compiler_directives={{'annotation_typing': False}})",
}
SETUP = """
from setuptools import setup
{build}
setup(name="scratch", packages=[], ext_modules=ext, script_args=["build_ext", "--inplace", "-q", "-j", "2"])
"""
TIME = """
import json, sys, time
sys.path.insert(0, {tree!r})
from conflict_sim.model import PetitionModel
from conflict_sim.scenarios import load
params = load("chengzhong").params.replace(households_per_agent={scale})
model = PetitionModel(params, rng={seed})
start = time.perf_counter()
model.run_for({days})
print(json.dumps(time.perf_counter() - start))
"""
DIGEST = """
import hashlib, sys
sys.path.insert(0, {tree!r})
import conflict_sim.model
from conflict_sim.run import simulate
from conflict_sim.scenarios import load
assert conflict_sim.model.__file__.startswith({tree!r})
digest = hashlib.sha256()
runs = ("chengzhong", 4, 400, 1), ("chengzhong_uncalibrated", 4, 300, 2), ("chengzhong", 1, 120, 3)
for name, scale, days, seed in runs:
    out = simulate(load(name).params.replace(households_per_agent=scale), seed=seed, days=days, warmup_days=60)
    digest.update(out.daily.to_csv(float_format="%.17g").encode())
    for table in ("issues", "submissions", "replies", "refusals", "collective", "grid", "mediations"):
        digest.update(getattr(out.events, table).to_csv(float_format="%.17g").encode())
    digest.update(repr(sorted(out.outcomes.items())).encode())
print(digest.hexdigest())
"""


def run(code: str, python: str = sys.executable, *, pure: bool = True) -> str:
    """The last line a fresh interpreter prints running `code`.

    `pure`: the project's sources as Python, as plain as before the project compiled its own modules
    (conflict_sim/compiled.py); otherwise with its compiled build, when there is one.
    """
    env = {**os.environ, "CONFLICT_SIM_PURE": "1"} if pure else None
    done = subprocess.run([python, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env)
    if done.returncode:
        raise SystemExit((done.stderr.strip().splitlines() or ["failed"])[-1])
    return done.stdout.strip().splitlines()[-1]


def compiled_copy(scratch: Path, compiler: str, tools: Path) -> Path:
    """A copy of the package with the hot modules compiled in place (the copy imports the .so files first)."""
    tree = scratch / compiler
    ignore = shutil.ignore_patterns("__pycache__", "_compiled")
    shutil.copytree(ROOT / "conflict_sim", tree / "conflict_sim", ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", tree)  # mypyc type-checks first, with the project's mypy settings
    modules = HOT + (CYTHON_ONLY if compiler == "cython" else [])
    files = [f"conflict_sim/{m}.py" for m in modules]
    if compiler == "mypyc":  # mypyc's dataclasses cannot resolve a field annotated `object`: the same as Any here
        for name in ("issues", "cases"):
            path = tree / "conflict_sim" / f"{name}.py"
            text = path.read_text().replace(": object = None", ": Any = None")
            path.write_text(text.replace(DATACLASS, DATACLASS + "from typing import Any\n", 1))
    setup = SETUP.format(build=BUILD[compiler].format(files=files))
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tools), "HOME": str(scratch)}
    done = subprocess.run([sys.executable, "-c", setup], cwd=tree, capture_output=True, text=True, env=env)
    if done.returncode:
        lines = (done.stderr + done.stdout).strip().splitlines() or ["no output"]
        errors = [line for line in lines if "error" in line.lower()] or lines
        raise SystemExit(f"{compiler}: build failed: {' | '.join(errors[-3:])}")
    built = sorted(p.name for p in (tree / "conflict_sim").rglob("*.so"))
    print(f"{compiler}: {len(modules)} modules compiled ({len(built)} extension files)", flush=True)
    return tree


def interpreter_venv(scratch: Path, python: str, extra: tuple[str, ...] = ()) -> tuple[str, str]:
    """A scratch virtualenv of `python` with the project installed (editable), and `extra` packages from PyPI:
    its interpreter and version."""
    venv = scratch / f"venv-{len(list(scratch.glob('venv-*')))}"
    subprocess.run([python, "-m", "venv", str(venv)], check=True)
    uv = shutil.which("uv", path=str(Path(sys.executable).parent))
    install = (
        [uv, "pip", "install", "--python", str(venv / "bin" / "python")]
        if uv
        else [str(venv / "bin" / "python"), "-m", "pip", "install"]
    )
    subprocess.run([*install, "--quiet", "-e", str(ROOT), *extra], check=True)
    version = run("import platform; print(platform.python_version())", str(venv / "bin" / "python"))
    print(f"{python}: Python {version}, project installed in a scratch virtualenv", flush=True)
    return str(venv / "bin" / "python"), version


def numba_or_rerun(script: str):
    """numba, imported; where it cannot be, `script` runs again with this process's arguments in a scratch
    virtualenv of the project and numba (not a dependency of the project), and this process exits with its status."""
    try:
        import numba
    except ImportError:
        with tempfile.TemporaryDirectory(prefix=f"{Path(script).stem}-") as scratch:
            python, _ = interpreter_venv(Path(scratch), sys.executable, extra=("numba",))
            sys.exit(subprocess.run([python, script, *sys.argv[1:]], cwd=ROOT).returncode)
    return numba


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compilers", default="mypyc,cython", help="comma-separated: mypyc, cython")
    parser.add_argument("--pythons", default="", help="comma-separated paths of other interpreters to time")
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    compilers = [c for c in args.compilers.split(",") if c]
    pythons = [p for p in args.pythons.split(",") if p]
    unknown = sorted(set(compilers) - set(BUILD))
    if unknown or not (compilers or pythons):
        raise SystemExit(f"--compilers: each of mypyc, cython, or none with --pythons (got {args.compilers!r})")
    missing = [p for p in pythons if not shutil.which(p)]
    if missing:
        raise SystemExit(f"--pythons: not an interpreter: {missing[0]}")
    if args.rounds < 1:
        raise SystemExit(f"--rounds: must be at least 1 (got {args.rounds})")

    with tempfile.TemporaryDirectory() as tmp:
        scratch, tools = Path(tmp), Path(tmp) / "tools"
        if compilers:
            pip = [sys.executable, "-m", "pip", "install", "--quiet", "--target", str(tools), "setuptools", "cython"]
            print("installing Cython and setuptools into a scratch folder ...", flush=True)
            subprocess.run(pip, check=True)
        # each build: the interpreter and the folder whose conflict_sim it imports
        builds = {PLAIN: (sys.executable, ROOT)}
        builds |= {c: (sys.executable, compiled_copy(scratch, c, tools)) for c in compilers}
        for python in pythons:
            venv_python, version = interpreter_venv(scratch, python)
            builds[f"Python {version}"] = (venv_python, ROOT)

        digests = {name: run(DIGEST.format(tree=str(tree)), python) for name, (python, tree) in builds.items()}
        for name, digest in digests.items():
            same = "the same" if digest == digests[PLAIN] else "DIFFERENT"
            print(f"outputs of {name}: {same} (sha256 {digest[:16]})")

        for scale, days in ((4, 730), (1, 365)):
            seconds: dict[str, list[float]] = {name: [] for name in builds}
            for r in range(args.rounds):
                for name, (python, tree) in builds.items():
                    code = TIME.format(tree=str(tree), scale=scale, seed=r + 1, days=days)
                    seconds[name].append(json.loads(run(code, python)))
            print(f"\nChengzhong 1:{scale}, {days} days, {args.rounds} rounds: run seconds, ratio to {PLAIN}")
            for name, values in seconds.items():
                ratios = [a / b for a, b in zip(values, seconds[PLAIN], strict=True)]
                print(
                    f"  {name:21s} {statistics.median(values):6.3f} s   ratio {statistics.median(ratios):.3f} "
                    f"({min(ratios):.3f}, {max(ratios):.3f})"
                )


if __name__ == "__main__":
    main()
