"""The fast paths of the kernel give exactly what the array formulas they replace give (bit for bit).

Each optimisation of docs/performance.md that swapped a NumPy formula for plain floats, a batch or a
different storage is checked here against the formula it replaced, on random inputs with the awkward
cases (duplicate ties, clamping at 0 and 1, float32 counts) included. The whole-run check is
tests/test_golden.py and the reference comparison described in docs/performance.md.
"""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pandas as pd
import pytest

from conflict_sim import rules
from conflict_sim.agents import residents
from conflict_sim.agents.residents import Resident
from conflict_sim.cases import CaseKind
from conflict_sim.channels import ChannelTable
from conflict_sim.events import ROWS_START, SCHEMA, EventLog, Rows
from conflict_sim.households import Households, district_sums
from conflict_sim.issues import Channel
from conflict_sim.model import PetitionModel, paused_cyclic_gc
from conflict_sim.queues import SMOOTHING_DAYS, FluidServer
from conflict_sim.streams import SeededGenerator, Stream


@pytest.fixture(scope="module")
def households(tiny) -> Households:
    grid_of = np.arange(tiny.agents) // 25  # grids of 25 agents
    return Households(tiny, Stream(np.random.default_rng(3)), grid_of)


def _fresh(hh: Households, seed: int) -> None:
    rng = np.random.default_rng(seed)
    hh.restore(local=rng.uniform(-0.05, 1.05, hh.n).clip(0, 1), centre=rng.uniform(0, 1, hh.n))
    hh.successes[:] = rng.uniform(0, 5, hh.successes.shape).astype(np.float32)
    hh.failures[:] = rng.uniform(0, 5, hh.failures.shape).astype(np.float32)
    hh.ties[:3, :2] = hh.ties[:3, 2:4]  # duplicate ties, as rewiring can make


def test_word_of_mouth_equals_the_clipped_fancy_assignment(households):
    """`diffuse` moves each tie once and clamps to [0, 1], as `array[ties] = clip(array[ties] + d)` did."""
    hh = households
    for seed in range(20):
        _fresh(hh, seed)
        household, change = seed % 3, (-1) ** seed * 0.3 * (seed + 1)
        expected = hh.legitimacy_local.copy()
        ties = hh.ties[household]
        expected[ties] = np.clip(expected[ties] + 0.4 * change, 0.0, 1.0)
        hh.diffuse(household, change, 0.4)
        assert np.array_equal(hh.legitimacy_local, expected)


def test_one_households_trust_shift_equals_the_array_version(households):
    hh = households
    for seed, change in enumerate((0.3, -0.7, 1e-17, -2.0, 2.0)):
        _fresh(hh, seed)
        expected = hh.legitimacy_center.copy()
        expected[[7]] = np.clip(expected[[7]] + change, 0.0, 1.0)
        hh.shift_trust(7, change, centre=True)
        assert np.array_equal(hh.legitimacy_center, expected)


def test_one_households_hostility_equals_the_array_version(households):
    """Venting and adding hostility for one household (plain floats) give the numbers of NumPy's scalars, as before.

    (NumPy's array `power` may differ from `pow` in the last bit, so the reference is the scalar path.)
    """
    hh, rng = households, np.random.default_rng(5)
    hh.hostility[:] = rng.exponential(1.0, hh.n)
    hh.hostility_day[:] = rng.integers(0, 400, hh.n)
    for household in range(hh.n):
        day, half_life, share = int(rng.integers(400, 800)), float(rng.uniform(10, 400)), float(rng.uniform())
        expected = hh.hostility_on(household, day, half_life) * (1.0 - share)
        hh.vent(household, share, day, half_life)
        assert hh.hostility[household] == expected and hh.hostility_day[household] == day
        expected = hh.hostility_on(household, day + 9, half_life) + 0.21
        hh.add_hostility(household, 0.21, day + 9, half_life)
        assert hh.hostility[household] == expected and hh.hostility_day[household] == day + 9


