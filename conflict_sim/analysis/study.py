"""Read results: a results folder as the tables and the design facts every other analysis module uses.

`read(folder)` is the only place the analysis touches the results store; everything after it works
on a `Study`, which a notebook or a test can also build from its own tables.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from conflict_sim.errors import ConflictSimError

FINISHED = ("ok", "done", "success", "succeeded", "completed")  # run statuses counted as finished
SAMPLED = ("lhs", "sobol", "morris")  # designs whose points sample a space rather than name cases
BOOKKEEPING = ("run_key", "days")  # columns of the outcomes table that are not outcomes
REFERENCE = "baseline"


@dataclass(frozen=True)
class Study:
    """Stored runs of one experiment with what the analysis needs to know about its design.

    Attributes:
        runs: one row per run: run_key, point, arm, replication, seed, scenario, status, and one
            column per design parameter.
        outcomes: run_key and one column per stored outcome (finished runs only).
        daily: run_key, day and the kept daily series (finished runs only).
        manifest: the results folder's manifest (experiment, seeds, arms, design, warm-up, ...).
        design: one row per design point (point, scenario, the design's values).
    """

    runs: pd.DataFrame
    outcomes: pd.DataFrame
    daily: pd.DataFrame
    manifest: Mapping[str, Any]
    design: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def name(self) -> str:
        return str(self.manifest.get("experiment", {}).get("name", "experiment"))

    @property
    def arms(self) -> list[str]:
        """Arms in the experiment's order."""
        listed = [a["name"] for a in self.manifest.get("arms", [])]
        return listed or list(dict.fromkeys(self.runs["arm"]))

    @property
    def scenarios(self) -> list[str]:
        return list(self.manifest.get("scenarios", {})) or list(dict.fromkeys(self.runs.get("scenario", [])))

    @property
    def method(self) -> str:
        """The design's method: factorial, list, lhs, sobol or morris."""
        return str(self.manifest.get("design", {}).get("method", "list"))

    @property
    def parameters(self) -> list[str]:
        """Parameters the design varies (with the scenario when there are several)."""
        names = list(self.manifest.get("design", {}).get("parameters", []))
        return (["scenario"] if len(self.scenarios) > 1 else []) + names

    @property
    def n_points(self) -> int:
        return int(self.runs["point"].nunique()) if "point" in self.runs and len(self.runs) else 1

    @property
    def sampled(self) -> bool:
        """Whether the points sample a parameter space (so a table per point would be hundreds long)."""
        return self.method in SAMPLED

    @property
    def days(self) -> int:
        return int(self.manifest.get("days", self.daily["day"].max() if "day" in self.daily else 0))

    @property
    def warmup_days(self) -> int:
        return int(self.manifest.get("warmup_days", 0))

    @property
    def named_outcomes(self) -> list[str] | None:
        """The outcomes the experiment file lists, or None when it keeps them all."""
        listed = self.manifest.get("outcomes", "all")
        return None if listed in ("all", None) else list(listed)

    @cached_property
    def finished(self) -> pd.DataFrame:
        """Runs that completed (all runs when the table has no status column)."""
        if "status" not in self.runs:
            return self.runs
        return self.runs[self.runs["status"].astype(str).str.lower().isin(FINISHED)]

    @property
    def n_failed(self) -> int:
        return len(self.runs) - len(self.finished)

    @property
    def outcome_names(self) -> list[str]:
        """Every stored outcome column, in the table's order."""
        return [
            c for c in self.outcomes.columns if c not in BOOKKEEPING and pd.api.types.is_numeric_dtype(self.outcomes[c])
        ]

    def settings(self, arm: str, scenario: str | None = None) -> dict[str, Any]:
        """The parameter values an arm runs with: scenario, overrides, arm, then its policies' settings.

        The scenario is `scenario`, by default the experiment's first. Policies that set parameters
        (`evaluation_reform` sets `satisfaction_mode`) count with the values their specs give or their
        defaults. A manifest entry `settings` for the arm, when the experiment side records one, is
        used as it stands.
        """
        entry = self._arm_entry(arm)
        if "settings" in entry:
            return dict(entry["settings"])
        values = self._parameters(arm, scenario)
        for spec in (*self._scenario_entry(scenario).get("policies", []), *entry.get("policies", [])):
            values.update(_policy_settings(spec))
        return values

    def _arm_entry(self, arm: str) -> Mapping[str, Any]:
        return next((a for a in self.manifest.get("arms", []) if a["name"] == arm), {"name": arm})

    def _scenario_entry(self, scenario: str | None) -> Mapping[str, Any]:
        """The manifest's entry of `scenario` (default, or when not recorded: the first scenario's)."""
        stored: Mapping[str, Any] = self.manifest.get("scenarios", {})
        return (stored.get(scenario) if scenario is not None else None) or next(iter(stored.values()), {})

    def _parameters(self, arm: str, scenario: str | None = None) -> dict[str, Any]:
        """Scenario parameters, then the experiment's overrides, then the arm's own (no policies)."""
        return {
            **self._scenario_entry(scenario).get("params", {}),
            **self.manifest.get("overrides", {}),
            **self._arm_entry(arm).get("params", {}),
        }

    @property
    def households_per_agent(self) -> float | None:
        """The household sample (1 agent per K households) the runs share, if they share one."""
        found = {self._parameters(arm, s).get("households_per_agent") for s in self._named() for arm in self.arms}
        found -= {None}
        return found.pop() if len(found) == 1 else None

    @property
    def population(self) -> float | None:
        """The population every run shares, or None (not recorded, or scenarios of different districts)."""
        return self.population_in()

    def population_in(self, scenario: str | None = None) -> float | None:
        """The population of `scenario` (default: of every scenario) if all its arms share one."""
        names = [scenario] if scenario is not None else self._named()
        found = {self._parameters(arm, s).get("population") for s in names for arm in self.arms} - {None}
        return float(found.pop() or 0) if len(found) == 1 else None

    def population_by_run(self) -> pd.Series:
        """The population of each finished run, by run_key (nan where not recorded): districts may differ."""
        runs = self.finished
        if "scenario" not in runs:
            return pd.Series(self.population, index=runs["run_key"].to_numpy(), dtype=float)
        found = {s: self.population_in(s) for s in dict.fromkeys(runs["scenario"])}
        return pd.Series(runs["scenario"].map(found).to_numpy(float), index=runs["run_key"].to_numpy())

    def _named(self) -> list[str | None]:
        return list(self.scenarios) or [None]


def _policy_settings(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The model parameters a policy spec sets: its own values, else the policy's defaults.

    Reads the policy registry, which loads the model package; the experiment side can spare this
    by recording each arm's `settings` in the manifest.
    """
    from conflict_sim.params import PARAM_FIELDS
    from conflict_sim.policies import REGISTRY

    cls = REGISTRY.get(spec.get("kind", ""))
    if cls is None:
        return {k: v for k, v in spec.items() if k in PARAM_FIELDS and v is not None}
    levers = set(cls.own_params())
    defaults = {f.name: f.default for f in dataclasses.fields(cls) if f.name in levers}
    given = {k: v for k, v in spec.items() if k in PARAM_FIELDS}
    return {k: v for k, v in {**defaults, **given}.items() if v is not None}


def read(folder: str | Path) -> Study:
    """The study stored in a results folder (`conflict_sim.store` layout)."""
    from conflict_sim import store

    results = store.load(folder)
    if results.outcomes.empty:
        raise ConflictSimError(f"{folder}: no finished runs to report on yet (run or resume the experiment)")
    return Study(results.runs, results.outcomes, results.daily, results.manifest, results.design)


def choose_reference(study: Study, reference: str | None = REFERENCE) -> tuple[str, str | None]:
    """The reference arm and, when the default had to be replaced, a sentence saying so.

    An arm named explicitly must exist (a one-line error otherwise); the default `baseline` falls
    back to the experiment's first arm when no arm has that name, and the report says so.
    """
    arms = study.arms
    if reference in arms:
        return reference, None
    if reference not in (None, REFERENCE):
        raise ConflictSimError(f"--reference {reference!r}: not an arm of {study.name} (arms: {', '.join(arms)})")
    return arms[0], (
        f"No arm is named {REFERENCE!r}: the first arm, {arms[0]!r}, is the reference every other arm is "
        "compared with (choose another with --reference)."
    )
