"""The households' state as arrays: traits, trust, expectations, beliefs and social ties.

Most households are quiet most days, so their state lives in NumPy arrays indexed by household agent,
read and written only when something happens to them. The daily row's district-wide figures (mean
trust, grievance stock) are NumPy's sums over every household, kept block by block and taken again
for the blocks whose households changed (`district_figures`). Each agent stands for
`households_per_agent` real households; its ties are to other sampled households, so the share of a
household's ties that did something is the same at any sample.
"""

from __future__ import annotations

from typing import NamedTuple

import cython
import numpy as np

from conflict_sim import rules
from conflict_sim.issues import CHANNEL_NAMES
from conflict_sim.params import Params
from conflict_sim.streams import Stream


def _beta(rng: np.random.Generator, mean: float, sd: float, n: int) -> np.ndarray:
    """Beta draws with a given mean and standard deviation (moment matching)."""
    var = min(sd**2, mean * (1 - mean) * 0.99)
    common = mean * (1 - mean) / var - 1
    return rng.beta(mean * common, (1 - mean) * common, n)


IMITATION_DAYS = 30  # imitation looks at the channels ties used in the last month


class DistrictFigures(NamedTuple):
    """The daily row's figures over every household (`Households.district_figures`)."""

    legitimacy_local: float  # mean
    legitimacy_center: float  # mean
    hierarchical_share: float  # share trusting the centre more than local officials by more than the gap
    grievance_stock: float  # agent units
    latent_grievance: float  # agent units


