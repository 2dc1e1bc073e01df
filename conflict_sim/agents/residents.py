"""`Resident`: a household that lives with its issues, keeps quiet or speaks up, and learns.

The rules are those of section 5.4: grievance (Epstein core, Gurr, Coser), voice versus silence
(Epstein, Hirschman), channel choice by a multinomial logit with costs, sanction risk, imitation,
norms and beliefs; acceptance of replies and legitimacy updates (Tyler). A resident acts only when
something happens to one of its issues, so a quiet household costs nothing per day.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from mesa.discrete_space import CellAgent

from conflict_sim import rules
from conflict_sim.issues import (
    SKIP_CHANNELS,
    Channel,
    Issue,
    IssueState,
    Level,
)

if TYPE_CHECKING:
    from conflict_sim.model import PetitionModel

N_CHANNELS = len(Channel)
SKIP_INDEX = np.array(sorted(SKIP_CHANNELS))
OVERDUE_CHOICES = (Channel.VISIT_DISTRICT, *sorted(SKIP_CHANNELS), Channel.NONNORMAL)
RECENT_DAYS = 30  # imitation looks at neighbours' channels in the last month (5.4)


class Resident(CellAgent):
    """A household (one agent per `households_per_agent` real households) in its grid cell.

    Its traits and trust live in `model.households` at row `index`; the properties below read them.
    """

    def __init__(self, model: PetitionModel, index: int, cell) -> None:
        super().__init__(model)
        self.index = index
        self.cell = cell
        self.issues: list[Issue] = []

    # --- views onto the household arrays ------------------------------------------------------
    @property
    def legitimacy_local(self) -> float:
        return float(self.model.households.legitimacy_local[self.index])

    @property
    def legitimacy_center(self) -> float:
        return float(self.model.households.legitimacy_center[self.index])

    def hostility(self) -> float:
        """Coser's accumulated hostility, decayed to today."""
        return float(
            self.model.households.hostility_on(self.index, self.model.day, self.model.params.hostility_half_life_days)
        )

    def add_hostility(self, amount: float) -> None:
        hh = self.model.households
        hh.hostility[self.index] = self.hostility() + amount
        hh.hostility_day[self.index] = self.model.day

    @property
    def status(self) -> str:
        """What a viewer sees: quiet, aggrieved, petitioning, waiting, escalating, collective, resolved, exited."""
        if not self.issues:
            if self.model.households.latent_grievance[self.index] > 0:
                return "exited"
            return "resolved" if self.model.households.settled[self.index] else "quiet"
        issue = max(self.issues, key=lambda i: i.severity)
        if issue.group is not None and issue.state == IssueState.PETITION and issue.group.mobilisations:
            return "collective"
        if issue.skip_attempts or issue.reviews:
            return "escalating"
        return {
            IssueState.PETITION: "waiting",
            IssueState.COURT: "waiting",
            IssueState.MEDIATION: "petitioning",
            IssueState.GRID: "petitioning",
        }.get(issue.state, "aggrieved")

    # --- the rules ------------------------------------------------------------------------
    def grievance(self, issue: Issue) -> float:
        """Section 5.4 eq. 1, for this household and issue, today."""
        hh, p, i = self.model.households, self.model.params, self.index
        stake = max(issue.severity, 0.6) if issue.strategic else issue.severity
        deprivation = float(hh.deprivation(i))
        overdue = rules.overdue_waiting(self.model.day - issue.overdue_since) if issue.overdue_since >= 0 else 0.0
        return rules.grievance(
            stake,
            float(hh.legitimacy_local[i]),
            deprivation,
            overdue,
            self.hostility(),
            phi=p.deprivation_weight,
            psi=p.overdue_weight,
        )

    def beliefs(self) -> np.ndarray:
        """Posterior mean success belief for every channel (Beta learning, 5.4 item 4)."""
        hh, p, i = self.model.households, self.model.params, self.index
        prior = self.model.channels.prior(float(hh.legitimacy_local[i]), float(hh.legitimacy_center[i]))
        return rules.belief_mean(hh.successes[i], hh.failures[i], prior, p.belief_prior_strength)

    def utilities(self, issue: Issue) -> np.ndarray:
        """U_a = b_a s B - c_a - R q_a sigma_a + gamma n_a + tau_a L (+ skip pull), section 5.4 eq. 3.

        The sanction risk q is Epstein's with A = 1 for a lone petitioner and A = half the group for a
        collective visit: a crowd lowers each member's perceived risk.
        """
        m, hh, p, i = self.model, self.model.households, self.model.params, self.index
        table = m.channels
        local, center = float(hh.legitimacy_local[i]), float(hh.legitimacy_center[i])
        stake = max(issue.severity, 0.6) if issue.strategic else issue.severity
        risk = np.full(N_CHANNELS, self.sanction_risk(1.0))
        if issue.group is not None:
            risk[Channel.COLLECTIVE_VISIT] = self.sanction_risk(issue.group.size_people / 2)
        u = (
            self.beliefs() * stake * p.stake_weight
            - table.cost / hh.budget[i]
            - hh.risk_aversion[i] * risk * table.sanction
            + table.norm * local
            + p.peer_imitation * self.peer_shares()
        )
        u[SKIP_INDEX] += p.skip_trust_weight * max(0.0, center - local)
        return u

    def sanction_risk(self, people: float) -> float:
        """Epstein's P = 1 - exp(-k f(C/A)) with C the visible control and A the people acting together."""
        p = self.model.params
        return rules.sanction_probability(
            self.model.manager.visible_control(), people, k=p.arrest_constant, mode=p.arrest_ratio_mode
        )

    def peer_shares(self) -> np.ndarray:
        """Share of ties that used each channel in the last 30 days (imitation, 5.4)."""
        hh, ties = self.model.households, self.model.households.ties[self.index]
        recent = hh.last_channel_day[ties] >= self.model.day - RECENT_DAYS
        used = hh.last_channel[ties][recent]
        return np.bincount(used, minlength=N_CHANNELS) / len(ties)

    def feasible(self, issue: Issue) -> np.ndarray:
        """Channels open to this issue today (windows, litigability, groups, escalation history)."""
        ok = np.ones(N_CHANNELS, dtype=bool)
        ok[Channel.REVIEW] = (
            issue.window_until >= self.model.day
            and issue.reviews < 2
            and issue.last_office is not None
            and not issue.terminated
        )
        ok[Channel.COURT] = issue.litigable
        ok[Channel.COLLECTIVE_VISIT] = issue.group is not None
        ok[Channel.NONNORMAL] = issue.replies + issue.skip_attempts > 0
        return ok

    def choose(self, issue: Issue, allowed: np.ndarray, *, outside_option: bool = False) -> Channel | None:
        """Multinomial logit over the allowed channels; None is the outside option (keep waiting)."""
        p = self.model.params
        u = self.utilities(issue)
        candidates = np.flatnonzero(allowed)
        values = u[candidates]
        if outside_option:
            values = np.r_[values, 0.0]
        pick = rules.logit_choice(values, p.logit_beta, self.model.rng.random())
        return None if pick >= len(candidates) else Channel(int(candidates[pick]))

    # --- what happens to an issue ---------------------------------------------------------
    def on_issue(self, issue: Issue) -> None:
        """A new dispute: the grid worker may find it before the household decides (5.7)."""
        m, p, rng = self.model, self.model.params, self.model.rng
        self.issues.append(issue)
        self._refresh_severity()
        delay = int(rng.integers(1, p.decision_delay_days + 1))
        visit = rng.exponential(30.0 / p.grid_visits_per_month) if p.grid_visits_per_month > 0 else math.inf
        if visit < delay and rng.random() < p.grid_detection:
            m.agenda.at(m.day + max(1, math.ceil(visit)), m.grid_worker_of(self.index).detect, (issue, issue.epoch))
        else:
            m.agenda.at(m.day + delay, self.decide, (issue, issue.epoch))

    def decide(self, event: tuple[Issue, int]) -> None:
        """Voice or silence, then a channel (section 5.4 items 1-3)."""
        issue, epoch = event
        if issue.epoch != epoch or not issue.is_open:
            return
        m, p, hh = self.model, self.model.params, self.model.households
        g = self.grievance(issue)
        if not rules.voices(
            g,
            float(hh.risk_aversion[self.index]),
            0.0,
            float(hh.legitimacy_local[self.index]),
            threshold=p.voice_threshold,
            loyalty=p.loyalty_weight,
        ):
            self._keep_silent(issue, g)
            return
        # after a first attempt, giving up for now (Hirschman's exit, utility 0) competes with the channels
        channel = self.choose(issue, self.feasible(issue), outside_option=issue.submissions > 0)
        if channel is None:
            self._keep_silent(issue, g)
            return
        m.submit(self, issue, channel)

    def _keep_silent(self, issue: Issue, g: float) -> None:
        m, p = self.model, self.model.params
        issue.reconsiderations += 1
        if issue.reconsiderations > p.max_reconsiderations:
            hh = m.households
            hh.latent_grievance[self.index] += g  # Hirschman exit: grievance kept, not removed
            m.end(issue, IssueState.EXITED, Level.COMMUNITY)
            return
        m.set_state(issue, IssueState.SILENT)
        m.agenda.at(m.day + p.reconsider_days, self.decide, (issue, issue.epoch))

    def reconsider_later(self, issue: Issue) -> None:
        """Nothing more to do now; look at the issue again after `reconsider_days`."""
        if issue.case is None:
            m = self.model
            m.set_state(issue, IssueState.SILENT)
            m.agenda.at(m.day + m.params.reconsider_days, self.decide, (issue, issue.epoch))

    def on_overdue(self, issue: Issue) -> None:
        """The reply is late: wait, press again, or go over the district's head (5.6)."""
        if not issue.is_open:
            return
        allowed = np.zeros(N_CHANNELS, dtype=bool)
        allowed[list(OVERDUE_CHOICES)] = True
        allowed &= self.feasible(issue)
        g = self.grievance(issue)
        p, hh = self.model.params, self.model.households
        if not rules.voices(
            g,
            float(hh.risk_aversion[self.index]),
            0.0,
            float(hh.legitimacy_local[self.index]),
            threshold=p.voice_threshold,
            loyalty=p.loyalty_weight,
        ):
            return
        channel = self.choose(issue, allowed, outside_option=True)
        if channel is not None:
            self.model.submit(self, issue, channel)

    def suffer_repression(self, hostility: float, channel: Channel) -> None:
        """Intercepted or detained: hostility accumulates (Coser), local trust falls and the fall
        spreads to the household's ties (Epstein/Tyler: repression costs legitimacy), the channel failed."""
        hh, p, i = self.model.households, self.model.params, self.index
        self.add_hostility(hostility)
        hh.legitimacy_local[i] = max(0.0, float(hh.legitimacy_local[i]) - p.repression_legitimacy_loss)
        hh.diffuse(i, -p.repression_legitimacy_loss, p.legitimacy_diffusion, hh.legitimacy_local)
        self.learn(channel, False)

    def learn(self, channel: Channel, success: bool, *, neighbours: bool = True) -> None:
        """Beta learning from one's own outcome, and neighbours' learning from it (5.4 item 4)."""
        hh, p, i = self.model.households, self.model.params, self.index
        target = hh.successes if success else hh.failures
        target[i, channel] += p.belief_learning_weight
        if neighbours and p.social_learning_weight:
            target[hh.ties[i], channel] += p.social_learning_weight

    def update_legitimacy(
        self, justice: float, outcome: float, expected: float, members: np.ndarray | None = None
    ) -> None:
        """Tyler: legitimacy moves toward the procedural justice met, and with outcome surprise."""
        hh, p = self.model.households, self.model.params
        who = np.array([self.index]) if members is None else members
        before = hh.legitimacy_local[who].copy()
        after = rules.legitimacy_update(
            before, justice, outcome, expected, eta_pi=p.legitimacy_step_procedural, eta_o=p.legitimacy_step_outcome
        )
        hh.legitimacy_local[who] = after
        hh.diffuse(self.index, float((after - before).mean()), p.legitimacy_diffusion, hh.legitimacy_local)

    def on_reply(self, issue: Issue, office, resolved: bool, justice: float, channel: Channel) -> None:
        """A written reply: learn, update trust, then accept, ask for review, or act again (5.4 item 5)."""
        m, p, rng, hh = self.model, self.model.params, self.model.rng, self.model.households
        expected = float(self.beliefs()[channel])
        members = issue.group.members if issue.group is not None else None
        self.update_legitimacy(justice, float(resolved), expected, members)
        self.learn(channel, resolved)
        if resolved:
            m.end(issue, IssueState.RESOLVED, Level(office.level))
            return
        accept = rng.random() < rules.acceptance_probability(
            justice,
            float(hh.legitimacy_local[self.index]),
            issue.severity,
            b0=p.acceptance_intercept,
            b1=p.acceptance_justice,
            b2=p.acceptance_legitimacy,
            b3=p.acceptance_severity,
        )
        if accept:
            m.end(issue, IssueState.CLOSED, Level(office.level))
            return
        issue.last_office = office
        issue.window_until = m.day + (p.review_window_days if issue.reviews == 0 else p.rereview_window_days)
        m.set_state(issue, IssueState.SILENT)
        self.decide((issue, issue.epoch))

    def on_setback(self, issue: Issue, channel: Channel, *, blocked: bool) -> None:
        """A channel failed (not registered, not accepted, mediation or court lost): think again.

        Blocked voice (refusal, repression) adds to accumulated hostility (Coser).
        """
        if not issue.is_open:
            return
        self.learn(channel, False)
        if blocked:
            self.add_hostility(self.model.params.hostility_gain)
        issue.case = None
        self.model.set_state(issue, IssueState.SILENT)
        self.decide((issue, issue.epoch))

    def _refresh_severity(self) -> None:
        hh = self.model.households
        hh.open_severity[self.index] = max((i.severity for i in self.issues), default=0.0)

    def close(self, issue: Issue) -> None:
        """Forget an issue that has ended."""
        self.issues.remove(issue)
        self._refresh_severity()
        self.model.households.settled[self.index] = True
