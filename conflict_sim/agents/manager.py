"""`DistrictManager`: answers to a monthly evaluation score, not to residents' welfare.

It splits its effort between resolution (better handling) and control (interception, monitoring,
staff at collective events), pays off disruptive petitioners, and re-splits its effort each quarter
by hill-climbing on its score. These are the documented perverse incentives of the pressure-type
system (压力型体制: rankings, the one-vote veto, interception, buy-offs; Human Rights Watch 2005;
Li, Liu & O'Brien 2012; Gui, Yin & Nie 2020); each is switchable. The score counts district totals:
events of the sample times `households_per_agent`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

import mesa
import numpy as np

from conflict_sim import rules
from conflict_sim.issues import DISRUPTIVE_CHANNELS, Channel, Issue, IssueState, Level, Pathway

if TYPE_CHECKING:
    from conflict_sim.world import World

REFERENCE_CONTROL_SHARE = 0.4  # the pressure-type baseline at which interception equals iota_0 [A]
VETO_SCORE = -100.0  # a vetoed month: the score the evaluation records instead of minus infinity
SKIP_LEVEL_INTERCEPTION = {
    Channel.SKIP_CITY: 1.0,
    Channel.SKIP_PROVINCE: 0.8,
    Channel.SKIP_NATIONAL: 0.6,
}  # farther trips are harder to stop [A]
EXPECTED_CHANNELS = (Channel.NONNORMAL, *SKIP_LEVEL_INTERCEPTION)  # whose unsampled acts are imputed (`expect`)
SCORE_TOLERANCE = 1e-9  # quarterly means closer than this are the same score
RATE_HALF_LIFE_MONTHS = 6.0  # how fast the sample's event rate forgets old months, for the district totals [A]
EXPECTED = ("skips", "nonnormal", "national")  # a lone household's choices: imputed from choice probabilities
FROM_RATE = ("collective", "crowd_nonnormal")  # crowds: imputed from the sample's past rate


class DistrictManager(mesa.Agent):
    """The district leadership's stability office, maximising the evaluation score (docs/model.md §7.9)."""

    model: World  # type: ignore[assignment]

    def __init__(self, model: mesa.Model) -> None:
        super().__init__(model)
        self.control_share = model.params.control_share
        self.direction = 1.0
        self.last_score = 0.0
        self.scores: list[float] = []
        self.month_start = 0
        self.collective_at_month_start = 0
        self.history: list[dict[str, int]] = []  # the sample's monthly counts, for the district totals
        self.expected = dict.fromkeys(EXPECTED, 0.0)  # this month's expected events of one agent's households

    # --- effort -------------------------------------------------------------------------------
    def quality_shift(self) -> float:
        """Resolution effort above the reference split makes handling better, and below, worse."""
        p = self.model.params
        return p.resolution_quality_gain * (REFERENCE_CONTROL_SHARE - self.control_share)

    def interception_probability(self, channel: Channel) -> float:
        p = self.model.params
        if not p.interception_enabled:
            return 0.0
        share = self.control_share / REFERENCE_CONTROL_SHARE
        return min(1.0, p.interception_base * share * SKIP_LEVEL_INTERCEPTION.get(channel, 1.0))

    def visible_control(self) -> float:
        """Control staff a lone petitioner expects to meet: Epstein's C for individual acts."""
        return self.model.params.control_vision * self.control_share

    def event_control(self) -> float:
        """Control staff sent to a collective event: Epstein's C for crowds."""
        return self.model.params.event_control_staff * self.control_share

    def individual_risk(self) -> float:
        """Epstein's P for a lone petitioner (A = 1)."""
        p = self.model.params
        return rules.sanction_probability(self.visible_control(), 1.0, k=p.arrest_constant, mode=p.arrest_ratio_mode)

    def crowd_risk(self, people: float) -> float:
        """Epstein's P for a member of a crowd of `people` at a collective event."""
        p = self.model.params
        return rules.sanction_probability(self.event_control(), people, k=p.arrest_constant, mode=p.arrest_ratio_mode)

    # --- responses ------------------------------------------------------------------------------
    def intercept(self, issue: Issue, channel: Channel) -> bool:
        """截访: stop a skip-level petitioner on the way (the repression itself is the caller's)."""
        w = self.model
        caught = w.streams.manager.chance(self.interception_probability(channel))
        if caught:
            w.log.add("skips", (w.day, issue.uid, int(channel), True, False, issue.terminated))
        return caught

    def pay_off(self, issue: Issue, pressure: float = 1.0) -> bool:
        """Pay off a skip-level, collective or non-normal petitioner? True if paid; the issue then ends.

        Payouts scatter around the standard (mean-preserving lognormal with the compensation dispersion);
        the payee's ties learn that disruption pays (Chen 2012) and see the payout, which pulls their
        expectations up unless standards are disclosed (Gurr: 不患寡而患不均), and their own given-up
        grievances may return.
        """
        w, p, rng = self.model, self.model.params, self.model.streams.manager
        if not p.buyoffs_enabled:
            return False
        # drawn whatever the merit, so that arms that differ only in merit blindness stay paired (common random numbers)
        if not rng.chance(p.buyoff_probability * pressure) or (not p.buyoff_merit_blind and issue.merit == 0):
            return False
        sigma = p.compensation_dispersion
        ratio = math.exp(sigma * rng.normal() - sigma**2 / 2)
        amount = issue.severity * p.compensation_unit * ratio
        w.log.add("buyoffs", (w.day, issue.uid, amount, issue.merit))
        hh, h = w.households, issue.household
        for channel in DISRUPTIVE_CHANNELS:  # "troublemaking works": peers learn that disruption pays
            hh.tell_ties(hh.successes, h, channel, p.social_learning_weight)
        hh.observe_payout(h, p.compensation_disclosure + (1 - p.compensation_disclosure) * ratio)
        w.end(issue, IssueState.BOUGHT_OFF, Level.DISTRICT, Pathway.BUYOFF)
        return True

    # --- evaluation -------------------------------------------------------------------------------
    def expect(self, choices: np.ndarray) -> None:
        """Add the expected events of today's deciders (their channel probabilities, one row each).

        The households an agent stands for face what it faces, so each would act with its probabilities:
        the district's unsampled events this month are Poisson with (K - 1) times their sum.
        """
        self.expect_sums({channel: float(choices[:, channel].sum()) for channel in EXPECTED_CHANNELS})

    def expect_sums(self, sums: Mapping[Channel, float]) -> None:
        """`expect` from the deciders' probabilities of each of `EXPECTED_CHANNELS`, summed."""
        nonnormal = sums[Channel.NONNORMAL]
        self.expected["nonnormal"] += nonnormal
        self.expected["national"] += nonnormal * self.model.params.nonnormal_national_share
        self.expected["skips"] += sum(
            sums[channel] * (1.0 - self.interception_probability(channel)) for channel in SKIP_LEVEL_INTERCEPTION
        )

    def evaluate(self) -> None:
        """Monthly score S (docs/model.md §7.9) over the month's events; every third month, move the effort split."""
        w, p = self.model, self.model.params
        month = self.month_counts()
        self.month_start = w.day + 1
        self.collective_at_month_start = w.collective_events_started()
        totals = self.district_totals({key: month[key] for key in (*EXPECTED, *FROM_RATE)})
        totals["nonnormal"] += totals.pop("crowd_nonnormal")
        replies = month["replies"]
        on_time = month["on_time"] / replies if replies else 1.0
        resolved = month["resolved"] / replies if replies else 1.0
        satisfied = month["satisfied"] / replies if replies else 1.0
        score = (
            p.weight_on_time * on_time
            + p.weight_satisfaction * satisfied
            + p.weight_substantive * resolved
            - p.weight_skip * totals["skips"]
            - p.weight_collective * totals["collective"]
            - p.weight_nonnormal * totals["nonnormal"]
            - p.weight_overdue * w.overdue_cases() * p.households_per_agent
        )
        veto = p.veto_enabled and totals["national"] >= p.veto_threshold
        if veto:
            score = VETO_SCORE
        self.last_score = float(score)
        self.scores.append(self.last_score)
        w.log.add("evaluations", (w.day, self.last_score, self.control_share, veto))
        if p.adaptive_manager and len(self.scores) % 3 == 0 and len(self.scores) >= 6:
            self.adjust_effort()

    def adjust_effort(self) -> None:
        """Hill-climbing on the quarterly mean score.

        Keep going while the score rises, turn back when it falls, and stay put when it does not change
        (a veto every month gives no direction).
        """
        p = self.model.params
        recent, previous = float(np.mean(self.scores[-3:])), float(np.mean(self.scores[-6:-3]))
        if abs(recent - previous) <= SCORE_TOLERANCE:
            return
        if recent < previous:
            self.direction = -self.direction
        self.control_share = float(np.clip(self.control_share + self.direction * p.manager_step, 0.0, 1.0))

    def district_totals(self, sampled: dict[str, int]) -> dict[str, float]:
        """A month's counts for the whole district, imputed from the sample.

        The sample's own events, plus those of the other K - 1 households each agent stands for, drawn as
        Poisson counts: for a lone household's choice (skip-level, non-normal action), at the month's
        expected count of the deciders' choice probabilities (`expect`), which follows the district as it
        changes; for crowds, whose size only the event decides, at the sample's monthly rate, the mean of
        every month so far weighted down by half a year later (`RATE_HALF_LIFE_MONTHS`), so that rare
        events are not read as absent.

        At one agent per household this is the count itself. At a sample of 1:K, scaling the sample's
        count by K would keep the mean but multiply the variance by K, and turn a rule such as the veto
        (one event suffices) into one that fires K times too rarely; the imputed count keeps both the
        mean and the spread of the real district's count.
        """
        k, rng = self.model.params.households_per_agent, self.model.streams.manager.generator
        rated = {key: sampled[key] for key in FROM_RATE}
        self.history.append(rated)
        weights = 0.5 ** (np.arange(len(self.history))[::-1] / RATE_HALF_LIFE_MONTHS)
        mean = {key: float(np.dot(weights, [month[key] for month in self.history]) / weights.sum()) for key in rated}
        totals = {}
        for key, n in sampled.items():
            expected = self.expected[key] if key in self.expected else mean[key]
            totals[key] = float(n + (rng.poisson(expected * (k - 1)) if k > 1 and expected > 0 else 0))
        self.expected = dict.fromkeys(EXPECTED, 0.0)
        return totals

    def month_counts(self) -> dict[str, int]:
        """What higher levels count this month, in the sample (agent units)."""
        log, start = self.model.log, self.month_start

        def since(table: str, *names: str) -> list[np.ndarray]:
            """The month's flags of a table's columns (0 or 1 each), as booleans."""
            first = log.first_row_on(table, start)
            return [log.column(table, name, first) != 0.0 for name in names]

        copy, on_time, resolved, satisfied = since("replies", "copy", "on_time", "resolved", "satisfied")
        own = ~copy  # campaign copies are answered, but counted with their lead petition
        (intercepted,) = since("skips", "intercepted")
        national, in_crowd = since("nonnormal", "national", "in_crowd")
        return {
            "replies": int(np.count_nonzero(own)),
            "on_time": int(np.count_nonzero(own & on_time)),
            "resolved": int(np.count_nonzero(own & resolved)),
            "satisfied": int(np.count_nonzero(own & satisfied)),
            "skips": int(np.count_nonzero(~intercepted)),  # registered, not intercepted
            "collective": self.model.collective_events_started() - self.collective_at_month_start,
            "nonnormal": int(np.count_nonzero(~in_crowd)),
            "crowd_nonnormal": int(np.count_nonzero(in_crowd)),
            "national": int(np.count_nonzero(national)),
        }
