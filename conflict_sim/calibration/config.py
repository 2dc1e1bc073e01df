"""The calibration file, read once at the edge into typed values with one-line errors.

A calibration names the scenario it starts from, the sample and horizon its runs use, the arms its
targets are measured on, the targets (each an observed range of an outcome of the catalogue, used to
calibrate, held back to check the result out of sample, or reported as a check of an input), and the
budget of each stage: the Morris screen, the history-matching waves and the confirmation seed set.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from conflict_sim import scenarios
from conflict_sim.catalogue import CATALOGUE
from conflict_sim.errors import ExperimentError
from conflict_sim.params import PARAM_FIELDS
from conflict_sim.policies import build
from conflict_sim.scenarios import Scenario
from conflict_sim.tomlfile import read_toml

ROLES = ("calibrate", "holdout", "check")
BASELINE = "baseline"
KEYS = {
    "name",
    "description",
    "scenario",
    "sample",
    "days",
    "warmup_days",
    "root_seed",
    "screening",
    "history_matching",
    "confirmation",
    "arms",
    "targets",
    "priors",
}


@dataclass(frozen=True)
class Target:
    """An observed range [low, high] of an outcome (or the sum of several) on one arm, with its source."""

    name: str
    outcomes: tuple[str, ...]
    low: float
    high: float
    arm: str
    role: str
    source: str

    @property
    def centre(self) -> float:
        return (self.low + self.high) / 2

    @property
    def width(self) -> float:
        return self.high - self.low


@dataclass(frozen=True)
class CalibrationArm:
    """A configuration the targets are measured on: parameter changes and policies (as in experiments)."""

    name: str
    params: Mapping[str, Any] = field(default_factory=dict)
    policies: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True)
class Horizon:
    """Sample and time of a stage's runs: 1:`sample` households, `days` long, measured after `warmup_days`."""

    sample: int
    days: int
    warmup_days: int


@dataclass(frozen=True)
class Screening:
    """The Morris screen: which parameters, how many trajectories, and how many of them to keep."""

    horizon: Horizon
    parameters: tuple[str, ...]
    trajectories: int
    num_levels: int
    keep: int


@dataclass(frozen=True)
class HistoryMatching:
    """The waves: points per wave, seeds per point, the implausibility cut-off, the candidate cloud."""

    waves: int
    points: int
    replications: int
    cutoff: float
    candidates: int


@dataclass(frozen=True)
class Confirmation:
    """The seed set the calibrated point is confirmed on, and what share of seeds must be inside."""

    horizon: Horizon
    replications: int
    seed_share: float


@dataclass(frozen=True)
class Calibration:
    """A whole calibration, validated."""

    name: str
    description: str
    scenario: Scenario
    horizon: Horizon
    root_seed: int
    screening: Screening
    history_matching: HistoryMatching
    confirmation: Confirmation
    arms: tuple[CalibrationArm, ...]
    targets: tuple[Target, ...]
    priors: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    text: str = field(default="", repr=False, compare=False)

    def prior(self, name: str) -> tuple[float, float]:
        """The uniform prior of a parameter: its documented range, or the narrower one the file gives."""
        return self.priors.get(name, prior_bounds(name))

    def targets_with(self, role: str) -> tuple[Target, ...]:
        return tuple(t for t in self.targets if t.role == role)

    def arm(self, name: str) -> CalibrationArm:
        return next(a for a in self.arms if a.name == name)

    def arms_for(self, *roles: str) -> tuple[CalibrationArm, ...]:
        """The arms the targets of `roles` are measured on, baseline first, in file order."""
        used = {t.arm for t in self.targets if t.role in roles}
        return tuple(a for a in self.arms if a.name in used)


def load(path: str | Path) -> Calibration:
    """Read and validate a calibration file; any problem is one line naming the field."""
    path = Path(path)
    data = read_toml(path)
    return parse(data, path.parent, text=path.read_text(encoding="utf-8"))


