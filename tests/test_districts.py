"""Districts as data: Chengzhong from its file, district files, their validation, and runs on them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from conflict_sim import districts, scenarios
from conflict_sim.analysis import odd
from conflict_sim.cli import main
from conflict_sim.district import District
from conflict_sim.errors import ParameterError
from conflict_sim.model import PetitionModel
from conflict_sim.params import Params
from conflict_sim.run import simulate
from conflict_sim.viz.district_map import district_spec

GOLDEN = Path(__file__).parent / "golden" / "chengzhong_district.npz"
# Recorded from the code before Chengzhong became a file (its UNITS constant); see test below.
GOLDEN_CASES = {
    "full": {},
    "tiny": {"households_per_agent": 50},
    "small": {"population": 1000},
    "odd_grids": {"grid_households": 137, "households_per_agent": 7},
}
ARRAYS = ("grid_of", "unit_of", "hood_of", "grid_unit", "grid_hood", "positions")


@pytest.mark.parametrize("case", sorted(GOLDEN_CASES))
def test_chengzhong_gives_exactly_the_recorded_arrays(case):
    """Chengzhong's households, grids, neighbourhoods and map positions equal the recorded ones, bit for bit."""
    golden = np.load(GOLDEN)
    d = District(Params().replace(**GOLDEN_CASES[case]))
    for name in ARRAYS:
        np.testing.assert_array_equal(getattr(d, name), golden[f"{case}.{name}"], err_msg=name)
    hoods = [(h.unit, h.index_in_unit, h.village, h.households) for h in d.neighbourhoods]
    np.testing.assert_array_equal(np.array(hoods, dtype=np.int64), golden[f"{case}.neighbourhoods"])


# Chengzhong's units as the code held them before the district file (conflict_sim/district.py, UNITS).
TODAYS_UNITS = (
    ("人民街街道", "Renminjie", 15_077 * 1.3, 4, 0, 0.0, 1.0),
    ("南滩街道", "Nantan", 33_008 * 1.3, 4, 0, -1.0, 0.0),
    ("仓门街街道", "Cangmenjie", 18_792 * 1.3, 4, 0, 1.0, 1.2),
    ("礼让街街道", "Lirangjie", 30_818 * 1.3, 4, 0, 1.1, 0.1),
    ("饮马街街道", "Yinmajie", 26_346 * 1.3, 4, 0, 0.1, 2.0),
    ("南川东路街道", "Nanchuan East Road", 50_000, 4, 6, 0.6, -1.3),
    ("南川西路街道", "Nanchuan West Road", 45_000, 4, 6, -0.8, -1.5),
    ("总寨镇", "Zongzhai town", 40_000, 0, 20, 0.0, -3.0),
)


def test_chengzhong_file_holds_todays_units_and_figures():
    """The bundled file gives today's unit weights, communities, villages and positions, and the default figures."""
    data = districts.load("chengzhong")
    got = tuple((u.name, u.english, u.weight, u.communities, u.villages, u.x, u.y) for u in data.units)
    assert got == TODAYS_UNITS
    assert [u.village_share for u in data.units] == [0.0] * 5 + [0.2, 0.2, 1.0]
    defaults = Params()
    assert data.figures == {k: getattr(defaults, k) for k in districts.FIGURES}
    assert District(defaults).units == data.units and District(defaults).name == "城中区"


# --- a district of one's own, end to end ---------------------------------------------------------

SMALL = """\
name = "示例区"
english = "Example District"
population = 6000
grid_households = 120

[sources]
units = "[A] two made-up units for a test"
population = "[A] small, for a fast test"
grid_households = "[A] small grids, for several per community"

[unit_sources]
households = "[A] made up"
communities = "[A] made up"
villages = "[A] made up"
position = "[A] made up"

[[units]]
name = "东街道"
english = "East"
households = 1500
communities = 2
villages = 0
x = 0.0
y = 0.0

[[units]]
name = "西镇"
english = "West town"
households = 700
communities = 1
villages = 3
village_share = 0.6
village_share_source = "[A] most of the town is rural"
x = 1.5
y = 0.2
"""


