"""What a policy comparison keeps for its report: the daily series the report draws.

The comparison experiment itself is built on the experiment side (`conflict_sim.comparisons`); this
module only says which trajectories the report needs, so that `compare` stores them and no more.
"""

from __future__ import annotations

from conflict_sim.analysis.catalogue import KEY_TRAJECTORIES

# Daily series kept by a comparison: the trajectories the report draws plus the headline flows.
DAILY = (
    *KEY_TRAJECTORIES,
    "open_issues",
    "petitions",
    "skip_attempts",
    "collective_visits",
    "satisfaction_rate",
    "legitimacy_center",
    "backlog_subdistrict",
)
