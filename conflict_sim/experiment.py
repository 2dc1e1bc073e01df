"""Experiment files: TOML read and validated once, at the edge, into a typed `spec.Experiment`.

Every problem is one `ExperimentError` line naming the field and what is allowed; nothing is run or
written before the whole file (every design point x arm) has been checked. See docs/experiments.md for
the file format. The typed experiment itself lives in `conflict_sim.spec` (re-exported here).
"""

from __future__ import annotations

import functools
import itertools
import re
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn

from conflict_sim import scenarios as scenario_library
from conflict_sim.designs import METHODS, REGISTRY, Design
from conflict_sim.district import check_sample
from conflict_sim.errors import ConflictSimError, ExperimentError, InputFileError
from conflict_sim.params import Params, read_toml
from conflict_sim.scenarios import check_policy_days
from conflict_sim.spec import (
    DEFAULT_DAILY,
    MAX_RUNS,
    SEED_SETS,
    SHARED,
    Arm,
    Experiment,
    Run,
    RunConfiguration,
    design_seed,
    run_by_key,
    spawn_seeds,
)

__all__ = [
    "DEFAULT_DAILY",
    "Arm",
    "Design",
    "Experiment",
    "Run",
    "RunConfiguration",
    "design_seed",
    "from_text",
    "load",
    "probe_names",
    "run_by_key",
    "spawn_seeds",
]

TOP_KEYS = (
    "name",
    "description",
    "scenario",
    "scenarios",
    "days",
    "warmup_days",
    "replications",
    "root_seed",
    "overrides",
    "arms",
    "design",
    "outcomes",
    "daily",
    "batch_size",
    "reference",
    "seed_sets",
)
ARM_KEYS = ("name", "policies", "params")
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")  # a folder name: no separators, no leading dot
BASELINE = "baseline"


def load(path: str | Path) -> Experiment:
    """Read and validate an experiment file; any problem is one `ConflictSimError` line."""
    path = Path(path)
    data = read_toml(path)  # one-line errors for a missing, binary or malformed file
    return _Reader(data, str(path), path.resolve().parent).experiment(path.read_text(encoding="utf-8"))


