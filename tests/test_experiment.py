"""Experiment files: designs, bounds, seeds and run keys, and one-line errors for bad files."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from conflict_sim import experiment
from conflict_sim.cli import main
from conflict_sim.errors import ConflictSimError
from conflict_sim.params import PARAM_FIELDS

EXPERIMENTS = Path(__file__).resolve().parent.parent / "experiments"


def write(tmp_path: Path, name: str = "exp", **fields) -> Path:
    """An experiment file on tiny with `fields` on top of a minimal valid definition."""
    data = {"name": name, "scenario": "tiny", "days": 60, "root_seed": 11, **fields}
    data = {k: v for k, v in data.items() if v is not None}
    path = tmp_path / f"{name}.toml"
    path.write_text(tomli_w.dumps(data))
    return path


def sampled(method: str, samples: int, parameters=("office_quality", "handling_mean_days"), **extra) -> dict:
    return {"method": method, "parameters": list(parameters), "samples": samples, **extra}


def test_factorial_design_is_the_product_of_its_levels(tmp_path):
    """A factorial design has prod(len(levels)) points, each combination exactly once."""
    levels = {"office_quality": [0.4, 0.6, 0.8], "handling_mean_days": [15, 45], "clock_mode": ["calendar", "working"]}
    exp = experiment.load(write(tmp_path, design={"method": "factorial", "levels": levels}))
    combos = {tuple(p.values()) for p in exp.design.points}
    assert len(exp.design.points) == 12
    assert combos == set(itertools.product(*levels.values()))


def test_list_design_keeps_its_points_in_order(tmp_path):
    """An explicit list design runs exactly the listed points, in the listed order."""
    points = [{"office_quality": 0.3}, {"office_quality": 0.9, "recognition": 0.5}]
    exp = experiment.load(write(tmp_path, design={"method": "list", "points": points}))
    assert list(exp.design.points) == points


@pytest.mark.parametrize(
    ("method", "samples", "extra", "expected"),
    [
        ("lhs", 10, {}, 10),  # n samples
        ("sobol", 16, {}, 16 * (3 + 2)),  # N (D + 2) without second order
        ("sobol", 8, {"second_order": True}, 8 * (2 * 3 + 2)),  # N (2D + 2) with second order
        ("morris", 5, {}, 5 * (3 + 1)),  # r (D + 1) trajectories
    ],
)
def test_sampled_designs_have_the_documented_size_within_bounds(tmp_path, method, samples, extra, expected):
    """LHS, Sobol' and Morris give the documented number of points, all inside their bounds."""
    params = ("office_quality", "handling_mean_days", "grid_capacity")
    design = sampled(method, samples, params, bounds={"handling_mean_days": [10, 60]}, **extra)
    exp = experiment.load(write(tmp_path, design=design))
    assert len(exp.design.points) == expected == len(exp.design.samples)
    bounds = {
        "office_quality": (0.0, 1.0),
        "handling_mean_days": (10, 60),
        "grid_capacity": (PARAM_FIELDS["grid_capacity"].metadata["min"], PARAM_FIELDS["grid_capacity"].metadata["max"]),
    }
    for point in exp.design.points:
        for name, (lo, hi) in bounds.items():
            assert lo <= point[name] <= hi


def test_default_bounds_are_the_parameters_allowed_ranges(tmp_path):
    """Without [design.bounds], a parameter's bounds are the min and max of its metadata."""
    exp = experiment.load(write(tmp_path, design=sampled("lhs", 4)))
    for name in ("office_quality", "handling_mean_days"):
        meta = PARAM_FIELDS[name].metadata
        assert exp.design.bounds[name] == (meta["min"], meta["max"])


def test_integer_parameters_are_rounded_but_raw_samples_kept(tmp_path):
    """Integer parameters take rounded values; the raw samples stay for SALib."""
    exp = experiment.load(write(tmp_path, design=sampled("lhs", 8, ("handle_limit_days",))))
    values = [p["handle_limit_days"] for p in exp.design.points]
    assert all(isinstance(v, int) for v in values)
    assert values == [round(v) for v in exp.design.samples[:, 0]]


def test_same_file_and_root_seed_give_same_design_and_seeds(tmp_path):
    """Loading one file twice gives identical designs and seeds; another root seed changes both."""
    path = write(tmp_path, design=sampled("lhs", 6), replications=3)
    first, again = experiment.load(path), experiment.load(path)
    other = experiment.load(write(tmp_path, "other", design=sampled("lhs", 6), replications=3, root_seed=12))
    assert first.design.points == again.design.points and first.seeds == again.seeds
    assert first.design.points != other.design.points and first.seeds != other.seeds


def test_seeds_are_spawned_from_the_root_seed():
    """Replication r's seed comes from SeedSequence(root).spawn(n)[r], as a 63-bit int."""
    seeds = experiment.spawn_seeds(11, 4)
    children = np.random.SeedSequence(11).spawn(4)
    assert seeds == tuple(int(c.generate_state(1, np.uint64)[0]) >> 1 for c in children)
    assert len(set(seeds)) == 4 and all(0 <= s < 2**63 for s in seeds)