@cython.cclass
class Households:
    """Structure of arrays for every household agent; row i belongs to agent i (C types: households.pxd).

    Trust has a steady state: between contacts, local legitimacy and trust in the centre relax toward
    each household's own baseline (its initial disposition) with `trust_half_life_days`, so that under
    a constant policy they settle where contacts and relaxation balance, and a policy change moves them
    to a new level (experience fades; Tyler's legitimacy as a running judgement of recent contacts).
    """

    def __init__(self, params: Params, stream: Stream, grid_of: np.ndarray) -> None:
        n = params.agents
        self.n = n
        # each trait from its own child stream, so that a parameter of one trait cannot shift another
        rng = [np.random.default_rng(s) for s in np.random.SeedSequence(stream.generator.integers(2**63)).spawn(6)]
        self.hardship = rng[0].uniform(0, 1, n)  # Epstein H ~ U(0,1)
        self.risk_aversion = rng[1].uniform(0, 1, n)  # Epstein R ~ U(0,1)
        local = _beta(rng[2], params.legitimacy_mean, params.legitimacy_sd, n)
        hierarchical = rng[3].uniform(0, 1, n) < params.hierarchical_trust_share
        gap = rng[3].uniform(0, params.hierarchical_trust_gap, n) * hierarchical
        centre = np.minimum(1.0, local + gap)  # Li 2016
        self.baseline_local, self.baseline_center = local.copy(), centre.copy()
        # The four arrays the daily row sums over the district (`district_figures`) change only through
        # this class's methods, which mark the blocks of households they change; elsewhere they are read
        # through read-only views, so that a write that would leave the kept sums stale fails instead.
        self._local_array, self._centre_array, self._severity_array, self._latent_array = (
            local,
            centre,
            np.zeros(n),  # severity of the household's worst open issue
            np.zeros(n),  # kept after exit (Hirschman), in grievance units
        )
        self.legitimacy_local, self.legitimacy_center = _read_only(local), _read_only(centre)
        self.open_severity, self.latent_grievance = _read_only(self._severity_array), _read_only(self._latent_array)
        self._local, self._center, self._open_severity, self._latent = (
            local,
            centre,
            self._severity_array,
            self._latent_array,
        )
        self._leaves = leaves = _pairwise_leaves(n)
        self._leaf_of = _leaf_of_each_eight(leaves)
        count = len(leaves) - 1
        self._leaf_sums, self._leaf_trusting = np.zeros((count, 4)), np.zeros(count, dtype=np.int64)
        self._changed = np.full(count, ALL_CHANGED, dtype=np.uint8)
        self._figures_of = (np.nan, np.nan)  # the gap and weight the kept sums were taken with
        self.budget = rng[4].lognormal(0.0, 0.5, n)  # time/money for petitioning, median 1
        k = params.network_degree
        self.ties = _small_world(grid_of, k, params.network_rewiring, rng[5])
        self.hostility = np.zeros(n)  # Coser's accumulated suppressed hostility
        self.hostility_day = np.zeros(n, dtype=np.int32)
        self.settled = np.zeros(n, dtype=bool)  # has seen an issue end
        self.successes = np.zeros((n, len(CHANNEL_NAMES)), dtype=np.float32)
        self.failures = np.zeros((n, len(CHANNEL_NAMES)), dtype=np.float32)
        self.last_channel = np.full(n, -1, dtype=np.int8)
        self.last_channel_day = np.full(n, -10_000, dtype=np.int32)
        self.peer_payout_sum = np.zeros(n)  # payouts (per unit severity) seen at ties this month
        self.peer_payout_count = np.zeros(n, dtype=np.int32)
        self.grid_of = grid_of
        self._hardship = self.hardship
        self._peer_payout_sum, self._peer_payout_count = self.peer_payout_sum, self.peer_payout_count
        # the arrays as the compiled one-household methods see them (the same memory)
        self._hostility, self._hostility_day, self._ties, self._k = self.hostility, self.hostility_day, self.ties, k
        self._successes, self._failures = self.successes, self.failures
        self._last_channel, self._last_channel_day = self.last_channel, self.last_channel_day
        self._settled = self.settled.view(np.uint8)
        self.set_expectation(np.ones(n))  # Gurr: entitlement anchor, 1 = the published standard

    # --- trust ---------------------------------------------------------------------------------
    def relax_trust(self, days: float, half_life: float) -> None:
        """Pull local and centre trust toward each household's baseline over `days` (steady state)."""
        keep = 0.5 ** (days / half_life)
        pairs = ((self._local_array, self.baseline_local), (self._centre_array, self.baseline_center))
        for trust, baseline in pairs:
            trust -= baseline  # baseline + (trust - baseline) * keep, in place: the same numbers, no new arrays
            trust *= keep
            trust += baseline
        self._touch_all()

    def shift_trust(self, who, change: float, *, centre: bool = False) -> None:
        """Add `change` to the local (or centre) trust of `who`, kept in [0, 1]."""
        if isinstance(who, int):  # one household (the usual case): plain floats, the same numbers
            self.shift_one(who, change, centre)
            return
        array = self._centre_array if centre else self._local_array
        array[who] = np.clip(array[who] + change, 0.0, 1.0)
        self._touch_all()

    def shift_one(self, who: int, change: float, centre: bool) -> None:
        """`shift_trust` of one household."""
        _clamped_add(self._center if centre else self._local, who, change)
        self._touch(who, CENTRE_CHANGED if centre else LOCAL_CHANGED)

    def local(self, who: int) -> float:
        """One household's local legitimacy."""
        return self._local[who]

    def center(self, who: int) -> float:
        """One household's trust in the centre."""
        return self._center[who]

    def set_local(self, who: int, value: float) -> None:
        self._local[who] = value
        self._touch(who, LOCAL_CHANGED)

    def set_locals(self, who: np.ndarray, values: np.ndarray) -> None:
        """`set_local` of several households (a group's members)."""
        self._local_array[who] = values
        for one in np.asarray(who).ravel().tolist():
            self._touch(one, LOCAL_CHANGED)

    def set_open_severity(self, who: int, severity: float) -> None:
        """The severity of the household's worst open issue (0 without one)."""
        self._open_severity[who] = severity
        self._touch(who, SEVERITY_CHANGED)

    def settle(self, who: int) -> None:
        """One of the household's issues has ended."""
        self._settled[who] = True

    def note_channel(self, who: int, channel: int, day: int) -> None:
        """The channel the household used last, and the day (what its ties may imitate)."""
        self._last_channel[who] = channel
        self._last_channel_day[who] = day

    def ties_of(self, who: int) -> list[int]:
        """The household's ties as a list, each as often as listed."""
        if cython.compiled:  # from the typed view, without a NumPy row
            return [self._ties[who, i] for i in range(self._k)]
        return self.ties[who].tolist()

    def set_latent(self, who: int, grievance: float) -> None:
        """The grievance the household keeps after giving up (Hirschman)."""
        self._latent[who] = grievance
        self._touch(who, LATENT_CHANGED)

    def add_latent(self, who: int, grievance: float) -> None:
        """A given-up issue's grievance joins what the household keeps."""
        self._latent[who] = self._latent[who] + grievance
        self._touch(who, LATENT_CHANGED)

    def restore(self, *, local=None, centre=None, open_severity=None, latent_grievance=None) -> None:
        """Set whole arrays of the households' state at once (a test, a saved state), keeping the kept sums right."""
        for array, values in (
            (self._local_array, local),
            (self._centre_array, centre),
            (self._severity_array, open_severity),
            (self._latent_array, latent_grievance),
        ):
            if values is not None:
                array[:] = values
        self._touch_all()

    def _touch(self, who: int, what: int) -> None:
        """Household `who`'s `what` (a `..._CHANGED` mark) changed: its block's sums that read it are redone.

        Only compiled (`district_figures`): as Python, the figures are NumPy's sums over every household each time.
        """
        if cython.compiled:
            self._changed[self._leaf_of[who >> 3]] |= what

    def _touch_all(self) -> None:
        """Every household may have changed (a district-wide update): every block is summed again."""
        self._changed[:] = ALL_CHANGED

    def legitimacy_shock(self, size: float) -> None:
        """Lower every household's local legitimacy, and the level it relaxes to, by `size` (a scandal)."""
        np.clip(self._local_array - size, 0.0, 1.0, out=self._local_array)
        np.clip(self.baseline_local - size, 0.0, 1.0, out=self.baseline_local)
        self._touch_all()

    def diffuse(self, household: int, change: float, weight: float, centre: bool = False) -> None:
        """Word of mouth: each tie of `household` moves by `weight` times its change (once per tie).

        A handful of ties: plain floats cost a fifth of NumPy's fancy indexing and `clip` here, and give
        the same numbers (one addition and a clamp per tie; a tie listed twice moves once).
        """
        if weight == 0.0 or change == 0.0:
            return
        if cython.compiled:
            if centre:
                self._spread(self._center, household, weight * change, CENTRE_CHANGED)
            else:
                self._spread(self._local, household, weight * change, LOCAL_CHANGED)
            return
        array = self._centre_array if centre else self._local_array
        delta = weight * change
        for tie in set(self.ties[household].tolist()):  # in Python, the quick way to meet each tie once
            x = array.item(tie) + delta
            array[tie] = 0.0 if x < 0.0 else (1.0 if x > 1.0 else x)

    def _spread(self, array, household: int, delta: float, what: int) -> None:
        """`diffuse`, compiled: each tie of the row once, the first time it is listed."""
        for i in range(self._k):
            tie = self._ties[household, i]
            for j in range(i):
                if self._ties[household, j] == tie:
                    break
            else:
                _clamped_add(array, tie, delta)
                self._touch(tie, what)

    # --- grievance components ------------------------------------------------------------------
    def deprivation(self, who=slice(None)):
        """Gurr's relative deprivation: expectation against what hardship leaves (equals H while E = 1).

        Kept for every household when expectations change (monthly), since each day's decisions and the
        grievance stock read it for thousands of households: the same numbers as computing it for them.
        """
        return self._deprivation[who]

    def set_expectation(self, expectation: np.ndarray) -> None:
        """New entitlement expectations, and what follows from them (deprivation and the two means).

        The array is then read-only: expectations change through here alone, so the deprivation kept
        for each household cannot fall out of step with them.
        """
        expectation = np.array(expectation, dtype=float)
        self._keep_expectation(expectation, rules.relative_deprivation(expectation, 1.0 - self.hardship))

    def _keep_expectation(self, expectation: np.ndarray, deprivation: np.ndarray) -> None:
        """Keep new expectations with their deprivation, both read-only, and the two means the row reads."""
        self.expectation, self._deprivation = expectation, deprivation
        expectation.flags.writeable = False
        deprivation.flags.writeable = False
        self._deprivation_view, self._expectation_view = deprivation, expectation
        self._touch_all()  # the grievance stock's deprivation terms
        self.expectation_mean = float(expectation.mean())
        self.deprivation_mean = float(deprivation.mean())

    def hostility_on(self, who, day: int, half_life: float):
        """Coser's accumulated hostility of `who`, decayed lazily to `day`."""
        return rules.decayed(self.hostility[who], day - self.hostility_day[who], half_life)

    def hostility_mean(self, day: int, half_life: float) -> float:
        """The district's mean accumulated hostility decayed to `day` (Coser; taken monthly).

        Decayed for the households that hold any and laid into zeros elsewhere (a decayed zero is zero), so
        NumPy's mean adds the same numbers as over `hostility_on` of every household, at a fraction of the
        work (a few thousand `pow`s, not 124,356).
        """
        held = np.flatnonzero(self.hostility != 0)  # on the comparison's booleans: 5 times quicker than on floats
        decayed = np.zeros(self.n)
        decayed[held] = self.hostility_on(held, day, half_life)
        return float(np.add.reduce(decayed)) / self.n

    def hostility_of(self, who: int, day: int, half_life: float) -> float:
        """`hostility_on` of one household, in plain floats: the same numbers (one `pow`, one product)."""
        days = day - self._hostility_day[who]
        return self._hostility[who] * 0.5 ** (days / half_life)

    def add_hostility(self, who: int, amount: float, day: int, half_life: float) -> None:
        """Blocked voice adds to one household's accumulated hostility (Coser)."""
        self._hostility[who] = self.hostility_of(who, day, half_life) + amount
        self._hostility_day[who] = day

    def vent(self, who: int, share: float, day: int, half_life: float) -> None:
        """Coser's safety valve: voice that is heard releases a share of the accumulated hostility."""
        self._hostility[who] = self.hostility_of(who, day, half_life) * (1.0 - share)
        self._hostility_day[who] = day

    def district_figures(self, gap: float, deprivation_weight: float) -> DistrictFigures:
        """The daily row's figures over every household, NumPy's sums bit for bit (`district_sums`).

        Compiled, each block of NumPy's pairwise sum keeps its sums, taken again only for the blocks whose
        households changed since (about a fifth of them on a day at full scale), and of those only the sums
        that read what changed (a block whose households' local trust moved by word of mouth keeps its sums
        of the centre and of the latent grievance): the day no longer streams
        every household's trust, grievance and deprivation through the caches.
        """
        if (gap, deprivation_weight) != self._figures_of:
            self._figures_of = (gap, deprivation_weight)
            self._touch_all()
        local, centre, trusting, stock, latent = district_sums(
            self._local,
            self._center,
            self._open_severity,
            self._deprivation_view,
            self._latent,
            gap,
            deprivation_weight,
            self._leaves,
            self._changed,
            self._leaf_sums,
            self._leaf_trusting,
        )
        return DistrictFigures(local / self.n, centre / self.n, trusting / self.n, stock, latent)

    # --- expectations (Gurr) ---------------------------------------------------------------------
    def observe_payout(self, household: int, ratio: float) -> None:
        """The ties of `household` see it paid `ratio` times the standard for its severity."""
        ties = self.ties[household]
        np.add.at(self.peer_payout_sum, ties, ratio)
        np.add.at(self.peer_payout_count, ties, 1)

    def update_expectations(self, adjustment: float) -> None:
        """Gurr/Kim-Hanneman, monthly: E <- (1 - lambda) E + lambda max(own past, mean of peers' payouts).

        A household's own past is the standard (1); peers' payouts seen this month pull it up when they
        exceed the standard (不患寡而患不均), and it relaxes back when nobody around is paid.
        Compiled, one loop gives the new expectations and deprivation (the same numbers as the arrays).
        """
        if cython.compiled:
            expectation, deprivation = np.empty(self.n), np.empty(self.n)
            self._expect(adjustment, expectation, deprivation)
            self._keep_expectation(expectation, deprivation)
        else:
            seen = self.peer_payout_count > 0
            peers = np.ones(self.n)
            peers[seen] = self.peer_payout_sum[seen] / self.peer_payout_count[seen]
            self.set_expectation(self.expectation + adjustment * (np.maximum(1.0, peers) - self.expectation))
        self.peer_payout_sum[:] = 0.0
        self.peer_payout_count[:] = 0

    def _expect(self, adjustment: float, expectation, deprivation) -> None:
        """`update_expectations`' arithmetic, one household at a time (np.maximum's choice, then Gurr's RD)."""
        old, hardship = self._expectation_view, self._hardship
        for i in range(self.n):
            count = self._peer_payout_count[i]
            peers = self._peer_payout_sum[i] / count if count > 0 else 1.0
            e = old[i] + adjustment * ((1.0 if peers <= 1.0 else peers) - old[i])
            expectation[i] = e
            gap = e - (1.0 - hardship[i])
            deprivation[i] = (0.0 if gap <= 0.0 else gap) / e

    # --- beliefs --------------------------------------------------------------------------------------
    def learn(self, household: int, channel: int, success: bool, own: float, social: float) -> None:
        """Beta learning from one's own outcome, and neighbours' learning from it (docs/model.md §7.2)."""
        if cython.compiled:
            self._count(self._successes if success else self._failures, household, channel, own, social)
            return
        target = self.successes if success else self.failures
        target[household, channel] += own
        if social:
            self.tell_ties(target, household, channel, social)

    def _count(self, counts, household: int, channel: int, own: float, social: float) -> None:
        """`learn`, compiled, on the float32 counts.

        One's own outcome is added in float32 (as NumPy's `+=` of a Python float adds it), the ties' in
        double and rounded as stored (as `tell_ties`).
        """
        own32 = own
        counts[household, channel] = counts[household, channel] + own32
        if social != 0.0:
            for i in range(self._k):
                tie = self._ties[household, i]
                counts[tie, channel] = counts[tie, channel] + social

    def belief(self, who: int, channel: int, prior: float, strength: float) -> float:
        """`rules.belief_mean` of one household and channel.

        The numerator in double, the denominator in float32 (NumPy's sum of a Python float and float32 counts).
        """
        successes, failures = self._successes[who, channel], self._failures[who, channel]
        if not cython.compiled:
            return (strength * prior + float(successes)) / float(strength + successes + failures)
        strength32 = strength
        return (strength * prior + successes) / (strength32 + successes + failures)

    def channels_of_ties(self, who: np.ndarray, day: int) -> np.ndarray:
        """Share of each household's ties that used each channel in the last `IMITATION_DAYS` (imitation)."""
        ties = self.ties[who]
        recent = self.last_channel_day[ties] >= day - IMITATION_DAYS
        n_channels = len(CHANNEL_NAMES)
        used = np.where(recent, self.last_channel[ties], n_channels)
        width = n_channels + 1
        cells = (np.arange(len(who))[:, None] * width + used).ravel()
        counts = np.bincount(cells, minlength=len(who) * width).reshape(len(who), width)
        return counts[:, :n_channels] / ties.shape[1]

    def tie_used_lately(self, household: int, channel: int, day: int) -> bool:
        """Did one of the household's ties use `channel` last, in the last `IMITATION_DAYS` (what imitation copies)?

        Called on every submission: a loop over the few ties costs a third of the array expression.
        """
        since = day - IMITATION_DAYS
        if cython.compiled:
            for i in range(self._k):
                tie = self._ties[household, i]
                if self._last_channel[tie] == channel and self._last_channel_day[tie] >= since:
                    return True
            return False
        last, last_day = self.last_channel, self.last_channel_day
        for t in self.ties[household].tolist():  # noqa: SIM110 (`any` of a generator: a closure, not compiled)
            if last.item(t) == channel and last_day.item(t) >= since:
                return True
        return False

    def tell_ties(self, counts: np.ndarray, household: int, channel: int, amount: float) -> None:
        """Add `amount` to column `channel` of a float32 count array for each tie of `household` (each time listed).

        The same numbers as `np.add.at(counts[:, channel], ties, amount)`, which adds in double precision
        (the amount is a double) and rounds each sum to float32 as it stores it; so does this.
        """
        column = counts[:, channel]
        for tie in self.ties[household].tolist():
            column[tie] = column.item(tie) + amount


