"""The compiled build of the model's hot modules: in use, the same numbers as the sources, never stale."""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conflict_sim import compiled, layouts, rules
from conflict_sim.agents import decisions
from conflict_sim.issues import Context
from conflict_sim.model import PetitionModel
from conflict_sim.scenarios import load

# What the digest covers: every daily series, the event tables and the outcomes of two runs, one of the
# calibrated district and one of the uncalibrated (ten times the petitions: crowds, courts, interception).
DIGEST = """
import hashlib, sys
from conflict_sim import compiled
from conflict_sim.run import simulate
from conflict_sim.scenarios import load
digest = hashlib.sha256()
for name, days, seed in (("chengzhong", 400, 5), ("chengzhong_uncalibrated", 240, 6)):
    out = simulate(load(name).params.replace(households_per_agent=10), seed=seed, days=days, warmup_days=60)
    digest.update(out.daily.to_csv(float_format="%.17g").encode())
    for table in ("issues", "submissions", "replies", "refusals", "collective", "grid", "mediations", "courts"):
        digest.update(getattr(out.events, table).to_csv(float_format="%.17g").encode())
    digest.update(repr(sorted(out.outcomes.items())).encode())
print(compiled.active(), digest.hexdigest())
"""


def _run(code: str, **env: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, **env})
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def test_the_build_is_in_use():
    """`make` builds the modules; a process that imports the package runs the build of its sources."""
    assert compiled.built() is not None, "no compiled build of the sources: see what `make` printed when it built"
    assert compiled.active()
    for name in compiled.MODULES:
        assert Path(importlib.import_module(name).__file__).parent.is_relative_to(compiled.built()), name


@pytest.mark.slow
def test_compiled_and_python_give_the_same_numbers():
    """The same runs, compiled and as Python (CONFLICT_SIM_PURE=1), bit for bit."""
    compiled_run = _run(DIGEST)
    python_run = _run(DIGEST, CONFLICT_SIM_PURE="1")
    assert compiled_run.startswith("True ") and python_run.startswith("False ")
    assert compiled_run.split()[1] == python_run.split()[1]


def test_the_compiled_decisions_weigh_every_context_as_numpy_does():
    """The day's decisions in C (`_weigh_rows`, `_choice_rows`) against their NumPy form, on every open issue of
    a busy district (groups, collective events) in every context, the fields the rules test set at their edges."""
    model = PetitionModel(load("chengzhong_uncalibrated").params.replace(households_per_agent=10), rng=7)
    model.run_for(240)
    rng, day = np.random.default_rng(8), model.day
    for issue in model.open_issues.values():  # the rules' edges, at random: the model's run is over
        issue.window_until = day + int(rng.integers(-1, 2))
        issue.reviews, issue.terminated = int(rng.integers(0, 3)), bool(rng.integers(0, 2))
        issue.overdue_since = int(rng.choice([-1, day, day - 30, day - 60, day - 90]))
        issue.submissions, issue.skip_attempts, issue.replies = (int(x) for x in rng.integers(0, 2, 3))
        issue.event = "a collective event under way" if issue.group and rng.random() < 0.5 else None
        issue.strategic = bool(rng.integers(0, 2))  # a strategic stake: at least 0.6 (`Issue.stake`)
    issues = [issue for issue in model.open_issues.values() for _ in Context]
    contexts = [context for _ in model.open_issues for context in Context]
    assert len(issues) > 1000 and any(i.group and i.event for i in issues) and any(i.litigable for i in issues)
    strategic = [i.severity for i in issues if i.strategic]
    assert min(strategic) < 0.6 < max(strategic)
    expected, got = decisions.weigh(model, issues, contexts), decisions._weigh_rows(model, issues, contexts)
    for name, a, b in zip(("grievance", "voice", "weights"), expected, got, strict=True):
        assert a.dtype == b.dtype and np.array_equal(a, b), name
    draws = rng.random(len(issues))
    assert np.array_equal(decisions._choice_rows(expected[2], draws), rules.choices_of(expected[2], draws))