def test_social_learning_equals_add_at_in_float32(households):
    """Each tie, as often as it is listed, gains the float32 sum `np.add.at` would give."""
    hh = households
    for seed in range(20):
        _fresh(hh, seed)
        amount = np.random.default_rng(seed).uniform(0, 3)
        expected = hh.failures.copy()
        expected[seed % 3, 4] += 0.7
        np.add.at(expected[:, 4], hh.ties[seed % 3], amount)
        hh.learn(seed % 3, 4, False, 0.7, amount)
        assert np.array_equal(hh.failures, expected)


def _numpy_figures(hh: Households, gap: float, weight: float) -> tuple:
    """The daily row's district-wide figures by NumPy over every household (the formulas before the kept sums)."""
    sev, local, centre = hh.open_severity, hh.legitimacy_local, hh.legitimacy_center
    stock = sev * (1.0 - local) + weight * hh.deprivation() * (sev > 0)
    share = np.count_nonzero(centre > local + gap) / hh.n
    return local.mean(), centre.mean(), share, float(stock.sum()), float(hh.latent_grievance.sum())


def test_district_figures_equal_numpy_means_sums_and_the_count(households, tiny):
    hh = households
    rng = np.random.default_rng(5)
    for gap in (0.0, 0.05, 0.2):
        _fresh(hh, int(rng.integers(100)))
        centre = hh.legitimacy_center.copy()
        centre[::7] = hh.legitimacy_local[::7] + gap  # ties: not more by more than the gap
        hh.restore(
            centre=centre,
            open_severity=np.where(rng.random(hh.n) < 0.1, rng.random(hh.n), 0.0),
            latent_grievance=np.where(rng.random(hh.n) < 0.05, rng.random(hh.n), 0.0),
        )
        hh.set_expectation(rng.uniform(0.8, 1.5, hh.n))
        weight = tiny.deprivation_weight
        assert hh.district_figures(gap, weight) == _numpy_figures(hh, gap, weight)
    hh.restore(open_severity=np.zeros(hh.n), latent_grievance=np.zeros(hh.n))


def test_kept_sums_follow_every_change_of_the_households(households, tiny):
    """The blocks' kept sums (`district_figures`) after each kind of change, one at a time and mixed: NumPy's
    figures over every household each time, bit for bit (a change that did not mark its block would differ)."""
    hh, rng, weight = households, np.random.default_rng(8), tiny.deprivation_weight
    _fresh(hh, 8)
    changes = [
        lambda who: hh.shift_trust(who, rng.normal(0, 0.2), centre=bool(who % 2)),
        lambda who: hh.set_local(who, rng.random()),
        lambda who: hh.diffuse(who, rng.normal(0, 0.3), 0.5, centre=bool(who % 3)),
        lambda who: hh.set_locals(np.array([who, (who * 7) % hh.n]), rng.random(2)),
        lambda who: hh.set_open_severity(who, rng.random() if rng.random() < 0.7 else 0.0),
        lambda who: hh.set_latent(who, rng.random()),
        lambda who: hh.add_latent(who, rng.random()),
        lambda who: hh.shift_trust(np.array([who, (who + 300) % hh.n]), -0.1),
        lambda who: hh.relax_trust(30, 180),
        lambda who: hh.legitimacy_shock(0.01),
        lambda who: hh.update_expectations(0.1),
    ]
    for step in range(600):
        kind = int(rng.integers(len(changes))) if step >= 2 * len(changes) else step % len(changes)
        if kind >= len(changes) - 3 and rng.random() < 0.8:  # the district-wide ones, more rarely
            continue
        changes[kind](int(rng.integers(hh.n)))
        if step % 3 == 0:
            gap = (0.05, 0.1)[step % 2]
            assert hh.district_figures(gap, weight) == _numpy_figures(hh, gap, weight), f"step {step}, change {kind}"
    hh.restore(open_severity=np.zeros(hh.n), latent_grievance=np.zeros(hh.n))


def test_the_households_arrays_change_only_through_their_methods(households):
    """The arrays the kept sums cover are read-only outside `Households`: a direct write fails, loudly."""
    for name in ("legitimacy_local", "legitimacy_center", "open_severity", "latent_grievance"):
        with pytest.raises(ValueError, match="read-only"):
            getattr(households, name)[0] = 0.5


