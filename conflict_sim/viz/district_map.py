"""The district view: units, communities and grids on a sketch map, residents coloured by state.

Grids sit at `district.positions`; each household that is not quiet is a dot on a fixed spiral around
its grid (no randomness, so dots stay put from day to day); quiet households show only as the grey
grid disc, which keeps the picture light enough to redraw every simulated day. Petition offices are
squares and mediation committees triangles, sized by the cases they hold; hovering shows details.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import solara
from mesa.visualization.utils import update_counter

from conflict_sim.viz.vega import VegaLite, records

if TYPE_CHECKING:
    from conflict_sim.district import District
    from conflict_sim.model import PetitionModel

STATUS_COLOURS = {
    "quiet": "#b0bec5",
    "aggrieved": "#f2b701",
    "petitioning": "#3969ac",
    "waiting": "#7f3c8d",
    "escalating": "#e68310",
    "collective": "#e73f74",
    "resolved": "#11a579",
    "exited": "#5f5f5f",
}
TOOLTIP_TITLES = {"hh": "household", "n": "open issues", "L": "local legitimacy", "C": "trust in the centre"}
DOT_SPACING = 0.011  # map units between dots of one grid's spiral (times the district's unit spacing)


def statuses(model: PetitionModel) -> np.ndarray:
    """Every resident's status, in household order."""
    return np.array([r.status for r in model.residents])


def resident_frame(model: PetitionModel, status: np.ndarray) -> pd.DataFrame:
    """Households that are not quiet, placed on a golden-angle spiral around their grid."""
    d, hh = model.district, model.households
    shown = np.flatnonzero(status != "quiet")
    grid = d.grid_of[shown]
    rank = shown - np.searchsorted(d.grid_of, grid)  # households are stored grid by grid
    radius, angle = DOT_SPACING * d.map.unit_spacing * np.sqrt(rank + 0.5), 2.39996 * rank
    return pd.DataFrame(
        {
            "x": (d.positions[grid, 0] + radius * np.cos(angle)).round(3),
            "y": (d.positions[grid, 1] + radius * np.sin(angle)).round(3),
            "status": status[shown],
            "hh": shown,
            "n": [len(model.residents[i].issues) for i in shown],
            "L": hh.legitimacy_local[shown].round(2),
            "C": hh.legitimacy_center[shown].round(2),
        }
    )


def grid_frame(model: PetitionModel, status: np.ndarray) -> pd.DataFrame:
    """One row per grid: where it is, whom it holds, and how many are in each state."""
    d, hpa = model.district, model.params.households_per_agent
    frame = pd.DataFrame(
        {
            "x": d.positions[:, 0].round(3),
            "y": d.positions[:, 1].round(3),
            "grid": np.arange(d.n_grids),
            "unit": [d.units[u].english for u in d.grid_unit],
            "community": d.grid_hood,
            "households": np.bincount(d.grid_of, minlength=d.n_grids) * hpa,
        }
    )
    for name in STATUS_COLOURS:
        frame[name] = np.bincount(d.grid_of[status == name], minlength=d.n_grids) * hpa
    return frame


def organ_frame(model: PetitionModel) -> pd.DataFrame:
    """Petition offices and mediation committees with the cases each holds (real households)."""
    d, hpa = model.district, model.params.households_per_agent
    rows = [
        {
            "x": d.units[o.unit].x,
            "y": d.units[o.unit].y,
            "organ": "petition office",
            "name": o.name,
            "cases": o.backlog * hpa,
            "overdue": o.overdue * hpa,
        }
        for o in model.subdistrict_offices
    ]
    offices = (model.district_bureau, model.city_bureau, model.province_bureau)
    for office, (x, y) in zip(offices, bureau_positions(d), strict=True):
        rows.append(
            {
                "x": x,
                "y": y,
                "organ": "petition office",
                "name": office.name,
                "cases": office.backlog * hpa,
                "overdue": office.overdue * hpa,
            }
        )
    for hood, committee in enumerate(model.mediation_committees):
        x, y = d.positions[d.grid_hood == hood].mean(axis=0)
        kind = "village" if d.neighbourhoods[hood].village else "community"
        rows.append(
            {
                "x": x,
                "y": y,
                "organ": "mediation committee",
                "name": f"{d.units[d.neighbourhoods[hood].unit].english} {kind} {hood}",
                "cases": committee.backlog * hpa,
                "overdue": 0,
                "mediations so far": committee.cases * hpa,
            }
        )
    return pd.DataFrame(rows)


