"""The experiment file behind `conflict-sim compare SCENARIO --arms a,b,c`.

An arm is named by a policy (its default settings) or by a preset scenario (its parameter changes
from the defaults plus its policies); `baseline` or the scenario's own name is the scenario as it
is. The comparison is written as ordinary experiment TOML, so the engine runs it like any other
experiment and the results folder holds its exact definition. Reads the scenario and policy
libraries only; no model is built here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import tomli_w

from conflict_sim import scenarios
from conflict_sim.analysis.catalogue import KEY_TRAJECTORIES
from conflict_sim.errors import ConflictSimError
from conflict_sim.params import Params
from conflict_sim.policies import REGISTRY

BASELINE = "baseline"
# Daily series kept by a comparison: the trajectories the report draws plus the headline flows.
DAILY = (
    *KEY_TRAJECTORIES,
    "open_issues",
    "petitions",
    "skip_attempts",
    "collective_visits",
    "satisfaction_rate",
    "legitimacy_center",
    "backlog_subdistrict",
)


def arm_table(name: str, scenario: str) -> dict[str, Any]:
    """The `[[arms]]` table of one arm name; unknown names are a one-line error listing the known."""
    if name in (BASELINE, scenario):
        return {"name": name}
    if name in REGISTRY:
        return {"name": name, "policies": [{"kind": name}]}
    if name in scenarios.names():
        preset = scenarios.load(name)
        table: dict[str, Any] = {"name": name}
        params = {k: new for k, (_, new) in preset.params.changed(Params()).items()}
        if params:
            table["params"] = params
        if preset.policy_specs:
            table["policies"] = [dict(s) for s in preset.policy_specs]
        return table
    raise ConflictSimError(
        f"arm {name!r}: not a policy or a preset scenario (policies: {', '.join(sorted(REGISTRY))}; "
        f"scenarios: {', '.join(scenarios.names())}; or {BASELINE!r})"
    )


def experiment_text(
    scenario: str,
    arms: Sequence[str],
    *,
    replications: int,
    days: int,
    warmup_days: int,
    root_seed: int,
    overrides: Mapping[str, Any] | None = None,
    name: str | None = None,
) -> str:
    """Experiment TOML comparing `arms` (the first is the baseline) on `scenario`."""
    if len(arms) < 2:
        raise ConflictSimError("--arms: give at least two arms, the baseline first (e.g. baseline,channels_open)")
    if len(set(arms)) < len(arms):
        raise ConflictSimError(f"--arms: names must be distinct (got {', '.join(arms)})")
    document: dict[str, Any] = {
        "name": name or f"compare-{scenarios.load(scenario).name}",
        "description": f"Policy comparison on {scenario}: {', '.join(arms)} (baseline {arms[0]}).",
        "scenario": scenario,
        "days": days,
        "warmup_days": warmup_days,
        "replications": replications,
        "root_seed": root_seed,
        "outcomes": "all",
        "daily": list(DAILY),
    }
    if overrides:
        document["overrides"] = dict(overrides)
    document["arms"] = [arm_table(a, scenario) for a in arms]
    return tomli_w.dumps(document)