def write_district(folder: Path, text: str = SMALL, name: str = "example.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_district_file_runs_end_to_end_from_a_scenario(tmp_path: Path):
    """A scenario naming a district file beside it runs on that district: its units, offices and figures."""
    write_district(tmp_path)
    scenario = tmp_path / "mine.toml"
    scenario.write_text('description = "mine"\nbase = "chengzhong"\n[params]\ndistrict = "example.toml"\n')
    params = scenarios.load(scenario).params
    assert params.district == str((tmp_path / "example.toml").resolve())
    assert (params.population, params.grid_households) == (6000, 120)  # brought by the district file
    assert params.household_size == 2.62  # not in the file: the scenario's value stays
    out = simulate(params, seed=5, days=30)
    assert len(out.daily) == 30 and out.outcomes["issues_per_year"] > 0
    model = PetitionModel(params, rng=5)
    assert [o.name for o in model.subdistrict_offices] == ["东街道", "西镇"]
    assert len(model.mediation_committees) == 6
    hood_households = [h.households for h in model.district.neighbourhoods]
    assert sum(hood_households) == params.households
    east = round(params.households * 1500 / 2200)
    assert hood_households == [(east + 1) // 2, east // 2, *_even(params.households - east, 0.6, 1, 3)]


def _even(total: int, village_share: float, communities: int, villages: int) -> list[int]:
    """Expected split of a unit: villages hold round(share x total), each part as even as integers allow."""
    in_villages = round(total * village_share)
    parts = []
    for amount, n in ((total - in_villages, communities), (in_villages, villages)):
        parts += [amount // n + (i < amount % n) for i in range(n)]
    return parts


def test_cli_run_with_a_district_path(tmp_path: Path, monkeypatch, capsys):
    """`run tiny --set district=PATH` simulates the file's district and records it in the manifest."""
    write_district(tmp_path)
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "run"
    assert main(["run", "tiny", "--days", "20", "--set", "district=example.toml", "--out", str(out)]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["params"]["district"] == str(tmp_path / "example.toml")
    assert manifest["params"]["population"] == 6000 and manifest["params"]["households_per_agent"] == 50
    assert len(pd.read_parquet(out / "daily.parquet")) == 20


def test_explicit_figures_win_over_the_district_file():
    """Setting population with the district keeps the given population; the file fills only the rest."""
    params = Params().replace(district="chengdong", population=20_000)
    assert params.population == 20_000 and params.district == "chengdong"
    assert Params.from_mapping({"district": "chengdong"}).population == 489_372
    assert Params().replace(office_quality=0.5).population == 325_813  # no district named: nothing brought


def test_units_as_a_csv_table_and_a_geojson_outline(tmp_path: Path):
    """Units may sit in a CSV table beside the file; a GeoJSON outline is drawn by the browser map."""
    (tmp_path / "units.csv").write_text(
        "name,english,population,communities,villages,x,y,population_source\n"
        "北街道,North,1200,3,0,101.70,36.62,[S: a census table]\n"
        "南镇,South,800,1,2,101.72,36.58,[A] guessed\n",
        encoding="utf-8",
    )
    square = [[101.6, 36.5], [101.8, 36.5], [101.8, 36.7], [101.6, 36.7], [101.6, 36.5]]
    (tmp_path / "outline.geojson").write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [square]}}],
            }
        )
    )
    text = _with_units_file(SMALL.split("[[units]]")[0].replace('households = "[A] made up"', ""), "units.csv")
    path = write_district(tmp_path, text + '[map]\noutline = "outline.geojson"\nunit_spacing = 0.02\n')
    data = districts.load(str(path))
    assert [u.name for u in data.units] == ["北街道", "南镇"] and data.size_kind == "population"
    assert data.units[0].sources["population"] == "[S: a census table]"
    assert data.map.outline == (tuple(map(tuple, square)),)
    model = PetitionModel(Params().replace(district=str(path), households_per_agent=5), rng=1)
    spec = district_spec(model)
    assert spec["title"].startswith("Example District") and spec["layer"][0]["mark"]["type"] == "line"
    assert len(spec["layer"][0]["data"]["values"]) == 5
    assert np.ptp(model.district.positions[:, 0]) < 0.2  # grids ring their unit at the outline's scale


def _with_units_file(text: str, name: str) -> str:
    """`text` (a district without [[units]]) with `units = name` placed before its first table."""
    head, sep, tail = text.partition("[sources]")
    return f'{head}units = "{name}"\n\n{sep}{tail}'


# --- bad district files: one line naming the file, the row and the field ----------------------------

