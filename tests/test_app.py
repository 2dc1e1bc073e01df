"""The browser app in-process, the way Mesa tests SolaraViz: render with `solara.render`, find widgets, click."""

from __future__ import annotations

import io
import json
import threading
import time
import tomllib

import ipyvuetify as v
import numpy as np
import pandas as pd
import pytest
import solara
from solara.components.datatable import DataTableWidget

from conflict_sim import app, scenarios
from conflict_sim.analysis import tables
from conflict_sim.cli import main
from conflict_sim.model import PetitionModel
from conflict_sim.params import PARAM_FIELDS, Params
from conflict_sim.run import simulate
from conflict_sim.spec import spawn_seeds
from conflict_sim.viz import assets, compare, district_map, run_panel
from conflict_sim.viz.charts import CHARTS, charts_png
from conflict_sim.viz.live import LIVE_FLOWS, LIVE_RATES, LiveSeries
from conflict_sim.viz.vega import VegaView, column, records, strides

LEVERS = [name for name, f in PARAM_FIELDS.items() if f.metadata["group"] in app.LEVER_GROUPS]


@pytest.fixture
def model() -> app.InteractiveModel:
    """The app's default model (Chengzhong at the viz scale) after ten days."""
    m = app.InteractiveModel(households_per_agent=50)
    m.run_for(10)
    return m


def button(rc, text: str):
    return next(b for b in rc.find(v.Btn) if b.widget.children and b.widget.children[0] == text)


def slider(rc, name: str):
    return rc.find(v.Slider, label=app.label(PARAM_FIELDS[name]))


def render_page():
    """The app's page inside an AppLayout (as `solara run` serves it), so the sidebar is rendered too."""
    return solara.render(solara.AppLayout(children=[app.Page()]), handle_error=False)[1]


def render_viz(model: solara.Reactive, preset: str = "chengzhong"):
    """SolaraViz on a given reactive model with the app's inputs, inside an AppLayout."""
    page = solara.AppLayout(children=[app.SolaraViz(model, components=[], model_params=app.model_params(preset))])
    return solara.render(page, handle_error=False)[1]


def test_every_lever_has_an_input_built_from_its_metadata():
    """Each lever gets a switch, a choice or a slider with bounds and step from `Params`, at the preset's value."""
    inputs, preset = app.model_params("chengzhong"), scenarios.load("chengzhong").params
    assert set(LEVERS) <= set(inputs) and len(LEVERS) > 50
    for name in LEVERS:
        f, given, value = PARAM_FIELDS[name], inputs[name], getattr(preset, name)
        if isinstance(f.default, bool) or f.metadata["choices"]:
            assert given["type"] in ("Checkbox", "Select") and given["value"] == value
        else:
            assert (given.min, given.max, given.value) == (f.metadata["min"], f.metadata["max"], value)
            assert given.is_float_slider == isinstance(f.default, float)
            assert abs(round(given.value / given.step) * given.step - given.value) < 1e-9
            assert f.metadata["unit"] in given.label


def test_the_page_builds_with_controls_presets_and_levers():
    """The whole page renders: play/step/reset, the preset list, the seed box and one input per lever."""
    rc = render_page()
    for text in ("Reset", "▶", "Step"):
        button(rc, text)
    assert rc.find(v.Select, label="Preset").widget.items == scenarios.names()
    assert rc.find(v.TextField, label="Seed").widget.v_model == str(app.DEFAULT_SEED)
    sliders = [n for n in LEVERS if not isinstance(PARAM_FIELDS[n].default, bool | str)]
    assert len(rc.find(v.Slider).widgets) >= len(sliders)


def chart_specs(rc) -> list[dict]:
    """The live charts' specs as the widgets hold them (the map has layers, the charts a fold)."""
    specs = [json.loads(w.spec_json) for w in rc.find(VegaView).widgets]
    return [spec for spec in specs if "fold" in str(spec.get("transform"))]


