"""The model's books of its issues, which every organ keeps through these functions.

The books: the count in each state, each household's open issues and the worst of their severities,
the groups under way, the grievances given up, and the decisions due on them. Every change of an
issue's state, every end and every decision scheduled goes through here: the organs call these
functions directly (C calls in the compiled build, books.pxd), and the model's methods of the same
names (`PetitionModel.set_state`, `end`, `decide_later`) wrap them for the rest. The cases that
offices work on are opened here too (`open_case`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import cython

from conflict_sim.cases import Case, CaseKind
from conflict_sim.issues import DETECTABLE_STATES, Channel, Context, Issue, IssueState, Level, Pathway

if TYPE_CHECKING:
    from conflict_sim.world import World

if cython.compiled:  # the compiled build reads the model's books at their offsets (layouts.py)
    check_layouts()  # type: ignore[name-defined]  # noqa: F821

# a case with the defaults of the fields `open_case` does not set: the compiled build copies them (cases.pxd)
_BLANK_CASE = Case(None, Channel.LETTER, CaseKind.INITIAL, -1)  # type: ignore[arg-type]  # each copy gets its issue


def open_case(issue: Issue, channel: Channel, kind: CaseKind, day: int) -> Case:
    """`Case(issue, channel, kind, day)`, the other fields at their defaults; the caller sets any it needs.

    Compiled, the case is made in C (cases.pxd): the dataclass's `__init__` is Python, about 1,200
    instructions a case (docs/performance.md, 6 December 2026, late morning).
    """
    if cython.compiled:
        return made_case(_BLANK_CASE, issue, channel, kind, day)  # type: ignore[name-defined]  # noqa: F821
    return Case(issue, channel, kind, day)


def decide_later(world: World, issue: Issue, context: Context, delay: int = 0) -> None:
    """The household will decide about `issue` in `delay` days, unless something happens first."""
    world._pending[world.day + delay].append((issue, issue.epoch, context))  # type: ignore[attr-defined]


def set_state(world: World, issue: Issue, state: IssueState) -> None:
    """The counts by state, the issue's state and epoch, and a grid worker's visit to come."""
    counts, before, after = world._state_counts, issue.state, state  # type: ignore[attr-defined]
    counts[before] -= 1
    counts[after] += 1
    issue.state = state
    issue.epoch += 1
    if state in DETECTABLE_STATES:
        workers = world._grid_worker_at  # type: ignore[attr-defined]
        workers[issue.household].watch(issue)


def open_issue(world: World, issue: Issue) -> None:
    """A new issue: its uid, its household's open issues and worst severity, its group, its grid worker."""
    log, counts = world.log, world._state_counts  # type: ignore[attr-defined]
    log.open(issue)
    counts[IssueState.NEW] += 1
    household, issues_of = issue.household, world._issues_of  # type: ignore[attr-defined]
    issues = issues_of.get(household)
    if issues is None:
        issues_of[household] = [issue]
    else:
        issues.append(issue)
    _keep_worst_severity(world, household)
    if issue.group is not None:
        world._open_groups[int(world.district.unit_of[household])][issue.uid] = issue  # type: ignore[attr-defined]
    workers = world._grid_worker_at  # type: ignore[attr-defined]
    workers[household].watch(issue)


def end(world: World, issue: Issue, state: IssueState, level: Level | None, pathway: Pathway) -> None:
    """An issue reaches a terminal state, handled at a level of the pyramid (exits at none)."""
    set_state(world, issue, state)
    issue.ended, issue.pathway = world.day, int(pathway)
    issue.end_level = -1 if level is None or pathway == Pathway.EXIT else int(level)
    log = world.log
    log.close(issue)
    household = issue.household
    if issue.group is not None:
        world._open_groups[int(world.district.unit_of[household])].pop(issue.uid, None)  # type: ignore[attr-defined]
    issues_of = world._issues_of  # type: ignore[attr-defined]
    issues = issues_of[household]
    issues.remove(issue)
    if not issues:
        del issues_of[household]
    _keep_worst_severity(world, household)
    hh = world.households
    hh.settle(household)
    if state == IssueState.EXITED:
        world._latent.setdefault(household, []).append(issue)  # type: ignore[attr-defined]
        workers = world._grid_worker_at  # type: ignore[attr-defined]
        workers[household].look_in(household)
    elif state == IssueState.RESOLVED or state == IssueState.BOUGHT_OFF:
        _revive_neighbours(world, household)


def _keep_worst_severity(world: World, household: int) -> None:
    """The household's worst open severity, from its open issues (0 without one), for the grievance stock."""
    issues_of = world._issues_of  # type: ignore[attr-defined]
    issues = issues_of.get(household)
    worst = 0.0
    if issues:
        worst = issues[0].severity
        for issue in issues:
            if issue.severity > worst:
                worst = issue.severity
    hh = world.households
    hh.set_open_severity(household, worst)


def _revive_neighbours(world: World, household: int) -> None:
    """A tie's success or payout can revive the latent grievances of households that gave up."""
    p, hh, streams, latent = world.params, world.households, world.streams, world._latent  # type: ignore[attr-defined]
    chance, decisions = p.reactivation_probability, streams.decisions
    for tie in hh.ties_of(household):
        if tie in latent and decisions.chance(chance):
            world.reactivate(tie, "neighbour")  # type: ignore[attr-defined]
