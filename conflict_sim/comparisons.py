"""The experiment behind `conflict-sim compare SCENARIO --arms a,b,c`, built as typed values.

An arm is named by a policy (its default settings) or by a preset scenario (its parameter changes
from the defaults plus its policies); `baseline` or the scenario's own name is the scenario as it is.
The reference arm (default `baseline`) is the one the others are compared with; it is recorded in the
experiment, never taken from the order of `--arms`. Reads the scenario and policy libraries only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from conflict_sim import scenarios
from conflict_sim.designs import Design
from conflict_sim.errors import ExperimentError
from conflict_sim.params import Params
from conflict_sim.policies import REGISTRY
from conflict_sim.spec import Arm, Experiment, RunConfiguration

BASELINE = "baseline"


def arm(name: str, scenario: str) -> Arm:
    """The arm a name stands for; unknown names are a one-line error listing the known ones."""
    if name in (BASELINE, scenario):
        return Arm(name)
    if name in REGISTRY:
        return Arm.of(name, ({"kind": name},))
    if name in scenarios.names():
        preset = scenarios.load(name)
        changes = {k: new for k, (_, new) in preset.params.changed(Params()).items()}
        return Arm.of(name, preset.policy_specs, changes)
    raise ExperimentError(
        f"arm {name!r}: not a policy or a preset scenario (policies: {', '.join(sorted(REGISTRY))}; "
        f"scenarios: {', '.join(scenarios.names())}; or {BASELINE!r})"
    )


def comparison(
    scenario: str,
    arms: Sequence[str],
    *,
    replications: int,
    days: int,
    warmup_days: int,
    root_seed: int,
    overrides: Mapping[str, Any] | None = None,
    reference: str = BASELINE,
    daily: tuple[str, ...] | None = None,
    name: str | None = None,
) -> Experiment:
    """An experiment comparing `arms` on `scenario`, every outcome kept, paired on common seeds."""
    if len(arms) < 2:
        raise ExperimentError("--arms: give at least two arms (e.g. baseline,channels_open)")
    if len(set(arms)) < len(arms):
        raise ExperimentError(f"--arms: names must be distinct (got {', '.join(arms)})")
    if reference not in arms:
        raise ExperimentError(f"--reference {reference!r}: must be one of the arms ({', '.join(arms)})")
    for what, value, lo in (("--replications", replications, 1), ("--days", days, 1), ("--seed", root_seed, 0)):
        if value < lo:
            raise ExperimentError(f"{what} {value}: must be an integer >= {lo}")
    if not 0 <= warmup_days < days:
        raise ExperimentError(f"--warmup-days {warmup_days}: must be in [0, {days - 1}]")
    base = scenarios.load(scenario)
    changes = dict(overrides or {})
    base.params.replace(**changes)  # one-line ParameterError for a bad override
    ordered = [reference, *(a for a in arms if a != reference)]  # analysis reads the first arm as the reference
    built = tuple(arm(a, scenario) for a in ordered)
    for a in built:
        base.params.replace(**{**changes, **a.params})
    return Experiment(
        name=name or f"compare-{base.name}",
        scenarios=(base,),
        design=Design("list", (), ({},)),
        arms=built,
        replications=replications,
        root_seed=root_seed,
        config=RunConfiguration(days, warmup_days, None, daily),
        overrides=changes,
        description=f"Policy comparison on {scenario}: {', '.join(ordered)} (reference {reference}).",
        reference=reference,
    )