def test_stepping_advances_the_day_counter_and_the_charts():
    """Three clicks on Step run three times the render interval in days (Mesa's Step), and every live chart
    then plots each of those days."""
    rc = render_page()
    for _ in range(3):
        button(rc, "Step").widget.click()
    days = 3 * app.RENDER_INTERVAL
    assert rc.find(v.CardTitle, children=[f"Day {days}"]).widgets
    charts = chart_specs(rc)
    assert len(charts) == len(CHARTS)
    assert all(spec["datasets"]["table"][0]["day"] == list(range(1, days + 1)) for spec in charts)


def test_the_tabs_have_names_and_the_title_names_the_district():
    """No 'Page 0' / 'Page 1': the tabs say what they hold, and the title names the preset's district."""
    rc = render_page()
    assert [t.children[0] for t in rc.find(v.Tab).widgets] == list(app.TABS)
    assert not any("Page " in str(t.children) for t in rc.find(v.Tab).widgets)
    assert "Chengzhong" in rc.find(v.CardSubtitle).widget.children[0]  # the run panel names it too
    model = app.InteractiveModel(preset="chengdong", households_per_agent=50)
    assert app.title(model).endswith(model.district.english) and "Chengdong" in app.title(model)


def test_a_slider_sets_the_parameter_and_reset_rebuilds_the_model_with_it():
    """Moving a lever changes nothing until Reset, which builds a new model with the new value and seed."""
    model = solara.reactive(app.InteractiveModel(households_per_agent=50))
    rc = render_viz(model)
    first = model.value
    slider(rc, "office_quality").widget.v_model = 0.9
    seed_box = rc.find(v.TextField, label="Seed").widget
    seed_box.v_model = "7"
    seed_box.fire_event("focusout")  # the seed box commits when the user leaves it or presses Enter
    assert model.value is first and model.value.params.office_quality == 0.6
    button(rc, "Reset").widget.click()
    assert model.value is not first
    assert model.value.params.office_quality == 0.9 and model.value.seed == 7
    assert model.value.settings.households_per_agent == app.VIZ_SCALE


def test_choosing_a_preset_puts_its_values_on_the_sliders_and_rebuilds_the_model():
    """Selecting `repressive` rebuilds the page: its control share is on the slider and in the model."""
    rc = render_page()
    assert slider(rc, "control_share").widget.v_model == 0.4
    rc.find(v.Select, label="Preset").widget.v_model = "repressive"
    assert slider(rc, "control_share").widget.v_model == 0.6
    assert rc.find(v.CardTitle, children=["Day 0"]).widgets
    assert "repressive" in rc.find(v.CardSubtitle).widget.children[0]


def test_the_seed_box_rejects_text_that_is_not_a_number():
    """A seed that is not an integer is a ParameterError naming the seed, not a silent default."""
    with pytest.raises(Exception, match="seed"):
        app.InteractiveModel(rng="forty-two")


def wait_for(condition, seconds: float = 60.0) -> None:
    """Poll `condition` until it holds (background tasks run in their own thread)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_side_by_side_runs_both_arms_on_the_same_seed_in_the_background(model, monkeypatch):
    """Both arms run through the engine from the model's seed as root, in a background task: while the
    runs are held back the page shows their progress and still answers; arm A then equals a direct
    `simulate` run of the same settings on replication 0's seed."""
    gate = threading.Event()

    def held(*args, **kwargs):
        assert gate.wait(60)
        return simulate(*args, **kwargs)

    monkeypatch.setattr(compare, "simulate", held)
    _box, rc = solara.render(compare.SideBySide(model), handle_error=False)
    rc.find(v.Slider, label="Days").widget.v_model = 30
    button(rc, f"Run both arms (root seed {model.seed})").widget.click()
    rc.find(v.Html, children=["Running: 0 of 2 runs done"]).wait_for(timeout=10)
    assert button(rc, f"Run both arms (root seed {model.seed})").widget.disabled
    rc.find(v.Slider, label="Replications").widget.v_model = 2  # the page answers while the runs wait
    rc.find(v.Slider, label="Replications", v_model=2).assert_single()
    gate.set()
    wait_for(lambda: rc.find(DataTableWidget).widgets)
    spec = json.loads(rc.find(VegaView).widget.spec_json)
    assert set(spec["datasets"]["table"][0]["arm"]) == {compare.CURRENT, "current + fast_handling"}
    table = rc.find(DataTableWidget).widget.items
    assert len(table) == len(compare.KEY_OUTCOMES)
    direct = simulate(model.settings, seed=spawn_seeds(model.seed, 1)[0], days=30, policies=model.policies)
    shown = {row["outcome"]: row[compare.CURRENT] for row in table}
    assert shown["petitions per year"] == tables.number(direct.outcomes["petitions_per_year"])


