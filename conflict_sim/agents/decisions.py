"""Voice or silence, and which channel: every decision due today, made together as arrays.

The rules are those of docs/model.md (§7.2), each from its source: grievance
G = s(1 - L) + phi RD + psi W + A (Epstein 2002, extended by Gurr 1970 and Coser 1956); voice when
G + loyalty (L - 0.5) > T (Epstein; Hirschman 1970); then a multinomial logit over the channels open
in the decision's context, U_a = b_a s B - c_a / budget - R q_a sigma_a + tau_a L + gamma n_a
(+ the pull of trust in the centre on skip-level visits, Li 2004; + grievance, hostility and distrust
of the centre on non-normal action). Households decide in the order their decisions fell due.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from conflict_sim import rules
from conflict_sim.agents.residents import keep_silent
from conflict_sim.issues import (
    AFTER_REPLY_CHANNELS,
    SKIP_CHANNELS,
    Channel,
    Context,
    Issue,
)

if TYPE_CHECKING:
    from conflict_sim.world import World

N_CHANNELS = len(Channel)
SKIP_INDEX = np.array(sorted(SKIP_CHANNELS))
RECENT_DAYS = 30  # imitation looks at the channels ties used in the last month

_AFTER_REPLY = np.zeros(N_CHANNELS, dtype=bool)
_AFTER_REPLY[sorted(AFTER_REPLY_CHANNELS)] = True
_BEFORE_REPLY = np.ones(N_CHANNELS, dtype=bool)
_BEFORE_REPLY[Channel.REVIEW] = False
_OVERDUE = np.zeros(N_CHANNELS, dtype=bool)
_OVERDUE[[Channel.VISIT_DISTRICT, *sorted(SKIP_CHANNELS), Channel.NONNORMAL, Channel.COLLECTIVE_VISIT]] = True


def grievances(world: World, issues: list[Issue]) -> np.ndarray:
    """G for each issue's household today (docs/model.md §7.2)."""
    hh, p, day = world.households, world.params, world.day
    who = np.fromiter((i.household for i in issues), dtype=np.int64, count=len(issues))
    stake = np.fromiter((i.stake() for i in issues), dtype=float, count=len(issues))
    overdue_since = np.fromiter((i.overdue_since for i in issues), dtype=float, count=len(issues))
    overdue = np.where(overdue_since >= 0, rules.overdue_waiting(day - overdue_since), 0.0)
    return rules.grievance(
        stake,
        hh.legitimacy_local[who],
        hh.deprivation(who),
        overdue,
        hh.hostility_on(who, day, p.hostility_half_life_days),
        phi=p.deprivation_weight,
        psi=p.overdue_weight,
    )


def feasible(issues: list[Issue], contexts: list[Context], day: int) -> np.ndarray:
    """Channels open to each issue today, by context and by what the law allows (2005 Regulations arts. 14-35).

    Before any reply every channel but review is open; after a written reply the local organs have
    spoken and the ladder (review within its window), a legal exit and escalation remain; while a reply
    is late the household can press the case, escalate or wait.
    """
    ok = np.zeros((len(issues), N_CHANNELS), dtype=bool)
    for row, (issue, context) in enumerate(zip(issues, contexts, strict=True)):
        r = ok[row]
        r[:] = _OVERDUE if context == Context.OVERDUE else _AFTER_REPLY if issue.replies else _BEFORE_REPLY
        r[Channel.REVIEW] &= issue.window_until >= day and issue.reviews < 2 and not issue.terminated
        r[Channel.COURT] &= issue.litigable
        r[Channel.COLLECTIVE_VISIT] &= issue.group is not None and issue.event is None
        r[Channel.NONNORMAL] &= issue.submissions + issue.skip_attempts > 0
    return ok


