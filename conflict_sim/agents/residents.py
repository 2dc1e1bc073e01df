"""Residents: households that live with their issues, keep quiet or speak up, and learn from answers.

A `Resident` is a Mesa agent standing for `households_per_agent` real households; its traits and
trust live in the `Households` arrays at row `index`, and its open issues in `issues`. What a
household does when an organ answers (a reply, a refusal, a late reply, repression) is written here,
as functions of the `World` the organs are given; choosing a channel is in `decisions.py`.
Sources: Tyler (1990) for trust and acceptance, Hirschman (1970) for exit, Coser (1956) for hostility.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import cython
import mesa
import numpy as np

from conflict_sim import books, households, rules
from conflict_sim.issues import OPEN_STATES, Channel, Context, Issue, IssueState, Level, Pathway

if TYPE_CHECKING:
    from conflict_sim.world import Office, World
if cython.compiled:  # the compiled build reads an issue's fields at their offsets (layouts.py)
    check_layouts()  # type: ignore[name-defined]  # noqa: F821


class Resident(mesa.Agent):
    """A household agent (one per `households_per_agent` real households).

    Its open issues are kept by the model (`issues_of`), so a quiet household is a bare agent.
    """

    def __init__(self, model: mesa.Model, index: int) -> None:
        super().__init__(model)
        self.index = index

    @classmethod
    def populate(cls, model: mesa.Model, n: int) -> list[Resident]:
        """`n` residents (indices 0..n-1), registered with the model like agents made one by one.

        A full district has 124,000 of them: `Agent.__init__` costs about 3.5 µs each (a signal and a
        debug message per agent), this about 0.5 µs. The agents get the unique ids, the model reference
        and the places in `model.agents` and `model.agents_by_type[Resident]` that `Agent.__init__`
        gives them (tests/test_model.py checks the registration).
        """
        if n == 0:
            return []
        first = cls(model, 0)  # the ordinary way, so the type's agent set is made by Mesa itself
        everyone, same_type = model.agents, model.agents_by_type[cls]
        new = object.__new__
        out = [first]
        uid = model.agent_id_counter
        for index in range(1, n):
            agent = new(cls)
            agent.model, agent.unique_id, agent.pos, agent.index = model, uid, None, index
            uid += 1
            everyone.add(agent)
            same_type.add(agent)
            out.append(agent)
        model.agent_id_counter = uid
        return out

    @property
    def issues(self) -> list[Issue]:
        """The household's open issues (a copy: the model keeps the list)."""
        return list(self.model.issues_of(self.index))  # type: ignore[attr-defined]

    @property
    def status(self) -> str:
        """What a viewer sees: quiet, aggrieved, petitioning, waiting, escalating, collective, resolved, exited."""
        hh = self.model.households  # type: ignore[attr-defined]
        issues = self.model.issues_of(self.index)  # type: ignore[attr-defined]
        if not issues:
            if hh.latent_grievance[self.index] > 0:
                return "exited"
            return "resolved" if hh.settled[self.index] else "quiet"
        issue = max(issues, key=lambda i: i.severity)
        if issue.event is not None:
            return "collective"
        if issue.skip_attempts or issue.reviews:
            return "escalating"
        return {
            IssueState.PETITION: "waiting",
            IssueState.COURT: "waiting",
            IssueState.DETAINED: "escalating",
            IssueState.MEDIATION: "petitioning",
            IssueState.GRID: "petitioning",
        }.get(issue.state, "aggrieved")


# --- what households do when organs answer -----------------------------------------------------
def learn(world: World, household: int, channel: Channel, success: bool, neighbours: bool = True) -> None:
    """Beta learning from one's own outcome, and neighbours' learning from it (social learning)."""
    p, hh = world.params, world.households
    hh.learn(household, channel, success, p.belief_learning_weight, p.social_learning_weight if neighbours else 0.0)


def update_trust(world: World, household: int, justice: float, outcome: float, expected: float, members=None) -> None:
    """Tyler: legitimacy moves toward the procedural justice met, and with outcome surprise; ties hear of it."""
    hh, p = world.households, world.params
    if members is None:  # one household: plain floats, the same arithmetic as the array formula
        old = hh.local(household)
        new = old + p.legitimacy_step_procedural * (justice - old) + p.legitimacy_step_outcome * (outcome - expected)
        new = 0.0 if new < 0.0 else (1.0 if new > 1.0 else new)
        hh.set_local(household, new)
        hh.diffuse(household, new - old, p.legitimacy_diffusion)
        return
    if cython.compiled:  # the same numbers, member by member in C
        change = _update_members(
            hh, members, justice, p.legitimacy_step_procedural, p.legitimacy_step_outcome * (outcome - expected)
        )
    else:
        before = hh.legitimacy_local[members]
        after = rules.legitimacy_update(
            before, justice, outcome, expected, eta_pi=p.legitimacy_step_procedural, eta_o=p.legitimacy_step_outcome
        )
        hh.set_locals(members, after)
        change = float((after - before).mean())
    hh.diffuse(household, change, p.legitimacy_diffusion)