def _clamped_add(array, who: int, change: float) -> None:
    """array[who] += change, kept in [0, 1] (trust)."""
    x = array[who] + change
    array[who] = 0.0 if x < 0.0 else (1.0 if x > 1.0 else x)


# NumPy's pairwise summation (`np.add.reduce` of a contiguous float64 array: 0.0 plus the sum of blocks
# of at most 128 values, each added with 8 accumulators, combined pairwise), reproduced so that a compiled
# pass can sum values NumPy would first have to lay out in an array, and several arrays at once, giving
# the same numbers (tests/test_fast_paths.py checks it against NumPy on many lengths), and can keep each
# block's sums until one of its households changes (`Households.district_figures`). One block routine
# serves every sum (the stock's terms laid out first): over the whole district it ran 15-50 % slower than
# a block written out for each sum (docs/performance.md), but only the changed blocks are summed now.
PAIRWISE_BLOCK = 128
# What changed in a block since its sums were kept, as marks: its local trust (read by the local sum, the
# stock and the count of hierarchical trust), its trust in the centre (the centre sum and the count), its
# open severity (the stock), its latent grievance (the latent sum); the deprivation and the figures' settings
# change for every block at once.
LOCAL_CHANGED, CENTRE_CHANGED, SEVERITY_CHANGED, LATENT_CHANGED = 1, 2, 4, 8
ALL_CHANGED = LOCAL_CHANGED | CENTRE_CHANGED | SEVERITY_CHANGED | LATENT_CHANGED


