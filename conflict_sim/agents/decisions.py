"""Voice or silence, and which channel: every decision due today, made together as arrays.

The rules are those of docs/model.md (§7.2), each from its source: grievance
G = s(1 - L) + phi RD + psi W + A (Epstein 2002, extended by Gurr 1970 and Coser 1956); voice when
G + loyalty (L - 0.5) > T (Epstein; Hirschman 1970); then a multinomial logit over the channels open
in the decision's context, U_a = b_a s B - c_a / budget - R q_a sigma_a + tau_a L + gamma n_a
(+ the pull of trust in the centre on skip-level visits, Li 2004; + grievance, hostility and distrust
of the centre on non-normal action). Households decide in the order their decisions fell due.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import cython
import numpy as np

from conflict_sim import books, households, rules
from conflict_sim.agents.manager import EXPECTED_CHANNELS
from conflict_sim.agents.residents import keep_silent
from conflict_sim.channels import PRIOR_SOURCE
from conflict_sim.households import IMITATION_DAYS
from conflict_sim.issues import (
    AFTER_REPLY_CHANNELS,
    OPEN_STATES,
    SKIP_CHANNELS,
    Channel,
    Context,
    Issue,
    IssueState,
)

if TYPE_CHECKING:
    from conflict_sim.world import World
if cython.compiled:  # the compiled build reads an issue's fields at their offsets (layouts.py)
    check_layouts()  # type: ignore[name-defined]  # noqa: F821

N_CHANNELS = len(Channel)
SKIP_INDEX = tuple(sorted(SKIP_CHANNELS))  # NumPy's fancy index of the skip-level columns, and a loop's
COLLECTIVE, NONNORMAL = int(Channel.COLLECTIVE_VISIT), int(Channel.NONNORMAL)
PROMPTED = frozenset({Context.AFTER_EVENT})  # silence after it does not count toward exit

_AFTER_REPLY = np.zeros(N_CHANNELS, dtype=bool)
_AFTER_REPLY[sorted(AFTER_REPLY_CHANNELS)] = True
_BEFORE_REPLY = np.ones(N_CHANNELS, dtype=bool)
_BEFORE_REPLY[Channel.REVIEW] = False
_OVERDUE = np.zeros(N_CHANNELS, dtype=bool)
_OVERDUE[[Channel.VISIT_DISTRICT, *sorted(SKIP_CHANNELS), Channel.NONNORMAL, Channel.COLLECTIVE_VISIT]] = True
# A nearby collective visit prompts a group's lead to weigh calling its own group out, or waiting.
_EMBOLDENED = np.zeros(N_CHANNELS, dtype=bool)
_EMBOLDENED[Channel.COLLECTIVE_VISIT] = True
_MASKS = {Context.OVERDUE: _OVERDUE, Context.EMBOLDENED: _EMBOLDENED}
CHANNELS = tuple(Channel)


@dataclass(frozen=True, slots=True)
class Deciders:
    """What the rules read of the issues deciding today, gathered once as columns (one row per issue)."""

    who: np.ndarray  # household agent
    stake: np.ndarray
    overdue_since: np.ndarray
    group_people: np.ndarray  # people of the issue's group, 0 without one
    replied: np.ndarray
    review_open: np.ndarray  # the review ladder is open today: within the window, < 2 reviews, not terminated
    litigable: np.ndarray
    can_rally: np.ndarray  # a group with no event under way
    has_acted: np.ndarray  # submitted or tried a skip-level visit before
    overdue: np.ndarray  # the decision is about a late reply
    emboldened: np.ndarray  # the decision was prompted by a nearby collective visit

    @classmethod
    def gather(cls, issues: list[Issue], contexts: list[Context], day: int) -> Deciders:
        rows = [
            (
                i.household,
                i.stake(),
                i.overdue_since,
                i.group.size_people if i.group is not None else 0,
                i.replies > 0,
                i.window_until >= day and i.reviews < 2 and not i.terminated,
                i.litigable,
                i.group is not None and i.event is None,
                i.submissions + i.skip_attempts > 0,
                c == Context.OVERDUE,
                c == Context.EMBOLDENED,
            )
            for i, c in zip(issues, contexts, strict=True)
        ]
        columns = list(zip(*rows, strict=True))
        types = (np.int64, float, float, float, bool, bool, bool, bool, bool, bool, bool)
        return cls(*(np.array(column, dtype=t) for column, t in zip(columns, types, strict=True)))


def grievances(world: World, batch: Deciders, hostility: np.ndarray) -> np.ndarray:
    """G for each issue's household today (docs/model.md §7.2)."""
    hh, p, day, who = world.households, world.params, world.day, batch.who
    overdue_since = batch.overdue_since
    overdue = np.where(overdue_since >= 0, rules.overdue_waiting(day - overdue_since), 0.0)
    return rules.grievance(
        batch.stake,
        hh.legitimacy_local[who],
        hh.deprivation(who),
        overdue,
        hostility,
        phi=p.deprivation_weight,
        psi=p.overdue_weight,
    )