def test_side_by_side_with_replications_shows_paired_differences_with_intervals(model):
    """With three replications per arm the table gives each arm's mean and the paired difference with its
    95 % interval and verdict, as the report computes them; progress reached every run."""
    heard: list[int] = []
    arms = [compare.resolve(c, model.settings, model.policies) for c in (compare.CURRENT, "current + fast_handling")]
    results = compare.run_arms(arms, seed=model.seed, days=30, replications=3, on_run=heard.append)
    assert heard == [1, 2, 3, 4, 5, 6] and len(results.runs) == 6
    comparison = compare.compare(
        compare.study_of(results), reference=compare.CURRENT, outcomes=list(compare.KEY_OUTCOMES)
    )
    table = compare.outcome_table(comparison).set_index("outcome")
    row = comparison.differences.set_index("outcome").loc["petitions_per_year"]
    assert table.loc["petitions per year", "difference"].startswith(tables.number(row["mean_diff"]) + " [")
    assert table.loc["petitions per year", "verdict"] == row["verdict"]


def test_an_arm_is_a_preset_at_the_current_scale_or_the_settings_plus_a_countermeasure(model):
    """Presets keep the viz scale; 'current + X' adds policy X to the standing ones."""
    preset = compare.resolve("preset: repressive", model.settings, model.policies)
    assert preset.params.households_per_agent == model.settings.households_per_agent
    assert preset.params.control_share == scenarios.load("repressive").params.control_share
    plus = compare.resolve("current + open_channels", model.settings, model.policies)
    assert [p.name for p in plus.policies] == [*(p.name for p in model.policies), "open_channels"]
    assert set(compare.arm_choices()) >= {compare.CURRENT, "preset: chengzhong", "current + fast_handling"}


@pytest.mark.parametrize("days", [30, 400])
def test_the_map_gives_every_household_the_status_its_resident_reports(tiny, days):
    """The map's status of each household (vectorised where no issue is open) is `Resident.status`, early
    in a run and late, when most households have settled an issue."""
    m = PetitionModel(tiny, rng=3)
    m.run_for(days)
    reported = np.array([r.status for r in m.residents])
    assert (district_map.statuses(m) == reported).all()
    assert len(set(reported)) >= 4  # quiet, aggrieved, resolved and others: the cases are all exercised


def test_the_district_map_shows_every_household_that_is_not_quiet(model):
    """Dots are exactly the non-quiet households (as `Resident.status` says); grid counts add up to all
    real households; every office and committee is drawn; the title names the district."""
    status = np.array([r.status for r in model.residents])
    assert (district_map.statuses(model) == status).all()
    spec = district_map.district_spec(model)
    json.dumps(spec, allow_nan=False)  # the browser gets strict JSON
    grids, dots, organs = (spec["datasets"][name][0] for name in ("grids", "residents", "organs"))
    assert [layer["data"] for layer in spec["layer"][:3]] == [{"name": n} for n in ("grids", "residents", "organs")]
    labels = spec["layer"][3]["data"]["values"]
    assert sorted(dots["hh"]) == np.flatnonzero(status != "quiet").tolist()
    assert dots["status"] == status[dots["hh"]].tolist()
    hpa = model.params.households_per_agent
    assert sum(grids["households"]) == len(model.residents) * hpa
    assert sum(sum(grids[s]) for s in district_map.STATUS_COLOURS) == len(model.residents) * hpa
    assert len(organs["name"]) == len(model.all_offices) + len(model.mediation_committees)
    assert len(labels) == 8 and spec["title"].startswith(model.district.english)


