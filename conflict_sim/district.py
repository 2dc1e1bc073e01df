"""The district's geography: subdistricts and the town, communities and villages, grids.

Chengzhong has 7 subdistricts + 1 town, 28 communities + 32 villages (petition-system.md 2.1, 5.19).
Unit populations are not published; the old core follows the 2000-census shares grown by 30 %, the
newer southern units (南川东路, 南川西路, 总寨镇) carry the post-2008 growth [A]. Grids hold about
`grid_households` real households each. The grids are the cells of a Mesa `Network` space: a grid is
linked to the other grids of its community, and each community's first grid to its unit's others.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import networkx as nx
import numpy as np

from conflict_sim.params import Params


@dataclass(frozen=True, slots=True)
class Unit:
    """A subdistrict (街道) or the town (镇), with its map position for the browser view."""

    name: str
    english: str
    weight: float  # relative household count [S for the old core, A otherwise]
    communities: int
    villages: int
    x: float
    y: float


UNITS = (
    Unit("人民街街道", "Renminjie", 15_077 * 1.3, 4, 0, 0.0, 1.0),
    Unit("南滩街道", "Nantan", 33_008 * 1.3, 4, 0, -1.0, 0.0),
    Unit("仓门街街道", "Cangmenjie", 18_792 * 1.3, 4, 0, 1.0, 1.2),
    Unit("礼让街街道", "Lirangjie", 30_818 * 1.3, 4, 0, 1.1, 0.1),
    Unit("饮马街街道", "Yinmajie", 26_346 * 1.3, 4, 0, 0.1, 2.0),
    Unit("南川东路街道", "Nanchuan East Road", 50_000, 4, 6, 0.6, -1.3),
    Unit("南川西路街道", "Nanchuan West Road", 45_000, 4, 6, -0.8, -1.5),
    Unit("总寨镇", "Zongzhai town", 40_000, 0, 20, 0.0, -3.0),
)


@dataclass(frozen=True, slots=True)
class Neighbourhood:
    """A community residents' committee (社区) or an administrative village (村)."""

    unit: int
    index_in_unit: int
    village: bool
    households: int  # real households


class District:
    """Where every household lives: unit, neighbourhood and grid, as arrays, plus the grid network."""

    def __init__(self, params: Params) -> None:
        self.units = UNITS
        self.neighbourhoods = _neighbourhoods(params.households)
        grid_unit, grid_hood, grid_agents = [], [], []
        hood_agents = _largest_remainder([h.households for h in self.neighbourhoods], params.agents)
        for h_index, (hood, n_agents) in enumerate(zip(self.neighbourhoods, hood_agents, strict=True)):
            n_grids = max(1, math.ceil(hood.households / params.grid_households))
            for share in np.array_split(np.arange(n_agents), n_grids):
                grid_unit.append(hood.unit)
                grid_hood.append(h_index)
                grid_agents.append(len(share))
        self.grid_unit = np.array(grid_unit)
        self.grid_hood = np.array(grid_hood)
        self.grid_of = np.repeat(np.arange(len(grid_agents)), grid_agents)
        self.unit_of = self.grid_unit[self.grid_of]
        self.hood_of = self.grid_hood[self.grid_of]
        self.graph = self._grid_graph()
        self.positions = self._positions()

    @property
    def n_grids(self) -> int:
        return len(self.grid_unit)

    def _grid_graph(self) -> nx.Graph:
        graph = nx.Graph()
        graph.add_nodes_from(range(self.n_grids))
        first_of_hood: dict[int, int] = {}
        for g, hood in enumerate(self.grid_hood):
            if hood in first_of_hood:
                graph.add_edge(g - 1, g)
            else:
                first_of_hood[int(hood)] = g
        by_unit: dict[int, list[int]] = {}
        for hood, g in first_of_hood.items():
            by_unit.setdefault(self.neighbourhoods[hood].unit, []).append(g)
        for hubs in by_unit.values():
            graph.add_edges_from(itertools.pairwise(hubs))
        return graph

    def _positions(self) -> np.ndarray:
        """Map-like coordinates of each grid: units on a sketch map, communities around them."""
        pos = np.zeros((self.n_grids, 2))
        for g in range(self.n_grids):
            hood = self.neighbourhoods[self.grid_hood[g]]
            unit = UNITS[hood.unit]
            n_in_unit = unit.communities + unit.villages
            angle = 2 * math.pi * hood.index_in_unit / max(1, n_in_unit)
            radius = 0.35 + 0.15 * hood.village
            cx, cy = unit.x + radius * math.cos(angle), unit.y + radius * math.sin(angle)
            k = g - int(np.flatnonzero(self.grid_hood == self.grid_hood[g])[0])
            pos[g] = cx + 0.05 * math.cos(2.4 * k) * math.sqrt(k), cy + 0.05 * math.sin(2.4 * k) * math.sqrt(k)
        return pos


def _neighbourhoods(households: int) -> list[Neighbourhood]:
    """Split households over units by weight, then over each unit's communities and villages.

    In the two Nanchuan subdistricts villages hold a fifth of the households; the town is all villages [A].
    """
    unit_households = _largest_remainder([u.weight for u in UNITS], households)
    hoods = []
    for u, (unit, n_hh) in enumerate(zip(UNITS, unit_households, strict=True)):
        village_share = 1.0 if unit.communities == 0 else 0.2 if unit.villages else 0.0
        in_villages = round(n_hh * village_share)
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
