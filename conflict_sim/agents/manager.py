"""`DistrictManager`: answers to a monthly evaluation score, not to residents' welfare (section 5.9).

It splits its effort between resolution (better handling) and control (interception, monitoring),
pays off disruptive petitioners, and re-splits its effort each quarter by hill-climbing on its score.
These are the documented perverse incentives of the pressure-type system (1.15); each is switchable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from conflict_sim.issues import Channel, Issue, IssueState, Level

if TYPE_CHECKING:
    from conflict_sim.model import PetitionModel

REFERENCE_CONTROL_SHARE = 0.4  # the pressure-type baseline at which interception equals iota_0 [A]
VETO_SCORE = -100.0  # a vetoed month: the score the evaluation records instead of minus infinity
SKIP_LEVEL_INTERCEPTION = {
    Channel.SKIP_CITY: 1.0,
    Channel.SKIP_PROVINCE: 0.8,
    Channel.SKIP_NATIONAL: 0.6,
}  # farther trips are harder to stop [A]


class DistrictManager(mesa.Agent):
    """The district leadership's stability office, maximising the evaluation score."""

    def __init__(self, model: PetitionModel) -> None:
        super().__init__(model)
        self.control_share = model.params.control_share
        self.direction = 1.0
        self.last_score = 0.0
        self.scores: list[float] = []
        self._month_start = _snapshot(model)

    # --- effort -------------------------------------------------------------------------------
    def quality_shift(self) -> float:
        """Resolution effort above the reference split makes handling better, and below, worse."""
        p = self.model.params
        return p.resolution_quality_gain * ((1 - self.control_share) - (1 - REFERENCE_CONTROL_SHARE))

    def interception_probability(self, channel: Channel) -> float:
        p = self.model.params
        if not p.interception_enabled:
            return 0.0
        share = self.control_share / REFERENCE_CONTROL_SHARE
        return min(1.0, p.interception_base * share * SKIP_LEVEL_INTERCEPTION.get(channel, 1.0))

    def visible_control(self) -> float:
        """Control staff a petitioner expects to meet: Epstein's C (5.4)."""
        return self.model.params.control_vision * self.control_share

    # --- responses ------------------------------------------------------------------------
    def intercept(self, issue: Issue, channel: Channel) -> bool:
        """截访: stop a skip-level petitioner on the way; repression costs legitimacy (5.6)."""
        m, p = self.model, self.model.params
        if m.rng.random() >= self.interception_probability(channel):
            return False
        m.tally.intercepted += 1
        m.tally.interception_cost += 0.5
        m.residents[issue.household].suffer_repression(p.intercept_grievance, channel)
        return True

    def pay_off(self, issue: Issue) -> bool:
        """Pay off a skip-level, collective or non-normal petitioner? Returns True if paid (5.6)."""
        m, p, rng = self.model, self.model.params, self.model.rng
        if not p.buyoffs_enabled or (not p.buyoff_merit_blind and issue.merit == 0):
            return False
        if rng.random() >= p.buyoff_probability:
            return False
        amount = issue.severity * p.compensation_unit * rng.lognormal(0.0, p.compensation_dispersion)
        m.tally.buyoffs += 1
        if issue.merit > 0:
            m.tally.compensation_merit += amount
        else:
            m.tally.compensation_no_merit += amount
            m.tally.buyoffs_without_merit += 1
        hh = m.households
        ties = hh.ties[issue.household]
        disruptive = [Channel.COLLECTIVE_VISIT, Channel.NONNORMAL, *SKIP_LEVEL_INTERCEPTION]
        for channel in disruptive:  # "troublemaking works": peers learn that disruption pays (SF-5)
            hh.successes[ties, channel] += p.social_learning_weight
        hh.expectation[ties] += p.compensation_dispersion * issue.severity * 0.1  # Gurr: peers' payouts
        state = IssueState.RESOLVED if issue.merit > 0 else IssueState.CLOSED
        m.end(issue, state, Level.DISTRICT)
        return True

    # --- evaluation -----------------------------------------------------------------------
    def evaluate(self) -> None:
        """Monthly score S (5.9); every third month, move the effort split toward a higher score."""
        m, p = self.model, self.model.params
        now = _snapshot(m)
        d = {k: now[k] - self._month_start[k] for k in now}
        self._month_start = now
        hpa = p.households_per_agent
        on_time = d["replies_on_time"] / d["replies"] if d["replies"] else 1.0
        resolved = d["replies_resolved"] / d["replies"] if d["replies"] else 1.0
        if p.satisfaction_mode == "revisit_formal":
            satisfied = d["replies_satisfied"] / d["replies"] if d["replies"] else 1.0
        else:
            satisfied = resolved
        overdue = sum(o.overdue for o in m.all_offices) * hpa
        score = (
            p.weight_on_time * on_time
            + p.weight_satisfaction * satisfied
            + p.weight_substantive * resolved
            - p.weight_skip * d["skip_registered"] * hpa
            - p.weight_collective * d["collective_visits"] * hpa
            - p.weight_nonnormal * d["nonnormal"] * hpa
            - p.weight_overdue * overdue
        )
        if p.veto_enabled and d["nonnormal_national"] > 0:
            score = VETO_SCORE
            m.tally.veto_months += 1
        self.last_score = float(score)
        self.scores.append(self.last_score)
        if p.adaptive_manager and len(self.scores) % 3 == 0 and len(self.scores) >= 6:
            recent, previous = np.mean(self.scores[-3:]), np.mean(self.scores[-6:-3])
            if recent < previous:
                self.direction = -self.direction
            self.control_share = float(np.clip(self.control_share + self.direction * p.manager_step, 0.0, 1.0))


def _snapshot(model: PetitionModel) -> dict[str, float]:
    t = model.tally
    return {
        "replies": t.replies,
        "replies_on_time": t.replies_on_time,
        "replies_resolved": t.replies_resolved,
        "replies_satisfied": t.replies_satisfied,
        "skip_registered": t.skip_registered,
        "collective_visits": t.collective_visits,
        "nonnormal": t.nonnormal,
        "nonnormal_national": t.nonnormal_national,
    }