def utilities(world: World, issues: list[Issue], grievance: np.ndarray) -> np.ndarray:
    """U_a for each issue (rows) and channel (columns), docs/model.md §7.2, with the extensions above."""
    hh, p, table = world.households, world.params, world.channels
    who = np.fromiter((i.household for i in issues), dtype=np.int64, count=len(issues))
    stake = np.fromiter((i.stake() for i in issues), dtype=float, count=len(issues))
    local, center = hh.legitimacy_local[who], hh.legitimacy_center[who]
    beliefs = rules.belief_mean(
        hh.successes[who], hh.failures[who], table.priors(local, center), p.belief_prior_strength
    )
    risk = np.full((len(issues), N_CHANNELS), world.manager.individual_risk())
    crowd = [row for row, i in enumerate(issues) if i.group is not None]
    for row in crowd:  # a crowd lowers each member's perceived risk (Epstein's A counts co-actors)
        group = issues[row].group
        assert group is not None
        risk[row, Channel.COLLECTIVE_VISIT] = world.manager.crowd_risk(group.size_people / 2)
    u = (
        beliefs * (stake * p.stake_weight)[:, None]
        - table.cost[None, :] / hh.budget[who][:, None]
        - hh.risk_aversion[who][:, None] * risk * table.sanction[None, :]
        + table.norm[None, :] * local[:, None]
        + p.peer_imitation * peer_shares(world, who)
    )
    u[:, SKIP_INDEX] += (p.skip_trust_weight * np.maximum(0.0, center - local))[:, None]
    hostility = hh.hostility_on(who, world.day, p.hostility_half_life_days)
    u[:, Channel.NONNORMAL] += (
        p.nonnormal_grievance_weight * grievance
        + p.nonnormal_hostility_weight * hostility
        + p.nonnormal_distrust_weight * (1.0 - center)
    )
    return u


def peer_shares(world: World, who: np.ndarray) -> np.ndarray:
    """Share of each household's ties that used each channel in the last 30 days (imitation)."""
    hh = world.households
    ties = hh.ties[who]
    recent = hh.last_channel_day[ties] >= world.day - RECENT_DAYS
    used = np.where(recent, hh.last_channel[ties], N_CHANNELS)
    counts = np.zeros((len(who), N_CHANNELS + 1))
    np.add.at(counts, (np.repeat(np.arange(len(who)), ties.shape[1]), used.ravel()), 1.0)
    return counts[:, :N_CHANNELS] / ties.shape[1]


def decide(world: World, due: list[tuple[Issue, Context]]) -> None:
    """Voice or silence, then a channel, for every decision due today (5.4 items 1-3)."""
    if not due:
        return
    issues = [issue for issue, _ in due]
    contexts = [context for _, context in due]
    p, hh = world.params, world.households
    g = grievances(world, issues)
    who = np.fromiter((i.household for i in issues), dtype=np.int64, count=len(issues))
    loud = rules.voices(
        g, hh.risk_aversion[who], 0.0, hh.legitimacy_local[who], threshold=p.voice_threshold, loyalty=p.loyalty_weight
    )
    ok = feasible(issues, contexts, world.day)
    # after a first attempt, waiting or giving up (Hirschman's exit, utility 0) competes with the channels
    outside = np.array([i.submissions > 0 or c != Context.FIRST for i, c in zip(issues, contexts, strict=True)])
    u = utilities(world, issues, g)
    u = np.c_[u, np.zeros(len(issues))]
    ok = np.c_[ok, outside]
    draws = world.streams.decisions.generator.random(len(issues))
    picks = rules.logit_choices(u, ok, p.logit_beta, draws)
    for row, issue in enumerate(issues):
        if not issue.is_open:
            continue
        context = contexts[row]
        pick = int(picks[row])
        if not loud[row] or pick < 0 or pick == N_CHANNELS:
            if context == Context.OVERDUE:
                continue  # keep waiting for the late reply
            keep_silent(world, issue, float(g[row]))
            continue
        world.route(issue, Channel(pick))