def from_text(text: str, *, source: str = "<experiment>", folder: Path | None = None) -> Experiment:
    """An experiment from TOML text; scenario paths are relative to `folder` (default: the current one)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputFileError(f"malformed TOML in {source}: {exc}") from None
    return _Reader(data, source, folder or Path.cwd()).experiment(text)


class _Reader:
    """Turns the parsed TOML into an `Experiment`, naming the field of every problem it finds."""

    def __init__(self, data: dict[str, Any], source: str, folder: Path) -> None:
        self.data, self.source, self.folder = data, source, folder

    def fail(self, where: str, message: str) -> NoReturn:
        raise ExperimentError(f"experiment {self.source}: {where}: {message}")

    def keys(self, table: Mapping[str, Any], allowed: Sequence[str], where: str) -> None:
        unknown = sorted(set(table) - set(allowed))
        if unknown:
            self.fail(where or unknown[0], f"unknown key(s) {', '.join(unknown)} (allowed: {', '.join(allowed)})")

    def integer(self, key: str, default: int | None, lo: int, hi: int | None = None) -> int:
        value = self.data.get(key, default)
        if value is None:
            self.fail(key, f"is required: an integer >= {lo}")
        if isinstance(value, bool) or not isinstance(value, int) or value < lo or (hi is not None and value > hi):
            bound = f">= {lo}" if hi is None else f"in [{lo}, {hi}]"
            self.fail(f"{key}={value!r}", f"must be an integer {bound}")
        return value

    def text(self, key: str, default: str) -> str:
        value = self.data.get(key, default)
        if not isinstance(value, str):
            self.fail(f"{key}={value!r}", "must be a string")
        return value

    def experiment(self, text: str) -> Experiment:
        d = self.data
        if not d:
            self.fail("file", "is empty; an experiment needs at least scenario, days and root_seed")
        self.keys(d, TOP_KEYS, "")
        stem = Path(self.source).stem
        name = self.text("name", stem if NAME.fullmatch(stem) else "experiment")
        if not NAME.fullmatch(name):
            self.fail(f"name={name!r}", "must be a folder name: letters, digits, '_', '-', '.', not starting with '.'")
        days = self.integer("days", None, 1)
        warmup = self.integer("warmup_days", 0, 0, days - 1)
        scenarios = self.scenarios()
        overrides = self.table("overrides")
        for s in scenarios:
            self.params(s.params, overrides, "[overrides]")
        root_seed = self.integer("root_seed", None, 0)
        design = self.design(design_seed(root_seed))
        arms = self.arms()
        replications = self.integer("replications", 1, 1)
        runs = len(scenarios) * len(design.points) * len(arms) * replications
        if runs > MAX_RUNS:
            self.fail(
                f"replications={replications}", f"makes {runs:,} runs; at most {MAX_RUNS:,} fit in one experiment"
            )
        outcome_names, daily_names = probe_names()
        config = RunConfiguration(
            days, warmup, self.names("outcomes", outcome_names, None), self.names("daily", daily_names, DEFAULT_DAILY)
        )
        batch = d.get("batch_size")
        seed_sets = self.text("seed_sets", SHARED)
        if seed_sets not in SEED_SETS:
            self.fail(f"seed_sets={seed_sets!r}", f"must be one of {', '.join(SEED_SETS)}")
        experiment = Experiment(
            name=name,
            scenarios=scenarios,
            design=design,
            arms=arms,
            replications=replications,
            root_seed=root_seed,
            config=config,
            overrides=overrides,
            description=self.text("description", ""),
            batch_size=None if batch is None else self.integer("batch_size", None, 1),
            reference=self.reference(arms),
            text=text,
            seed_sets=seed_sets,
        )
        self.check_points(experiment)
        return experiment

    def table(self, key: str) -> dict[str, Any]:
        value = self.data.get(key, {})
        if not isinstance(value, dict):
            self.fail(key, "must be a table of parameter = value")
        return value

    def params(self, base: Params, changes: Mapping[str, Any], where: str) -> Params:
        try:
            params = base.replace(**changes)
            check_sample(params)
            return params
        except ConflictSimError as exc:
            self.fail(where, str(exc))

    def scenarios(self) -> tuple[scenario_library.Scenario, ...]:
        d = self.data
        if ("scenario" in d) == ("scenarios" in d):
            self.fail(
                "scenario",
                "give exactly one of `scenario = NAME` or `scenarios = [NAMES]` "
                f"(bundled: {', '.join(scenario_library.names())}, or a TOML path)",
            )
        names = [d["scenario"]] if "scenario" in d else d["scenarios"]
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            self.fail("scenarios", "must be a non-empty list of scenario names or paths")
        found = []
        for name in names:
            try:
                found.append(scenario_library.load_from(name, self.folder))
            except ConflictSimError as exc:
                self.fail("scenario", str(exc))
        if len({s.name for s in found}) < len(found):
            self.fail("scenarios", "names must be distinct")
        return tuple(found)

    def arms(self) -> tuple[Arm, ...]:
        tables = self.data.get("arms", [{"name": BASELINE}])
        if not isinstance(tables, list) or not tables:
            self.fail("arms", "must be a list of [[arms]] tables with name, policies, params")
        arms = []
        for i, t in enumerate(tables):
            where = f"arms[{i}]"
            if not isinstance(t, dict):
                self.fail(where, "must be a table with name, policies, params")
            self.keys(t, ARM_KEYS, where)
            name = t.get("name")
            if not isinstance(name, str) or not name.strip():
                self.fail(f"{where}.name", "is required: a non-empty string")
            specs = t.get("policies", [])
            if not isinstance(specs, list) or not all(isinstance(s, dict) for s in specs):
                self.fail(f"{where}.policies", "must be a list of {kind = ..., ...} tables")
            params = t.get("params", {})
            if not isinstance(params, dict):
                self.fail(f"{where}.params", "must be a table of parameter = value")
            try:
                check_policy_days(specs)
                arms.append(Arm.of(name, tuple(specs), params))
            except ConflictSimError as exc:
                self.fail(f"{where}.policies", str(exc))
            self.params(Params(), params, f"{where}.params")
        names = [a.name for a in arms]
        if len(set(names)) < len(names):
            self.fail("arms", f"names must be distinct (got {', '.join(names)})")
        return tuple(arms)

    def reference(self, arms: tuple[Arm, ...]) -> str:
        names = [a.name for a in arms]
        default = BASELINE if BASELINE in names else names[0]
        value = self.text("reference", default)
        if value not in names:
            self.fail(f"reference={value!r}", f"must be one of the arms ({', '.join(names)})")
        return value

    def names(self, key: str, known: Sequence[str], default: tuple[str, ...] | None) -> tuple[str, ...] | None:
        value = self.data.get(key, default)
        if value is None or value == "all":
            return None
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            self.fail(key, 'must be "all" or a list of names')
        if key == "outcomes" and not value:
            self.fail(key, 'must name at least one outcome (or be "all")')
        unknown = [v for v in value if v not in known]
        if unknown:
            self.fail(f"{key}", f"unknown name(s) {', '.join(unknown)} (known: {', '.join(known)})")
        return tuple(value)

    def design(self, seed: int) -> Design:
        table = self.data.get("design", {"method": "list", "points": [{}]})
        if not isinstance(table, dict):
            self.fail("design", "must be a table with a method")
        method = table.get("method")
        if method not in METHODS:
            self.fail(f"design.method={method!r}", f"must be one of {', '.join(METHODS)}")
        self.keys(table, REGISTRY[method].keys, "design")
        return REGISTRY[method].build(table, seed, self.fail)

    def check_points(self, experiment: Experiment) -> None:
        """Every point x arm must make valid parameters; cross-field rules are checked here."""
        for p, values in enumerate(experiment.design.points):
            for scenario, arm in itertools.product(experiment.scenarios, experiment.arms):
                shared = sorted(set(values) & set(arm.params))
                if shared:
                    self.fail(f"arms.{arm.name}.params", f"sets {', '.join(shared)}, which the design varies")
                self.params(
                    scenario.params,
                    {**experiment.overrides, **values, **arm.params},
                    f"design point {p} ({scenario.name}, arm {arm.name})",
                )


@functools.cache
def probe_names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Names of the outcomes and daily metrics, read off a two-day run of a small world (~20 ms)."""
    from conflict_sim.run import simulate

    out = simulate(Params(population=1000), seed=0, days=2)
    return tuple(out.outcomes), tuple(out.daily.columns)


