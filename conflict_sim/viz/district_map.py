"""The district view: units, communities and grids on a sketch map, residents coloured by state.

Grids sit at `district.positions`; each household that is not quiet is a dot on a fixed spiral around
its grid (no randomness, so dots stay put from day to day); quiet households show only as the grey
grid disc, which keeps the picture light enough to redraw every simulated day. Layers that change
daily travel as columns (`viz.vega`), and only households that can be other than quiet are asked. Petition offices are
squares and mediation committees triangles, sized by the cases they hold; hovering shows details.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import solara

from conflict_sim.viz.vega import Spec, VegaLite, columns, flatten, records

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
STATUS_NAMES = np.array(list(STATUS_COLOURS))
STATUS_CODES = {name: i for i, name in enumerate(STATUS_COLOURS)}
DOT_SPACING = 0.011  # map units between dots of one grid's spiral (times the district's unit spacing)


def status_codes(model: PetitionModel) -> np.ndarray:
    """Every resident's status (`Resident.status`) as its position in `STATUS_COLOURS`, in household order.

    Only households with open issues are asked; for the others `Resident.status`'s first rule is
    applied to the whole arrays at once: exited with a latent grievance, else resolved once an issue
    has ended, else quiet (tests/test_app.py checks that the two agree for every household).
    """
    hh = model.households
    codes = np.where(hh.latent_grievance > 0, STATUS_CODES["exited"], np.where(hh.settled, STATUS_CODES["resolved"], 0))
    residents = model.residents
    acting = sorted({issue.household for issue in model.open_issues.values()})
    codes[acting] = [STATUS_CODES[residents[i].status] for i in acting]
    return codes


def statuses(model: PetitionModel) -> np.ndarray:
    """Every resident's status by name, in household order."""
    return STATUS_NAMES[status_codes(model)]


def resident_layer(model: PetitionModel, codes: np.ndarray) -> dict[str, np.ndarray | list]:
    """Households that are not quiet, placed on a golden-angle spiral around their grid."""
    d, hh = model.district, model.households
    shown = np.flatnonzero(codes)
    grid = d.grid_of[shown]
    rank = shown - np.searchsorted(d.grid_of, grid)  # households are stored grid by grid
    radius, angle = DOT_SPACING * d.map.unit_spacing * np.sqrt(rank + 0.5), 2.39996 * rank
    residents = model.residents
    return {
        "x": (d.positions[grid, 0] + radius * np.cos(angle)).round(3),
        "y": (d.positions[grid, 1] + radius * np.sin(angle)).round(3),
        "status": STATUS_NAMES[codes[shown]],
        "hh": shown,
        "n": [len(residents[i].issues) for i in shown.tolist()],
        "L": hh.legitimacy_local[shown].round(2),
        "C": hh.legitimacy_center[shown].round(2),
    }


def grid_layer(model: PetitionModel, codes: np.ndarray) -> dict[str, np.ndarray | list]:
    """One row per grid: where it is, whom it holds, and how many are in each state (real households)."""
    d, hpa = model.district, model.params.households_per_agent
    cells = np.bincount(d.grid_of * len(STATUS_NAMES) + codes, minlength=d.n_grids * len(STATUS_NAMES))
    by_state = cells.reshape(d.n_grids, len(STATUS_NAMES)) * hpa
    return {
        "x": d.positions[:, 0].round(3),
        "y": d.positions[:, 1].round(3),
        "grid": np.arange(d.n_grids),
        "unit": [d.units[u].english for u in d.grid_unit],
        "community": d.grid_hood,
        "households": by_state.sum(axis=1),
        **{name: by_state[:, i] for i, name in enumerate(STATUS_NAMES.tolist())},
    }