def feasible(batch: Deciders) -> np.ndarray:
    """Channels open to each issue today, by context and by what the law allows (2005 Regulations arts. 14-35).

    Before any reply every channel but review is open; after a written reply the local organs have
    spoken and the ladder (review within its window), a legal exit and escalation remain; while a reply
    is late the household can press the case, escalate or wait.
    """
    ok = np.where(batch.replied[:, None], _AFTER_REPLY, _BEFORE_REPLY)
    ok[batch.emboldened] = _EMBOLDENED
    ok[batch.overdue] = _OVERDUE
    ok[:, Channel.REVIEW] &= batch.review_open
    ok[:, Channel.COURT] &= batch.litigable
    ok[:, Channel.COLLECTIVE_VISIT] &= batch.can_rally
    ok[:, Channel.NONNORMAL] &= batch.has_acted
    return ok


def utilities(world: World, batch: Deciders, grievance: np.ndarray, hostility: np.ndarray) -> np.ndarray:
    """U_a for each issue (rows) and channel (columns), docs/model.md §7.2, with the extensions above."""
    hh, p, table, who = world.households, world.params, world.channels, batch.who
    alone = world.manager.individual_risk()
    crowd = np.full(len(who), alone)  # the risk of a collective visit: a crowd lowers each member's risk
    for row in np.flatnonzero(batch.group_people).tolist():
        crowd[row] = world.manager.crowd_risk(batch.group_people.item(row) / 2)
    stake = batch.stake
    local, center = hh.legitimacy_local[who], hh.legitimacy_center[who]
    beliefs = rules.belief_mean(
        hh.successes[who], hh.failures[who], table.priors(local, center), p.belief_prior_strength
    )
    risk = np.full((len(who), N_CHANNELS), alone)
    risk[:, Channel.COLLECTIVE_VISIT] = crowd
    u = (
        beliefs * (stake * p.stake_weight)[:, None]
        - table.cost[None, :] / hh.budget[who][:, None]
        - hh.risk_aversion[who][:, None] * risk * table.sanction[None, :]
        + table.norm[None, :] * local[:, None]
        + table.constant[None, :]
        + p.peer_imitation * hh.channels_of_ties(who, world.day)
    )
    u[:, SKIP_INDEX] += (p.skip_trust_weight * np.maximum(0.0, center - local))[:, None]
    u[:, Channel.NONNORMAL] += (
        p.nonnormal_grievance_weight * grievance
        + p.nonnormal_hostility_weight * hostility
        + p.nonnormal_distrust_weight * (1.0 - center)
    )
    return u