def parse(data: Mapping[str, Any], folder: Path, *, text: str = "") -> Calibration:
    """A calibration from its TOML table (`folder` resolves a scenario given as a relative path)."""
    unknown = set(data) - KEYS
    if unknown:
        _fail(", ".join(sorted(unknown)), f"unknown key(s) (allowed: {', '.join(sorted(KEYS))})")
    name = _string(data, "name", required=True)
    if not name.replace("_", "").replace("-", "").replace(".", "").isalnum() or name.startswith("."):
        _fail(f"name={name!r}", "must be a folder name (letters, digits, _, -, .)")
    scenario = scenarios.load_from(_string(data, "scenario", required=True), folder)
    horizon = _horizon(data, "", scenario)
    root_seed = _integer(data, "root_seed", 0, 2**63 - 1, None)
    arms = _arms(data.get("arms", []), scenario)
    targets = _targets(data.get("targets"), {a.name for a in arms})
    if not any(t.role == "calibrate" for t in targets):
        _fail("targets", 'give at least one target with role = "calibrate"')
    screening = _screening(_table(data, "screening"), scenario, arms)
    matching = _matching(_table(data, "history_matching"))
    priors = _priors(_table(data, "priors"))
    confirmation = _confirmation(_table(data, "confirmation"), scenario, horizon)
    return Calibration(
        name,
        _string(data, "description"),
        scenario,
        horizon,
        root_seed,
        screening,
        matching,
        confirmation,
        arms,
        targets,
        priors,
        text,
    )


def _fail(where: str, message: str) -> NoReturn:
    raise ExperimentError(f"calibration {where}: {message}")