def district_sums(
    local,
    centre,
    severity,
    deprivation,
    latent,
    gap: float,
    weight: float,
    leaves=None,
    changed=None,
    kept=None,
    kept_trusting=None,
) -> tuple:
    """`np.add.reduce` of `local`, `centre`, the stock's terms and `latent`; the count of `centre > local + gap`.

    A stock term is s(1 - L) + weight * RD where s > 0, and 0 elsewhere. Compiled: block by block, no
    district-long array of terms laid out; given the blocks' (leaves') kept sums (`leaves` from
    `_pairwise_leaves`, `kept`, `kept_trusting`) and their marks (`changed`), only the marked blocks are
    summed again. As Python, NumPy sums everything each time.
    """
    if not cython.compiled:
        aggrieved = np.flatnonzero(severity > 0)
        terms = np.zeros(len(severity))
        terms[aggrieved] = severity[aggrieved] * (1.0 - local[aggrieved]) + weight * deprivation[aggrieved]
        return (
            float(np.add.reduce(local)),
            float(np.add.reduce(centre)),
            int(np.count_nonzero(centre > local + gap)),
            float(np.add.reduce(terms)),
            float(np.add.reduce(latent)),
        )
    if leaves is None:  # nothing kept: every block summed, into scratch
        leaves = _pairwise_leaves(local.shape[0])
        count = len(leaves) - 1
        changed, kept = np.full(count, ALL_CHANGED, dtype=np.uint8), np.zeros((count, 4))
        kept_trusting = np.zeros(count, dtype=np.int64)
    return _tree_sums(local, centre, severity, deprivation, latent, gap, weight, leaves, changed, kept, kept_trusting)


