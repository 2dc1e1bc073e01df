"""The live charts: which metrics go together, drawn as Vega-Lite in the page and as one PNG for export.

Each `Chart` names columns of the model's daily series (the DataCollector's state and the flows
counted from the event log, as `PetitionModel.daily` gives them; live, from `viz.live`) and their
labels. `LiveChart` draws one of them for the current day.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import solara
from matplotlib.figure import Figure

from conflict_sim.issues import CHANNEL_NAMES
from conflict_sim.viz.live import live_series
from conflict_sim.viz.vega import Spec, VegaLite, columns, flatten, strides

if TYPE_CHECKING:
    from conflict_sim.model import PetitionModel

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

    def spec(self, series: Mapping[str, np.ndarray], *, width: int = 400, height: int = 190) -> dict[str, Any]:
        """A Vega-Lite line chart of these columns over days (one line per column, long runs thinned)."""
        keep = strides(len(series["day"]))
        data = {"day": series["day"][keep], **{label: series[c][keep] for c, label in self.measures.items()}}
        labels = list(self.measures.values())
        return {
            "title": self.title,
            "width": width,
            "height": height,
            "data": {"name": "table"},
            "datasets": {"table": columns(data)},
            "transform": [flatten(data), {"fold": labels, "as": ["measure", "value"]}],
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


@solara.component
def LiveChart(chart: Chart, model: PetitionModel, day: int) -> None:
    """One live chart of `model`, drawn for `day` (the caller passes the day so that a new day redraws it)."""
    series = live_series(model)
    if not len(series["day"]):
        solara.Text(f"{chart.title}: press Step or Play")
    else:
        VegaLite(Spec(chart.spec(series)))


def charts_png(daily: pd.DataFrame, title: str) -> bytes:
    """Every live chart in one PNG (Matplotlib, no display needed)."""
    fig = Figure(figsize=(15, 8.5), layout="constrained")
    fig.suptitle(title)
    for ax, chart in zip(fig.subplots(2, 3).flat, CHARTS, strict=True):
        chart.draw(ax, daily)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()