def _table(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        _fail(key, f"must be a table: [{key}]")
    return value


def _string(data: Mapping[str, Any], key: str, *, required: bool = False, prefix: str = "") -> str:
    if key not in data:
        if required:
            _fail(f"{prefix}{key}", "is required")
        return ""
    if not isinstance(data[key], str):
        _fail(f"{prefix}{key}={data[key]!r}", "must be a string")
    return data[key]


def _integer(data: Mapping[str, Any], key: str, lo: int, hi: int, default: int | None, prefix: str = "") -> int:
    value = data.get(key, default)
    if value is None:
        _fail(f"{prefix}{key}", "is required")
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        _fail(f"{prefix}{key}={value!r}", f"must be an integer in [{lo}, {hi}]")
    return value


def _number(data: Mapping[str, Any], key: str, lo: float, hi: float, default: float | None, prefix: str = "") -> float:
    value = data.get(key, default)
    if value is None:
        _fail(f"{prefix}{key}", "is required")
    if isinstance(value, bool) or not isinstance(value, int | float) or not lo <= value <= hi:
        _fail(f"{prefix}{key}={value!r}", f"must be a number in [{lo}, {hi}]")
    return float(value)


def _horizon(data: Mapping[str, Any], prefix: str, scenario: Scenario, fallback: Horizon | None = None) -> Horizon:
    """`sample`, `days` and `warmup_days` of a stage (a stage without them uses the calibration's)."""
    largest = int(PARAM_FIELDS["households_per_agent"].metadata["max"])
    sample = _integer(data, "sample", 1, largest, fallback.sample if fallback else None, prefix)
    days = _integer(data, "days", 2, 36_500, fallback.days if fallback else None, prefix)
    warmup = _integer(data, "warmup_days", 0, days - 1, fallback.warmup_days if fallback else 0, prefix)
    scenario.params.replace(households_per_agent=sample)  # the sampling limits: one line if a grid would empty
    return Horizon(sample, days, warmup)


def _arms(found: Any, scenario: Scenario) -> tuple[CalibrationArm, ...]:
    if not isinstance(found, list) or not all(isinstance(a, dict) for a in found):
        _fail("arms", 'must be [[arms]] tables, each with a name, params = {...} and policies = [{kind = "..."}]')
    arms = [CalibrationArm(BASELINE)]
    for i, table in enumerate(found):
        where = f"arms[{i}]."
        extra = set(table) - {"name", "params", "policies"}
        if extra:
            _fail(where + ", ".join(sorted(extra)), "unknown key(s) (allowed: name, params, policies)")
        name = _string(table, "name", required=True, prefix=where)
        if name in {a.name for a in arms}:
            _fail(f"{where}name={name!r}", f"is taken ({BASELINE!r} is the scenario as it is)")
        params = table.get("params", {})
        policies = table.get("policies", [])
        if not isinstance(params, dict):
            _fail(f"{where}params", "must be a table of parameter = value")
        if not isinstance(policies, list) or not all(isinstance(p, dict) for p in policies):
            _fail(f"{where}policies", 'must be a list of tables with kind = "..."')
        scenario.params.replace(**params)  # one-line ParameterError for a bad value
        for spec in policies:
            build(spec)
        arms.append(CalibrationArm(name, dict(params), tuple(dict(p) for p in policies)))
    return tuple(arms)


def _targets(found: Any, arms: set[str]) -> tuple[Target, ...]:
    if not isinstance(found, list) or not found or not all(isinstance(t, dict) for t in found):
        _fail("targets", "give at least one [[targets]] table (name, outcome, low, high, role, source)")
    targets: list[Target] = []
    for i, table in enumerate(found):
        where = f"targets[{i}]."
        extra = set(table) - {"name", "outcome", "outcomes", "low", "high", "arm", "role", "source"}
        if extra:
            _fail(where + ", ".join(sorted(extra)), "unknown key(s)")
        name = _string(table, "name", required=True, prefix=where)
        if name in {t.name for t in targets}:
            _fail(f"{where}name={name!r}", "targets must have distinct names")
        outcomes = table.get("outcomes", [table["outcome"]] if "outcome" in table else None)
        if not isinstance(outcomes, list) or not outcomes or not all(isinstance(o, str) for o in outcomes):
            _fail(f"{where}outcome", "is required: an outcome name (or outcomes = [...], summed)")
        for o in outcomes:
            if o not in CATALOGUE:
                _fail(f"{where}outcome={o!r}", "is not an outcome of the catalogue (conflict_sim.catalogue.CATALOGUE)")
        low = _number(table, "low", -1e12, 1e12, None, where)
        high = _number(table, "high", low, 1e12, None, where)
        if not high > low:
            _fail(f"{where}high={high!r}", f"must be above low ({low})")
        arm = _string(table, "arm", prefix=where) or BASELINE
        if arm not in arms:
            _fail(f"{where}arm={arm!r}", f"is not an arm ({', '.join(sorted(arms))})")
        role = _string(table, "role", prefix=where) or "calibrate"
        if role not in ROLES:
            _fail(f"{where}role={role!r}", f"must be one of {', '.join(ROLES)}")
        source = _string(table, "source", required=True, prefix=where)
        targets.append(Target(name, tuple(outcomes), low, high, arm, role, source))
    return tuple(targets)


def _screening(table: Mapping[str, Any], scenario: Scenario, arms: tuple[CalibrationArm, ...]) -> Screening:
    where = "screening."
    extra = set(table) - {
        "sample",
        "days",
        "warmup_days",
        "parameters",
        "exclude",
        "trajectories",
        "num_levels",
        "keep",
    }
    if extra:
        _fail(where + ", ".join(sorted(extra)), "unknown key(s)")
    horizon = _horizon(table, where, scenario)
    set_by_arms = {name for a in arms for name in a.params}
    chosen = table.get("parameters", "A")
    exclude = table.get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(n, str) for n in exclude):
        _fail(f"{where}exclude", "must be a list of parameter names")
    for n in exclude:
        if n not in PARAM_FIELDS:
            _fail(f"{where}exclude.{n}", "unknown parameter (see `conflict-sim list params`)")
    if chosen == "A":
        names = [n for n in assumption_parameters() if n not in exclude and n not in set_by_arms]
    elif isinstance(chosen, list) and chosen and all(isinstance(n, str) for n in chosen):
        names = list(chosen)
        for n in names:
            if n not in PARAM_FIELDS or not _numeric(n):
                _fail(f"{where}parameters.{n}", "must be a numeric parameter (see `conflict-sim list params`)")
            if n in set_by_arms:
                _fail(f"{where}parameters.{n}", "is set by an arm, so it cannot be varied")
    else:
        _fail(f"{where}parameters={chosen!r}", 'must be "A" (every [A]-tagged numeric parameter) or a list of names')
    if len(names) < 2:
        _fail(f"{where}parameters", "need at least two parameters to screen")
    trajectories = _integer(table, "trajectories", 2, 1000, 4, where)
    levels = _integer(table, "num_levels", 2, 100, 4, where)
    if levels % 2:
        _fail(f"{where}num_levels={levels}", "must be an even integer >= 2")
    keep = _integer(table, "keep", 1, len(names), min(5, len(names)), where)
    return Screening(horizon, tuple(names), trajectories, levels, keep)