def test_one_households_flags_and_ties_are_those_of_its_arrays(households):
    """`settle`, `note_channel` and `ties_of` (typed views, compiled) write and read the arrays' own rows:
    the settled flag, the last channel and its day, each tie as often as listed (duplicates included)."""
    _fresh(households, 11)
    hh, who = households, 2
    before = (hh.settled.copy(), hh.last_channel.copy(), hh.last_channel_day.copy())
    hh.settle(who)
    hh.note_channel(who, Channel.SKIP_NATIONAL, 4_321)
    assert hh.settled[who] and hh.last_channel[who] == Channel.SKIP_NATIONAL and hh.last_channel_day[who] == 4_321
    others = np.arange(hh.n) != who
    for after, old in zip((hh.settled, hh.last_channel, hh.last_channel_day), before, strict=True):
        assert np.array_equal(after[others], old[others])
        after[:] = old  # the module's households as they were
    for h in range(5):
        assert hh.ties_of(h) == hh.ties[h].tolist()
    assert len(set(hh.ties_of(0))) < len(hh.ties_of(0))  # `_fresh` listed a tie twice


@pytest.mark.parametrize("n", [*range(0, 140), 255, 256, 257, 1023, 1025, 8191, 8192, 8193, 31089, 124356])
def test_the_compiled_sums_equal_numpy_pairwise_sums_at_every_length(n):
    """`district_sums` reproduces `np.add.reduce` (pairwise, in blocks of 128) bit for bit.

    Values over 16 orders of magnitude, so that any other order of the additions rounds differently.
    """
    rng = np.random.default_rng(n)
    scale = rng.choice([1e-8, 1.0, 1e8], n)
    local, centre, deprivation = rng.random(n) * scale, rng.random(n) * scale, rng.random(n)
    centre[::5] = local[::5] + 0.05
    severity = np.where(rng.random(n) < 0.3, rng.random(n) * scale, 0.0)
    latent = np.where(rng.random(n) < 0.2, rng.random(n) * scale, 0.0)
    terms = np.zeros(n)
    aggrieved = severity > 0
    terms[aggrieved] = severity[aggrieved] * (1.0 - local[aggrieved]) + 0.7 * deprivation[aggrieved]
    assert district_sums(local, centre, severity, deprivation, latent, 0.05, 0.7) == (
        float(np.add.reduce(local)),
        float(np.add.reduce(centre)),
        int(np.count_nonzero(centre > local + 0.05)),
        float(np.add.reduce(terms)),
        float(np.add.reduce(latent)),
    )


def test_hostility_mean_over_the_holders_equals_the_mean_over_everyone(households):
    hh = households
    rng = np.random.default_rng(10)
    kept = hh.hostility.copy(), hh.hostility_day.copy()
    for day in (0, 40, 400):
        hh.hostility[:] = np.where(rng.random(hh.n) < 0.05, rng.uniform(0, 3, hh.n), 0.0)
        hh.hostility_day[:] = rng.integers(0, day + 1, hh.n)
        expected = float(hh.hostility_on(slice(None), day, 90.0).mean())
        assert hh.hostility_mean(day, 90.0) == expected
    hh.hostility[:], hh.hostility_day[:] = kept  # the module's households, as the other tests found them


def test_trust_relaxes_in_place_as_the_array_formula(households):
    hh = households
    _fresh(hh, 9)
    local, centre = hh.legitimacy_local, hh.legitimacy_center
    expected = [b + (t - b) * 0.5 ** (30 / 45.0) for t, b in ((local, hh.baseline_local), (centre, hh.baseline_center))]
    hh.relax_trust(30, 45.0)
    assert hh.legitimacy_local is local and hh.legitimacy_center is centre
    assert np.array_equal(local, expected[0]) and np.array_equal(centre, expected[1])
    assert hh.local(7) == local[7] and hh.center(7) == centre[7]  # the compiled views see the same memory


