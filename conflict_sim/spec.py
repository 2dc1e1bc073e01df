"""*What* to run, typed: an experiment as frozen values, its runs, its one seed rule and its identity.

An experiment crosses base scenario(s) x a parameter design x policy arms x replications. Every run
has a stable key ``p{point}-a{arm}-r{replication}`` and a seed; the seed depends on the replication
only (child r of ``SeedSequence(root_seed).spawn``), so every arm and design point of replication r
meets the same random numbers (common random numbers: comparisons are paired). An experiment whose
scenarios are to be compared as independent samples (districts side by side: `seed_sets =
"per_scenario"`) gives every scenario after the first its own seed set, from its own SeedSequence
stream; arms and design points within a scenario still share seeds. Because spawned children do not
depend on how many are spawned, adding replications or arms keeps every stored run's key and seed:
work can grow.

An experiment is built at an edge (the TOML reader in `experiment`, the comparison builder in
`comparisons`, validation's seed sets, the browser's side by side) and validated there; from then on
it is plain data. Its `definition()` is the resolved content (every parameter of every scenario,
design point and arm), and its identity adds the package version, the model revision and the digest
of every file a run reads, so a comment in a file never blocks a resume and a changed scenario or model
is never mixed in.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from conflict_sim.designs.base import Design
from conflict_sim.errors import ConflictSimError
from conflict_sim.params import Params
from conflict_sim.policies import Policy, build, to_spec
from conflict_sim.scenarios import Scenario

SEED_SCHEME = (
    "numpy SeedSequence(root_seed).spawn(replications); seed = generate_state(1, uint64)[0] >> 1; "
    "shared by every arm and design point"
)
SEED_SCHEME_PER_SCENARIO = (
    "scenario 0: numpy SeedSequence(root_seed).spawn(replications); scenario k >= 1: "
    "SeedSequence(root_seed, spawn_key=(2**32 - 2, k)).spawn(replications); seed = generate_state(1, uint64)[0] "
    ">> 1; shared by every arm and design point of a scenario, never across scenarios"
)
DESIGN_STREAM = 2**32 - 1  # the design sampler's own SeedSequence child, which no replication uses
SCENARIO_STREAM = 2**32 - 2  # the seed sets of scenarios after the first (per-scenario seed sets)
SHARED, PER_SCENARIO = "shared", "per_scenario"
SEED_SETS = (SHARED, PER_SCENARIO)  # one seed set for every scenario, or one per scenario
MAX_RUNS = 1_000_000  # the run list of a larger experiment does not fit in memory; split it

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


@dataclass(frozen=True)
class RunConfiguration:
    """How every run of an experiment is run and what is kept (Mesa's `RunConfiguration`).

    Attributes:
        days: simulated days of every run.
        warmup_days: days left out of time averages and flows.
        outcomes: outcomes kept (None: every outcome).
        daily: daily series kept (None: every series; (): none).
    """

    days: int
    warmup_days: int = 0
    outcomes: tuple[str, ...] | None = None
    daily: tuple[str, ...] | None = DEFAULT_DAILY


@dataclass(frozen=True)
class Arm:
    """A policy arm: policies added to the scenario's own, and parameters it changes."""

    name: str
    policies: tuple[Policy, ...] = ()
    policy_specs: tuple[Mapping[str, Any], ...] = ()
    params: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, name: str, specs: tuple[Mapping[str, Any], ...] = (), params: Mapping[str, Any] | None = None) -> Arm:
        """An arm from policy specifications (validated by `policies.build`)."""
        return cls(name, tuple(build(dict(s)) for s in specs), tuple(dict(s) for s in specs), dict(params or {}))


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
    """Scenario(s) x design x arms x replications, with one root seed.

    Attributes:
        text: the experiment file as the user wrote it, if it came from one (kept beside the results).
        reference: the arm the others are compared with.
        seed_sets: "shared" (every scenario meets the same seeds) or "per_scenario" (each scenario its
            own seed set, so that scenarios are independent samples and are never paired).
    """

    name: str
    scenarios: tuple[Scenario, ...]
    design: Design
    arms: tuple[Arm, ...]
    replications: int
    root_seed: int
    config: RunConfiguration
    overrides: Mapping[str, Any] = field(default_factory=dict)
    description: str = ""
    batch_size: int | None = None
    reference: str | None = None
    text: str | None = field(default=None, repr=False, compare=False)
    seed_sets: str = SHARED

    @functools.cached_property
    def seeds(self) -> tuple[int, ...]:
        """One seed per replication, reused by every arm and design point (of the first scenario, per scenario)."""
        return spawn_seeds(self.root_seed, self.replications)

    def seeds_of(self, scenario: int) -> tuple[int, ...]:
        """The seeds of scenario number `scenario`: the common ones, or its own with per-scenario seed sets."""
        if self.seed_sets == SHARED or scenario == 0:
            return self.seeds
        return scenario_seeds(self.root_seed, self.replications, scenario)

    @property
    def n_points(self) -> int:
        """Design points: each scenario crossed with each point of the design."""
        return len(self.scenarios) * len(self.design.points)

    def __len__(self) -> int:
        return self.n_points * len(self.arms) * self.replications

    def runs(self) -> list[Run]:
        """All runs in a fixed order: point, then arm, then replication."""
        found = []
        cells = itertools.product(enumerate(self.scenarios), self.design.points)
        for point, ((s, scenario), values) in enumerate(cells):
            seeds = self.seeds_of(s)
            for a, arm in enumerate(self.arms):
                params = self.params_of(scenario, values, arm)
                policies = (*scenario.policies, *arm.policies)
                for r, seed in enumerate(seeds):
                    key = f"p{point}-a{a}-r{r}"
                    found.append(Run(key, point, arm.name, r, seed, scenario.name, values, params, policies))
        return found

    def params_of(self, scenario: Scenario, values: Mapping[str, Any], arm: Arm) -> Params:
        """Scenario, then the experiment's overrides, then the design point, then the arm."""
        return scenario.params.replace(**{**self.overrides, **values, **arm.params})

    def definition(self) -> dict[str, Any]:
        """The resolved content as JSON-ready data: what `from_definition` rebuilds exactly."""
        d = self.design
        return {
            "name": self.name,
            "description": self.description,
            "scenarios": [
                {
                    "name": s.name,
                    "description": s.description,
                    "params": s.params.to_dict(),
                    "policies": [dict(p) for p in s.policy_specs],
                }
                for s in self.scenarios
            ],
            "overrides": dict(self.overrides),
            "design": {
                "method": d.method,
                "parameters": list(d.parameters),
                "points": [dict(p) for p in d.points],
                "bounds": {k: list(v) for k, v in d.bounds.items()},
                "options": dict(d.options),
                "samples": None if d.samples is None else d.samples.tolist(),
            },
            "arms": [arm_definition(a) for a in self.arms],
            "replications": self.replications,
            "root_seed": self.root_seed,
            "days": self.config.days,
            "warmup_days": self.config.warmup_days,
            "outcomes": None if self.config.outcomes is None else list(self.config.outcomes),
            "daily": None if self.config.daily is None else list(self.config.daily),
            "batch_size": self.batch_size,
            "reference": self.reference,
            # absent when shared, so that experiments stored before per-scenario seed sets keep their identity
            **({"seed_sets": self.seed_sets} if self.seed_sets != SHARED else {}),
        }

    @classmethod
    def from_definition(cls, data: Mapping[str, Any]) -> Experiment:
        """The experiment of a stored definition (a results folder's manifest)."""
        d = data["design"]
        design = Design(
            d["method"],
            tuple(d["parameters"]),
            tuple(dict(p) for p in d["points"]),
            {k: (float(v[0]), float(v[1])) for k, v in d["bounds"].items()},
            None if d.get("samples") is None else np.asarray(d["samples"], dtype=float),
            dict(d["options"]),
        )
        scenarios = tuple(
            Scenario(
                s["name"],
                s.get("description", ""),
                Params.from_mapping(s["params"]),
                tuple(build(dict(p)) for p in s["policies"]),
                policy_specs=tuple(dict(p) for p in s["policies"]),
            )
            for s in data["scenarios"]
        )
        return cls(
            name=data["name"],
            scenarios=scenarios,
            design=design,
            arms=tuple(Arm.of(a["name"], tuple(a["policies"]), a["params"]) for a in data["arms"]),
            replications=int(data["replications"]),
            root_seed=int(data["root_seed"]),
            config=RunConfiguration(
                int(data["days"]),
                int(data["warmup_days"]),
                None if data["outcomes"] is None else tuple(data["outcomes"]),
                None if data["daily"] is None else tuple(data["daily"]),
            ),
            overrides=dict(data["overrides"]),
            description=data.get("description", ""),
            batch_size=data.get("batch_size"),
            reference=data.get("reference"),
            seed_sets=data.get("seed_sets", SHARED),
        )

    @classmethod
    def of_arms(
        cls,
        name: str,
        arms: Sequence[tuple[str, Params, tuple[Policy, ...]]],
        *,
        root_seed: int,
        replications: int,
        config: RunConfiguration,
    ) -> Experiment:
        """Arms given as whole parameter sets and policies (validation, the browser), on one seed set.

        The first arm's parameters are the base; each arm keeps only its differences from it.
        """
        base = arms[0][1]
        return cls(
            name=name,
            scenarios=(Scenario(name, "", base),),
            design=Design("list", (), ({},)),
            arms=tuple(
                Arm(
                    label,
                    policies,
                    tuple(to_spec(p) for p in policies),
                    {k: v for k, (_, v) in p.changed(base).items()},
                )
                for label, p, policies in arms
            ),
            replications=replications,
            root_seed=root_seed,
            config=config,
        )

    def files_read_by_runs(self) -> tuple[Path, ...]:
        """Files the runs read while they run (named by parameters), for the experiment's identity."""
        from conflict_sim.provenance import files_named_by

        found: dict[Path, None] = {}
        for scenario, values in itertools.product(self.scenarios, self.design.points):
            for arm in self.arms:
                found |= dict.fromkeys(files_named_by(self.params_of(scenario, values, arm)))
        return tuple(found)


