"""The households' state as arrays: traits, trust, beliefs and social ties.

Most households are quiet most days, so their state lives in NumPy arrays indexed by household,
read and written only when something happens to them; district-wide quantities (mean legitimacy,
grievance stock) are single vectorised reductions. `Resident` agents are thin views onto a row.
"""

from __future__ import annotations

import numpy as np

from conflict_sim import rules
from conflict_sim.issues import CHANNEL_NAMES
from conflict_sim.params import Params


def _beta(rng: np.random.Generator, mean: float, sd: float, n: int) -> np.ndarray:
    """Beta draws with a given mean and standard deviation (moment matching)."""
    var = min(sd**2, mean * (1 - mean) * 0.99)
    common = mean * (1 - mean) / var - 1
    return rng.beta(mean * common, (1 - mean) * common, n)


class Households:
    """Structure of arrays for every Resident; row i belongs to household (agent) i."""

    def __init__(self, params: Params, rng: np.random.Generator, grid_of: np.ndarray) -> None:
        n = params.agents
        self.n = n
        self.hardship = rng.uniform(0, 1, n)  # Epstein H ~ U(0,1)
        self.risk_aversion = rng.uniform(0, 1, n)  # Epstein R ~ U(0,1)
        self.legitimacy_local = _beta(rng, params.legitimacy_mean, params.legitimacy_sd, n)
        hierarchical = rng.uniform(0, 1, n) < params.hierarchical_trust_share
        gap = rng.uniform(0, params.hierarchical_trust_gap, n) * hierarchical
        self.legitimacy_center = np.minimum(1.0, self.legitimacy_local + gap)  # Li 2016
        self.expectation = np.ones(n)  # Gurr: entitlement anchor
        self.budget = rng.lognormal(0.0, 0.5, n)  # time/money for petitioning, median 1
        self.hostility = np.zeros(n)  # Coser's accumulated suppressed hostility
        self.hostility_day = np.zeros(n, dtype=np.int32)
        self.latent_grievance = np.zeros(n)  # kept after exit (Hirschman)
        self.open_severity = np.zeros(n)  # severity of the household's worst open issue
        self.settled = np.zeros(n, dtype=bool)  # has seen an issue end
        self.successes = np.zeros((n, len(CHANNEL_NAMES)), dtype=np.float32)
        self.failures = np.zeros((n, len(CHANNEL_NAMES)), dtype=np.float32)
        self.last_channel = np.full(n, -1, dtype=np.int8)
        self.last_channel_day = np.full(n, -10_000, dtype=np.int32)
        self.grid_of = grid_of
        self.ties = _small_world(grid_of, params.network_degree, params.network_rewiring, rng)

    def legitimacy_shock(self, size: float) -> None:
        """Lower every household's local legitimacy by `size` (a policy or scandal shock)."""
        np.clip(self.legitimacy_local - size, 0.0, 1.0, out=self.legitimacy_local)

    def diffuse(self, household: int, change: float, weight: float, array: np.ndarray) -> None:
        """Word of mouth: each tie of `household` moves by `weight` times its change."""
        if weight and change:
            ties = self.ties[household]
            array[ties] = np.clip(array[ties] + weight * change, 0.0, 1.0)

    def deprivation(self, who=slice(None)):
        """Gurr's relative deprivation: expectations against what hardship leaves (equals H while E = 1)."""
        return rules.relative_deprivation(self.expectation[who], 1.0 - self.hardship[who])

    def hostility_on(self, who, day: int, half_life: float):
        """Coser's accumulated hostility of `who`, decayed lazily to `day`."""
        return rules.decayed(self.hostility[who], day - self.hostility_day[who], half_life)

    def grievance_stock(self, params: Params) -> float:
        """Sum over households with an open issue of s(1 - L) + phi*RD (Epstein core + Gurr)."""
        sev = self.open_severity
        g = sev * (1.0 - self.legitimacy_local) + params.deprivation_weight * self.deprivation() * (sev > 0)
        return float(g.sum())


def _small_world(grid_of: np.ndarray, k: int, p: float, rng: np.random.Generator) -> np.ndarray:
    """Watts-Strogatz ties: a ring lattice inside each grid, each tie rewired w.p. p (5.1).

    Returned as an (n, k) array of tie indices: fixed degree keeps lookups to one row.
    """
    n = len(grid_of)
    ties = np.empty((n, k), dtype=np.int32)
    order = np.argsort(grid_of, kind="stable")
    starts = np.flatnonzero(np.r_[True, grid_of[order][1:] != grid_of[order][:-1]])
    ends = np.r_[starts[1:], n]
    offsets = np.array([o for d in range(1, k // 2 + 1) for o in (d, -d)] + ([k // 2 + 1] if k % 2 else []))
    for s, e in zip(starts, ends, strict=True):
        members = order[s:e]
        size = len(members)
        pos = (np.arange(size)[:, None] + offsets[None, :]) % size
        ties[members] = members[pos]
    rewire = rng.uniform(0, 1, ties.shape) < p
    ties[rewire] = rng.integers(0, n, int(rewire.sum()))
    return ties