def to_text(experiment: Experiment) -> str:
    """An experiment file that loads back to `experiment` (its design written as a list of points).

    Kept beside results of experiments built in code (`compare`), so a reader sees the definition in
    the usual form and can rerun it with `conflict-sim sweep`.
    """
    import tomli_w

    document: dict[str, Any] = {
        "name": experiment.name,
        "description": experiment.description,
        "scenarios": [_scenario_reference(s) for s in experiment.scenarios],
        "days": experiment.config.days,
        "warmup_days": experiment.config.warmup_days,
        "replications": experiment.replications,
        "root_seed": experiment.root_seed,
        "outcomes": "all" if experiment.config.outcomes is None else list(experiment.config.outcomes),
        "daily": "all" if experiment.config.daily is None else list(experiment.config.daily),
    }
    if experiment.reference:
        document["reference"] = experiment.reference
    if experiment.batch_size:
        document["batch_size"] = experiment.batch_size
    if experiment.seed_sets != SHARED:
        document["seed_sets"] = experiment.seed_sets
    if experiment.overrides:
        document["overrides"] = dict(experiment.overrides)
    document["arms"] = [
        {"name": a.name, "policies": [dict(p) for p in a.policy_specs], "params": dict(a.params)}
        for a in experiment.arms
    ]
    document["design"] = {"method": "list", "points": [dict(p) for p in experiment.design.points]}
    return tomli_w.dumps(document)


def _scenario_reference(scenario: scenario_library.Scenario) -> str:
    """A bundled scenario by name, another by the path of its file."""
    if scenario.name in scenario_library.names() and scenario.files and scenario.files[-1].parent == BUNDLED:
        return scenario.name
    return str(scenario.files[-1]) if scenario.files else scenario.name


BUNDLED = Path(scenario_library.__file__).resolve().parent
