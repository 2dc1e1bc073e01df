"""The scenario presets: each is data that loads, documents itself with its sources, and runs."""

from __future__ import annotations

import re

import pytest

from conflict_sim import scenarios
from conflict_sim.run import simulate

PRESETS = (
    "baseline_2010s",
    "channels_open",
    "fengqiao_grid",
    "fast_fair",
    "rule_of_law",
    "reformed_evaluation",
    "repressive",
    "buy_stability",
    "shock_sudden",
    "shock_gradual",
    "combined_harmonious",
)
# The project stands alone: a preset cites original sources, never the team's internal files.
INTERNAL = re.compile(r"petition[-]system|\.\./shared|shared[/]domain|HOUSE_STYLE|BRIEF\.md")


def test_every_preset_of_the_domain_is_bundled():
    """All eleven presets of the policy comparison are bundled scenarios."""
    assert set(PRESETS) <= set(scenarios.names())


@pytest.mark.parametrize("name", PRESETS)
def test_preset_documents_itself(name):
    """A preset starts from Chengzhong and says what it is, which theory it tests and its original sources."""
    scenario = scenarios.load(name)
    assert scenario.description.strip() and scenario.theory.strip() and scenario.sources.strip()
    for text in (scenario.description, scenario.theory, scenario.sources):
        assert not INTERNAL.search(text), text
    assert scenario.params.population == scenarios.load("chengzhong").params.population


@pytest.mark.parametrize("name", scenarios.names())
def test_no_scenario_cites_internal_files(name):
    """Every bundled scenario, presets or not, describes itself without pointing at the team's internal files."""
    scenario = scenarios.load(name)
    for text in (scenario.description, scenario.theory, scenario.sources):
        assert not INTERNAL.search(text), text


@pytest.mark.parametrize("name", PRESETS)
def test_preset_runs_at_a_sample(name):
    """At the 1:50 sample a preset runs 120 days, keeping every issue in exactly one state."""
    scenario = scenarios.load(name)
    out = simulate(scenario.params.replace(households_per_agent=50), seed=1, days=120, policies=scenario.policies)
    assert len(out.daily) == 120 and out.outcomes["issues_per_year"] > 0
    assert (out.daily["open_issues"] <= out.daily["issues"]).all()


def test_reform_presets_differ_from_the_baseline():
    """Every preset except the baseline changes parameters or adds policies; none is a silent copy."""
    baseline = scenarios.load("baseline_2010s")
    assert baseline.params == scenarios.load("chengzhong").params  # the baseline restates defaults
    for name in PRESETS[1:]:
        scenario = scenarios.load(name)
        assert scenario.policies or scenario.params.changed(baseline.params), name
