"""*What* to run: an experiment read from TOML, validated up front, expanded into reproducible runs.

An experiment crosses base scenario(s) x a parameter design x policy arms x replications. Every run
has a stable key ``p{point}-a{arm}-r{replication}`` and a seed; the seed depends on the replication
only, so every arm and design point of replication r meets the same random numbers (common random
numbers: comparisons are paired). Names follow Mesa's upcoming experiment API where they fit
(scenario, replications, `RunConfiguration`). See docs/experiments.md for the file format.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import math
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import numpy as np

from conflict_sim import scenarios as scenario_library
from conflict_sim.errors import ConflictSimError
from conflict_sim.params import PARAM_FIELDS, Params, read_toml
from conflict_sim.policies import Policy, build

METHODS = ("factorial", "list", "lhs", "sobol", "morris")
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
)
DESIGN_KEYS = {
    "factorial": ("method", "levels"),
    "list": ("method", "points"),
    "lhs": ("method", "parameters", "samples", "bounds"),
    "sobol": ("method", "parameters", "samples", "bounds", "second_order"),
    "morris": ("method", "parameters", "samples", "bounds", "num_levels"),
}
ARM_KEYS = ("name", "policies", "params")

# The daily series kept unless an experiment asks otherwise: the headline metrics, not all ~85.
DEFAULT_DAILY = (
    "petitions",
    "submissions",
    "skip_attempts",
    "collective_visits",
    "nonnormal",
    "open_issues",
    "formal_on_time_rate",
    "substantive_resolution_rate",
    "satisfaction_rate",
    "legitimacy_local",
    "legitimacy_center",
    "grievance_stock",
    "instability_index",
    "evaluation_score",
    "control_share",
    "cost",
    "backlog_subdistrict",
    "overdue_subdistrict",
)

# The design sampler draws from its own stream, a SeedSequence child that no replication uses.
DESIGN_STREAM = 2**32 - 1


@dataclass(frozen=True)
class RunConfiguration:
    """How every run of an experiment is run and what is kept (Mesa's `RunConfiguration`)."""

    days: int
    warmup_days: int = 0
    outcomes: tuple[str, ...] | None = None  # None: every outcome
    daily: tuple[str, ...] | None = DEFAULT_DAILY  # None: every daily metric


@dataclass(frozen=True)
class Arm:
    """A policy arm: policies added to the scenario's own, and parameters it changes."""

    name: str
    policies: tuple[Policy, ...] = ()
    policy_specs: tuple[dict[str, Any], ...] = ()
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Design:
    """The parameter points of an experiment, as applied (`points`) and as sampled (`samples`).

    `samples` keeps the raw numbers of a sampled design (integer parameters unrounded), which is
    what SALib's analysers expect; it is None for factorial and list designs.
    """

    method: str
    parameters: tuple[str, ...]
    points: tuple[dict[str, Any], ...]
    bounds: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    samples: np.ndarray | None = field(default=None, repr=False, compare=False)
    options: Mapping[str, Any] = field(default_factory=dict)

    def problem(self) -> dict[str, Any]:
        """The SALib problem definition of a sampled design."""
        return {
            "num_vars": len(self.parameters),
            "names": list(self.parameters),
            "bounds": [list(self.bounds[p]) for p in self.parameters],
        }


@dataclass(frozen=True)
class Run:
    """Everything needed to reproduce one run, and nothing else."""

    key: str
    point: int
    arm: str
    replication: int
    seed: int
    scenario: str
    values: Mapping[str, Any]
    params: Params = field(repr=False)
    policies: tuple[Policy, ...] = field(repr=False)


@dataclass(frozen=True)
class Experiment:
    """Scenario(s) x design x arms x replications, with one root seed."""

    name: str
    text: str
    scenarios: tuple[scenario_library.Scenario, ...]
    design: Design
    arms: tuple[Arm, ...]
    replications: int
    root_seed: int
    config: RunConfiguration
    overrides: Mapping[str, Any] = field(default_factory=dict)
    description: str = ""
    batch_size: int | None = None
    folder: Path | None = None

    @property
    def sha256(self) -> str:
        """Hash of the experiment file's text: results and file belong together."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @functools.cached_property
    def seeds(self) -> tuple[int, ...]:
        """One seed per replication, reused by every arm and design point."""
        return spawn_seeds(self.root_seed, self.replications)

    @property
    def n_points(self) -> int:
        """Design points: each scenario crossed with each point of the design."""
        return len(self.scenarios) * len(self.design.points)

    def __len__(self) -> int:
        return self.n_points * len(self.arms) * self.replications

    def runs(self) -> list[Run]:
        """All runs in a fixed order: point, then arm, then replication."""
        found = []
        cells = itertools.product(enumerate(self.scenarios), enumerate(self.design.points))
        for point, ((_, scenario), (_, values)) in enumerate(cells):
            for a, arm in enumerate(self.arms):
                params = self._params(scenario, values, arm)
                policies = (*scenario.policies, *arm.policies)
                for r, seed in enumerate(self.seeds):
                    found.append(
                        Run(f"p{point}-a{a}-r{r}", point, arm.name, r, seed, scenario.name, values, params, policies)
                    )
        return found

    def _params(self, scenario: scenario_library.Scenario, values: Mapping[str, Any], arm: Arm) -> Params:
        """Scenario, then the experiment's overrides, then the design point, then the arm."""
        return scenario.params.replace(**{**self.overrides, **values, **arm.params})


def spawn_seeds(root_seed: int, n: int) -> tuple[int, ...]:
    """`n` independent seeds from `root_seed` via NumPy's SeedSequence.spawn, as plain 63-bit ints."""
    children = np.random.SeedSequence(root_seed).spawn(n)
    return tuple(int(c.generate_state(1, np.uint64)[0] >> np.uint64(1)) for c in children)


def load(path: str | Path) -> Experiment:
    """Read and validate an experiment file; any problem is one `ConflictSimError` line."""
    path = Path(path)
    read_toml(path)  # one-line errors for a missing or malformed file
    return from_text(path.read_text(encoding="utf-8"), source=str(path), folder=path.parent)


def from_text(text: str, *, source: str = "<experiment>", folder: Path | None = None) -> Experiment:
    """An experiment from TOML text; scenario paths are relative to `folder`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConflictSimError(f"malformed TOML in {source}: {exc}") from None
    return _Reader(data, source, folder).experiment(text)


class _Reader:
    """Turns the parsed TOML into an `Experiment`, naming the field of every problem it finds."""

    def __init__(self, data: dict[str, Any], source: str, folder: Path | None) -> None:
        self.data, self.source, self.folder = data, source, folder

    def fail(self, where: str, message: str) -> NoReturn:
        raise ConflictSimError(f"experiment {self.source}: {where}: {message}")

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

    def experiment(self, text: str) -> Experiment:
        d = self.data
        self.keys(d, TOP_KEYS, "")
        name = d.get("name", Path(self.source).stem)
        if not isinstance(name, str) or not name.strip():
            self.fail("name", "must be a non-empty string")
        days = self.integer("days", None, 1)
        warmup = self.integer("warmup_days", 0, 0, days - 1)
        scenarios = self.scenarios()
        overrides = self.table("overrides")
        for s in scenarios:
            self.params(s.params, overrides, "[overrides]")
        design = self.design()
        arms = self.arms()
        outcome_names, daily_names = probe_names()
        config = RunConfiguration(
            days, warmup, self.names("outcomes", outcome_names, None), self.names("daily", daily_names, DEFAULT_DAILY)
        )
        batch = d.get("batch_size")
        experiment = Experiment(
            name=name,
            text=text,
            scenarios=scenarios,
            design=design,
            arms=arms,
            replications=self.integer("replications", 1, 1),
            root_seed=self.integer("root_seed", None, 0),
            config=config,
            overrides=overrides,
            description=str(d.get("description", "")),
            batch_size=None if batch is None else self.integer("batch_size", None, 1),
            folder=self.folder,
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
            return base.replace(**changes)
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
            target = Path(name)
            if target.suffix == ".toml" and not target.is_absolute() and self.folder is not None:
                target = self.folder / target
            try:
                found.append(scenario_library.load(target if target.suffix == ".toml" else name))
            except ConflictSimError as exc:
                self.fail("scenario", str(exc))
        if len({s.name for s in found}) < len(found):
            self.fail("scenarios", "names must be distinct")
        return tuple(found)

    def arms(self) -> tuple[Arm, ...]:
        tables = self.data.get("arms", [{"name": "baseline"}])
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
            try:
                policies = tuple(build(s) for s in specs)
            except ConflictSimError as exc:
                self.fail(f"{where}.policies", str(exc))
            params = t.get("params", {})
            if not isinstance(params, dict):
                self.fail(f"{where}.params", "must be a table of parameter = value")
            self.params(Params(), params, f"{where}.params")
            arms.append(Arm(name, policies, tuple(dict(s) for s in specs), params))
        names = [a.name for a in arms]
        if len(set(names)) < len(names):
            self.fail("arms", f"names must be distinct (got {', '.join(names)})")
        return tuple(arms)

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

    def design(self) -> Design:
        table = self.data.get("design", {"method": "list", "points": [{}]})
        if not isinstance(table, dict):
            self.fail("design", "must be a table with a method")
        method = table.get("method")
        if method not in METHODS:
            self.fail(f"design.method={method!r}", f"must be one of {', '.join(METHODS)}")
        self.keys(table, DESIGN_KEYS[method], "design")
        if method == "factorial":
            return self.factorial(table)
        if method == "list":
            return self.listed(table)
        return self.sampled(method, table)

    def factorial(self, table: dict[str, Any]) -> Design:
        levels = table.get("levels")
        if not isinstance(levels, dict) or not levels:
            self.fail("design.levels", "is required: a table of parameter = [values, ...]")
        for name, values in levels.items():
            self.parameter(name, "design.levels")
            if not isinstance(values, list) or not values:
                self.fail(f"design.levels.{name}", "must be a non-empty list of values")
        names = tuple(levels)
        points = tuple(
            {n: _typed(n, v) for n, v in zip(names, combo, strict=True)}
            for combo in itertools.product(*levels.values())
        )
        return Design("factorial", names, points)

    def listed(self, table: dict[str, Any]) -> Design:
        points = table.get("points")
        if not isinstance(points, list) or not points or not all(isinstance(p, dict) for p in points):
            self.fail("design.points", "is required: a list of [[design.points]] tables")
        names = tuple(dict.fromkeys(n for p in points for n in p))
        for name in names:
            self.parameter(name, "design.points")
        return Design("list", names, tuple({n: _typed(n, v) for n, v in p.items()} for p in points))

    def parameter(self, name: str, where: str) -> None:
        if name not in PARAM_FIELDS:
            self.fail(f"{where}.{name}", "unknown parameter (see `conflict-sim list params`)")

    def sampled(self, method: str, table: dict[str, Any]) -> Design:
        names = table.get("parameters")
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            self.fail("design.parameters", "is required: a list of numeric parameter names")
        if len(set(names)) < len(names):
            self.fail("design.parameters", "names must be distinct")
        overrides = table.get("bounds", {})
        if not isinstance(overrides, dict):
            self.fail("design.bounds", "must be a table of parameter = [low, high]")
        for name in overrides:
            if name not in names:
                self.fail(f"design.bounds.{name}", f"is not in design.parameters ({', '.join(names)})")
        bounds = {n: self.bounds(n, overrides.get(n)) for n in names}
        samples = table.get("samples")
        if isinstance(samples, bool) or not isinstance(samples, int) or samples < 2:
            self.fail(f"design.samples={samples!r}", "must be an integer >= 2")
        seed = design_seed(self.integer("root_seed", None, 0))
        options: dict[str, Any] = {"samples": samples}
        problem = {"num_vars": len(names), "names": names, "bounds": [bounds[n] for n in names]}
        if method == "lhs":
            from scipy.stats import qmc

            unit = qmc.LatinHypercube(d=len(names), rng=np.random.default_rng(seed)).random(samples)
            raw = qmc.scale(unit, *np.array([bounds[n] for n in names]).T)
        elif method == "sobol":
            from SALib.sample import sobol

            if samples & (samples - 1):
                self.fail(f"design.samples={samples}", "must be a power of 2 for Sobol' sampling (e.g. 64, 128, 256)")
            second = table.get("second_order", False)
            if not isinstance(second, bool):
                self.fail("design.second_order", "must be true or false")
            options["second_order"] = second
            raw = sobol.sample(problem, samples, calc_second_order=second, seed=seed)
        else:
            from SALib.sample import morris

            levels = table.get("num_levels", 4)
            if isinstance(levels, bool) or not isinstance(levels, int) or levels < 2 or levels % 2:
                self.fail(f"design.num_levels={levels!r}", "must be an even integer >= 2")
            options["num_levels"] = levels
            raw = morris.sample(problem, samples, num_levels=levels, seed=seed)
        points = tuple({n: _as_field_type(n, v) for n, v in zip(names, row, strict=True)} for row in raw)
        return Design(method, tuple(names), points, bounds, np.asarray(raw), options)

    def bounds(self, name: str, override: Any) -> tuple[float, float]:
        self.parameter(name, "design.parameters")
        f = PARAM_FIELDS[name]
        numeric = isinstance(f.default, int | float) and not isinstance(f.default, bool)
        if not numeric or f.metadata["min"] is None:
            self.fail(f"design.parameters.{name}", "is not numeric; vary it with a factorial or list design")
        lo, hi = f.metadata["min"], f.metadata["max"]
        if override is None:
            return float(lo), float(hi)
        ok = (
            isinstance(override, list)
            and len(override) == 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in override)
        )
        if not ok or not lo <= override[0] < override[1] <= hi:
            self.fail(f"design.bounds.{name}={override!r}", f"must be [low, high] with {lo} <= low < high <= {hi}")
        return float(override[0]), float(override[1])

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


def design_seed(root_seed: int) -> int:
    """The seed of the design sampler: its own SeedSequence stream, apart from the replications."""
    child = np.random.SeedSequence(root_seed, spawn_key=(DESIGN_STREAM,))
    return int(child.generate_state(1)[0])


def _typed(name: str, value: Any) -> Any:
    """A TOML value as its parameter's type (an integer given for a float parameter becomes a float),
    so that one design column has one type in every part file."""
    float_field = type(PARAM_FIELDS[name].default) is float
    return float(value) if float_field and type(value) is int else value


def _as_field_type(name: str, value: float) -> Any:
    """A sampled number as the parameter takes it: integers rounded, floats as Python floats."""
    return round(float(value)) if isinstance(PARAM_FIELDS[name].default, int) else float(value)


@functools.cache
def probe_names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Names of the outcomes and daily metrics, read off a two-day run of a small world (~20 ms)."""
    from conflict_sim.run import simulate

    out = simulate(Params(population=1000), seed=0, days=2)
    return tuple(out.outcomes), tuple(out.daily.columns)


def run_by_key(experiment: Experiment, key: str) -> Run:
    """The run with this key; an unknown key is a one-line error."""
    for run in experiment.runs():
        if run.key == key:
            return run
    n = len(experiment)
    raise ConflictSimError(
        f"run key {key!r}: not in experiment {experiment.name} ({n} runs, keys "
        f"like p0-a0-r0 ... p{experiment.n_points - 1}-a{len(experiment.arms) - 1}"
        f"-r{experiment.replications - 1})"
    )


def default_batch_size(n_runs: int) -> int:
    """Runs per batch: about 100 batches (load balance up to ~25 workers), at most 64 runs each.

    Each batch costs ~25 ms of file writing, so a sweep of short runs gains from a larger
    `batch_size`; a sweep on many workers, from a smaller one.
    """
    return max(1, min(64, math.ceil(n_runs / 100)))