def test_kept_deprivation_equals_the_formula_after_expectations_move(households):
    """The deprivation kept for each household is Gurr's formula on today's expectations, bit for bit;
    expectations change only through `set_expectation` (a direct write fails), so it cannot go stale."""
    hh = households
    rng = np.random.default_rng(8)
    for _ in range(3):
        hh.peer_payout_sum[:] = rng.uniform(0, 3, hh.n)
        hh.peer_payout_count[:] = rng.integers(0, 3, hh.n)
        seen = hh.peer_payout_count > 0
        peers = np.ones(hh.n)
        peers[seen] = hh.peer_payout_sum[seen] / hh.peer_payout_count[seen]
        moved = hh.expectation + 0.3 * (np.maximum(1.0, peers) - hh.expectation)
        hh.update_expectations(0.3)
        assert np.array_equal(hh.expectation, moved)
        expected = rules.relative_deprivation(hh.expectation, 1.0 - hh.hardship)
        assert np.array_equal(hh.deprivation(), expected)
        who = rng.integers(0, hh.n, 50)
        assert np.array_equal(hh.deprivation(who), expected[who])
        assert hh.deprivation_mean == float(expected.mean()) and hh.expectation_mean == float(hh.expectation.mean())
    assert hh.expectation.max() > 1.0  # the payouts seen moved them
    with pytest.raises(ValueError, match="read-only"):
        hh.expectation[0] = 2.0


def test_one_households_belief_equals_the_row_of_the_batched_beliefs(tiny):
    """`residents.belief` (floats, float32 denominator) equals the batched `rules.belief_mean` over priors."""
    model = PetitionModel(tiny, rng=4)
    _fresh(model.households, 4)
    hh, table = model.households, ChannelTable(tiny)
    who = np.arange(40)
    batched = rules.belief_mean(
        hh.successes[who],
        hh.failures[who],
        table.priors(hh.legitimacy_local[who], hh.legitimacy_center[who]),
        tiny.belief_prior_strength,
    )
    for h in who.tolist():
        for channel in Channel:
            assert residents.belief(model, h, channel) == batched[h, channel]


def test_residents_registered_in_one_go_are_ordinary_mesa_agents(tiny):
    model = PetitionModel(tiny, rng=1)
    made = model.agents_by_type[Resident]
    assert list(made) == model.residents and len(made) == tiny.agents
    assert [r.index for r in model.residents] == list(range(tiny.agents))
    ids = [r.unique_id for r in model.residents]
    assert ids == list(range(ids[0], ids[0] + tiny.agents)) and len(
        set(ids) | {a.unique_id for a in model.agents}
    ) == len(model.agents)
    assert all(r.model is model and r.pos is None for r in model.residents)
    later = Resident(model, tiny.agents)  # the next agent made the ordinary way follows on
    assert later.unique_id > max(ids) and later in model.agents_by_type[Resident]


def test_event_log_tables_equal_frames_built_from_rows():
    """Columns in typed arrays give the frames a list of row tuples gave, empty tables included."""
    log = EventLog()
    rows = {
        "submissions": [(3, 0, 4, False, False, 1.0, True), (5, 1, 13, True, True, 2.5, False)],
        "replies": [(9, 0, 1, 0, True, False, True, 0.55, False)],
        "evaluations": [(30, -1.25, 0.4, False), (60, -100.0, 0.5, True)],
        "collective": [(2, 10, 14, 3, 17.0, 40.5, True, False, 1, 2, 0)],
    }
    for table, table_rows in rows.items():
        for row in table_rows:
            log.add(table, tuple(row))
    tables = log.tables()
    for table, columns in SCHEMA.items():
        expected = pd.DataFrame(rows.get(table, []), columns=list(columns))
        pd.testing.assert_frame_equal(getattr(tables, table), expected, check_exact=True)
    assert log.count("submissions") == 2 and list(log.column("evaluations", "veto")) == [0, 1]


def test_event_rows_read_back_the_numbers_logged_across_growth():
    """A table's buffers (integer and flag columns as 4-byte integers, float columns as doubles) give back
    every logged value as the double it was, by row and by column, after growing several times."""
    storage = "qdbqdb"
    rows = [
        (day, 0.1 * day, day % 3 == 0, -day, np.float32(0.3), np.bool_(day % 2))
        for day in range(3 * ROWS_START)  # several growths from the first buffers
    ]
    table = Rows(storage)
    for row in rows:
        table.append(row)
    expected = np.array([[float(value) for value in row] for row in rows])
    assert len(table) == len(rows)
    assert np.array_equal(table.matrix(), expected)
    assert np.array_equal(table.matrix(len(rows) - 5), expected[-5:])
    assert all(np.array_equal(table.column(j), expected[:, j]) for j in range(len(storage)))
    assert table.matrix(len(rows)).shape == (0, len(storage))