def test_runs_share_replication_seeds_across_arms_and_points(tmp_path):
    """Common random numbers: a replication has one seed in every arm and design point."""
    arms = [{"name": "a", "policies": []}, {"name": "b", "params": {"recognition": 0.9}}]
    design = {"method": "factorial", "levels": {"office_quality": [0.4, 0.8]}}
    exp = experiment.load(write(tmp_path, arms=arms, design=design, replications=3))
    runs = exp.runs()
    assert len(runs) == len(exp) == 2 * 2 * 3
    assert len({r.key for r in runs}) == len(runs)
    for r in runs:
        assert r.seed == exp.seeds[r.replication]
        assert r.key == f"p{r.point}-a{['a', 'b'].index(r.arm)}-r{r.replication}"
    assert {r.params.recognition for r in runs if r.arm == "b"} == {0.9}


def test_multiple_scenarios_cross_the_design(tmp_path):
    """With scenarios = [...], every scenario meets every design point (points = S x design)."""
    exp = experiment.load(
        write(
            tmp_path,
            scenario=None,
            scenarios=["tiny", "baseline_2010s"],
            design={"method": "factorial", "levels": {"office_quality": [0.5, 0.7]}},
        )
    )
    assert exp.n_points == 4
    assert {(r.scenario, r.values["office_quality"]) for r in exp.runs()} == set(
        itertools.product(["tiny", "baseline_2010s"], [0.5, 0.7])
    )


def test_bundled_examples_load():
    """The example experiment files in experiments/ are valid."""
    for name in ("open_channels_demo", "sensitivity_example"):
        assert len(experiment.load(EXPERIMENTS / f"{name}.toml")) > 0


@pytest.mark.parametrize(
    ("fields", "names"),
    [
        ({"colour": "red"}, ["colour", "allowed"]),
        ({"days": 0}, ["days=0", "integer >= 1"]),
        ({"warmup_days": 60}, ["warmup_days=60", "[0, 59]"]),
        ({"root_seed": None}, ["root_seed", "required"]),
        ({"scenario": "atlantis"}, ["scenario", "unknown", "tiny"]),
        ({"design": {"method": "grid"}}, ["design.method='grid'", "factorial, list, lhs, sobol, morris"]),
        ({"design": sampled("lhs", 4, ("office_qualty",))}, ["office_qualty", "unknown parameter"]),
        ({"design": sampled("lhs", 4, ("clock_mode",))}, ["clock_mode", "not numeric"]),
        (
            {"design": sampled("lhs", 4, bounds={"office_quality": [0.5, 2.0]})},
            ["design.bounds.office_quality", "0.0 <= low < high <= 1.0"],
        ),
        ({"design": sampled("sobol", 12)}, ["design.samples=12", "power of 2"]),
        ({"design": sampled("morris", 4, num_levels=3)}, ["num_levels=3", "even"]),
        (
            {"design": {"method": "list", "points": [{"reasonable_share": 0.95}]}},
            ["design point 0", "must not exceed 1"],
        ),
        ({"arms": [{"name": "x"}, {"name": "x"}]}, ["arms", "distinct"]),
        ({"arms": [{"name": "x", "policies": [{"kind": "magic"}]}]}, ["arms[0].policies", "magic"]),
        ({"arms": [{"name": "x", "params": {"office_quality": 7}}]}, ["arms[0].params", "office_quality"]),
        ({"overrides": {"nonsense": 1}}, ["[overrides]", "nonsense"]),
        ({"outcomes": ["happiness"]}, ["outcomes", "happiness", "substantive_resolution_rate"]),
        ({"outcomes": []}, ["outcomes", "at least one"]),
        ({"daily": ["mood"]}, ["daily", "mood", "legitimacy_local"]),
    ],
)
def test_bad_experiment_files_are_one_line_errors_naming_the_field(tmp_path, fields, names):
    """A bad field is one line that names the field and what is allowed."""
    with pytest.raises(ConflictSimError) as caught:
        experiment.load(write(tmp_path, **fields))
    message = str(caught.value)
    assert "\n" not in message
    for name in names:
        assert name in message


def test_cli_rejects_a_bad_experiment_with_exit_2_and_writes_nothing(tmp_path, capsys):
    """`sweep` on a bad file: exit 2, one line on stderr, no results folder."""
    path = write(tmp_path, design={"method": "grid"})
    assert main(["sweep", str(path), "--out", str(tmp_path / "out"), "--backend", "sequential"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "design.method" in err
    assert not (tmp_path / "out").exists()


@settings(max_examples=25, deadline=None)
@given(
    samples=st.integers(2, 40), low=st.floats(0.0, 0.85), width=st.floats(0.01, 0.1), root_seed=st.integers(0, 2**32)
)
def test_lhs_points_stay_inside_any_valid_bounds(samples, low, width, root_seed):
    """For any bounds inside a parameter's range, an LHS design has `samples` points within them."""
    text = tomli_w.dumps(
        {
            "scenario": "tiny",
            "days": 10,
            "root_seed": root_seed,
            "design": {
                "method": "lhs",
                "parameters": ["office_quality"],
                "samples": samples,
                "bounds": {"office_quality": [low, low + width]},
            },
        }
    )
    points = experiment.from_text(text).design.points
    assert len(points) == samples
    assert all(low <= p["office_quality"] <= low + width for p in points)
