"""The live charts: which metrics go together, drawn as Vega-Lite in the page and as one PNG for export.

Each `Chart` names columns of the model's daily series (`PetitionModel.daily`: the DataCollector's
state and the flows counted from the event log) and their labels. `make_chart_component` has the
shape of Mesa's `make_plot_component`: it returns a `(component, page)` pair for `SolaraViz`.
"""

from __future__ import annotations

import io
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
import solara
from matplotlib.figure import Figure
from mesa.visualization.utils import update_counter

from conflict_sim.issues import CHANNEL_NAMES
from conflict_sim.viz.vega import VegaLite, records, thin

if TYPE_CHECKING:
    from mesa import Model

PALETTE = (
    "#3969ac",
    "#e68310",
    "#11a579",
    "#e73f74",
    "#7f3c8d",
    "#f2b701",
    "#80ba5a",
    "#008695",
    "#cf1c90",
    "#4b4b8f",
    "#a5aa99",
    "#f97b72",
    "#1f77b4",
    "#8c564b",
)


@dataclass(frozen=True)
class Chart:
    """One chart: a title, the y axis, and metric columns with their labels."""

    title: str
    y_title: str
    measures: dict[str, str]

    def spec(self, daily: pd.DataFrame, *, width: int = 400, height: int = 190) -> dict[str, Any]:
        """A Vega-Lite line chart of these columns over days (one line per column)."""
        data = thin(daily[["day", *self.measures]].rename(columns=self.measures))
        labels = list(self.measures.values())
        return {
            "title": self.title,
            "width": width,
            "height": height,
            "data": {"values": records(data)},
            "transform": [{"fold": labels, "as": ["measure", "value"]}],
            "mark": {"type": "line", "strokeWidth": 1.6},
            "encoding": {
                "x": {"field": "day", "type": "quantitative", "title": "day"},
                "y": {"field": "value", "type": "quantitative", "title": self.y_title},
                "color": {
                    "field": "measure",
                    "type": "nominal",
                    "title": None,
                    "legend": {"orient": "bottom", "columns": 4, "labelLimit": 110},
                    "scale": {"domain": labels, "range": list(PALETTE[: len(labels)])},
                },
                "tooltip": [{"field": "day"}, {"field": "measure"}, {"field": "value", "format": ",.3~f"}],
            },
        }

    def draw(self, ax, daily: pd.DataFrame) -> None:
        """The same chart on a Matplotlib axes (for the PNG export)."""
        for (column, label), colour in zip(self.measures.items(), PALETTE, strict=False):
            ax.plot(daily["day"], daily[column], label=label, color=colour, linewidth=1.2)
        ax.set_title(self.title, fontsize=10)
        ax.set_xlabel("day")
        ax.set_ylabel(self.y_title)
        ax.legend(fontsize=6, ncol=2 if len(self.measures) > 6 else 1)


CHARTS = (
    Chart(
        "Submissions by channel",
        "submissions (cumulative)",
        {f"channel_{name}": name.replace("_", " ") for name in CHANNEL_NAMES},
    ),
    Chart(
        "Backlog and overdue cases by level",
        "cases",
        {
            f"{kind}_{level}": f"{kind} {level}"
            for kind in ("backlog", "overdue")
            for level in ("subdistrict", "district", "city")
        },
    ),
    Chart(
        "Formal on-time closure vs substantive resolution",
        "share of replies",
        {
            "formal_on_time_rate": "formal on-time closure",
            "substantive_resolution_rate": "substantive resolution",
            "satisfaction_rate": "recorded satisfaction",
        },
    ),
    Chart(
        "Collective incidents and non-normal events",
        "events (cumulative)",
        {
            "collective_visits": "collective visits",
            "large_collective": "large collective incidents",
            "mass_incidents": "mass incidents",
            "nonnormal": "non-normal events",
            "skip_attempts": "skip-level attempts",
        },
    ),
    Chart("Legitimacy", "mean trust [0, 1]", {"legitimacy_local": "local organs", "legitimacy_center": "the centre"}),
    Chart("Evaluation score", "points", {"evaluation_score": "district evaluation score"}),
)

_frames: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def daily_frame(model: Model) -> pd.DataFrame:
    """The model's daily metrics so far, built once per simulated day however many charts read it.

    The state comes from the DataCollector and the flows are counted from the event log
    (`PetitionModel.daily`). While SolaraViz plays, the model steps in another thread and may be
    collecting a row right now; only days that every column has reached are read.
    """
    cached = _frames.get(model)
    if cached is None or cached[0] != model.time:
        frame = model.daily().reset_index() if model.datacollector.model_vars.get("day") else pd.DataFrame()
        cached = _frames[model] = (model.time, frame)
    return cached[1]


def make_chart_component(chart: Chart, page: int = 0):
    """A `(component, page)` pair for SolaraViz, like Mesa's `make_plot_component`."""

    @solara.component
    def LiveChart(model: Model) -> None:
        update_counter.get()
        daily = daily_frame(model)
        if daily.empty:
            solara.Text(f"{chart.title}: press Step or Play")
        else:
            VegaLite(chart.spec(daily))

    return LiveChart, page


def charts_png(daily: pd.DataFrame, title: str) -> bytes:
    """Every live chart in one PNG (Matplotlib, no display needed)."""
    fig = Figure(figsize=(15, 8.5), layout="constrained")
    fig.suptitle(title)
    for ax, chart in zip(fig.subplots(2, 3).flat, CHARTS, strict=True):
        chart.draw(ax, daily)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()