def test_the_collector_is_paused_inside_and_restored_after():
    assert gc.isenabled()
    with paused_cyclic_gc():
        assert not gc.isenabled()
        with paused_cyclic_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_released_model_frees_its_household_agents_without_the_cyclic_collector(tiny):
    """After `release` the residents (most of a model's objects) go at once; before it, cycles keep them."""
    for release in (False, True):
        with paused_cyclic_gc():
            model = PetitionModel(tiny, rng=1)
            model.run_for(30)
            residents = [weakref.ref(agent) for agent in model.residents[:50]]
            if release:
                model.release()
            del model
            alive = sum(ref() is not None for ref in residents)
        gc.collect()
        assert alive == (0 if release else 50)


def _lifelines_incidence(durations: np.ndarray, outcome: np.ndarray) -> pd.Series:
    """The catalogue's incidence as it was computed with lifelines' AalenJohansenFitter (until 4 December 2026)."""
    import warnings

    from lifelines import AalenJohansenFitter

    if len(durations) == 0 or not (outcome == 1).any():
        return pd.Series(dtype=float)
    t = durations + np.where(outcome == 1, -0.25, np.where(outcome == 2, 0.25, 0.49)) + 0.5
    fitter = AalenJohansenFitter(calculate_variance=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitter.fit(t, outcome, event_of_interest=1)
    cif = fitter.cumulative_density_.iloc[:, 0]
    cif = cif.groupby(np.floor(cif.index.to_numpy())).max()
    return cif.reindex(np.arange(int(durations.max()) + 1), method="ffill").fillna(0.0)


def test_the_aalen_johansen_incidence_equals_lifelines_bit_for_bit():
    """Random cohorts of 1 to 5,000 issues with every mix of endings, and the awkward cases: all resolved on
    one day, everyone ending at once (survival reaching 0), day 0, nothing resolved, nothing at all."""
    from conflict_sim.catalogue import cumulative_incidence

    rng = np.random.default_rng(2026)
    cases = [
        (np.array([0.0, 0.0, 5.0]), np.array([1, 1, 0])),
        (np.array([3.0, 3.0, 3.0]), np.array([1, 2, 0])),
        (np.array([3.0, 3.0]), np.array([1, 1])),
        (np.array([2.0, 7.0]), np.array([2, 0])),
        (np.array([], dtype=float), np.array([], dtype=int)),
    ]
    for n in (1, 2, 3, 10, 200, 5000):
        for _ in range(10):
            cases.append(
                (rng.integers(0, rng.integers(1, 400), n).astype(float), rng.choice(3, n, p=rng.dirichlet([1] * 3)))
            )
    for durations, outcome in cases:
        expected, found = _lifelines_incidence(durations, outcome), cumulative_incidence(durations, outcome)
        assert np.array_equal(found.index.to_numpy(), expected.index.to_numpy())
        assert np.array_equal(found.to_numpy(), expected.to_numpy()), (durations, outcome)


def test_engine_workers_freeze_their_imports_once_and_this_process_never():
    """A worker moves what its imports left out of the collector's reach after its first batch; the user's
    process (here, the test's) is never frozen, whatever runs in it."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from conflict_sim import batches

    before = gc.get_freeze_count()
    batches._freeze_imports()
    assert gc.get_freeze_count() == before
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        start = pool.submit(gc.get_freeze_count).result()  # the interpreter's own start-up may freeze a few
        pool.submit(batches._freeze_imports).result()
        frozen = pool.submit(gc.get_freeze_count).result()
        pool.submit(batches._freeze_imports).result()
        assert frozen > start + 10_000 and pool.submit(gc.get_freeze_count).result() == frozen


class _MaxServer(FluidServer):
    """The fluid server's daily step as it was written first, with `max` (the reference)."""

    def _advance(self, day: int) -> None:
        for _ in range(max(0, day - self._day)):
            self.rate += (1.0 / SMOOTHING_DAYS) * (self._inflow_today - self.rate)
            self.backlog = max(0.0, self.backlog + self.rate - self.capacity)
            self._inflow_today = 0.0
        self._day = max(self._day, day)


def test_the_fluid_servers_clamp_equals_max():
    """The backlog's daily step clamps at zero with a comparison and gives the numbers `max` gave."""
    rng = np.random.default_rng(8)
    backlogs = []
    for capacity in (0.7, 1.4, 3.0):  # about 1.4 real cases arrive a day: behind, at capacity, ahead
        fast, reference = FluidServer(capacity), _MaxServer(capacity)
        day = 0
        for _ in range(2000):
            day += int(rng.choice([0, 1, 1, 2, 9]))
            cases = float(rng.choice([0.0, 1.0, 4.0, 10.0]))
            assert fast.book(day, cases) == reference.book(day, cases)
            assert (fast.rate, fast.backlog) == (reference.rate, reference.backlog)
            backlogs.append(reference.backlog)
    assert 0.0 in backlogs and max(backlogs) > 10  # clamped at zero, and a backlog that grew


def test_the_instability_index_follows_changed_capacities(tiny):
    """The index keeps its capacity sums only while the parameters stay: a policy that adds staff counts."""

    def from_scratch(model: PetitionModel) -> float:
        p = model.params
        quality = min(1.0, max(0.0, p.office_quality + model.manager.quality_shift()))
        offices = sum(o.capacity for o in model.all_offices)
        mediation = sum(m.capacity for m in model.mediation_committees)
        return model._submission_rate / (offices * quality + mediation * p.mediation_success)

    model = PetitionModel(tiny, rng=4)
    model.run_for(30)
    before = model.instability_index()
    assert before == from_scratch(model) > 0
    model.update_params(subdistrict_staff=3 * tiny.subdistrict_staff, mediators_per_community=2.0)
    assert model.instability_index() == from_scratch(model) < before


def test_offices_and_grid_workers_follow_changed_parameters(tiny):
    """An office's capacity and limits, and a grid worker's visit chance, are kept only while the parameters stay."""
    model = PetitionModel(tiny, rng=4)
    model.run_for(10)
    office, worker = model.subdistrict_offices[0], model.grid_workers[0]
    before = (office.capacity, office.terms().handling[CaseKind.INITIAL], worker.visit_chance())
    model.update_params(
        subdistrict_staff=2 * tiny.subdistrict_staff,
        handle_limit_days=30,
        clock_mode="working",
        grid_visits_per_month=tiny.grid_visits_per_month / 2,
    )
    p = model.params
    staff_days = 2 * tiny.subdistrict_staff * p.cases_per_staff_day * p.working_days_per_week / 7.0
    assert office.capacity == staff_days == 2 * before[0]
    assert office.terms().handling[CaseKind.INITIAL] == round(30 * 7 / p.working_days_per_week) != before[1]
    assert worker.visit_chance() < before[2]


def test_arrivals_with_rates_kept_equal_those_worked_out_each_day(tiny):
    """The day's rates are kept while the parameters and the wave stay, and a draw skips the thinning
    comparison when no rate is below its base: the issues are those of rates worked out afresh each day
    and every candidate thinned, with and without a wave (three layers) and source governance."""
    from conflict_sim.arrivals import Arrivals
    from conflict_sim.events import issue_row

    district = PetitionModel(tiny, rng=1).district
    worlds = [
        tiny,
        tiny.replace(wave_category="land_housing", wave_day=3, wave_days=4, wave_multiplier=2.5),
        tiny.replace(land_housing_rate_multiplier=0.6),  # one layer, thinned
        tiny.replace(land_housing_rate_multiplier=0.6, labour_rate_multiplier=1.7),  # two layers
    ]
    assert Arrivals(tiny, district)._rates(tiny, 0).keeps_all  # the default district takes the short path

    class Thinned(Arrivals):
        """Rates worked out afresh each day, with every candidate thinned."""

        def _rates(self, params, day):
            return Arrivals(params, district)._rates(params, day)._replace(keeps_all=False)

    for params in worlds:
        kept = Arrivals(params, district)
        for day in range(10):
            fresh = Thinned(params, district)
            got = kept.draw(SeededGenerator([7, day]), params, day)
            expected = fresh.draw(SeededGenerator([7, day]), params, day)
            assert [issue_row(i) for i in got] == [issue_row(i) for i in expected]
            assert [i.group.members.tolist() for i in got if i.group] == [
                i.group.members.tolist() for i in expected if i.group
            ]
        assert kept._cached_rates is not None and kept._cached_rates[0] is params


def _pandas_totals(when: np.ndarray, values: np.ndarray, days: pd.Index) -> np.ndarray:
    """`_ByDay.total` as it was computed for every column (until 5 December 2026): pandas' grouped sum."""
    per_day = pd.Series(values).groupby(when).sum()
    return per_day.reindex(days, fill_value=0).cumsum().to_numpy(dtype=float)


def test_whole_number_totals_by_day_equal_pandas_compensated_sums():
    """Whole numbers summed by day with `bincount` give pandas' compensated grouped sums bit for bit (they add
    exactly in any order); fractional values (people at coarse samples, buy-off amounts) keep pandas' sum."""
    from conflict_sim.catalogue import _ByDay

    rng = np.random.default_rng(5)
    days = pd.RangeIndex(1, 401)
    for n in (1, 7, 300, 20_000):
        when = np.sort(rng.integers(0, 430, n))  # rows before the first and after the last day of the series
        for values in (
            rng.integers(1, 60, n).astype(float),
            rng.integers(0, 2**40, n).astype(float),
            rng.integers(1, 60, n) * rng.choice([1.0, 0.25, 1 / 3], n),
            rng.gamma(2.0, 3.0, n),
        ):
            frame = pd.DataFrame({"day": when, "people": values})
            found = _ByDay(frame, days).total("people")
            assert np.array_equal(found, _pandas_totals(when, values, days))
            keep = rng.random(n) < 0.5
            found = _ByDay(frame, days).total("people", keep)
            assert np.array_equal(found, _pandas_totals(when[keep], values[keep], days))


def _pandas_voice_after_blocked(r) -> float:
    """The outcome as it was computed with pandas frames (until 5 December 2026)."""
    from conflict_sim.cases import Refusal
    from conflict_sim.catalogue import AFTER_BLOCKED_DAYS

    def _households(r, rows: pd.DataFrame) -> pd.DataFrame:
        return rows.assign(household=r.household_of_issue.reindex(rows["issue"]).to_numpy())

    refusals = r.rows("refusals")
    refusals = refusals[(refusals["reason"] != Refusal.LITIGABLE) & ~refusals["copy"].astype(bool)]
    skips, acts, courts = r.rows("skips"), r.rows("nonnormal"), r.rows("courts")
    blocked = pd.concat(
        [
            refusals[["day", "issue"]],
            skips.loc[skips["intercepted"].astype(bool), ["day", "issue"]],
            acts.loc[acts["arrested"].astype(bool), ["day", "issue"]],
            courts.loc[~courts["accepted"].astype(bool), ["day", "issue"]],
        ]
    )
    blocked = blocked[blocked["day"] <= r.window.end - AFTER_BLOCKED_DAYS]
    first = _households(r, blocked).groupby("household")["day"].min()
    if first.empty:
        return float("nan")
    subs = r.events.submissions
    subs = _households(r, subs[~subs["copy"].astype(bool)])
    subs = subs[subs["household"].isin(first.index)]
    since = subs["day"].to_numpy() - first.reindex(subs["household"]).to_numpy()
    return float(((since > 0) & (since <= AFTER_BLOCKED_DAYS)).sum()) / len(first)


def test_voice_after_blocked_equals_the_pandas_formulation():
    """The outcome from NumPy columns equals the pandas one, over windows that hold many, few and no blocked days."""
    from conflict_sim.catalogue import Record, Window, _voice_after_blocked
    from conflict_sim.run import simulate
    from conflict_sim.scenarios import load

    for name, seed in (("chengzhong_uncalibrated", 1), ("repressive", 2), ("tiny", 3)):
        params = load(name).params.replace(households_per_agent=20)
        out = simulate(params, seed=seed, days=400)
        for window in (Window(101, 400), Window(1, 400), Window(300, 400), Window(395, 400)):
            record = Record(out.events, out.daily, params, window)
            expected, found = _pandas_voice_after_blocked(record), _voice_after_blocked(record)
            assert found == expected or (np.isnan(found) and np.isnan(expected)), (name, window)
