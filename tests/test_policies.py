"""The policy library: the contract every countermeasure keeps, and its direction of effect."""

from __future__ import annotations

import dataclasses
import pkgutil

import pandas as pd
import pytest

from conflict_sim import policies
from conflict_sim.errors import ConflictSimError, ParameterError
from conflict_sim.model import PetitionModel
from conflict_sim.params import PARAM_FIELDS
from conflict_sim.policies import REGISTRY, ParameterPolicy, build, to_spec
from experiments.policy_directions import DIRECTIONS, direction_runs
from experiments.validation.seedsets import Paired, outcome
from tests.conftest import simulation_workers

CONTRACT_DAYS = 90


def test_every_policy_module_is_registered():
    """Adding a file to policies/ without registering it fails here."""
    modules = {m.name for m in pkgutil.iter_modules(policies.__path__)} - {"base"}
    registered = {cls.__module__.rsplit(".", 1)[1] for cls in REGISTRY.values()}
    assert registered == modules


@pytest.mark.parametrize("kind", sorted(REGISTRY))
def test_policy_describes_itself(kind):
    """A policy has its registry name, a theory, a Chinese label, a docstring and defaults."""
    cls = REGISTRY[kind]
    policy = cls()
    assert policy.name == kind and cls.theory and cls.label_zh and cls.__doc__
    assert dataclasses.is_dataclass(policy)
    assert set(cls.levers()) <= set(PARAM_FIELDS)


@pytest.mark.parametrize("kind", sorted(REGISTRY))
def test_policy_round_trips_through_its_spec(kind, tmp_path):
    """to_spec -> TOML -> build gives back an equal policy."""
    import tomllib

    import tomli_w

    policy = REGISTRY[kind](start_day=7)
    path = tmp_path / "policy.toml"
    path.write_text(tomli_w.dumps({"policies": [to_spec(policy)]}))
    assert build(tomllib.loads(path.read_text())["policies"][0]) == policy


@pytest.mark.parametrize("kind", sorted(REGISTRY))
def test_policy_contract(kind, tiny):
    """Changes only its declared parameters, from its start day; conserves households and issues."""
    policy = REGISTRY[kind](start_day=30)
    model = PetitionModel(tiny, policies=[policy], rng=3)
    households = len(model.residents)
    model.run_for(29)
    assert model.params == tiny  # nothing before the start day
    model.run_for(CONTRACT_DAYS - 29)
    changed = model.params.changed(tiny)
    assert changed and set(changed) <= set(policy.levers())
    assert len(model.residents) == households
    assert model.state_counts.sum() == model.log.issue_count
    assert (model.state_counts >= 0).all()


def test_policies_compose_in_order(tiny):
    """Several policies in one run are all applied, in order: a later absolute setting wins."""
    first = REGISTRY["procedural_justice"](procedural_justice=0.9)
    social = REGISTRY["social_organisations"](justice_gain=0.05, extra_mediators=1.0)
    mediation = REGISTRY["fengqiao_mediation"](mediators_per_community=6.0)
    model = PetitionModel(tiny, policies=[first, social, mediation], rng=1)
    model.run_for(2)
    assert model.params.procedural_justice == pytest.approx(0.95)
    assert model.params.mediators_per_community == 6.0
    reordered = PetitionModel(tiny, policies=[first, mediation, social], rng=1)
    reordered.run_for(2)
    assert reordered.params.mediators_per_community == 7.0


@pytest.mark.parametrize("kind", sorted(REGISTRY))
def test_policy_rejects_out_of_range_values(kind):
    """Every numeric field of every policy refuses a value far outside its range, in one line."""
    cls = REGISTRY[kind]
    for f in dataclasses.fields(cls):
        if isinstance(f.default, bool) or not isinstance(f.default, int | float):
            continue
        with pytest.raises(ParameterError) as err:
            cls(**{f.name: 1e9})
        assert "\n" not in str(err.value) and f.name in str(err.value)