def _tree_sums(
    local, centre, severity, deprivation, latent, gap: float, weight: float, leaves, changed, kept, kept_trusting
):
    """`district_sums` down NumPy's tree (compiled only), from the leaves' kept sums.

    The leaves (blocks) that `changed` marks are summed again into `kept` and `kept_trusting` first; the
    kept sums are then combined pairwise, as NumPy combines its blocks.
    """
    n = local.shape[0]
    if not n:
        return 0.0, 0.0, 0, 0.0, 0.0
    for k in range(changed.shape[0]):
        what = changed[k]
        if what:  # only the sums that read what changed
            start, size = leaves[k], leaves[k + 1] - leaves[k]
            if what & LOCAL_CHANGED:
                kept[k, 0] = _block_sum(cython.address(local[start]), size)
            if what & CENTRE_CHANGED:
                kept[k, 1] = _block_sum(cython.address(centre[start]), size)
            if what & (LOCAL_CHANGED | SEVERITY_CHANGED):
                kept[k, 2] = _stock_block(
                    cython.address(severity[start]),
                    cython.address(local[start]),
                    cython.address(deprivation[start]),
                    weight,
                    size,
                )
            if what & LATENT_CHANGED:
                kept[k, 3] = _block_sum(cython.address(latent[start]), size)
            if what & (LOCAL_CHANGED | CENTRE_CHANGED):
                kept_trusting[k] = _count_above(cython.address(centre[start]), cython.address(local[start]), gap, size)
            changed[k] = 0
    sums = cython.declare(cython.double[4])  # local, centre, stock, latent
    trusting, leaf = 0, 0
    _combine(
        cython.address(kept[0, 0]),
        cython.address(kept_trusting[0]),
        n,
        cython.address(leaf),
        sums,
        cython.address(trusting),
    )
    return 0.0 + sums[0], 0.0 + sums[1], trusting, 0.0 + sums[2], 0.0 + sums[3]


