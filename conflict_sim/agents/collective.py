"""Collective action and non-normal petitions (sections 3.5, 3.6, 5.8).

A group mobilises when its lead chooses a collective visit: members join by Granovetter thresholds
if their net grievance clears the Epstein threshold, where a bigger crowd lowers each member's
perceived sanction risk. Five or more people acting together make a collective visit, fifty a large
one; a member who turns disruptive (Coser: accumulated hostility) makes it a mass incident.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from conflict_sim import rules
from conflict_sim.agents.offices import Case
from conflict_sim.issues import Channel, Issue, IssueState

if TYPE_CHECKING:
    from conflict_sim.agents.residents import Resident
    from conflict_sim.model import PetitionModel

NATIONAL_SHARE_OF_NONNORMAL = 0.3  # share of non-normal acts staged in Beijing [A]
MAX_REPRESENTATIVES = 5  # section 1.6: at most five representatives


def crowd(model: PetitionModel, issue: Issue) -> np.ndarray:
    """Who turns out: the Granovetter cascade, with Epstein deterrence re-evaluated as the crowd grows."""
    p, hh, group = model.params, model.households, issue.group
    members = group.members
    overdue = rules.overdue_waiting(model.day - issue.overdue_since) if issue.overdue_since >= 0 else 0.0
    grievance = rules.grievance(
        issue.severity,
        hh.legitimacy_local[members],
        hh.deprivation(members),
        overdue,
        hh.hostility_on(members, model.day, p.hostility_half_life_days),
        phi=p.deprivation_weight,
        psi=p.overdue_weight,
    )
    active = np.zeros(len(members), dtype=bool)
    for _ in range(len(members) + 1):
        people = max(1.0, active.sum() * p.households_per_agent)
        risk = rules.sanction_probability(
            model.manager.visible_control(), people, k=p.arrest_constant, mode=p.arrest_ratio_mode
        )
        willing = grievance - hh.risk_aversion[members] * risk * p.sanction_collective > p.voice_threshold
        nxt = rules.granovetter_cascade(group.thresholds, willing)
        if (nxt == active).all():
            break
        active = nxt
    return active


def mobilise(model: PetitionModel, resident: Resident, issue: Issue) -> None:
    """The lead calls the group out; a collective visit if enough come, else the lead goes alone."""
    p, rng, tally, group = model.params, model.rng, model.tally, issue.group
    group.mobilisations += 1
    active = crowd(model, issue)
    people = min(int(active.sum()) * p.households_per_agent, group.size_people)
    represented = group.represented or rng.random() < p.representative_organisation
    if people < p.collective_min_people:
        resident.learn(Channel.COLLECTIVE_VISIT, False)
        model.submit(resident, issue, Channel.VISIT_DISTRICT)
        return
    if represented:
        people = min(people, MAX_REPRESENTATIVES)
    tally.collective_visits += 1
    tally.collective_people += people
    tally.collective_sizes.append(people)
    tally.collective_days.append(model.day)
    if people >= p.collective_large_people:
        tally.large_collective += 1
    model.demonstrate(issue)
    if not represented:
        hh = model.households
        members = group.members[active]
        hostility = hh.hostility_on(members, model.day, p.hostility_half_life_days)
        grievance = issue.severity * (1 - hh.legitimacy_local[members])
        chance = rules.disruption_probability(hostility, grievance, a0=p.disruption_intercept, a1=p.disruption_slope)
        if (rng.random(len(members)) < chance).any():
            tally.mass_incidents += 1
            tally.nonnormal += 1
    if model.manager.pay_off(issue):
        return
    case = Case(
        issue,
        Channel.COLLECTIVE_VISIT,
        "collective",
        model.day,
        priority=True,
        leader=rng.random() < p.baoan_probability,
    )
    model.set_state(issue, IssueState.PETITION)
    model.district_bureau.receive(case)


def act_nonnormal(model: PetitionModel, resident: Resident, issue: Issue) -> None:
    """Non-normal petitioning (非正常上访): detention risk, veto risk, and a chance of a payoff."""
    p, rng, tally = model.params, model.rng, model.tally
    tally.nonnormal += 1
    if rng.random() < NATIONAL_SHARE_OF_NONNORMAL:
        tally.nonnormal_national += 1
    if rng.random() < resident.sanction_risk(1.0):  # detained (Epstein's jail; detention <= 15 days)
        resident.suffer_repression(p.hostility_gain, Channel.NONNORMAL)
        days = int(rng.integers(0, p.detention_max_days + 1))
        model.set_state(issue, IssueState.SILENT)
        model.agenda.at(model.day + days + p.reconsider_days, resident.decide, (issue, issue.epoch))
        return
    model.higher_levels["national"].register(issue, Channel.NONNORMAL)
