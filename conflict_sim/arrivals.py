"""New disputes: Poisson arrivals by category, drawn so that every arm of a comparison meets the same ones.

Each day's arrivals come from that day's own generator (`Streams.arrivals_on`), in fixed-size blocks
whatever the parameters: first a Poisson count per category at the base rate, then for every candidate
its household, severity and a row of uniforms for its other attributes, and a seed for the details of
a group it may start. A candidate becomes an issue when its thinning draw falls below the category's
current rate multiplier, so an arm that cuts arrivals (source governance) keeps a subset of the same
issues, and one that raises them (a wave) adds candidates from further layers of the same day. Two
arms that differ in anything but arrival rates meet identical issues: day, household, category,
severity, merit, needed level and group (common random numbers).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from typing import NamedTuple, cast

import cython
import numpy as np

from conflict_sim.district import District
from conflict_sim.issues import CATEGORIES, CATEGORY_INDEX, Group, Issue, Level
from conflict_sim.params import Params
from conflict_sim.streams import SeededGenerator

if cython.compiled:  # the compiled build writes an issue's fields at their offsets (layouts.py)
    check_layouts()  # type: ignore[name-defined]  # noqa: F821

SHARES = np.array([c.share for c in CATEGORIES])
CATEGORY_CODES = np.arange(len(CATEGORIES))
SEVERITY_A = np.array([c.severity_a for c in CATEGORIES])
SEVERITY_B = np.array([c.severity_b for c in CATEGORIES])
MEDIABLE = np.array([c.mediable for c in CATEGORIES])
LITIGABLE = np.array([c.litigable for c in CATEGORIES])
COLLECTIVE = np.array([c.collective for c in CATEGORIES])
# columns of a candidate's row of uniforms
KEEP, MERIT, LEVEL, LITIGATE, MEDIATE, STRATEGIC, PROJECT = range(7)
UNIFORMS = 7
MAX_GROUP_PEOPLE = 5_000
LEVELS = tuple(Level)
# an issue with the defaults of the fields an arrival does not set: the compiled build copies them (issues.pxd)
_BLANK = Issue(-1, -1, -1, 0.0, 0.0, Level.COMMUNITY, False, False, -1)
LITIGABLE_SHARE, MEDIABLE_SHARE = LITIGABLE.tolist(), MEDIABLE.tolist()
Row = Sequence[float] | np.ndarray  # a candidate's uniforms: a list (sources), a row of the block's array (compiled)


def rate_multipliers(params: Params, day: int) -> np.ndarray:
    """Each category's arrival rate relative to its base: source governance and issue waves."""
    m = np.ones(len(CATEGORIES))
    m[CATEGORY_INDEX["land_housing"]] *= params.land_housing_rate_multiplier
    m[CATEGORY_INDEX["labour"]] *= params.labour_rate_multiplier
    if wave_on(params, day):
        m[CATEGORY_INDEX[params.wave_category]] *= params.wave_multiplier
    return m


def wave_on(params: Params, day: int) -> bool:
    """An issue wave raises its category's arrivals on `day`."""
    return params.wave_category != "none" and params.wave_day <= day < params.wave_day + params.wave_days


def level_edges(params: Params) -> list[float]:
    """Cumulative shares of the levels needed: community, up to subdistrict, up to district."""
    return np.cumsum(
        [params.level_needed_community, params.level_needed_subdistrict, params.level_needed_district]
    ).tolist()


def level_needed(u: float, edges: list[float]) -> Level:
    """The lowest level able to settle an issue, from a uniform draw and the cumulative level shares."""
    return LEVELS[bisect.bisect_right(edges, u)]


class _Rates(NamedTuple):
    """What a day's draws read of the parameters: the same on every day with the same parameters and wave."""

    base: np.ndarray  # expected candidates per layer and category, agent units
    multipliers: np.ndarray
    layers: int
    edges: list[float]
    keeps_all: bool  # one layer and no rate below its base: every candidate passes its thinning draw


