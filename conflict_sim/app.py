"""The browser app: Mesa's SolaraViz on a down-scaled district, with every policy lever as a slider.

Run it with `conflict-sim viz` (or `solara run conflict_sim.app`). The sidebar holds the scenario preset,
the seed, the scale and one slider or switch per policy lever, each built from the `Params` metadata.
Three tabs: the district and its live charts, two arms side by side, and the results explorer for
stored sweeps and comparisons.
"""

from __future__ import annotations

import math
import os
from dataclasses import Field
from typing import Any

import solara
from mesa.visualization import Slider, SolaraViz
from mesa.visualization.solara_viz import make_initial_grid_layout
from mesa.visualization.utils import update_counter

from conflict_sim import scenarios
from conflict_sim.errors import ParameterError
from conflict_sim.model import PetitionModel
from conflict_sim.params import PARAM_FIELDS, Params
from conflict_sim.viz.charts import CHARTS, LiveChart
from conflict_sim.viz.compare import SideBySide
from conflict_sim.viz.district_map import DistrictMap
from conflict_sim.viz.explorer import Explorer
from conflict_sim.viz.run_panel import RunPanel
from conflict_sim.viz.server import PRESET_VARIABLE, RESULTS_VARIABLE

# Reacton's opt-in renderer walks only the parts of the page whose state changed; the default walks the
# whole page (80 lever inputs included) twice per simulated day: ~100 ms against ~20 ms per step and
# redraw, measured (docs/app.md). It is read at every render, so setting it here covers `solara run` too;
# REACTON_FAST=0 in the environment restores the default. Remove once it is Reacton's default.
os.environ.setdefault("REACTON_FAST", "1")
DEFAULT_PRESET = os.environ.get(PRESET_VARIABLE, "chengzhong")
DEFAULT_RESULTS = os.environ.get(RESULTS_VARIABLE, "")
DEFAULT_SEED = 42
VIZ_SCALE = 20  # households per agent: about 6,200 agents, fast enough to redraw every day
SCALES = [5, 10, 20, 50, 100]
PLAY_INTERVAL, RENDER_INTERVAL = 100, 3  # ms between redraws, days per redraw: >= 10 days a second (docs/app.md)
# Levers a district can pull; the world (issues, residents, shocks), the law and the scale come from the preset.
LEVER_GROUPS = ("channels", "offices", "grid and mediation", "courts and hotline", "district manager and evaluation")


class InteractiveModel(PetitionModel):
    """PetitionModel with flat keyword parameters, the form in which SolaraViz re-creates models.

    `preset` names a bundled scenario whose parameters and standing policies are the starting point;
    every other keyword sets one `Params` field. SolaraViz also passes a Mesa `scenario`; our presets
    live in `conflict_sim.scenarios`, so it is ignored. `rng` arrives as text from the seed box.
    """

    def __init__(
        self,
        *,
        preset: str = DEFAULT_PRESET,
        rng: int | str = DEFAULT_SEED,
        households_per_agent: int = VIZ_SCALE,
        scenario: Any = None,
        **params: Any,
    ) -> None:
        chosen = scenarios.load(preset)
        try:
            seed = int(rng)
        except ValueError:
            raise ParameterError("seed", rng, "must be an integer") from None
        settings = chosen.params.replace(households_per_agent=int(households_per_agent), **params)
        super().__init__(settings, policies=chosen.policies, rng=seed)
        self.preset, self.seed = chosen, seed
        self.settings = settings  # the starting parameters; `params` follows the policies' changes


def label(f: Field) -> str:
    """'Offices: office quality (probability)' from a field's group, name and unit."""
    unit = f" ({f.metadata['unit']})" if f.metadata["unit"] else ""
    return f"{f.metadata['group'].split()[0].capitalize()}: {f.name.replace('_', ' ')}{unit}"


def step_of(lo: float, hi: float, value: float) -> float:
    """About a hundredth of the range, rounded to a power of ten, and fine enough to hit `value`."""
    step = 10.0 ** math.floor(math.log10((hi - lo) / 100))
    while abs(round(value / step) * step - value) > 1e-9:
        step /= 10
    return step


def user_input(f: Field, value: Any) -> Slider | dict[str, Any]:
    """The SolaraViz input for one parameter: switch, choice or slider, from its metadata."""
    m = f.metadata
    if isinstance(f.default, bool):
        return {"type": "Checkbox", "value": value, "label": label(f)}
    if m["choices"]:
        return {"type": "Select", "value": value, "values": list(m["choices"]), "label": label(f)}
    if isinstance(f.default, int):
        return Slider(label(f), value, m["min"], m["max"], 1, dtype=int)
    return Slider(label(f), value, m["min"], m["max"], step_of(m["min"], m["max"], value), dtype=float)