# The day's candidates drawn by the arrivals in every branch of their draw: the default rates (one layer, no
# thinning), an issue wave (three layers), source governance (thinned), both (two layers, thinned), at a
# coarse, the faithful and the full sample, with the groups' members and draws; as one digest.
ARRIVALS = """
import dataclasses, hashlib
import numpy as np
from conflict_sim import compiled
from conflict_sim.arrivals import Arrivals
from conflict_sim.district import District
from conflict_sim.issues import Issue
from conflict_sim.scenarios import load
from conflict_sim.streams import SeededGenerator
digest, base = hashlib.sha256(), load("chengzhong").params
fields = [field.name for field in dataclasses.fields(Issue) if field.name != "group"]
for k in (50, 4, 1):
    worlds = [
        base,
        base.replace(wave_category="land_housing", wave_day=3, wave_days=4, wave_multiplier=2.5),
        base.replace(land_housing_rate_multiplier=0.6),
        base.replace(land_housing_rate_multiplier=0.6, labour_rate_multiplier=1.7),
    ]
    for params in (world.replace(households_per_agent=k) for world in worlds):
        arrivals = Arrivals(params, District(params))
        for day in range(8):
            for issue in arrivals.draw(SeededGenerator([7, k, day]), params, day):
                assert type(issue) is Issue
                digest.update(repr([getattr(issue, name) for name in fields]).encode())  # values and types
                if issue.group is not None:
                    group = issue.group
                    for array in (group.members, group.weights, group.z, group.instigator_u):
                        digest.update(array.tobytes())
print(compiled.active(), digest.hexdigest())
"""


def _draws(generator) -> list[float]:
    """Every draw the model makes with a seeded generator, each in a branch NumPy's C functions take apart:
    small and large Poisson means, bounds under and over 2**32 (32- and 64-bit draws), one-value bounds."""
    arrays = (
        generator.random(9),
        generator.standard_normal(5),
        generator.integers(5, 17, 7),
        generator.integers(0, 2**40, 3),
        generator.integers(3, 4, 3),
        generator.integers(-4, 2**63, 2),
        generator.integers(0, 9, 0),
        generator.permutation(23),
        generator.permutation(2500),  # a neighbourhood's agents at full scale
        generator.permutation(1),
        generator.permutation(0),
    )
    scalars = (generator.poisson(3.2), generator.poisson(40.0), generator.poisson(0.0), generator.beta(2.0, 5.0))
    return [*(x for a in arrays for x in a.tolist()), *(float(x) for x in scalars), float(generator.standard_normal())]


def test_a_seeded_generator_draws_numpys_numbers():
    """`SeededGenerator` (its seed mixed and PCG64 seeded in C in the build, streams.pxd) against NumPy's
    `default_rng(SeedSequence(entropy, spawn_key=...))`, draw for draw: seeds of one to five 32-bit words, a
    list, spawn keys as the days' generators have them, 300 random seeds; its bad seeds are NumPy's."""
    from conflict_sim.streams import SeededGenerator

    rng = np.random.default_rng(11)
    seeds = [(0, ()), (1, ()), (2**32 - 1, ()), (2**32, ()), (2**63 - 1, ()), (2**128 + 5, ()), ([7, 4, 3], ())]
    seeds += [(12345, (6, 1 << 20, 17)), (2**100, (6, 1 << 20, 0)), (3, tuple(range(20))), (list(range(20)), ())]
    seeds += [(int(s), ()) for s in rng.integers(0, 2**63, 200)]
    seeds += [(int(s), (6, 1 << 20, day)) for day, s in enumerate(rng.integers(0, 2**63, 100))]
    for entropy, key in seeds:
        numpys = np.random.default_rng(np.random.SeedSequence(entropy, spawn_key=key))
        assert _draws(SeededGenerator(entropy, key)) == _draws(numpys), (entropy, key)
    for bad, error in ((-1, ValueError), ("7", TypeError), (1.5, TypeError)):
        with pytest.raises(error):
            np.random.SeedSequence(bad)
        with pytest.raises(error):
            SeededGenerator(bad)


def test_the_compiled_arrivals_draw_the_candidates_of_the_sources():
    """NumPy's C functions on the day's and the projects' generators (arrivals.pxd) give the issues and groups
    of NumPy's methods, bit for bit, in every branch of a day's draw (layers, thinning) and at any sample;
    the issues made in C (issues.pxd's `made_issue`) have every field of those made by `Issue(...)`, each
    of the same type (an enumeration's member, not its number)."""
    compiled_run, python_run = _run(ARRIVALS), _run(ARRIVALS, CONFLICT_SIM_PURE="1")
    assert compiled_run.startswith("True ") and python_run.startswith("False ")
    assert compiled_run.split()[1] == python_run.split()[1]