def arm_definition(arm: Arm) -> dict[str, Any]:
    return {"name": arm.name, "policies": [dict(p) for p in arm.policy_specs], "params": dict(arm.params)}


@dataclass(frozen=True)
class Identity:
    """What results belong to.

    `full` must match to resume; `core` (all but replications and arms), the package version and the
    model revision must match to grow.
    """

    full: str
    core: str
    package_version: str
    model_revision: str
    inputs: Mapping[str, str]


# Fields of a definition that do not change a single number of any run.
LABELS = ("name", "description", "batch_size", "reference")
GROWABLE = ("replications", "arms")


def identity(experiment: Experiment) -> Identity:
    """The experiment's identity: resolved definition, files read by runs, package version, model revision."""
    from conflict_sim.provenance import file_digest, model_revision, version

    inputs = {str(p): _digest_or_missing(p, file_digest) for p in experiment.files_read_by_runs()}
    content = {k: v for k, v in experiment.definition().items() if k not in LABELS}
    content["scenarios"] = [{k: v for k, v in s.items() if k != "description"} for s in content["scenarios"]]
    core = {k: v for k, v in content.items() if k not in GROWABLE}
    package, revision = version(), model_revision()
    common = {"inputs": inputs, "package_version": package, "model_revision": revision}
    return Identity(
        full=_sha256({**content, **common}),
        core=_sha256({**core, **common}),
        package_version=package,
        model_revision=revision,
        inputs=inputs,
    )