def _utility_rows(u, hh, p, table, who, stake, grievance, hostility, crowd, alone, day) -> None:
    """`utilities`, compiled: each cell in NumPy's order of operations, so the same numbers.

    The belief's denominator is summed in float32 as NumPy sums a Python float and float32 counts; the
    ties' channels are counted as `Households.channels_of_ties` counts them. `crowd` is each row's risk
    on a collective visit, `alone` the risk elsewhere. The arrays are read through typed views
    (decisions.pxd), the parameters once.
    """
    stake_weight, strength, imitation = p.stake_weight, p.belief_prior_strength, p.peer_imitation
    skip_weight, grievance_weight = p.skip_trust_weight, p.nonnormal_grievance_weight
    hostility_weight, distrust_weight = p.nonnormal_hostility_weight, p.nonnormal_distrust_weight
    cost, sanction, norm, constant = table.cost, table.sanction, table.norm, table.constant
    fixed_prior, source, budget, risk_aversion = table.fixed_prior, PRIOR_SOURCE, hh.budget, hh.risk_aversion
    strength32, collective, nonnormal = strength, COLLECTIVE, NONNORMAL
    since = day - IMITATION_DAYS
    k = hh._k
    counts = np.zeros(N_CHANNELS, dtype=np.int64)
    for r in range(who.shape[0]):
        h = who[r]
        local, center = hh._local[h], hh._center[h]
        counts[:] = 0
        for i in range(k):
            tie = hh._ties[h, i]
            used = hh._last_channel[tie]
            if hh._last_channel_day[tie] >= since and 0 <= used < N_CHANNELS:
                counts[used] += 1
        scaled_stake = stake[r] * stake_weight
        for c in range(N_CHANNELS):
            prior = fixed_prior[c] if source[c] == 0 else (local if source[c] == 1 else center)
            successes, failures = hh._successes[h, c], hh._failures[h, c]
            belief = (strength * prior + successes) / ((strength32 + successes) + failures)
            risk = crowd[r] if c == collective else alone
            u[r, c] = (
                belief * scaled_stake
                - cost[c] / budget[h]
                - risk_aversion[h] * risk * sanction[c]
                + norm[c] * local
                + constant[c]
                + imitation * (counts[c] / k)
            )
        gap = center - local
        skip = skip_weight * (gap if gap > 0.0 else 0.0)
        for c in SKIP_INDEX:
            u[r, c] += skip
        u[r, nonnormal] += (
            grievance_weight * grievance[r] + hostility_weight * hostility[r] + distrust_weight * (1.0 - center)
        )


@cython.locals(  # type: ignore[attr-defined]  # C types of the compiled build (decisions.pxd)
    world="WorldLayout", p="ParamsLayout", issue="IssueLayout", pick="Py_ssize_t"
)
def decide(world: World, due: list[tuple[Issue, Context]]) -> None:
    """Voice or silence, then a channel, for every decision due today (docs/model.md §7.2)."""
    if not due:
        return
    issues = [issue for issue, _ in due]
    contexts = [context for _, context in due]
    p = world.params
    if cython.compiled:  # the same numbers, row by row in C
        g, loud, weights = _weigh_rows(world, issues, contexts)
    else:
        g, loud, weights = weigh(world, issues, contexts)
    draws = world.streams.decisions.generator.random(len(issues))
    picks = (_choice_rows(weights, draws) if cython.compiled else rules.choices_of(weights, draws)).tolist()
    if p.households_per_agent > 1:  # what the households each agent stands for would do, for the evaluation
        if cython.compiled:  # the same sums, row by row in C
            world.manager.expect_sums(_expected_sums(weights, loud.view(np.uint8), issues))
        else:
            acting = loud & np.array([issue.state in OPEN_STATES for issue in issues])
            world.manager.expect(rules.probabilities_of(weights[acting])[:, :N_CHANNELS])
    for issue, context, pick, voiced, grievance in zip(issues, contexts, picks, loud.tolist(), g.tolist(), strict=True):
        if issue.state not in OPEN_STATES:
            continue
        if context == Context.OVERDUE:  # while the reply stays late, the household weighs it again as the wait grows
            books.decide_later(world, issue, Context.OVERDUE, p.reconsider_days)
        if not voiced or pick < 0 or pick == N_CHANNELS:
            if context in _MASKS:
                continue  # keep waiting for the late reply, or for what was planned before the prompt
            keep_silent(world, issue, grievance, counts=context not in PROMPTED)
            continue
        world.route(issue, CHANNELS[pick])