def test_exports_hold_the_run_so_far(model, tmp_path):
    """CSV and Parquet hold every day's metrics as `daily()` gives them, the PNG is a PNG, the TOML rebuilds
    the settings."""
    daily = run_panel.daily_table(model)
    pd.testing.assert_frame_equal(daily, model.daily().reset_index())
    assert len(daily) == 10
    pd.testing.assert_frame_equal(pd.read_csv(io.BytesIO(run_panel.csv_bytes(model))), daily, check_dtype=False)
    pd.testing.assert_frame_equal(pd.read_parquet(io.BytesIO(run_panel.parquet_bytes(model))), daily)
    assert charts_png(daily, "test").startswith(b"\x89PNG")
    assert Params.from_mapping(tomllib.loads(run_panel.params_toml(model).decode())) == model.settings


def test_chart_data_is_strict_json_and_thinned():
    """NaN becomes null, and a long history is cut to about MAX_POINTS points, keeping the last day."""
    frame = pd.DataFrame({"day": range(2000), "rate": [float("nan")] + [0.5] * 1999})
    assert records(frame.head(1)) == [{"day": 0, "rate": None}]
    assert column(frame["rate"].head(2)) == [None, 0.5] and column(frame["day"].head(2)) == [0, 1]
    keep = strides(2000, 500)
    assert len(keep) <= 501 and keep[-1] == 1999 and list(strides(3, 500)) == [0, 1, 2]


@pytest.mark.parametrize(("seed", "every"), [(1, 1), (2, 7)])
def test_live_series_equal_daily_day_by_day(tiny, seed, every):
    """Read every day (or every 7th, as with a render interval of 7), the live series equal every column
    `PetitionModel.daily()` gives for them, on every day so far, and again after the run is closed."""
    m = PetitionModel(tiny, rng=seed)
    live = LiveSeries(m)
    for day in range(1, 241):
        m.step()
        if day % every == 0:
            live.refresh()
        if day in (60, 240):
            assert_live_equals_daily(live, m)
    m.finish()
    assert_live_equals_daily(live, m)


def assert_live_equals_daily(live: LiveSeries, m: PetitionModel) -> None:
    series, daily = live.refresh(), m.daily().reset_index()
    assert set(LIVE_FLOWS) | set(LIVE_RATES) <= set(series) and len(series["day"]) == len(daily)
    for name, values in series.items():
        np.testing.assert_array_equal(values, daily[name].to_numpy(dtype=values.dtype), err_msg=name)


def test_every_chart_column_is_a_live_series(model):
    """Each column a live chart draws is one the live series provide."""
    series = LiveSeries(model).refresh()
    assert {c for chart in CHARTS for c in chart.measures} <= set(series)


def test_assets_list_the_packages_the_page_loads(tmp_path):
    """The page's CDN packages are found in Solara's own files; a complete cache needs no npm."""
    needed = assets.needed()
    assert {"vega@5", "vega-lite@5", "vega-embed@6", "requirejs@2.3.6"} <= set(needed)
    assert any(spec.startswith("@widgetti/vue-grid-layout@") for spec in needed)
    for spec in needed:
        (tmp_path / spec).mkdir(parents=True)
        (tmp_path / spec / "package.json").write_text("{}")
    assert assets.missing(tmp_path) == [] and assets.ensure_assets(tmp_path)


def test_viz_command_rejects_an_unknown_preset(capsys):
    """`conflict-sim viz --scenario nope` is a one-line error with exit code 2."""
    with pytest.raises(SystemExit) as exit_info:
        main(["viz", "--scenario", "nope"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_viz_command_rejects_a_folder_that_holds_no_results(tmp_path, capsys):
    """`conflict-sim viz --results FOLDER` without a manifest there is one line and exit code 2."""
    assert main(["viz", "--results", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert "--results" in err and "not a results folder" in err and len(err.splitlines()) == 1