def bureau_positions(d: District) -> tuple[tuple[float, float], ...]:
    """Where the district, city and provincial bureaus sit on the map.

    From the district file, else the units' centre and off to the north-west (the provincial bureau
    just above the city's).
    """
    xy = np.array([(u.x, u.y) for u in d.units])
    s = d.map.unit_spacing
    centre = (float(xy[:, 0].mean()), float(xy[:, 1].mean()))
    city = d.map.city_bureau or (float(xy[:, 0].min() - 1.2 * s), float(xy[:, 1].max() + 0.2 * s))
    return d.map.district_bureau or centre, city, (city[0], city[1] + 0.4 * s)


def outline_frame(d: District) -> pd.DataFrame:
    """The district file's GeoJSON outline as points along each ring, in drawing order."""
    rows = [
        {"x": x, "y": y, "ring": r, "order": i} for r, ring in enumerate(d.map.outline) for i, (x, y) in enumerate(ring)
    ]
    return pd.DataFrame(rows, columns=["x", "y", "ring", "order"])


def district_spec(model: PetitionModel) -> dict[str, Any]:
    """The whole district as one layered Vega-Lite spec with tooltips."""
    d = model.district
    status = statuses(model)
    grids, residents, organs = grid_frame(model, status), resident_frame(model, status), organ_frame(model)
    s = d.map.unit_spacing
    points = np.vstack([d.positions, *bureau_positions(d), *(np.array(r) for r in d.map.outline)])
    lo, hi = points.min(axis=0) - 0.35 * s, points.max(axis=0) + 0.35 * s
    hi[1] += 0.1 * s  # room for the labels above the top units
    x = {"field": "x", "type": "quantitative", "axis": None, "scale": {"domain": [float(lo[0]), float(hi[0])]}}
    y = {"field": "y", "type": "quantitative", "axis": None, "scale": {"domain": [float(lo[1]), float(hi[1])]}}

    def tips(frame: pd.DataFrame) -> list[dict[str, str]]:
        return [{"field": c, "title": TOOLTIP_TITLES.get(c, c)} for c in frame.columns if c not in ("x", "y")]

    labels = pd.DataFrame(
        {
            "x": [u.x for u in d.units],
            "y": [u.y + 0.55 * s for u in d.units],
            "label": [u.english for u in d.units],
            "unit": [u.name for u in d.units],
        }
    )
    outline = [
        {
            "data": {"values": records(outline_frame(d))},
            "mark": {"type": "line", "color": "#90a4ae", "strokeWidth": 1},
            "encoding": {"x": x, "y": y, "detail": {"field": "ring"}, "order": {"field": "order"}},
        }
    ]
    layers = [
        *(outline if d.map.outline else []),
        {
            "data": {"values": records(grids)},
            "mark": {"type": "circle", "color": "#cfd8dc", "opacity": 0.6},
            "encoding": {
                "x": x,
                "y": y,
                "tooltip": tips(grids),
                "size": {"field": "households", "type": "quantitative", "legend": None, "scale": {"range": [30, 220]}},
            },
        },
        {
            "data": {"values": records(residents)},
            "mark": {"type": "circle", "size": 16, "opacity": 0.9},
            "encoding": {
                "x": x,
                "y": y,
                "tooltip": tips(residents),
                "color": {
                    "field": "status",
                    "type": "nominal",
                    "title": "Households",
                    "legend": {"orient": "bottom-left", "fillColor": "white"},
                    "scale": {"domain": list(STATUS_COLOURS), "range": list(STATUS_COLOURS.values())},
                },
            },
        },
        {
            "data": {"values": records(organs)},
            "mark": {"type": "point", "filled": True, "opacity": 0.85, "color": "#263238", "stroke": "white"},
            "encoding": {
                "x": x,
                "y": y,
                "tooltip": tips(organs),
                "shape": {
                    "field": "organ",
                    "type": "nominal",
                    "title": "Organs",
                    "legend": {"orient": "bottom-right", "fillColor": "white"},
                    "scale": {"domain": ["petition office", "mediation committee"], "range": ["square", "triangle-up"]},
                },
                "size": {
                    "field": "cases",
                    "type": "quantitative",
                    "legend": None,
                    "scale": {"range": [30, 700], "zero": True},
                },
            },
        },
        {
            "data": {"values": records(labels)},
            "mark": {"type": "text", "fontSize": 11, "color": "#37474f"},
            "encoding": {"x": x, "y": y, "text": {"field": "label"}, "tooltip": {"field": "unit"}},
        },
    ]
    # A sketch map squeezed north-south to fit SolaraViz's grid cell; hover gives the details.
    return {
        "title": f"{d.english}, day {model.day}",
        "width": 430,
        "height": 330,
        "layer": layers,
        "resolve": {"scale": {"size": "independent"}},
    }


@solara.component
def DistrictMap(model: PetitionModel) -> None:
    """SolaraViz component: the district map, redrawn after every step."""
    update_counter.get()
    VegaLite(district_spec(model))