def still_due(bucket: list[tuple[Issue, int, Context]]) -> list[tuple[Issue, Context]]:
    """The decisions scheduled for a day that still stand, each issue's first only, in the order they fell due.

    One stands while nothing has happened to its issue since it was scheduled (the issue's epoch is the
    one it was scheduled at) and the issue is where its context expects it: a late reply's petition still
    with the office, any other decision's issue new, silent or detained (all open states).
    """
    seen = set()
    due = []
    overdue, petition = Context.OVERDUE, IssueState.PETITION
    new, silent, detained = IssueState.NEW, IssueState.SILENT, IssueState.DETAINED
    for issue, epoch, context in bucket:
        if issue.epoch != epoch or issue.uid in seen:
            continue
        state = issue.state
        if context == overdue:
            stands = state == petition and issue.case is not None
        else:
            stands = state in (new, silent, detained)
        if stands:
            seen.add(issue.uid)
            due.append((issue, context))
    return due


def weigh(world: World, issues: list[Issue], contexts: list[Context]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each decision's grievance, its voice, and its logit weights over the channels and waiting (columns).

    Waiting, or giving up (Hirschman's exit, utility 0), is the last column: open after a first attempt.
    """
    p, hh = world.params, world.households
    batch = Deciders.gather(issues, contexts, world.day)
    who = batch.who
    hostility = hh.hostility_on(who, world.day, p.hostility_half_life_days)
    g = grievances(world, batch, hostility)
    loud = rules.voices(
        g, hh.risk_aversion[who], 0.0, hh.legitimacy_local[who], threshold=p.voice_threshold, loyalty=p.loyalty_weight
    )
    outside = np.array([i.submissions > 0 or c != Context.FIRST for i, c in zip(issues, contexts, strict=True)])
    u = np.column_stack((utilities(world, batch, g, hostility), np.zeros(len(issues))))
    ok = np.column_stack((feasible(batch), outside))
    return g, loud, rules.logit_weights(u, ok, p.logit_beta)


def _weigh_rows(world, issues, contexts):
    """`weigh`, compiled: the same numbers, each row's rules in C in NumPy's order of operations.

    It reads the issues once (no `Deciders` columns) and leaves to NumPy what C would round otherwise:
    the hostility's decay (`pow`) and the weights' `exp`, each once on the whole batch, as `weigh` does.
    The typed views (decisions.pxd) share the memory of the arrays returned.
    """
    p, hh, day, manager = world.params, world.households, world.day, world.manager
    n = len(issues)
    who = np.empty(n, dtype=np.int64)
    household = who
    for r in range(n):
        household[r] = issues[r].household
    hostility = hh.hostility_on(who, day, p.hostility_half_life_days)
    deprivation, risk_aversion = hh.deprivation(who), hh.risk_aversion
    phi, psi, threshold, loyalty = p.deprivation_weight, p.overdue_weight, p.voice_threshold, p.loyalty_weight
    after_reply, before_reply = _AFTER_REPLY.view(np.uint8), _BEFORE_REPLY.view(np.uint8)
    overdue_mask, emboldened_mask = _OVERDUE.view(np.uint8), _EMBOLDENED.view(np.uint8)
    first, overdue_context, emboldened_context = int(Context.FIRST), int(Context.OVERDUE), int(Context.EMBOLDENED)
    review, court, collective, nonnormal = int(Channel.REVIEW), int(Channel.COURT), COLLECTIVE, NONNORMAL
    alone = manager.individual_risk()
    stake, crowd, grievance, voiced = np.empty(n), np.empty(n), np.empty(n), np.empty(n, dtype=bool)
    g, loud = grievance, voiced.view(np.uint8)
    ok = np.empty((n, N_CHANNELS + 1), dtype=np.uint8)
    for r in range(n):
        issue, context, h = issues[r], int(contexts[r]), household[r]
        local = hh._local[h]
        severity = issue.severity  # `Issue.stake`, read in C: strategic petitioners claim at least 0.6
        stake[r] = (0.6 if severity < 0.6 else severity) if issue.strategic else severity
        since = issue.overdue_since
        waited = 0.0
        if since >= 0:  # `rules.overdue_waiting`
            waited = day - since
            waited = min(1.0, (waited if waited > 0.0 else 0.0) / 60.0)
        g[r] = stake[r] * (1.0 - local) + phi * deprivation[r] + psi * waited + hostility[r]
        loud[r] = g[r] - risk_aversion[h] * 0.0 + loyalty * (local - 0.5) > threshold  # `rules.voices`, risk 0
        group = issue.group
        crowd[r] = manager.crowd_risk(group.size_people / 2) if group is not None and group.size_people else alone
        mask = after_reply if issue.replies > 0 else before_reply  # `feasible`
        if context == emboldened_context:
            mask = emboldened_mask
        if context == overdue_context:
            mask = overdue_mask
        for c in range(N_CHANNELS):
            ok[r, c] = mask[c]
        if not (issue.window_until >= day and issue.reviews < 2 and not issue.terminated):
            ok[r, review] = 0
        if not issue.litigable:
            ok[r, court] = 0
        if group is None or issue.event is not None:
            ok[r, collective] = 0
        if issue.submissions + issue.skip_attempts == 0:
            ok[r, nonnormal] = 0
        ok[r, N_CHANNELS] = issue.submissions > 0 or context != first
    u = np.zeros((n, N_CHANNELS + 1))  # the last column, waiting, has utility 0
    _utility_rows(u, hh, p, world.channels, who, stake, grievance, hostility, crowd, alone, day)
    weights = np.exp(_logit_exponents(u, ok, p.logit_beta))
    _mask_rows(weights, ok)
    return grievance, voiced, weights


def _expected_sums(weights, loud, issues) -> dict[Channel, float]:
    """The sums `manager.expect` takes of the acting deciders' probabilities (compiled build).

    Each voiced decision on an open issue has its weights divided by their row's total (`rules.probabilities_of`),
    and each of `EXPECTED_CHANNELS` is summed over them, both as NumPy adds (pairwise: households.py).
    """
    n, width, channels = weights.shape[0], weights.shape[1], len(EXPECTED_CHANNELS)
    column = np.empty((channels, n))
    acting = 0
    for r in range(n):
        if loud[r] and issues[r].state in OPEN_STATES:
            total = households._block_sum(cython.address(weights[r, 0]), width)
            for e in range(channels):
                column[e, acting] = weights[r, EXPECTED_CHANNELS[e]] / total if total > 0.0 else 0.0
            acting += 1
    return {
        channel: households._pairwise_sum(cython.address(column[e, 0]), acting) if acting else 0.0
        for e, channel in enumerate(EXPECTED_CHANNELS)
    }


def _logit_exponents(u, ok, beta):
    """The exponents of `rules.logit_weights`: beta (U - the row's largest feasible U), -inf where not feasible."""
    infinity = math.inf
    exponents = np.empty((u.shape[0], u.shape[1]))
    z = exponents
    for r in range(u.shape[0]):
        top = -infinity
        for c in range(u.shape[1]):
            value = u[r, c] if ok[r, c] else -infinity
            if value > top:  # the utilities are finite: validated parameters, bounded state
                top = value
        shift = top if -infinity < top < infinity else 0.0
        for c in range(u.shape[1]):
            z[r, c] = beta * ((u[r, c] if ok[r, c] else -infinity) - shift)
    return exponents


def _mask_rows(weights, ok) -> None:
    """Zero where not feasible (the rest of `rules.logit_weights`)."""
    for r in range(weights.shape[0]):
        for c in range(weights.shape[1]):
            if not ok[r, c]:
                weights[r, c] = 0.0


def _choice_rows(weights, draws):
    """`rules.choices_of`: the column whose running sum first exceeds the row's draw times its total; -1 if none."""
    n, columns = weights.shape[0], weights.shape[1]
    chosen = np.empty(n, dtype=np.int64)
    picks, running = chosen, np.empty(columns)
    for r in range(n):
        running[0] = weights[r, 0]
        for c in range(1, columns):
            running[c] = running[c - 1] + weights[r, c]
        total = running[columns - 1]
        bar = draws[r] * total
        pick = 0
        for c in range(columns):
            pick += running[c] <= bar
        picks[r] = min(pick, columns - 1) if total > 0 else -1
    return chosen