def test_build_rejects_unknown_kinds_and_fields():
    """A misspelt kind or field in a scenario's [[policies]] is a one-line error naming it."""
    with pytest.raises(ConflictSimError, match="open_chanels"):
        build({"kind": "open_chanels"})
    with pytest.raises(ConflictSimError, match="cost_onlin"):
        build({"kind": "open_channels", "cost_onlin": 0.0})


def test_relative_policies_scale_current_values(tiny):
    """Source governance cuts the current arrival multiplier, so it composes with other changes."""
    policy = REGISTRY["source_governance"](land_housing_cut=0.5)
    assert policy.changes(tiny.replace(land_housing_rate_multiplier=2.0))[
        "land_housing_rate_multiplier"
    ] == pytest.approx(1.0)
    assert isinstance(policy, ParameterPolicy)


# --- direction of effect ------------------------------------------------------------------------
# The directions, their worlds and seed sets are declared once, in experiments/policy_directions.py (which
# also writes the tables of docs/policies.md from the same runs). Margin: the mean paired difference
# (policy minus none) exceeds 3 standard errors; Chengzhong at the faithful 1:4 sample (docs/model.md
# section 8); outcomes after a 1-year warm-up.


@pytest.fixture(scope="module")
def effects():
    """Paired differences of each direction's target outcome."""
    runs = direction_runs(workers=simulation_workers())
    return {d.kind: Paired.of(*(outcome(arm, d.outcome) for arm in runs[d.kind])) for d in DIRECTIONS}


@pytest.mark.slow
@pytest.mark.parametrize("direction", DIRECTIONS, ids=lambda d: d.kind)
def test_policy_direction(effects, direction):
    """The policy moves its target outcome the intended way by > 3 SE of paired differences."""
    effect = effects[direction.kind]
    assert direction.sign * effect.mean > 3 * effect.se, f"{direction.kind} on {direction.outcome}: {effect}"


def test_cli_lists_and_describes_policies(capsys):
    """`list policies` names every policy; `describe` prints a policy's fields and a preset's policies."""
    from conflict_sim.cli import main

    assert main(["list", "policies"]) == 0
    listed = capsys.readouterr().out
    assert all(kind in listed for kind in REGISTRY)
    assert main(["describe", "source_governance"]) == 0
    assert "land_housing_cut" in capsys.readouterr().out
    assert main(["describe", "combined_harmonious"]) == 0
    described = capsys.readouterr().out
    assert all(kind in described for kind in REGISTRY)
    assert main(["describe", "no_such_thing"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_direction_table_states_each_verdict_and_the_largest_side_effects():
    """The docs table: a target short of 3 SE reads FAILS, and side effects are those beyond 3 SE, largest first."""
    from experiments.policy_directions import markdown

    rows = []
    for i, d in enumerate(DIRECTIONS):
        failing = i == 0
        rows.append(
            {
                "policy": d.kind,
                "outcome": d.outcome,
                "difference": d.sign * (1.0 if failing else 5.0),
                "se": 1.0,
                "z": d.sign * (1.0 if failing else 5.0),
                "seeds": d.seeds,
                "target": True,
            }
        )
        for name, z in (("small", 2.0), ("large", -9.0), ("medium", 4.0)):
            rows.append(
                {
                    "policy": d.kind,
                    "outcome": name,
                    "difference": z,
                    "se": 1.0,
                    "z": z,
                    "seeds": d.seeds,
                    "target": False,
                }
            )
    text = markdown(pd.DataFrame(rows))
    first, second = DIRECTIONS[0].kind, DIRECTIONS[1].kind
    assert f"| `{first}` | `{DIRECTIONS[0].outcome}`" in text and "FAILS |" in text.split(f"`{second}`")[0]
    side = next(line for line in text.splitlines() if line.startswith(f"| `{second}` | `large`"))
    assert side.index("`large`") < side.index("`medium`") and "`small`" not in side
