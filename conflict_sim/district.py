"""The district's geography as arrays: where each household lives (unit, neighbourhood, grid).

The district itself is data (`conflict_sim.districts`: units, communities, villages, figures and map,
each with its basis); `District` builds from the file that `Params.district` names. Units' households
follow their weights; within a unit, communities and villages share its households (villages hold
`village_share` of them); grids hold about `grid_households` real households each. Households are
stored grid by grid, so a grid, a neighbourhood or a unit is a contiguous range of agents.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from conflict_sim import districts, sampling
from conflict_sim.districts import Unit
from conflict_sim.params import Params


@dataclass(frozen=True, slots=True)
class Neighbourhood:
    """A community residents' committee (社区) or an administrative village (村)."""

    unit: int
    index_in_unit: int
    village: bool
    households: int  # real households


class District:
    """Where every household lives: unit, neighbourhood and grid, as arrays.

    Also the district's `name` (Chinese), `english` name, `units`, the `sources` of its figures and its
    `map` layout, from the district file `params.district` names.
    """

    def __init__(self, params: Params) -> None:
        data = districts.load(params.district)
        self.name, self.english, self.units = data.name, data.english, data.units
        self.sources, self.map = data.sources, data.map
        self.neighbourhoods = _neighbourhoods(self.units, params.households)
        grid_unit, grid_hood, grid_agents = [], [], []
        hood_agents = _largest_remainder([h.households for h in self.neighbourhoods], params.agents)
        for h_index, (hood, n_agents) in enumerate(zip(self.neighbourhoods, hood_agents, strict=True)):
            n_grids = max(1, math.ceil(hood.households / params.grid_households))
            for share in np.array_split(np.arange(n_agents), n_grids):
                grid_unit.append(hood.unit)
                grid_hood.append(h_index)
                grid_agents.append(len(share))
        hood_households = np.array([h.households for h in self.neighbourhoods])
        sampling.check(hood_households, np.array(grid_agents), params.grid_households, params.households_per_agent)
        self.hood_agents = np.array(hood_agents)
        self.notes = sampling.notes(
            self.hood_agents, params.group_size_median, params.group_size_sigma, params.households_per_agent
        )
        self.grid_unit = np.array(grid_unit)
        self.grid_hood = np.array(grid_hood)
        self.grid_of = np.repeat(np.arange(len(grid_agents)), grid_agents)
        self.unit_of = self.grid_unit[self.grid_of]
        self.hood_of = self.grid_hood[self.grid_of]
        self.positions = self._positions()

    @property
    def n_grids(self) -> int:
        return len(self.grid_unit)

    def _positions(self) -> np.ndarray:
        """Map-like coordinates of each grid: units on a sketch map, communities around them."""
        pos = np.zeros((self.n_grids, 2))
        spacing = self.map.unit_spacing  # 1 on a sketch map; the unit distance in an outline's coordinates
        for g in range(self.n_grids):
            hood = self.neighbourhoods[self.grid_hood[g]]
            unit = self.units[hood.unit]
            n_in_unit = unit.communities + unit.villages
            angle = 2 * math.pi * hood.index_in_unit / max(1, n_in_unit)
            radius = (0.35 + 0.15 * hood.village) * spacing
            cx, cy = unit.x + radius * math.cos(angle), unit.y + radius * math.sin(angle)
            k = g - int(np.flatnonzero(self.grid_hood == self.grid_hood[g])[0])
            step = 0.05 * spacing
            pos[g] = cx + step * math.cos(2.4 * k) * math.sqrt(k), cy + step * math.sin(2.4 * k) * math.sqrt(k)
        return pos


def _neighbourhoods(units: tuple[Unit, ...], households: int) -> list[Neighbourhood]:
    """Split households over units by weight, then evenly over each unit's communities and its villages."""
    unit_households = _largest_remainder([u.weight for u in units], households)
    hoods = []
    for u, (unit, n_hh) in enumerate(zip(units, unit_households, strict=True)):
        in_villages = round(n_hh * unit.village_share)
        sizes = [*_even(n_hh - in_villages, unit.communities), *_even(in_villages, unit.villages)]
        kinds = [False] * unit.communities + [True] * unit.villages
        hoods += [Neighbourhood(u, i, v, s) for i, (v, s) in enumerate(zip(kinds, sizes, strict=True))]
    return hoods


def _even(total: int, parts: int) -> list[int]:
    return [len(a) for a in np.array_split(np.arange(total), parts)] if parts else []


def _largest_remainder(weights: list[float], total: int) -> list[int]:
    """Integer shares of `total` proportional to `weights`, summing exactly to `total`."""
    w = np.asarray(weights, dtype=float)
    exact = w / w.sum() * total
    base = np.floor(exact).astype(int)
    order = np.argsort(-(exact - base), kind="stable")
    base[order[: total - base.sum()]] += 1
    return base.tolist()


_SAMPLES_CHECKED: set[tuple] = set()


def check_sample(params: Params) -> None:
    """Refuse, before any run starts, a sample the district cannot honour (the check a model makes at build).

    Remembers the settings it has passed, so a sweep of many points builds each district layout once.
    """
    key = (params.district, params.households, params.households_per_agent, params.grid_households)
    if key not in _SAMPLES_CHECKED:
        District(params)
        _SAMPLES_CHECKED.add(key)