def _combine(kept, kept_trusting, n: int, leaf, sums, trusting) -> None:
    """The sums over `n` households into `sums` and `trusting`, from their leaves' kept sums.

    Added down NumPy's pairwise tree; a leaf holds at most 128 households, `leaf` counts them left to right.
    """
    if n <= PAIRWISE_BLOCK:
        k = leaf[0]
        leaf[0] = k + 1
        for j in range(4):
            sums[j] = kept[4 * k + j]
        trusting[0] = kept_trusting[k]
        return
    half = n // 2
    half -= half % 8
    left, right = cython.declare(cython.double[4]), cython.declare(cython.double[4])
    left_count, right_count = 0, 0
    _combine(kept, kept_trusting, half, leaf, left, cython.address(left_count))
    _combine(kept, kept_trusting, n - half, leaf, right, cython.address(right_count))
    for j in range(4):
        sums[j] = left[j] + right[j]
    trusting[0] = left_count + right_count


def _pairwise_leaves(n: int) -> np.ndarray:
    """Where each leaf (block) of NumPy's pairwise tree over `n` values starts, left to right, and `n` last."""
    starts, stack = [], [(0, n)]
    while stack:
        offset, size = stack.pop()
        if size <= PAIRWISE_BLOCK:
            starts.append(offset)
        else:
            half = size // 2 - size // 2 % 8
            stack += [(offset + half, size - half), (offset, half)]  # the left half first
    return np.array([*starts, n] if n else [0], dtype=np.intp)


