"""The channel table: per-channel costs, sanctions, legality norms, constants and belief priors (docs/model.md §7.2).

Built once from `Params` (and again when a policy changes them), so a decision reads arrays.
"""

from __future__ import annotations

import numpy as np

from conflict_sim.issues import FORMAL_PETITION_CHANNELS, SKIP_CHANNELS, Channel
from conflict_sim.params import Params

SKIP = sorted(SKIP_CHANNELS)
# channels whose success depends on local organs: their prior belief is the household's local trust
LOCAL_ORGANS = [
    Channel.ONLINE,
    Channel.HOTLINE,
    Channel.LETTER,
    Channel.VISIT_SUBDISTRICT,
    Channel.VISIT_DISTRICT,
    Channel.REVIEW,
    Channel.MEDIATION,
    Channel.GRID_WORKER,
]

LOCAL_SET, SKIP_SET = frozenset(LOCAL_ORGANS), frozenset(SKIP)
# where each channel's prior belief comes from: the channel's own prior (0), local trust (1), trust in the centre (2)
PRIOR_SOURCE = np.array([1 if c in LOCAL_SET else (2 if c in SKIP_SET else 0) for c in Channel], dtype=np.int8)


class ChannelTable:
    """Arrays indexed by `Channel`."""

    def __init__(self, p: Params) -> None:
        n = len(Channel)
        self.cost = np.zeros(n)
        for channel, value in {
            Channel.ONLINE: p.cost_online,
            Channel.HOTLINE: p.cost_hotline,
            Channel.LETTER: p.cost_letter,
            Channel.VISIT_SUBDISTRICT: p.cost_visit_subdistrict,
            Channel.VISIT_DISTRICT: p.cost_visit_district,
            Channel.REVIEW: p.cost_review,
            Channel.COURT: p.cost_court,
            Channel.MEDIATION: p.cost_mediation,
            Channel.GRID_WORKER: p.cost_grid,
            Channel.COLLECTIVE_VISIT: p.cost_collective,
            Channel.SKIP_CITY: p.cost_skip_city,
            Channel.SKIP_PROVINCE: p.cost_skip_province,
            Channel.SKIP_NATIONAL: p.cost_skip_national,
            Channel.NONNORMAL: p.cost_nonnormal,
        }.items():
            self.cost[channel] = value
        self.sanction = np.zeros(n)
        self.sanction[SKIP] = p.sanction_skip
        self.sanction[Channel.COLLECTIVE_VISIT] = p.sanction_collective
        self.sanction[Channel.NONNORMAL] = p.sanction_nonnormal
        self.norm = np.zeros(n)
        self.norm[SKIP] = p.norm_skip
        self.norm[Channel.NONNORMAL] = p.norm_nonnormal
        self.constant = np.zeros(n)  # alternative-specific constants: a channel's pull the utility leaves out
        self.constant[sorted(FORMAL_PETITION_CHANNELS)] = -p.petition_reluctance
        self._prior = np.zeros(n)
        self._prior[Channel.COURT] = p.court_acceptance * p.court_success
        self._prior[[Channel.COLLECTIVE_VISIT, Channel.NONNORMAL]] = p.concession_prior

    @property
    def fixed_prior(self) -> np.ndarray:
        """Each channel's own prior belief (read where `PRIOR_SOURCE` is 0)."""
        return self._prior

    def prior(self, channel: int, local: float, center: float) -> float:
        """One household's prior success belief for one channel (a row of `priors`)."""
        if channel in LOCAL_SET:
            return local
        if channel in SKIP_SET:
            return center
        return float(self._prior[channel])

    def priors(self, local: np.ndarray, center: np.ndarray) -> np.ndarray:
        """Prior success beliefs, one row per household.

        Local organs start at the household's local trust, higher levels at its trust in the centre.
        """
        prior = np.repeat(self._prior[None, :], len(local), axis=0)
        prior[:, LOCAL_ORGANS] = local[:, None]
        prior[:, SKIP] = center[:, None]
        return prior