def _matching(table: Mapping[str, Any]) -> HistoryMatching:
    where = "history_matching."
    extra = set(table) - {"waves", "points", "replications", "cutoff", "candidates"}
    if extra:
        _fail(where + ", ".join(sorted(extra)), "unknown key(s)")
    return HistoryMatching(
        waves=_integer(table, "waves", 1, 20, 3, where),
        points=_integer(table, "points", 4, 10_000, 30, where),
        replications=_integer(table, "replications", 1, 100, 1, where),
        cutoff=_number(table, "cutoff", 0.5, 10.0, 3.0, where),
        candidates=_integer(table, "candidates", 100, 1_000_000, 20_000, where),
    )


def _priors(table: Mapping[str, Any]) -> dict[str, tuple[float, float]]:
    """Narrower uniform priors than the documented ranges, e.g. to keep cross-field rules satisfied."""
    checked = {}
    for name, pair in table.items():
        if name not in PARAM_FIELDS or not _numeric(name):
            _fail(f"priors.{name}", "must be a numeric parameter (see `conflict-sim list params`)")
        lo, hi = prior_bounds(name)
        numbers = isinstance(pair, list) and len(pair) == 2
        numbers = numbers and all(isinstance(v, int | float) and not isinstance(v, bool) for v in pair)
        if not numbers or not lo <= pair[0] < pair[1] <= hi:
            _fail(f"priors.{name}={pair!r}", f"must be [low, high] with {lo} <= low < high <= {hi}")
        checked[name] = (float(pair[0]), float(pair[1]))
    return checked


def _confirmation(table: Mapping[str, Any], scenario: Scenario, horizon: Horizon) -> Confirmation:
    where = "confirmation."
    extra = set(table) - {"sample", "days", "warmup_days", "replications", "seed_share"}
    if extra:
        _fail(where + ", ".join(sorted(extra)), "unknown key(s)")
    return Confirmation(
        _horizon(table, where, scenario, horizon),
        _integer(table, "replications", 2, 1000, 20, where),
        _number(table, "seed_share", 0.0, 1.0, 0.9, where),
    )


def _numeric(name: str) -> bool:
    default = PARAM_FIELDS[name].default
    return (
        isinstance(default, int | float)
        and not isinstance(default, bool)
        and PARAM_FIELDS[name].metadata["min"] is not None
    )


def prior_bounds(name: str) -> tuple[float, float]:
    """A parameter's documented range: the prior of a calibrated parameter is uniform over it."""
    meta = PARAM_FIELDS[name].metadata
    return float(meta["min"]), float(meta["max"])


STRUCTURE_GROUPS = ("shocks",)  # shocks and waves act only when a scenario switches them on


def assumption_parameters() -> list[str]:
    """Every [A]-tagged numeric parameter that can move an outcome of the baseline.

    Left out: parameters whose declared role is a label or the structure of the sample, and the shock
    and wave settings, which act only in scenarios that switch a shock on.
    """
    from conflict_sim.params import Role

    return [
        name
        for name, f in PARAM_FIELDS.items()
        if f.metadata["source"] == "A"
        and _numeric(name)
        and not isinstance(f.metadata["effect"], Role)
        and f.metadata["group"] not in STRUCTURE_GROUPS
    ]