def _leaf_of_each_eight(leaves: np.ndarray) -> np.ndarray:
    """The leaf holding each run of 8 values (leaves start at multiples of 8): where a household's sums are kept."""
    return np.repeat(np.arange(len(leaves) - 1, dtype=np.int32), np.diff((leaves + 7) // 8))


def _read_only(array: np.ndarray) -> np.ndarray:
    view = array.view()
    view.flags.writeable = False
    return view


def _block_sum(values, n: int) -> float:
    """The sum of `values[:n]` (n <= 128) as NumPy adds a block: 8 accumulators, then the rest one by one."""
    if n < 8:
        total = 0.0
        for i in range(n):
            total += values[i]
        return total
    r0, r1, r2, r3, r4, r5, r6, r7 = (
        values[0],
        values[1],
        values[2],
        values[3],
        values[4],
        values[5],
        values[6],
        values[7],
    )
    i = 8
    while i < n - n % 8:
        r0 += values[i]
        r1 += values[i + 1]
        r2 += values[i + 2]
        r3 += values[i + 3]
        r4 += values[i + 4]
        r5 += values[i + 5]
        r6 += values[i + 6]
        r7 += values[i + 7]
        i += 8
    total = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        total += values[i]
        i += 1
    return total


def _pairwise_sum(values, n: int) -> float:
    """NumPy's sum of `values[:n]` (compiled: a C pointer): `_block_sum` over blocks of at most 128, halves added."""
    if n <= PAIRWISE_BLOCK:
        return _block_sum(values, n)
    half = n // 2 - n // 2 % 8
    return _pairwise_sum(values, half) + _pairwise_sum(values + half, n - half)


def _count_above(centre, local, gap: float, n: int) -> int:
    """How many of the `n` households trust the centre more than local officials by more than `gap`."""
    count = 0
    for i in range(n):
        count += centre[i] > local[i] + gap
    return count


def _stock_block(severity, local, deprivation, weight: float, n: int) -> float:
    """The sum over `n` <= 128 households of s(1 - L) + weight * RD where s > 0, and 0 elsewhere.

    The terms are laid out on the stack, then added as NumPy adds a block.
    """
    terms = cython.declare(cython.double[128])
    for i in range(n):
        terms[i] = severity[i] * (1.0 - local[i]) + weight * deprivation[i] if severity[i] > 0 else 0.0
    return _block_sum(terms, n)


def _small_world(grid_of: np.ndarray, k: int, p: float, rng: np.random.Generator) -> np.ndarray:
    """Watts-Strogatz ties: a ring lattice inside each grid, each tie rewired w.p. p.

    Returned as an (n, k) array of tie indices: fixed degree keeps lookups to one row.
    """
    n = len(grid_of)
    ties = np.empty((n, k), dtype=np.int32)
    order = np.argsort(grid_of, kind="stable")
    starts = np.flatnonzero(np.r_[True, grid_of[order][1:] != grid_of[order][:-1]])
    ends = np.r_[starts[1:], n]
    offsets = np.array([o for d in range(1, k // 2 + 1) for o in (d, -d)] + ([k // 2 + 1] if k % 2 else []))
    for s, e in zip(starts, ends, strict=True):
        members = order[s:e]
        size = len(members)
        pos = (np.arange(size)[:, None] + offsets[None, :]) % size
        ties[members] = members[pos]
    rewire = rng.uniform(0, 1, ties.shape) < p
    ties[rewire] = rng.integers(0, n, int(rewire.sum()))
    return ties