@cython.cclass
class Arrivals:
    """Draws each day's new issues for the sampled households of one district."""

    def __init__(self, params: Params, district: District) -> None:
        self.n = params.agents
        self.district = district
        self._hood_start, self._hood_end = _ranges(district.hood_of, len(district.neighbourhoods))
        self._unit_start, self._unit_end = _ranges(district.unit_of, len(district.units))
        self._cached_rates: tuple[Params, bool, _Rates] | None = None

    def _rates(self, params: Params, day: int) -> _Rates:
        """The day's rates, worked out again only when the parameters or the wave change (not every day)."""
        wave, cached = wave_on(params, day), self._cached_rates
        if cached is not None and cached[0] is params and cached[1] == wave:
            return cached[2]
        multipliers = rate_multipliers(params, day)
        layers = max(1, math.ceil(float(multipliers.max())))
        base = SHARES * params.issue_rate / 365.0 * self.n
        keeps_all = layers == 1 and bool(multipliers.min() >= 1.0)
        rates = _Rates(base, multipliers, layers, level_edges(params), keeps_all)
        self._cached_rates = (params, wave, rates)
        return rates

    def draw(self, generator: SeededGenerator, params: Params, day: int) -> list[Issue]:
        """The issues that arise on `day` (uids unset), in a fixed order."""
        rates = self._rates(params, day)
        issues: list[Issue] = []
        for layer in range(rates.layers):
            if cython.compiled:  # the same draws through NumPy's C functions (arrivals.pxd)
                columns = _bitgen_block(generator, rates.base, self.n)  # type: ignore[name-defined]  # noqa: F821
            else:
                columns = _numpy_block(generator, rates.base, self.n)
            if not rates.keeps_all:
                columns = _thinned(columns, rates.multipliers, layer)
            if not cython.compiled:  # Python's own numbers, as the candidates have always been read
                columns = _as_lists(columns)
            category, household, severity, u, seeds = columns
            edges = rates.edges
            for i in range(len(category)):
                self._candidate(issues, params, day, category[i], household[i], severity[i], u[i], seeds[i], edges)
        return issues

    def _candidate(
        self,
        issues: list[Issue],
        params: Params,
        day: int,
        category: int,
        household: int,
        severity: float,
        u: Row,
        seed: int,
        edges: list[float],
    ) -> None:
        """One candidate, added to `issues`: a household's issue, or a project that hits several groups.

        A project is a demolition or a closure. A shared candidate leads a project with probability
        1 / (1 + extra groups) and otherwise arrives as one of another project's extra groups, so the expected
        numbers of group issues and of lone issues stay those of the category whatever the size of projects:
        `project_extra_groups` only clusters them.
        """
        kind = CATEGORIES[category]
        shared = kind.collective * params.collective_issue_multiplier
        if u[PROJECT] >= shared:
            issues.append(self._issue(params, day, category, household, severity, u, edges))
            return
        if u[PROJECT] >= shared / (1 + params.project_extra_groups):
            return  # its group issue arrives as an extra group of another candidate's project
        rng = SeededGenerator(seed)
        unit = int(self.district.unit_of[household])
        extra = int(rng.poisson(params.project_extra_groups))
        leads = [household, *rng.integers(self._unit_start[unit], self._unit_end[unit], extra).tolist()]
        for k, lead in enumerate(leads):
            if k == 0:
                sev, row = severity, u
            else:  # the other groups of the project: their own attributes, same category
                sev = float(rng.beta(kind.severity_a, kind.severity_b))
                row = rng.random(UNIFORMS)
            issue = self._issue(params, day, category, int(lead), sev, row, edges)
            issue.group = self._group(params, int(lead), rng)
            issues.append(issue)

    def _issue(
        self,
        params: Params,
        day: int,
        category: int,
        household: int,
        severity: float,
        u: Row,
        edges: list[float],
    ) -> Issue:
        merit = (
            1.0
            if u[MERIT] < params.reasonable_share
            else (0.5 if u[MERIT] < params.reasonable_share + params.partly_reasonable_share else 0.0)
        )
        level = level_needed(u[LEVEL], edges)
        litigable = bool(u[LITIGATE] < LITIGABLE_SHARE[category])
        mediable = bool(u[MEDIATE] < MEDIABLE_SHARE[category])
        strategic = bool(u[STRATEGIC] < params.strategic_share)
        if cython.compiled:  # made in C, the other fields copied from a blank issue (issues.pxd)
            return made_issue(  # type: ignore[name-defined]  # noqa: F821
                _BLANK, -1, household, category, severity, merit, level, litigable, mediable, day, strategic
            )
        # by position, in the order of Issue's fields: keywords cost about 0.3 µs an issue (docs/performance.md)
        return Issue(-1, household, category, severity, merit, level, litigable, mediable, day, strategic)

    def _group(self, params: Params, lead: int, rng: SeededGenerator) -> Group:
        """People sharing the issue: a lognormal number of them, drawn among the lead's neighbourhood.

        Each member agent stands for one person while the neighbourhood has enough agents; at coarse
        samples the group's people are spread evenly over every agent of the neighbourhood.
        """
        z_size = rng.standard_normal()
        people = round(params.group_size_median * math.exp(params.group_size_sigma * z_size))
        people = int(min(max(people, params.collective_min_people), MAX_GROUP_PEOPLE))  # np.clip, on one number
        hood = int(self.district.hood_of[lead])
        start, end = int(self._hood_start[hood]), int(self._hood_end[hood])
        n = min(people, end - start)
        order = rng.permutation(end - start - 1) if n > 1 else None  # the first n - 1 are the others
        members = _members(lead, start, order, n)
        z, u = cast(np.ndarray, rng.standard_normal(n)), rng.random(n)
        return Group(members, np.full(n, people / n), z, u, people)