def _update_members(hh, members, justice: float, procedural: float, surprise: float) -> float:
    """`rules.legitimacy_update` of a group's members, and their mean change (compiled build).

    Each member's value in NumPy's order of operations and with its `clip` (a NaN stays, -0.0 becomes 0.0),
    all read before any is set (as NumPy's fancy indexing does), the mean of the changes as NumPy adds them.
    """
    n = members.shape[0]
    old, moved = np.empty(n), np.empty(n)
    for i in range(n):
        old[i] = hh._local[members[i]]
    for i in range(n):
        value = old[i] + procedural * (justice - old[i]) + surprise
        if value == value:  # NumPy's clip to [0, 1] passes a NaN through
            value = value if value > 0.0 else 0.0
            value = value if value < 1.0 else 1.0
        hh.set_local(members[i], value)
        moved[i] = value - old[i]
    return households._pairwise_sum(cython.address(moved[0]), n) / n


def heard(world: World, household: int, justice: float) -> None:
    """Voice that is heard releases part of the accumulated hostility (Coser's safety valve)."""
    p, hh = world.params, world.households
    hh.vent(household, p.venting * justice, world.day, p.hostility_half_life_days)


def belief(world: World, household: int, channel: Channel) -> float:
    """The household's current success belief for one channel."""
    hh, strength = world.households, world.params.belief_prior_strength
    prior = world.channels.prior(channel, hh.local(household), hh.center(household))
    return hh.belief(household, channel, prior, strength)


def on_reply(world: World, issue: Issue, office: Office, resolved: bool, justice: float, channel: Channel) -> None:
    """A written reply: learn, update trust, vent; then accept, or think about review and escalation (arts. 34-35)."""
    p, h, hh = world.params, issue.household, world.households
    members = issue.group.members if issue.group is not None else None
    update_trust(world, h, justice, float(resolved), belief(world, h, channel), members)
    learn(world, h, channel, resolved)
    heard(world, h, justice)
    pathway = Pathway.REVIEW if issue.reviews else Pathway.OFFICE
    if resolved:
        books.end(world, issue, IssueState.RESOLVED, office.level, pathway)
        return
    accept = world.streams.decisions.random() < rules.acceptance_probability(
        justice,
        hh.local(h),
        issue.severity,
        b0=p.acceptance_intercept,
        b1=p.acceptance_justice,
        b2=p.acceptance_legitimacy,
        b3=p.acceptance_severity,
    )
    if accept:
        books.end(world, issue, IssueState.CLOSED, office.level, Pathway.ACCEPTED)
        return
    issue.last_office = office
    issue.window_until = world.day + (p.review_window_days if issue.reviews == 0 else p.rereview_window_days)
    books.set_state(world, issue, IssueState.SILENT)
    books.decide_later(world, issue, Context.AFTER_REPLY, 1)


def on_setback(world: World, issue: Issue, channel: Channel, blocked: bool) -> None:
    """A channel failed (not registered, refused, mediation or court lost): think again tomorrow.

    Blocked voice (refusal, repression) adds to accumulated hostility (Coser).
    """
    if issue.state not in OPEN_STATES:
        return
    learn(world, issue.household, channel, False)
    if blocked:
        p, hh = world.params, world.households
        hh.add_hostility(issue.household, p.hostility_gain, world.day, p.hostility_half_life_days)
    issue.case = None
    books.set_state(world, issue, IssueState.SILENT)
    books.decide_later(world, issue, Context.SETBACK, 1)


def suffer_repression(world: World, household: int, hostility: float, channel: Channel) -> None:
    """Intercepted or detained: hostility, lost trust, a failed channel.

    Hostility accumulates (Coser), local trust falls for the household and its ties (repression costs
    legitimacy), and the household learns that the channel failed.
    """
    hh, p = world.households, world.params
    hh.add_hostility(household, hostility, world.day, p.hostility_half_life_days)
    hh.shift_one(household, -p.repression_legitimacy_loss, False)
    hh.diffuse(household, -p.repression_legitimacy_loss, p.legitimacy_diffusion)
    learn(world, household, channel, False)


@cython.locals(  # type: ignore[attr-defined]  # C types of the compiled build (residents.pxd)
    world="WorldLayout", issue="IssueLayout", p="ParamsLayout", hh="Households"
)
def keep_silent(world: World, issue: Issue, grievance: float, *, counts: bool = True) -> None:
    """Silence for now; after `max_reconsiderations` the household gives up (Hirschman's exit).

    Exit does not remove the grievance: it stays latent and can return (see `PetitionModel.reactivate`).
    A decision prompted from outside (a nearby collective visit, the end of an event) that ends in
    silence does not count as one of the household's own reconsiderations (`counts`).
    """
    p, hh = world.params, world.households
    issue.reconsiderations += counts
    if issue.reconsiderations > p.max_reconsiderations:
        hh.add_latent(issue.household, grievance)
        books.end(world, issue, IssueState.EXITED, Level.COMMUNITY, Pathway.EXIT)
        return
    books.set_state(world, issue, IssueState.SILENT)
    books.decide_later(world, issue, Context.RECONSIDER, p.reconsider_days)