def _digest_or_missing(path: Path, digest: Any) -> str:
    try:
        return str(digest(path))
    except OSError:
        return "missing"


def _sha256(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def spawn_seeds(root_seed: int, n: int, stream: tuple[int, ...] = ()) -> tuple[int, ...]:
    """The one seed rule: `n` seeds from `root_seed` via NumPy's SeedSequence.spawn, as 63-bit ints.

    Child r does not depend on n, so a seed set can grow without changing its first members. `stream`
    (a SeedSequence spawn key) names another, independent seed set of the same root seed.
    """
    children = np.random.SeedSequence(root_seed, spawn_key=stream).spawn(n)
    return tuple(int(c.generate_state(1, np.uint64)[0] >> np.uint64(1)) for c in children)


def scenario_seeds(root_seed: int, n: int, scenario: int) -> tuple[int, ...]:
    """Per-scenario seed sets: scenario 0 has the common seeds, scenario k >= 1 its own stream's."""
    return spawn_seeds(root_seed, n, () if scenario == 0 else (SCENARIO_STREAM, scenario))


def design_seed(root_seed: int) -> int:
    """The seed of the design sampler: its own SeedSequence stream, apart from the replications."""
    child = np.random.SeedSequence(root_seed, spawn_key=(DESIGN_STREAM,))
    return int(child.generate_state(1)[0])


def run_by_key(experiment: Experiment, key: str) -> Run:
    """The run with this key; an unknown key is a one-line error."""
    for run in experiment.runs():
        if run.key == key:
            return run
    raise ConflictSimError(
        f"run key {key!r}: not in experiment {experiment.name} ({len(experiment)} runs, keys "
        f"like p0-a0-r0 ... p{experiment.n_points - 1}-a{len(experiment.arms) - 1}"
        f"-r{experiment.replications - 1})"
    )
