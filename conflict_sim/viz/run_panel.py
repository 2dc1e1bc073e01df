"""The run at a glance: the day, households by state, and downloads of the run's data and charts.

Downloads are built when clicked (Solara calls the function then), so they cost nothing per step.
"""

from __future__ import annotations

import io
from collections import Counter
from typing import TYPE_CHECKING

import solara
import tomli_w
from mesa.visualization.utils import update_counter

from conflict_sim.viz.charts import charts_png, daily_frame
from conflict_sim.viz.district_map import STATUS_COLOURS, statuses

if TYPE_CHECKING:
    from conflict_sim.model import PetitionModel


def run_name(model: PetitionModel) -> str:
    """A file-name stem that says what ran: preset, scale and seed."""
    return f"{model.preset.name}-hpa{model.params.households_per_agent}-seed{model.seed}-day{model.day}"


def csv_bytes(model: PetitionModel) -> bytes:
    return daily_frame(model).to_csv(index=False).encode()


def parquet_bytes(model: PetitionModel) -> bytes:
    buffer = io.BytesIO()
    daily_frame(model).to_parquet(buffer, index=False)
    return buffer.getvalue()


def params_toml(model: PetitionModel) -> bytes:
    """The run's starting parameters, seed and preset: enough to repeat it with `conflict-sim run`."""
    policies = [policy.name for policy in model.policies]
    header = f"# preset {model.preset.name}, seed {model.seed}, standing policies: {policies or 'none'}\n"
    return (header + tomli_w.dumps(model.settings.to_dict())).encode()


@solara.component
def RunPanel(model: PetitionModel) -> None:
    """SolaraViz component: the day counter, households by state, and export buttons."""
    update_counter.get()
    counts = Counter(statuses(model).tolist())
    hpa = model.params.households_per_agent
    with solara.Card(
        f"Day {model.day}",
        subtitle=f"{model.preset.name}, seed {model.seed}, {len(model.residents):,} agents x {hpa} households",
    ):
        with solara.Row(style={"flex-wrap": "wrap", "gap": "4px"}):
            for name, colour in STATUS_COLOURS.items():
                solara.Text(
                    f"{name} {counts.get(name, 0) * hpa:,}",
                    style={
                        "background": colour,
                        "color": "white" if name != "quiet" else "black",
                        "padding": "1px 6px",
                        "border-radius": "8px",
                        "font-size": "12px",
                    },
                    classes=[f"status-{name}"],
                )
        stem = run_name(model)
        with solara.Row(style={"flex-wrap": "wrap"}):
            solara.FileDownload(lambda: csv_bytes(model), f"{stem}.csv", label="Data (CSV)")
            solara.FileDownload(lambda: parquet_bytes(model), f"{stem}.parquet", label="Data (Parquet)")
            solara.FileDownload(lambda: charts_png(daily_frame(model), stem), f"{stem}.png", label="Charts (PNG)")
            solara.FileDownload(lambda: params_toml(model), f"{stem}.toml", label="Parameters (TOML)")