def organ_layer(model: PetitionModel) -> dict[str, list]:
    """Petition offices and mediation committees with the cases each holds (real households)."""
    d, hpa = model.district, model.params.households_per_agent
    offices = [*model.subdistrict_offices, model.district_bureau, model.city_bureau, model.province_bureau]
    places = [(d.units[o.unit].x, d.units[o.unit].y) for o in model.subdistrict_offices] + list(bureau_positions(d))
    committees = model.mediation_committees
    centres = _committee_positions(d)
    return {
        "x": [x for x, _ in places] + centres[:, 0].tolist(),
        "y": [y for _, y in places] + centres[:, 1].tolist(),
        "organ": ["petition office"] * len(offices) + ["mediation committee"] * len(committees),
        "name": [o.name for o in offices]
        + [
            f"{d.units[h.unit].english} {'village' if h.village else 'community'} {i}"
            for i, h in enumerate(d.neighbourhoods)
        ],
        "cases": [o.backlog * hpa for o in offices] + [c.backlog * hpa for c in committees],
        "overdue": [o.overdue * hpa for o in offices] + [0] * len(committees),
        "mediations so far": [None] * len(offices) + [c.cases * hpa for c in committees],
    }


def _committee_positions(d: District) -> np.ndarray:
    """Each community's or village's committee at the centre of its grids."""
    sums = np.zeros((len(d.neighbourhoods), 2))
    np.add.at(sums, d.grid_hood, d.positions)
    return sums / np.bincount(d.grid_hood, minlength=len(d.neighbourhoods))[:, None]


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


def outline_rows(d: District) -> list[dict[str, Any]]:
    """The district file's GeoJSON outline as points along each ring, in drawing order."""
    return [
        {"x": x, "y": y, "ring": r, "order": i} for r, ring in enumerate(d.map.outline) for i, (x, y) in enumerate(ring)
    ]


def district_spec(model: PetitionModel) -> dict[str, Any]:
    """The whole district as one layered Vega-Lite spec with tooltips."""
    d = model.district
    codes = status_codes(model)
    grids, residents, organs = grid_layer(model, codes), resident_layer(model, codes), organ_layer(model)
    s = d.map.unit_spacing
    points = np.vstack([d.positions, *bureau_positions(d), *(np.array(r) for r in d.map.outline)])
    lo, hi = points.min(axis=0) - 0.35 * s, points.max(axis=0) + 0.35 * s
    hi[1] += 0.1 * s  # room for the labels above the top units
    x = {"field": "x", "type": "quantitative", "axis": None, "scale": {"domain": [float(lo[0]), float(hi[0])]}}
    y = {"field": "y", "type": "quantitative", "axis": None, "scale": {"domain": [float(lo[1]), float(hi[1])]}}

    def tips(layer: dict[str, Any]) -> list[dict[str, str]]:
        return [{"field": c, "title": TOOLTIP_TITLES.get(c, c)} for c in layer if c not in ("x", "y")]

    def data(name: str, layer: dict[str, Any]) -> dict[str, Any]:
        return {"data": {"name": name}, "transform": [flatten(layer)]}

    labels = [{"x": u.x, "y": u.y + 0.55 * s, "label": u.english, "unit": u.name} for u in d.units]
    outline = [
        {
            "data": {"values": records(outline_rows(d))},
            "mark": {"type": "line", "color": "#90a4ae", "strokeWidth": 1},
            "encoding": {"x": x, "y": y, "detail": {"field": "ring"}, "order": {"field": "order"}},
        }
    ]
    layers = [
        *(outline if d.map.outline else []),
        {
            **data("grids", grids),
            "mark": {"type": "circle", "color": "#cfd8dc", "opacity": 0.6},
            "encoding": {
                "x": x,
                "y": y,
                "tooltip": tips(grids),
                "size": {"field": "households", "type": "quantitative", "legend": None, "scale": {"range": [30, 220]}},
            },
        },
        {
            **data("residents", residents),
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
            **data("organs", organs),
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
        "title": d.english,  # the day is on the run panel; a title that never changes lets the map update in place
        "width": 430,
        "height": 330,
        "layer": layers,
        "datasets": {"grids": columns(grids), "residents": columns(residents), "organs": columns(organs)},
        "resolve": {"scale": {"size": "independent"}},
    }


@solara.component
def DistrictMap(model: PetitionModel, day: int) -> None:
    """The district map of `model` on `day` (the caller passes the day so that a new day redraws it)."""
    VegaLite(Spec(district_spec(model)))
