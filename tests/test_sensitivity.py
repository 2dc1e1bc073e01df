"""Sensitivity indices from stored runs, checked on a response whose indices are known exactly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import tomli_w

from conflict_sim import experiment, runner
from conflict_sim.cli import main
from conflict_sim.run import RunOutput


def linear_model(params, *, seed, days, policies=(), warmup_days=0) -> RunOutput:
    """A stand-in for the model whose outcome is y = 4 q + r (q office quality, r recognition)."""
    daily = pd.DataFrame({"petitions": [0]}, index=pd.Index([1], name="day"))
    return RunOutput(daily, {"y": 4 * params.office_quality + params.recognition, "constant": 1.0}, 0.0)


def sweep_linear(tmp_path: Path, monkeypatch, design: dict, batch_size: int = 64) -> Path:
    path = tmp_path / "linear.toml"
    path.write_text(
        tomli_w.dumps(
            {
                "name": "linear",
                "scenario": "tiny",
                "days": 1,
                "root_seed": 3,
                "daily": [],
                "batch_size": batch_size,
                "arms": [{"name": "a"}, {"name": "b"}],
                "design": {"parameters": ["office_quality", "recognition"], **design},
            }
        )
    )
    out = tmp_path / "out"
    runner.run_experiment(experiment.load(path), out, runner.sequential(), simulate=linear_model)
    return out


def test_sobol_indices_match_the_analytic_values_of_a_linear_response(tmp_path, monkeypatch):
    """y = 4q + r with q, r ~ U(0, 1): S1 = ST = 16/17 and 1/17. Saltelli estimates of an additive
    response are off by 2e-3 at N = 128 (quasi-random error), so 0.01 is a safe margin."""
    out = sweep_linear(tmp_path, monkeypatch, {"method": "sobol", "samples": 128})
    assert main(["sensitivity", str(out), "--outcome", "y"]) == 0
    table = pd.read_csv(out / "sensitivity" / "y-sobol.csv")
    assert (out / "sensitivity" / "y-sobol.png").stat().st_size > 0
    assert list(table["arm"]) == ["a", "a", "b", "b"]  # one analysis per arm
    for _, row in table.iterrows():
        expected = {"office_quality": 16 / 17, "recognition": 1 / 17}[row["parameter"]]
        assert abs(row["S1"] - expected) < 0.01 and abs(row["ST"] - expected) < 0.01
        assert 0 < row["S1_conf"] < 0.25 and 0 < row["ST_conf"] < 0.25


def test_morris_mu_star_equals_the_slopes_of_a_linear_response(tmp_path, monkeypatch):
    """For y = 4q + r every elementary effect is the slope: mu* = 4 and 1, sigma = 0."""
    out = sweep_linear(tmp_path, monkeypatch, {"method": "morris", "samples": 6})
    assert main(["sensitivity", str(out), "--outcome", "y", "--method", "morris"]) == 0
    table = pd.read_csv(out / "sensitivity" / "y-morris.csv").set_index(["arm", "parameter"])
    np.testing.assert_allclose(table.loc["a", "mu_star"], [4.0, 1.0], rtol=1e-9)
    np.testing.assert_allclose(table.loc["b", "sigma"], [0.0, 0.0], atol=1e-9)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--outcome", "y", "--method", "morris"], "need a 'morris' design"),
        (["--outcome", "constant"], "the same value"),
        (["--outcome", "z"], "not among the stored outcomes"),
    ],
)
def test_bad_sensitivity_requests_are_one_line_errors(tmp_path, monkeypatch, capsys, args, message):
    """A method the design does not support, or an unknown outcome: exit 2 and one line."""
    out = sweep_linear(tmp_path, monkeypatch, {"method": "sobol", "samples": 8})
    assert main(["sensitivity", str(out), *args]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1


def test_sensitivity_refuses_an_unfinished_sweep(tmp_path, monkeypatch, capsys):
    """Indices need every design point: a missing run is an error, not a silently biased index."""
    out = sweep_linear(tmp_path, monkeypatch, {"method": "sobol", "samples": 8}, batch_size=1)
    next((out / "runs").glob("part-*.parquet")).unlink()
    assert main(["sensitivity", str(out), "--outcome", "y"]) == 2
    assert "missing at 1 of 32 design points" in capsys.readouterr().err
