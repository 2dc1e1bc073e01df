"""docs/ODD.md follows the ODD protocol and its generated tables match the code."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from conflict_sim.analysis import odd
from conflict_sim.params import Params
from conflict_sim.policies import REGISTRY

ODD = Path(__file__).resolve().parent.parent / "docs" / "ODD.md"
ELEMENTS = (
    "1. Purpose and patterns",
    "2. Entities, state variables, and scales",
    "3. Process overview and scheduling",
    "4. Design concepts",
    "5. Initialization",
    "6. Input data",
    "7. Submodels",
)
DESIGN_CONCEPTS = (
    "Basic principles",
    "Emergence",
    "Adaptation",
    "Objectives",
    "Learning",
    "Prediction",
    "Sensing",
    "Interaction",
    "Stochasticity",
    "Collectives",
    "Observation",
)


@pytest.fixture(scope="module")
def text() -> str:
    return ODD.read_text(encoding="utf-8")


def test_generated_tables_are_up_to_date(text):
    """Regenerating the tables changes nothing (run `python -m conflict_sim.analysis.odd docs/ODD.md`)."""
    assert odd.render(text) == text


@pytest.mark.parametrize("field", dataclasses.fields(Params), ids=lambda f: f.name)
def test_every_parameter_is_listed_with_its_default(text, field):
    """Each `Params` field has a row in docs/ODD.md showing its current default."""
    parameters = text.split("BEGIN GENERATED PARAMETERS")[1]
    row = re.search(rf"^\| `{field.name}` \| ([^|]*) \|", parameters, re.MULTILINE)
    assert row, f"{field.name} is missing from docs/ODD.md"
    assert row.group(1).strip() == odd.default_text(field.default)


def test_every_countermeasure_is_listed(text):
    """Each registered policy has a row in the countermeasure table."""
    for name in REGISTRY:
        assert f"| `{name}` |" in text, name


def test_elements_follow_the_protocol_order(text):
    """The seven ODD elements appear as headings, with the protocol's names, in its order."""
    headings = re.findall(r"^## (.+)$", text, re.MULTILINE)
    assert [h for h in headings if h in ELEMENTS] == list(ELEMENTS)


def test_all_design_concepts_are_described(text):
    """Element 4 names each of the eleven design concepts of Grimm et al. (2020)."""
    section = text.split("## 4. Design concepts")[1].split("## 5.")[0]
    for concept in DESIGN_CONCEPTS:
        assert f"**{concept}.**" in section, concept


def test_a_stale_default_is_caught(text):
    """The check is not vacuous: a row with another default is not up to date, and regenerating fixes it."""
    stale = text.replace("| `voice_threshold` | 0.1 |", "| `voice_threshold` | 0.2 |")
    assert stale != text and odd.render(stale) == text
