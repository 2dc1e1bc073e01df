"""Vega-Lite specs written as plain dicts, shown by Solara's VegaLite widget.

Altair builds and validates a chart object per draw (about 60 ms for one line chart of 1,000 days,
measured); a SolaraViz page redraws every chart after every simulated day, so the app writes the
Vega-Lite JSON itself (a few ms) and keeps long histories to at most `MAX_POINTS` points per line.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import solara

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
MAX_POINTS = 500


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-safe dicts: NaN (a rate before its first event) becomes null."""
    rows = frame.to_dict("records")
    return [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()} for row in rows]


def thin(frame: pd.DataFrame, max_points: int = MAX_POINTS) -> pd.DataFrame:
    """Every k-th row (and always the last), so a line has at most about `max_points` points."""
    stride = max(1, math.ceil(len(frame) / max_points))
    if stride == 1:
        return frame
    keep = list(range(0, len(frame), stride))
    if keep[-1] != len(frame) - 1:
        keep.append(len(frame) - 1)
    return frame.iloc[keep]


@solara.component
def VegaLite(spec: dict[str, Any]) -> None:
    """A Vega-Lite spec in the page (tooltips and zoom run in the browser)."""
    solara.widgets.VegaLite.element(spec={"$schema": SCHEMA, **spec})