def model_params(preset: str) -> dict[str, Any]:
    """SolaraViz `model_params`: the preset (fixed), seed, scale, then every lever at the preset's value."""
    params: Params = scenarios.load(preset).params
    inputs: dict[str, Any] = {
        "preset": preset,
        "rng": {"type": "InputText", "value": str(DEFAULT_SEED), "label": "Seed"},
        "households_per_agent": {
            "type": "Select",
            "value": VIZ_SCALE,
            "values": SCALES,
            "label": "Scale: households per agent",
        },
    }
    inputs |= {
        name: user_input(f, getattr(params, name))
        for name, f in PARAM_FIELDS.items()
        if f.metadata["group"] in LEVER_GROUPS
    }
    return inputs


# Mesa's sliders put a long label beside a short track; stack them so both are readable.
SIDEBAR_CSS = """
.v-input__slider .v-input__slot { flex-direction: column; align-items: stretch; }
.v-input__slider .v-label { white-space: normal; height: auto; font-size: 13px; margin: 0; }
"""
TABS = ("District and live charts", "Side by side", "Results explorer")


@solara.component
def PresetPicker(preset: solara.Reactive[str]) -> None:
    """Sidebar card: choosing a preset rebuilds the page with the preset's values on every slider."""
    chosen = solara.use_memo(lambda: scenarios.load(preset.value), [preset.value])
    with solara.Card("Scenario preset"):
        solara.Select("Preset", value=preset, values=scenarios.names())
        solara.Text(" ".join(chosen.description.split()), style={"font-size": "13px"})
        if chosen.policies:
            solara.Text("Standing policies: " + ", ".join(p.name for p in chosen.policies))


def title(model: PetitionModel) -> str:
    """The page's title: the district the preset names."""
    return f"conflict-sim: petition work in {model.district.english}"


@solara.component
def LivePage(model: PetitionModel) -> None:
    """The run panel, the district map and the live charts, redrawn once per redraw of SolaraViz's controls.

    Only this component listens to Mesa's redraw counter; its pieces get the day as an argument, so
    one step costs one render of this page and nothing else.
    """
    update_counter.get()
    day = model.day
    items = [RunPanel(model, day), DistrictMap(model, day), *(LiveChart(chart, model, day) for chart in CHARTS)]
    layout, set_layout = solara.use_state(make_initial_grid_layout(len(items)))
    solara.GridDraggable(items=items, grid_layout=layout, resizable=True, draggable=True, on_grid_layout=set_layout)


@solara.component
def Views(model: PetitionModel) -> None:
    """The named tabs; only the open one is rendered."""
    tab, set_tab = solara.use_state(0)
    with solara.v.Tabs(v_model=tab, on_v_model=set_tab):
        for name in TABS:
            solara.v.Tab(children=[name])
    if tab == 0:
        LivePage(model)
    elif tab == 1:
        SideBySide(model)
    else:
        Explorer(DEFAULT_RESULTS)


@solara.component
def Workbench(model: solara.Reactive[InteractiveModel], preset: str, render_interval: int = RENDER_INTERVAL) -> None:
    """SolaraViz's sidebar and controls on `model`, and the app's own tabs beside them."""
    inputs = solara.use_memo(lambda: model_params(preset), [preset])
    SolaraViz(
        model,
        components=[],  # the tabs are the app's own (named); SolaraViz's are numbered "Page 0", "Page 1"
        model_params=inputs,
        play_interval=PLAY_INTERVAL,
        render_interval=render_interval,
        name=title(model.value),
    )
    Views(model.value)


@solara.component
def Viz(preset: str) -> None:
    """The workbench on a new model of the preset."""
    model = solara.use_memo(lambda: solara.reactive(InteractiveModel(preset=preset)), [preset])
    Workbench(model, preset)


@solara.component
def Page() -> None:
    """The app: preset picker above SolaraViz, which is rebuilt (keyed) when the preset changes."""
    preset = solara.use_reactive(DEFAULT_PRESET)
    solara.Style(SIDEBAR_CSS)
    with solara.Sidebar():
        PresetPicker(preset)
    Viz(preset.value).key(f"viz-{preset.value}")
