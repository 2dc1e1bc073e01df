"""The run at a glance: the day, households by state, and downloads of the run's data and charts.

Downloads are built when clicked (Solara calls the function then), so they cost nothing per step.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import solara
import tomli_w

from conflict_sim import catalogue
from conflict_sim.viz.charts import charts_png
from conflict_sim.viz.district_map import STATUS_COLOURS, status_codes

if TYPE_CHECKING:
    from conflict_sim.model import PetitionModel


def run_name(model: PetitionModel) -> str:
    """A file-name stem that says what ran: preset, scale and seed."""
    return f"{model.preset.name}-hpa{model.params.households_per_agent}-seed{model.seed}-day{model.day}"


def daily_table(model: PetitionModel) -> pd.DataFrame:
    """The run's daily series so far, every column, as `PetitionModel.daily()` gives them (built on demand).

    While the page plays, the model steps in another thread and may be collecting a row right now;
    the state is read up to the last day every column holds, as `daily()` reads it between steps.
    """
    state = model.datacollector.model_vars
    days = min((len(values) for values in state.values()), default=0)
    if not days:
        return pd.DataFrame({"day": pd.Series(dtype="int64")})
    stocks = pd.DataFrame({name: values[:days] for name, values in state.items()})
    return catalogue.daily(
        model.log.tables(), stocks.astype({"day": "int64"}).set_index("day"), model.params
    ).reset_index()


def csv_bytes(model: PetitionModel) -> bytes:
    return daily_table(model).to_csv(index=False).encode()


def parquet_bytes(model: PetitionModel) -> bytes:
    buffer = io.BytesIO()
    daily_table(model).to_parquet(buffer, index=False)
    return buffer.getvalue()


def params_toml(model: PetitionModel) -> bytes:
    """The run's starting parameters, seed and preset: enough to repeat it with `conflict-sim run`."""
    policies = [policy.name for policy in model.policies]
    header = f"# preset {model.preset.name}, seed {model.seed}, standing policies: {policies or 'none'}\n"
    return (header + tomli_w.dumps(model.settings.to_dict())).encode()


@solara.component
def RunPanel(model: PetitionModel, day: int) -> None:
    """The day counter, households by state, and export buttons (the caller passes the day to redraw it)."""
    counts = np.bincount(status_codes(model), minlength=len(STATUS_COLOURS))
    hpa = model.params.households_per_agent
    with solara.Card(
        f"Day {day}",
        subtitle=f"{model.district.english}: preset {model.preset.name}, seed {model.seed}, "
        f"{len(model.residents):,} agents x {hpa} households",
    ):
        with solara.Row(style={"flex-wrap": "wrap", "gap": "4px"}):
            for (name, colour), count in zip(STATUS_COLOURS.items(), counts.tolist(), strict=True):
                solara.Text(
                    f"{name} {count * hpa:,}",
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
            solara.FileDownload(lambda: charts_png(daily_table(model), stem), f"{stem}.png", label="Charts (PNG)")
            solara.FileDownload(lambda: params_toml(model), f"{stem}.toml", label="Parameters (TOML)")