BAD_FILES = {
    "negative size": (("households = 700", "households = -700"), "unit 2 (西镇), field households", "(0, 1e+08]"),
    "text size": (("households = 1500", 'households = "many"'), "unit 1 (东街道), field households", "number"),
    "float communities": (("communities = 2", "communities = 2.5"), "unit 1 (东街道), field communities", "integer"),
    "share above one": (("village_share = 0.6", "village_share = 1.6"), "field village_share", "[0, 1]"),
    "share without villages": (
        ("villages = 3\nvillage_share = 0.6", "villages = 0\nvillage_share = 0.6"),
        "field village_share",
        "without villages",
    ),
    "no neighbourhoods": (
        ("communities = 1\nvillages = 3", "communities = 0\nvillages = 0"),
        "unit 2 (西镇), field villages",
        "at least one",
    ),
    "population not a number": (("population = 6000", 'population = "many"'), "field population", "positive"),
    "unknown unit key": (('english = "East"', 'english = "East"\ncolour = "red"'), "unit 1 (东街道)", "colour"),
    "unknown top key": (
        ('english = "Example District"', 'english = "Example District"\nmayor = "x"'),
        "top level",
        "mayor",
    ),
    "missing basis": (('population = "[A] small, for a fast test"\n', ""), "sources.population", "basis"),
    "untagged basis": (
        ('households = "[A] made up"', 'households = "made up"'),
        "unit_sources.households",
        "[S: source]",
    ),
    "duplicate unit": (('name = "西镇"', 'name = "东街道"'), "unit 2 (东街道), field name", "two units"),
    "half the positions": (("x = 1.5\ny = 0.2\n", ""), "unit 2 (西镇), field x", "every unit"),
    "no english": (('english = "West town"', 'english = ""'), "unit 2 (西镇), field english", "non-empty"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_district_files_name_file_row_and_field(case, tmp_path: Path):
    """Each broken field is one line naming the file, the unit and the field, with what is allowed."""
    (old, new), where, allowed_text = BAD_FILES[case]
    assert old in SMALL, case
    path = write_district(tmp_path, SMALL.replace(old, new, 1))
    with pytest.raises(districts.DistrictError) as info:
        districts.load(str(path))
    message = str(info.value)
    assert "\n" not in message and str(path) in message
    assert where in message and allowed_text in message, message


def test_bad_csv_rows_name_the_spreadsheet_row(tmp_path: Path):
    """In a units CSV, the error names the CSV file and its row number as a spreadsheet shows it."""
    (tmp_path / "units.csv").write_text(
        "name,english,households,communities,villages\n东街道,East,100,2,0\n西镇,West,lots,1,1\n", encoding="utf-8"
    )
    text = _with_units_file(SMALL.split("[[units]]")[0].replace('position = "[A] made up"', ""), "units.csv")
    path = write_district(tmp_path, text)
    with pytest.raises(districts.DistrictError, match=r"units\.csv row 3 \(西镇\), field households: must be a number"):
        districts.load(str(path))
    (tmp_path / "units.csv").write_text("name,english,households,colour\n", encoding="utf-8")
    with pytest.raises(districts.DistrictError, match=r"units\.csv header: unknown key"):
        districts.load(str(path))


def test_unknown_district_is_a_parameter_error_listing_the_bundled():
    """An unknown district name is a parameter error listing the bundled districts."""
    with pytest.raises(ParameterError, match=r"district='atlantis'.*chengdong, chengzhong"):
        Params().replace(district="atlantis")
    with pytest.raises(districts.DistrictError, match="not found"):
        Params().replace(district="/nowhere/district.toml")


def test_cli_bad_district_is_one_line_exit_2_and_no_output(tmp_path: Path):
    """A broken district file on the command line: one line on stderr, exit code 2, no output folder."""
    path = write_district(tmp_path, SMALL.replace("communities = 2", "communities = -2"))
    out = tmp_path / "out"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "conflict_sim",
            "run",
            "tiny",
            "--days",
            "5",
            "--set",
            f"district={path}",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "field communities" in lines[0] and "[0, 10000]" in lines[0]
    assert not out.exists()


def test_describe_a_district_file_and_a_bundled_one(tmp_path: Path, capsys):
    """`describe` shows a district's units and the basis of its figures, for a file or a bundled name."""
    path = write_district(tmp_path)
    assert main(["describe", str(path)]) == 0
    text = capsys.readouterr().out
    assert "Example District (示例区)" in text and "village_share (西镇): [A] most of the town is rural" in text
    assert main(["describe", "chengdong"]) == 0  # the preset scenario, then its district
    text = capsys.readouterr().out
    assert "489,372" in text and "韵家口镇" in text and "qinghai.gov.cn" in text
    assert main(["list", "districts"]) == 0 and "chengdong" in capsys.readouterr().out


# --- properties over generated district files ----------------------------------------------------


@st.composite
def district_tables(draw) -> dict:
    """A valid district file's table: 1-6 units of random sizes, communities and villages."""
    units = []
    for i in range(draw(st.integers(1, 6))):
        communities, villages = draw(st.tuples(st.integers(0, 5), st.integers(0, 5)).filter(lambda cv: sum(cv) > 0))
        unit = {"name": f"单位{i}街道", "english": f"Unit {i}", "households": draw(st.integers(1, 50_000))}
        unit |= {"communities": communities, "villages": villages}
        if communities and villages and draw(st.booleans()):
            unit |= {"village_share": draw(st.floats(0, 1)), "village_share_source": "[A] drawn"}
        units.append(unit)
    basis = dict.fromkeys(("households", "communities", "villages"), "[A] drawn")
    return {
        "name": "生成区",
        "english": "Generated",
        "population": draw(st.integers(1_000, 30_000)),
        "sources": {"units": "[A] drawn", "population": "[A] drawn"},
        "unit_sources": basis,
        "units": units,
    }


@settings(max_examples=30, deadline=None)
@given(table=district_tables(), per_agent=st.sampled_from([1, 3, 10]))
def test_any_valid_district_places_every_household_once(tmp_path_factory, table, per_agent):
    """Households split over units by their sizes (largest remainder) and every agent has one grid; a sample
    too coarse to keep an agent in every grid is refused in one line naming households_per_agent."""
    path = tmp_path_factory.mktemp("d") / "generated.toml"
    path.write_text(tomli_w.dumps(table), encoding="utf-8")
    params = Params().replace(district=str(path), households_per_agent=per_agent)
    try:
        d = District(params)
    except ParameterError as exc:
        assert exc.name == "households_per_agent" and "at most" in str(exc)
        return
    sizes = np.array([u["households"] for u in table["units"]], dtype=float)
    per_unit = np.array([sum(h.households for h in d.neighbourhoods if h.unit == u) for u in range(len(sizes))])
    assert per_unit.sum() == params.households
    assert np.all(np.abs(per_unit - sizes / sizes.sum() * params.households) < 1)
    assert len(d.grid_of) == params.agents and np.all(np.diff(d.unit_of) >= 0)
    assert len(d.neighbourhoods) == sum(u["communities"] + u["villages"] for u in table["units"])
    assert d.positions.shape == (d.n_grids, 2) and np.isfinite(d.positions).all()


@settings(max_examples=40, deadline=None)
@given(
    table=district_tables(),
    field=st.sampled_from(["households", "communities", "villages", "village_share", "name"]),
    bad=st.sampled_from([-1, -0.5, 1e12, "x", True, 3.5]),
)
def test_any_bad_unit_value_is_one_line_naming_its_field(tmp_path_factory, table, field, bad):
    """Putting a value of the wrong type or range into any unit field fails with one line naming that field."""
    unit = table["units"][-1]
    valid = field == "households" and bad == 3.5  # a size in range
    named = "kind" if (field, bad) == ("name", "x") else field  # a name without 街道/镇/乡 needs its kind
    unit[field] = bad
    if field == "village_share":
        unit["village_share_source"] = "[A] drawn"
    path = tmp_path_factory.mktemp("d") / "bad.toml"
    path.write_text(tomli_w.dumps(table), encoding="utf-8")
    if valid:
        districts.load(str(path))
        return
    with pytest.raises(districts.DistrictError) as info:
        districts.load(str(path))
    message = str(info.value)
    assert "\n" not in message and f"unit {len(table['units'])}" in message and f"field {named}" in message


def test_chengdong_preset_runs_on_its_district():
    """The chengdong preset brings Chengdong's figures and runs at a 1:50 sample with its nine unit offices."""
    scenario = scenarios.load("chengdong")
    params = scenario.params.replace(households_per_agent=50)
    assert (params.population, params.district) == (489_372, "chengdong")
    assert scenario.params.changed(scenarios.load("chengzhong").params).keys() == {"district", "population"}
    model = PetitionModel(params, rng=2)
    assert len(model.subdistrict_offices) == 9 and len(model.mediation_committees) == 31 + 20
    out = simulate(params, seed=2, days=60, policies=scenario.policies)
    assert out.outcomes["issues_per_year"] > 0


def test_odd_district_table_follows_the_named_district():
    """The ODD's generated district table shows the district asked for, with its sources."""
    text = "\n".join(f"{odd.BEGIN.format(name=n)}\n{odd.END.format(name=n)}" for n in odd.BLOCKS)
    rendered = odd.render(text, "chengdong")
    assert "城东区" in rendered and "| 韵家口镇 | Yunjiakou town | 32\u2009381 |" in rendered
    assert "tjj.qinghai.gov.cn" in rendered


def test_a_figure_outside_the_parameter_range_names_the_file(tmp_path: Path):
    """A district's figure is checked against the parameter's range when the district is used."""
    path = write_district(tmp_path, SMALL.replace("population = 6000", "population = 12", 1))
    with pytest.raises(districts.DistrictError) as info:
        Params().replace(district=str(path))
    message = str(info.value)
    assert "\n" not in message and str(path) in message and "field population" in message
    assert "[1000, 5000000]" in message