def _numpy_block(generator: SeededGenerator, base: np.ndarray, agents: int) -> tuple[np.ndarray, ...]:
    """One block of candidates: counts by category, then each one's household, severity, uniforms and seed.

    The compiled build makes the same draws through NumPy's C functions (`_bitgen_block`, arrivals.pxd).
    """
    counts = [generator.poisson(lam) for lam in base.tolist()]
    category = np.repeat(CATEGORY_CODES, counts)
    n = len(category)
    household = generator.integers(0, agents, n)
    severity = np.array([generator.beta(SEVERITY_A[c], SEVERITY_B[c]) for c in category.tolist()], dtype=float)
    u = generator.random(n * UNIFORMS).reshape(n, UNIFORMS)
    seeds = generator.integers(0, 2**63, n)
    return category, household, severity, u, seeds


def _members(lead: int, start: int, order: np.ndarray | None, n: int) -> np.ndarray:
    """A group's members: the lead, then the first n - 1 of the others of its neighbourhood.

    The others are the agents from `start` in `order`, the lead skipped. The compiled build makes them in C
    (arrivals.pxd).
    """
    if cython.compiled:
        return _members_c(lead, start, order, n)  # type: ignore[name-defined]  # noqa: F821
    others = start + order[: n - 1] if order is not None else np.zeros(0, dtype=np.int64)
    return np.concatenate(([lead], others + (others >= lead))).astype(np.int64, copy=False)


def _thinned(columns: tuple[np.ndarray, ...], multipliers: np.ndarray, layer: int) -> tuple[np.ndarray, ...]:
    """The candidates of a block that pass thinning: their draw is below their rate's layer."""
    category, u = columns[0], columns[3]
    kept = np.flatnonzero(u[:, KEEP] < multipliers[category] - layer)
    return tuple(column[kept] for column in columns)


def _as_lists(columns: tuple[np.ndarray, ...]) -> tuple[list, ...]:
    return tuple(column.tolist() for column in columns)


def _ranges(sorted_labels: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """First and one-past-last index of each label in a sorted label array."""
    labels = np.arange(n)
    return np.searchsorted(sorted_labels, labels, side="left"), np.searchsorted(sorted_labels, labels, side="right")
