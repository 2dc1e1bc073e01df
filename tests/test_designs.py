"""Sweep reports that know their design: per-point tables, factorial effects and interactions, sensitivity
indices that state their precision, and the noise share of sampled designs."""

from __future__ import annotations

import pandas as pd
import pytest

from conflict_sim.analysis import designs, report
from tests.synthetic_results import EFFECT, INTERACTION, synthetic_study

LEVELS = {"office_quality": [0.5, 0.8], "procedural_justice": [0.3, 0.7]}


@pytest.fixture(scope="module")
def factorial():
    """Finding 3's demo: a 2 x 2 factorial x 2 arms x 4 replications."""
    study = synthetic_study(arms=("baseline", "better"), levels=LEVELS, n=4, days=60, warmup_days=10)
    return report.analyse(study, outcomes=["substantive_resolution_rate", "cost_total"])


def test_each_design_point_has_its_own_rows_with_its_own_replications(factorial):
    """4 points x 4 replications are 4 replications per point, never 16 pooled ones."""
    c = factorial.comparison
    assert len(c.points) == 4
    assert set(c.summary["n"]) == {4}
    assert len(c.differences[c.differences["family"] == "main"]) == 4 * 2  # 4 points x 1 treated arm x 2 outcomes
    assert c.point_label(1) == "office_quality = 0.5, procedural_justice = 0.7"


def test_the_report_has_a_summary_and_a_comparison_per_design_point(factorial):
    """The main table and the comparison table come in one part per point, each captioned with its point."""
    tables = {t.stem: t for t in report.table_set(factorial)}
    assert len(tables["summary"].parts) == 4 and len(tables["comparison"].parts) == 4
    captions = [tables["summary"].caption(suffix) for suffix, _ in tables["summary"].parts]
    assert "(office_quality = 0.8, procedural_justice = 0.3)" in captions[2]
    assert "effects" in tables


def test_factorial_effects_recover_the_arm_effect_and_its_interaction(factorial):
    """'better' adds EFFECT, plus INTERACTION when office quality is high: the arm's main effect is
    EFFECT + INTERACTION / 2, its interaction with office quality INTERACTION, with procedural justice 0."""
    effects = factorial.design.effects
    rows = effects[effects["outcome"] == "substantive_resolution_rate"].set_index("term")
    assert rows.loc["arm: better vs baseline", "mean_diff"] == pytest.approx(EFFECT + INTERACTION / 2)
    assert rows.loc["office_quality × arm: (0.8 vs 0.5) × (better vs baseline)", "mean_diff"] == pytest.approx(
        INTERACTION
    )
    assert rows.loc["procedural_justice × arm: (0.7 vs 0.3) × (better vs baseline)", "mean_diff"] == pytest.approx(0)
    assert rows.loc["office_quality: 0.8 vs 0.5", "n_pairs"] == 4  # within replications: n is the replications
    assert set(rows["verdict"]) <= {"important", "negligible", "below MID", "inconclusive", "no difference"}


def test_a_factorial_report_draws_the_interactions(factorial):
    """One interaction figure per design parameter; per-point distributions are not pooled into one."""
    stems = [s.stem for s in report.figure_sections(factorial)]
    assert "interactions-office_quality" in stems and "interactions-procedural_justice" in stems
    assert "distributions" not in stems


def _sobol(s1: list[float], st: list[float], conf: float) -> pd.DataFrame:
    return pd.DataFrame({"outcome": "y", "parameter": ["a", "b"], "S1": s1, "S1_conf": conf, "ST": st, "ST_conf": conf})


def test_sobol_indices_outside_zero_and_one_are_not_converged():
    """Finding 3: S1 = 1.98 from a small sample is flagged, with the interval width that shows it."""
    (row,) = designs._convergence(_sobol([1.98, 0.1], [1.5, 0.2], 0.4), "sobol").to_dict("records")
    assert not row["converged"] and "outside [0, 1]" in row["problem"] and "0.80 wide" in row["problem"]


def test_narrow_consistent_sobol_indices_have_converged():
    """Intervals at most 0.05 wide (Sarrazin et al. 2016) with S1 <= ST inside [0, 1]: converged."""
    (row,) = designs._convergence(_sobol([0.6, 0.1], [0.7, 0.15], 0.02), "sobol").to_dict("records")
    assert row["converged"] and row["widest_ci"] == pytest.approx(0.04)


def test_morris_convergence_is_relative_to_the_largest_mu_star():
    """Morris: the widest mu* interval over the largest mu*; 2 x 0.1 / 10 = 0.02 converges, 2 x 1 / 10 does not."""
    table = pd.DataFrame({"outcome": "y", "parameter": ["a", "b"], "mu_star": [10.0, 1.0], "sigma": 1.0})
    assert designs._convergence(table.assign(mu_star_conf=0.1), "morris")["converged"].all()
    assert not designs._convergence(table.assign(mu_star_conf=1.0), "morris")["converged"].any()


def test_sampled_designs_report_the_spread_over_the_design_and_its_noise_share():
    """An LHS design: point means' quartiles per arm and the share of variance that is replication noise."""
    study = synthetic_study(arms=("baseline",), levels={"office_quality": [0.5, 0.6, 0.7, 0.8]}, method="lhs", n=4)
    spread = designs.design_spread(study, ["substantive_resolution_rate", "cost_total"]).set_index("outcome")
    resolution = spread.loc["substantive_resolution_rate"]
    assert resolution["points"] == 4 and resolution["min"] < resolution["max"]
    assert 0 <= spread.loc["cost_total", "noise_share"] <= 1
