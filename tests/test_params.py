"""Params: validation with one-line messages, immutability, TOML round trips, CLI assignments."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conflict_sim import districts
from conflict_sim.errors import ConflictSimError, ParameterError
from conflict_sim.params import PARAM_FIELDS, Params, parse_assignment


def test_defaults_are_valid_and_documented():
    """Every field has a default inside its bounds, a unit or choices, a source tag and a meaning."""
    params = Params()
    for name, f in PARAM_FIELDS.items():
        m = f.metadata
        assert m["doc"], name
        assert m["source"] in {"S", "A", "D"}, name
        assert m["group"], name
        if m["min"] is not None:
            assert m["min"] <= getattr(params, name) <= m["max"], name
        elif name == "district":  # a name or a file, checked by reading it
            assert districts.load(f.default).units, name
        elif not isinstance(f.default, bool):
            assert f.default in m["choices"], name


def test_out_of_range_names_field_value_and_range():
    """An out-of-range value is rejected with the field, the value and the allowed range."""
    with pytest.raises(ParameterError) as info:
        Params(office_quality=1.5)
    message = str(info.value)
    assert "office_quality=1.5" in message and "[0.0, 1.0]" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("office_quality", "high"),
        ("subdistrict_staff", 2.5),
        ("subdistrict_staff", True),
        ("adaptive_manager", 1),
        ("arrest_ratio_mode", "ceil"),
    ],
)
def test_wrong_types_and_choices_are_rejected(name, value):
    """Strings for numbers, floats for integers, ints for switches and unknown choices all fail."""
    with pytest.raises(ParameterError, match=name):
        Params(**{name: value})


def test_integers_are_accepted_where_floats_are_expected():
    """Writing 1 for a probability is fine; it is still a number in range."""
    assert Params(office_quality=1).office_quality == 1


def test_unknown_name_is_rejected():
    """A typo in a parameter name is an error, not a silently ignored key."""
    with pytest.raises(ParameterError, match="unknown parameter"):
        Params().replace(ofice_quality=0.5)
    with pytest.raises(ParameterError, match="unknown parameter"):
        Params.from_mapping({"ofice_quality": 0.5})


def test_cross_field_constraints():
    """Merit shares cannot exceed one; court durations and collective sizes must be ordered."""
    with pytest.raises(ParameterError, match="partly_reasonable_share"):
        Params(reasonable_share=0.9, partly_reasonable_share=0.2)
    with pytest.raises(ParameterError, match="court_days_min"):
        Params(court_days_min=200, court_days_max=100)
    with pytest.raises(ParameterError, match="collective_large_people"):
        Params(collective_min_people=20, collective_large_people=10)


def test_params_are_frozen():
    """A parameter object cannot change under a running model."""
    with pytest.raises(dataclasses.FrozenInstanceError):
        Params().office_quality = 0.9  # type: ignore[misc]


def test_replace_validates():
    """`replace` runs the same validation as construction."""
    with pytest.raises(ParameterError):
        Params().replace(issue_rate=-1.0)
    assert Params().replace(issue_rate=0.3).issue_rate == 0.3


def test_derived_counts():
    """Households and agents follow population, household size and the sampling scale."""
    params = Params()
    assert params.households == round(325_813 / 2.62)
    assert Params(households_per_agent=50).agents == round(params.households / 50)


@settings(max_examples=25, deadline=None)
@given(
    quality=st.floats(0, 1),
    staff=st.integers(1, 200),
    mode=st.sampled_from(["raw", "floor", "round"]),
    manager=st.booleans(),
)
def test_toml_round_trip(tmp_path_factory, quality, staff, mode, manager):
    """Any valid Params written to TOML reads back equal."""
    path = tmp_path_factory.mktemp("p") / "params.toml"
    params = Params(office_quality=quality, subdistrict_staff=staff, arrest_ratio_mode=mode, adaptive_manager=manager)
    params.to_toml(path)
    assert Params.from_toml(path) == params


def test_malformed_and_missing_toml_are_one_line_errors(tmp_path: Path):
    """A missing file and a file that is not TOML give one-line errors naming the file."""
    with pytest.raises(ConflictSimError, match="file not found"):
        Params.from_toml(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("office_quality = = 1\n")
    with pytest.raises(ConflictSimError, match="malformed TOML") as info:
        Params.from_toml(bad)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("office_quality=0.7", ("office_quality", 0.7)),
        ("subdistrict_staff=9", ("subdistrict_staff", 9)),
        ("veto_enabled=false", ("veto_enabled", False)),
        ("clock_mode=working", ("clock_mode", "working")),
    ],
)
def test_cli_assignments_are_typed(text, expected):
    """`--set name=value` is parsed with the field's type."""
    assert parse_assignment(text) == expected


@pytest.mark.parametrize("text", ["office_quality", "subdistrict_staff=many", "veto_enabled=maybe", "nonsense=1"])
def test_bad_cli_assignments_fail(text):
    """Malformed, mistyped or unknown assignments are one-line errors."""
    with pytest.raises(ConflictSimError):
        parse_assignment(text)


def test_changed_lists_differences():
    """`changed` reports exactly the fields that differ, with old and new values."""
    base = Params()
    assert base.replace(office_quality=0.9).changed(base) == {"office_quality": (0.6, 0.9)}
