"""Vega-Lite specs written as plain dicts, shown by a chart widget made for data that change every day.

Altair builds and validates a chart object per draw (about 60 ms for one line chart of 1,000 days,
measured); the live page redraws every chart after every simulated day, so the app writes the
Vega-Lite JSON itself. Four things keep a redraw cheap:

- Data go **by column**: one record of equal-length lists in a named dataset, unrolled in the browser
  by Vega-Lite's `flatten` transform, instead of one dict per row.
- A spec travels inside an opaque `Spec` and is set on the widget after the render. Reacton walks
  every list and dict among an element's arguments looking for child elements (a microsecond per
  value: 20-40 ms per step for the page's data); a `Spec` is one value to it.
- The widget (`VegaView`, `vega_view.vue`) takes the spec as JSON text (written by orjson, about a
  tenth of the time of the standard library's `json`): ipywidgets scans a dict trait value by value
  for binary buffers before sending it (another 30-50 ms per step late in a run), a string not at all.
- In the browser, a spec that differs only in its datasets updates the chart already drawn instead
  of embedding it again, and updates arriving while one is drawn are skipped to the latest; Solara's
  own chart widget re-embeds every time, 100 ms after the data stop changing.

Long histories are kept to at most `MAX_POINTS` points per line.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import ipyvuetify as v
import numpy as np
import orjson
import solara
import traitlets

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
MAX_POINTS = 500


class Spec:
    """A Vega-Lite spec, opaque to Reacton's search for child elements; equal only to itself."""

    __slots__ = ("data",)

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data


def records(rows: Sequence[Mapping[str, Any]] | Any) -> list[dict[str, Any]]:
    """Rows (a DataFrame or dicts) as JSON-safe dicts, for small tables that do not change (labels, outlines)."""
    found = rows.to_dict("records") if hasattr(rows, "to_dict") else list(rows)
    return [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()} for row in found]


def column(values: Sequence[Any] | np.ndarray) -> list[Any]:
    """A column as JSON-safe values: NaN (a rate before its first event) becomes null."""
    array = np.asarray(values)
    if array.dtype.kind == "f" and np.isnan(array).any():
        return [None if math.isnan(v) else v for v in array.tolist()]
    return array.tolist()


def columns(data: Mapping[str, Sequence[Any] | np.ndarray]) -> list[dict[str, Any]]:
    """A dataset of equal-length columns: one record of lists (`flatten` unrolls it)."""
    return [{name: column(values) for name, values in data.items()}]


def flatten(data: Mapping[str, Any]) -> dict[str, Any]:
    """The `flatten` transform that turns `columns(data)` back into one datum per row."""
    return {"flatten": list(data)}


def strides(n: int, max_points: int = MAX_POINTS) -> np.ndarray:
    """Row positions that keep at most about `max_points` of `n` rows: every k-th and always the last."""
    stride = max(1, math.ceil(n / max_points))
    keep = np.arange(0, n, stride)
    if n and keep[-1] != n - 1:
        keep = np.append(keep, n - 1)
    return keep


class VegaView(v.VuetifyTemplate):
    """A Vega-Lite chart from a spec given as JSON text, updated in place when only its datasets change."""

    template_file = str(Path(__file__).with_name("vega_view.vue"))
    spec_json = traitlets.Unicode("").tag(sync=True)
    cdn = traitlets.Unicode(None, allow_none=True).tag(sync=True)


@solara.component
def VegaLite(spec: Spec) -> Any:
    """A Vega-Lite spec in the page (tooltips run in the browser)."""
    element = VegaView.element()

    def show() -> None:
        solara.get_widget(element).spec_json = orjson.dumps({"$schema": SCHEMA, **spec.data}).decode()

    solara.use_effect(show, [spec])
    return element