def test_the_compiled_decisions_sum_the_expected_choices_as_numpy_does():
    """The sums a day's decisions hand the manager at 1:K (`_expected_sums`, C) against NumPy's (`expect`'s
    column sums of `rules.probabilities_of` over the acting rows), bit for bit: batches of every size around
    NumPy's pairwise blocks (8, 128), some rows with no weight, some issues ended, some decisions silent."""
    from conflict_sim.agents.manager import EXPECTED_CHANNELS
    from conflict_sim.issues import Channel

    model = PetitionModel(load("chengzhong_uncalibrated").params.replace(households_per_agent=10), rng=7)
    model.run_for(120)
    pool = list(model.open_issues.values())
    rng = np.random.default_rng(9)
    for n in (0, 1, 7, 8, 9, 127, 128, 129, 300, 1000):
        weights = rng.random((n, len(Channel) + 1)) * rng.random((n, 1)) * 20
        weights[rng.random(weights.shape) < 0.3] = 0.0
        weights[rng.random(n) < 0.1] = 0.0  # rows with nothing feasible
        loud = rng.random(n) < 0.8
        issues = [pool[i] if rng.random() < 0.9 else _ended(pool[i]) for i in rng.integers(0, len(pool), n)]
        acting = loud & np.array([issue.is_open for issue in issues], dtype=bool)
        assert n < 8 or 0 < acting.sum() < n
        choices = rules.probabilities_of(weights[acting])[:, : len(Channel)]
        expected = {channel: float(choices[:, channel].sum()) for channel in EXPECTED_CHANNELS}
        assert decisions._expected_sums(weights, loud.view(np.uint8), issues) == expected, n


