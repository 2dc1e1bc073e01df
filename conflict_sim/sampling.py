"""What a sample of one agent per K households honours, and what it cannot.

Every rule of the model counts real households: capacities are fluid servers in real cases, a group has
its real size in people, the evaluation counts district totals, interactions through ties are shares of
ties. Two things a coarse sample cannot honour are reported here, so that a run says so instead of
silently changing its dynamics: a grid needs at least one household agent (a larger K is refused), and a
group larger than its neighbourhood's agents spreads its people over fewer agents, each standing for
several people (a run notes it). docs/model.md gives the faithful samples measured for the presets.
"""

from __future__ import annotations

import math

import numpy as np

from conflict_sim.errors import ParameterError

LARGE_GROUP_SHARE = 0.05  # note a sample once more than 5 % of groups would be spread over fewer agents [A]


def largest_sample(hood_households: np.ndarray, grid_households: int) -> int:
    """The largest K that leaves at least one agent in every grid of every neighbourhood."""
    grids = np.maximum(1, np.ceil(hood_households / grid_households))
    return max(1, int((hood_households // grids).min()))


def check(hood_households: np.ndarray, grid_agents: np.ndarray, grid_households: int, k: int) -> None:
    """Refuse a sample that leaves a grid without any agent (its grid worker would patrol nobody)."""
    if (grid_agents == 0).any():
        most = largest_sample(hood_households, grid_households)
        raise ParameterError(
            "households_per_agent",
            k,
            f"must be at most {most} for this district and grid size (every grid keeps at least one agent)",
        )


def notes(hood_agents: np.ndarray, group_size_median: float, group_size_sigma: float, k: int) -> list[str]:
    """What this sample approximates, in sentences a manifest and a report can carry."""
    found = []
    if k > 1:
        found.append(
            f"1:{k} sample: counts are reported in real households (x {k}); the monthly evaluation adds to the "
            "sample's own events those of the households each agent stands for, drawn at the sample's rate"
        )
    smallest = int(hood_agents.min())
    # share of groups (lognormal people) larger than the smallest neighbourhood's agents
    z = (math.log(max(smallest, 1)) - math.log(group_size_median)) / max(group_size_sigma, 1e-9)
    spread = 0.5 * math.erfc(z / math.sqrt(2))
    if spread > LARGE_GROUP_SHARE:
        found.append(
            f"about {spread:.0%} of groups have more people than the smallest neighbourhood has agents "
            f"({smallest}): their people are spread over fewer agents, each standing for several people"
        )
    return found
