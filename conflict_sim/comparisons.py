"""The experiments behind `conflict-sim compare`, built as typed values.

`comparison`: arms on one scenario (`compare SCENARIO --arms a,b,c`), or the same arms on several
districts side by side (`compare chengzhong,chengdong --arms a,b`), so that a policy's effect in one
district can be set beside its effect in another.

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
from conflict_sim.district import check_sample
from conflict_sim.districts import DISTRICT_FIELDS
from conflict_sim.errors import ExperimentError
from conflict_sim.params import Params
from conflict_sim.policies import REGISTRY
from conflict_sim.scenarios import Scenario
from conflict_sim.spec import PER_SCENARIO, SHARED, Arm, Experiment, RunConfiguration

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
    scenario: str | Sequence[str],
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
    """An experiment comparing `arms` on `scenario`, every outcome kept, paired on common seeds.

    Given several scenarios (a sequence of names), the same arms run on each district side by side,
    each district paired within itself only: every arm of a district shares that district's seeds, and
    each district has its own seed set (`seed_sets = "per_scenario"`; the first district's is the
    common one, so its runs are those of a comparison on it alone with the same root seed). Districts
    are then independent samples, which the unpaired comparison of their effects assumes; the scenarios
    may differ only in their district (and the figures it brings), so that a difference of effects is a
    difference of districts.
    """
    _check_settings(arms, reference, replications, days, warmup_days, root_seed)
    names = [scenario] if isinstance(scenario, str) else list(scenario)
    several = not isinstance(scenario, str)
    if several:
        _check_names(names)
    loaded = tuple(scenarios.load(n) for n in names)
    ordered, built, changes = _arms(loaded, arms, reference, overrides, "" if several else names[0])
    if several:
        _check_districts(loaded, built, changes)
    listed = ", ".join(s.name for s in loaded)
    description = (
        f"Policy transfer across {listed}: {', '.join(ordered)} (reference {reference}); arms are paired within "
        "each district, districts are independent samples."
        if several
        else f"Policy comparison on {names[0]}: {', '.join(ordered)} (reference {reference})."
    )
    return Experiment(
        name=name or (f"transfer-{'-'.join(s.name for s in loaded)}" if several else f"compare-{loaded[0].name}"),
        scenarios=loaded,
        design=Design("list", (), ({},)),
        arms=built,
        replications=replications,
        root_seed=root_seed,
        config=RunConfiguration(days, warmup_days, None, daily),
        overrides=changes,
        description=description,
        reference=reference,
        seed_sets=PER_SCENARIO if several else SHARED,
    )


def _check_names(names: Sequence[str]) -> None:
    """Districts side by side: at least two scenarios, each named once."""
    listed = ", ".join(names) or "none"
    if len(names) < 2:
        raise ExperimentError(
            f"scenarios {listed}: districts side by side need at least two scenarios (e.g. chengzhong,chengdong)"
        )
    if len(set(names)) < len(names):
        raise ExperimentError(f"scenarios {listed}: names must be distinct")


def _check_settings(
    arms: Sequence[str], reference: str, replications: int, days: int, warmup_days: int, root_seed: int
) -> None:
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


def _arms(
    bases: Sequence[Scenario],
    arms: Sequence[str],
    reference: str,
    overrides: Mapping[str, Any] | None,
    own: str,
) -> tuple[list[str], tuple[Arm, ...], dict[str, Any]]:
    """(arm names with the reference first, the arms, the overrides), each checked on every scenario."""
    changes = dict(overrides or {})
    for base in bases:
        base.params.replace(**changes)  # one-line ParameterError for a bad override
    ordered = [reference, *(a for a in arms if a != reference)]  # analysis reads the first arm as the reference
    built = tuple(arm(a, own) for a in ordered)
    for base in bases:
        for a in built:
            check_sample(base.params.replace(**{**changes, **a.params}))  # a sample the district cannot honour
    return ordered, built, changes


def _check_districts(found: Sequence[Scenario], arms: Sequence[Arm], changes: Mapping[str, Any]) -> None:
    """Districts side by side differ in their district only; no arm may change a district's figures."""
    for a in arms:
        moved = [k for k in DISTRICT_FIELDS if k in a.params]
        if moved:
            raise ExperimentError(
                f"arm {a.name!r}: sets {', '.join(moved)}, which each district brings for itself; "
                "districts side by side keep their own"
            )
    home = found[0]
    base = home.params.replace(**changes)
    for other in found[1:]:
        params = other.params.replace(**changes)
        if params.district == base.district:
            raise ExperimentError(
                f"scenarios {home.name} and {other.name}: both run on district {base.district}; "
                "districts side by side need scenarios of different districts"
            )
        extra = [k for k in params.changed(base) if k not in DISTRICT_FIELDS]
        if extra:
            shown = ", ".join(extra[:4]) + (f" and {len(extra) - 4} more" if len(extra) > 4 else "")
            raise ExperimentError(
                f"scenario {other.name}: differs from {home.name} in {shown} besides the district; districts side "
                f"by side may differ only in {', '.join(DISTRICT_FIELDS)} (set shared values with --set NAME=VALUE)"
            )
        if list(other.policy_specs) != list(home.policy_specs):
            raise ExperimentError(
                f"scenario {other.name}: its standing policies differ from {home.name}'s; districts side by side "
                "must start from the same policies (name policies as arms instead)"
            )