def test_the_compiled_trust_update_of_a_group_is_numpys():
    """A group's trust update (`update_trust` with members, C in the build) against NumPy's steps (the
    sources' `rules.legitimacy_update`, `set_locals`, the mean change diffused), bit for bit on two copies of
    a district, with replies that push members past 0 and past 1 (NumPy's clip)."""
    from conflict_sim.agents import residents

    params = load("chengzhong").params.replace(households_per_agent=10)
    ours, numpys = PetitionModel(params, rng=3), PetitionModel(params, rng=3)
    ours.run_for(30)
    numpys.run_for(30)
    rng, p = np.random.default_rng(4), params
    for justice, outcome, expected in ((1.0, 1.0, 0.0), (0.0, 0.0, 1.0), (0.6, 0.0, 0.4), (0.3, 1.0, 0.9)):
        members = rng.choice(params.agents, size=int(rng.integers(1, 300)), replace=False).astype(np.int64)
        edges = rng.choice([0.0, 0.001, 0.999, 1.0], size=len(members) // 2)  # where the clip bites
        for model in (ours, numpys):
            model.households.set_locals(members[: len(edges)], edges)
        residents.update_trust(ours, int(members[0]), justice, outcome, expected, members)
        hh = numpys.households
        before = hh.legitimacy_local[members]
        after = rules.legitimacy_update(
            before, justice, outcome, expected, eta_pi=p.legitimacy_step_procedural, eta_o=p.legitimacy_step_outcome
        )
        hh.set_locals(members, after)
        hh.diffuse(int(members[0]), float((after - before).mean()), p.legitimacy_diffusion)
        assert np.array_equal(ours.households.legitimacy_local, hh.legitimacy_local), (justice, outcome)
        assert ours.daily_row() == numpys.daily_row()
    assert np.any(ours.households.legitimacy_local == 0.0) and np.any(ours.households.legitimacy_local == 1.0)


def _ended(issue):
    """A copy of `issue` in a terminal state."""
    import copy

    from conflict_sim.issues import IssueState

    done = copy.copy(issue)
    done.state = IssueState.CLOSED
    return done


RENAMED = "[n if n != names[1] else n + '_renamed' for n in names]"
MISLAID = """
import importlib
module = importlib.import_module("{where}")
names = sorted(getattr(module, "{name}").__slots__)
setattr(module, "{name}", type("{name}", (), {{"__slots__": tuple({change})}}))  # a slotted class laid out otherwise
try:
    import conflict_sim.arrivals  # the lightest compiled module that checks the layouts
except (ImportError, ValueError) as error:
    print("refused:", error)
"""


@pytest.mark.parametrize(
    ("where", "name", "change"),
    [
        *((module, cls, change) for module, cls, _ in layouts.CLASSES for change in ("[*names, 'added']", RENAMED)),
        ("conflict_sim.issues", "Issue", "names[:-1]"),
    ],
)
def test_the_compiled_modules_refuse_a_class_laid_out_otherwise(where, name, change):
    """The compiled modules read the fields of the classes of `layouts.CLASSES` at their offsets, declared by
    the build from the classes as they were, and check the classes' layouts when imported: a class changed
    or replaced since (a field added, renamed or removed) fails the import, instead of reading the wrong
    memory (a class smaller than declared is refused by Cython's own check of the size, before
    `check_layouts`). The true classes pass the same check in every other test."""
    out = _run(MISLAID.format(where=where, name=name, change=change))
    ours = f"refused: {where}.{name} is not laid out as the compiled build of the model declares it"
    cythons = f"refused: {where}.{name} size changed"
    assert out.startswith(cythons if change == "names[:-1]" else ours), out


def test_every_module_that_reads_slotted_fields_checks_the_layouts():
    """Every compiled module whose declarations use the layouts (layouts.py) checks them when imported, and
    every class declared has its module's sources in the build's key."""
    for name in compiled.MODULES:
        declarations = compiled.source(name, ".pxd").read_text()
        if "conflict_sim.layouts cimport" in declarations or "conflict_sim.issues cimport" in declarations:
            code = compiled.source(name, ".py").read_text()
            assert "if cython.compiled:" in code and "    check_layouts()" in code, name
    assert {module for module, _, _ in layouts.CLASSES} <= set(compiled.DECLARED + compiled.MODULES)


def test_a_case_opened_in_c_is_the_dataclasss_case():
    """`books.open_case` (made in C in the build, cases.pxd) gives a case of `Case`'s class with every field
    as `Case(issue, channel, kind, day)` sets it, each of the same type, and no field shared with another case
    but the ones given."""
    import dataclasses

    from conflict_sim import books
    from conflict_sim.cases import Case, CaseKind
    from conflict_sim.issues import Channel, Issue, Level

    assert compiled.active() and books.__file__.endswith(compiled.SUFFIX)
    issue = Issue(-1, 0, 0, 0.5, 1.0, Level.COMMUNITY, False, False, 0)
    for channel, kind, day in ((Channel.LETTER, CaseKind.INITIAL, 0), (Channel.HOTLINE, CaseKind.HOTLINE, 412)):
        made, expected = books.open_case(issue, channel, kind, day), Case(issue, channel, kind, day)
        assert type(made) is Case
        for field in dataclasses.fields(Case):
            ours, theirs = getattr(made, field.name), getattr(expected, field.name)
            assert ours == theirs and type(ours) is type(theirs), field.name
        made.accepted, made.priority = 5, True  # a field set on one case is not set on the next
        assert books.open_case(issue, channel, kind, day).accepted == -1


def test_a_made_issue_row_reads_each_column_of_the_issue():
    """`issue_row` (its fields read at their offsets, compiled) holds each of `ISSUE_COLUMNS` as the issue has it."""
    from conflict_sim.events import ISSUE_COLUMNS, issue_row

    model = PetitionModel(load("chengzhong_uncalibrated").params.replace(households_per_agent=10), rng=7)
    model.run_for(60)
    issues = list(model.open_issues.values())
    assert any(i.group is not None for i in issues) and any(i.replies for i in issues)
    for issue in issues:
        columns = {"issue": issue.uid, "group_people": 0 if issue.group is None else issue.group.size_people}
        assert issue_row(issue) == tuple(columns.get(c, getattr(issue, c, None)) for c in ISSUE_COLUMNS)


@pytest.mark.parametrize("edited", ["households.py", "households.pxd", "issues.py", "layouts.py", "state.py"])
def test_an_edited_source_is_not_run_compiled(tmp_path, monkeypatch, edited):
    """A source or declaration changed since the build has another key: the build is not used."""
    copy = tmp_path / "conflict_sim"
    shutil.copytree(compiled.ROOT / "conflict_sim", copy, ignore=shutil.ignore_patterns("_compiled", "__pycache__"))
    monkeypatch.setattr(compiled, "ROOT", tmp_path)
    monkeypatch.setattr(compiled, "BUILDS", copy / "_compiled")
    before = compiled.key()
    (compiled.BUILDS / before).mkdir(parents=True)
    for name in compiled.MODULES:  # a stand-in build of these sources
        compiled.library(compiled.BUILDS / before, name).parent.mkdir(parents=True, exist_ok=True)
        compiled.library(compiled.BUILDS / before, name).touch()
    assert compiled.built() == compiled.BUILDS / before
    (copy / edited).write_text((copy / edited).read_text() + "\n# an edit\n")
    assert compiled.key() != before
    assert compiled.built() is None


def test_pure_runs_the_sources():
    """CONFLICT_SIM_PURE=1: the sources run whatever is built."""
    code = "import conflict_sim.households as h, conflict_sim.compiled as c; print(c.active(), h.__file__)"
    active, path = _run(code, CONFLICT_SIM_PURE="1").split()
    assert active == "False" and path.endswith("households.py")
