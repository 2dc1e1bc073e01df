"""The households' state as arrays: traits, trust, expectations, beliefs and social ties.

Most households are quiet most days, so their state lives in NumPy arrays indexed by household agent,
read and written only when something happens to them; district-wide quantities (mean trust,
grievance stock) are vectorised reductions. Each agent stands for `households_per_agent` real
households; its ties are to other sampled households, so the share of a household's ties that did
something is the same at any sample.
"""

from __future__ import annotations

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
        self.legitimacy_local = _beta(rng[2], params.legitimacy_mean, params.legitimacy_sd, n)
        hierarchical = rng[3].uniform(0, 1, n) < params.hierarchical_trust_share
        gap = rng[3].uniform(0, params.hierarchical_trust_gap, n) * hierarchical
        self.legitimacy_center = np.minimum(1.0, self.legitimacy_local + gap)  # Li 2016
        self._local, self._center = self.legitimacy_local, self.legitimacy_center
        self.baseline_local = self.legitimacy_local.copy()
        self.baseline_center = self.legitimacy_center.copy()
        self.budget = rng[4].lognormal(0.0, 0.5, n)  # time/money for petitioning, median 1
        k = params.network_degree
        self.ties = _small_world(grid_of, k, params.network_rewiring, rng[5])
        self.set_expectation(np.ones(n))  # Gurr: entitlement anchor, 1 = the published standard
        self.hostility = np.zeros(n)  # Coser's accumulated suppressed hostility
        self.hostility_day = np.zeros(n, dtype=np.int32)
        self.latent_grievance = np.zeros(n)  # kept after exit (Hirschman), in grievance units
        self.open_severity = np.zeros(n)  # severity of the household's worst open issue
        self.settled = np.zeros(n, dtype=bool)  # has seen an issue end
        self.successes = np.zeros((n, len(CHANNEL_NAMES)), dtype=np.float32)
        self.failures = np.zeros((n, len(CHANNEL_NAMES)), dtype=np.float32)
        self.last_channel = np.full(n, -1, dtype=np.int8)
        self.last_channel_day = np.full(n, -10_000, dtype=np.int32)
        self.peer_payout_sum = np.zeros(n)  # payouts (per unit severity) seen at ties this month
        self.peer_payout_count = np.zeros(n, dtype=np.int32)
        self.grid_of = grid_of
        self._stock_terms = np.zeros(n)  # scratch for `grievance_stock`, zero between calls
        self._open_severity, self._hardship = self.open_severity, self.hardship
        self._peer_payout_sum, self._peer_payout_count = self.peer_payout_sum, self.peer_payout_count
        # the arrays as the compiled one-household methods see them (the same memory)
        self._hostility, self._hostility_day, self._ties, self._k = self.hostility, self.hostility_day, self.ties, k
        self._successes, self._failures = self.successes, self.failures
        self._last_channel, self._last_channel_day = self.last_channel, self.last_channel_day

    # --- trust ---------------------------------------------------------------------------------
    def relax_trust(self, days: float, half_life: float) -> None:
        """Pull local and centre trust toward each household's baseline over `days` (steady state)."""
        keep = 0.5 ** (days / half_life)
        pairs = ((self.legitimacy_local, self.baseline_local), (self.legitimacy_center, self.baseline_center))
        for trust, baseline in pairs:
            trust -= baseline  # baseline + (trust - baseline) * keep, in place: the same numbers, no new arrays
            trust *= keep
            trust += baseline

    def shift_trust(self, who, change: float, *, centre: bool = False) -> None:
        """Add `change` to the local (or centre) trust of `who`, kept in [0, 1]."""
        if isinstance(who, int):  # one household (the usual case): plain floats, the same numbers
            self.shift_one(who, change, centre)
            return
        array = self.legitimacy_center if centre else self.legitimacy_local
        array[who] = np.clip(array[who] + change, 0.0, 1.0)

    def shift_one(self, who: int, change: float, centre: bool) -> None:
        """`shift_trust` of one household."""
        _clamped_add(self._center if centre else self._local, who, change)

    def local(self, who: int) -> float:
        """One household's local legitimacy."""
        return self._local[who]

    def center(self, who: int) -> float:
        """One household's trust in the centre."""
        return self._center[who]

    def set_local(self, who: int, value: float) -> None:
        self._local[who] = value

    def legitimacy_shock(self, size: float) -> None:
        """Lower every household's local legitimacy, and the level it relaxes to, by `size` (a scandal)."""
        np.clip(self.legitimacy_local - size, 0.0, 1.0, out=self.legitimacy_local)
        np.clip(self.baseline_local - size, 0.0, 1.0, out=self.baseline_local)

    def diffuse(self, household: int, change: float, weight: float, centre: bool = False) -> None:
        """Word of mouth: each tie of `household` moves by `weight` times its change (once per tie).

        A handful of ties: plain floats cost a fifth of NumPy's fancy indexing and `clip` here, and give
        the same numbers (one addition and a clamp per tie; a tie listed twice moves once).
        """
        if weight == 0.0 or change == 0.0:
            return
        if cython.compiled:
            self._spread(self._center if centre else self._local, household, weight * change)
            return
        array = self.legitimacy_center if centre else self.legitimacy_local
        delta = weight * change
        for tie in set(self.ties[household].tolist()):  # in Python, the quick way to meet each tie once
            x = array.item(tie) + delta
            array[tie] = 0.0 if x < 0.0 else (1.0 if x > 1.0 else x)

    def _spread(self, array, household: int, delta: float) -> None:
        """`diffuse`, compiled: each tie of the row once, the first time it is listed."""
        for i in range(self._k):
            tie = self._ties[household, i]
            for j in range(i):
                if self._ties[household, j] == tie:
                    break
            else:
                _clamped_add(array, tie, delta)

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

    def grievance_stock(self, params: Params, candidates: np.ndarray | None = None) -> float:
        """Sum over households with an open issue of s(1 - L) + phi*RD (Epstein core + Gurr).

        Computed for the households with an open issue only (found by one comparison over the district,
        or among `candidates` if the caller knows a set that holds them all), written into a district-long
        array of zeros and summed over all of it, so the sum adds the same numbers in the same order as
        one over every household would. Compiled, `stock_sum` adds each household's term (0 without an open
        issue) where NumPy's sum of that array would, with no array laid out.
        """
        if cython.compiled and candidates is None:
            return stock_sum(self._open_severity, self._local, self._deprivation_view, params.deprivation_weight)
        if candidates is None:
            aggrieved = np.flatnonzero(self.open_severity > 0)
        else:
            aggrieved = candidates[self.open_severity[candidates] > 0]
        sev = self.open_severity[aggrieved]
        terms = self._stock_terms
        terms[aggrieved] = sev * (
            1.0 - self.legitimacy_local[aggrieved]
        ) + params.deprivation_weight * self.deprivation(aggrieved)
        total = float(terms.sum())
        terms[aggrieved] = 0.0
        return total

    def trust_levels(self, gap: float) -> tuple[float, float, float]:
        """Mean local legitimacy, mean trust in the centre, and the share trusting the centre more by `gap` (Li 2016).

        The daily row's three trust figures, from one pass over the two arrays when compiled (`trust_sums`).
        """
        local_sum, centre_sum, trusting = trust_sums(self._local, self._center, gap)
        return local_sum / self.n, centre_sum / self.n, trusting / self.n

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
# the same numbers (tests/test_fast_paths.py checks it against NumPy on many lengths). Each use writes
# the 8-accumulator block out with its own values: one shared routine (the stock's terms laid out in a
# block buffer, or chosen per value by a flag) ran 15-50 % slower at -O2 (docs/performance.md).
PAIRWISE_BLOCK = 128


def trust_sums(local, centre, gap: float) -> tuple[float, float, int]:
    """`np.add.reduce` of `local` and of `centre`, and the count of `centre > local + gap`: one pass, compiled."""
    if not cython.compiled:
        return float(np.add.reduce(local)), float(np.add.reduce(centre)), int(np.count_nonzero(centre > local + gap))
    n = local.shape[0]
    local_sum, centre_sum, trusting = 0.0, 0.0, 0
    if n:
        centre_out, trusting_out = cython.address(centre_sum), cython.address(trusting)
        local_sum = _trust_block(cython.address(local[0]), cython.address(centre[0]), gap, n, centre_out, trusting_out)
    return 0.0 + local_sum, 0.0 + centre_sum, trusting


def stock_sum(severity, local, deprivation, weight: float) -> float:
    """`np.add.reduce` of s(1 - L) + weight * RD where s > 0 and 0 elsewhere, the terms never laid out (compiled)."""
    if not cython.compiled:
        return float(np.add.reduce(np.where(severity > 0, severity * (1.0 - local) + weight * deprivation, 0.0)))
    n = severity.shape[0]
    if not n:
        return 0.0
    return 0.0 + _stock_block(
        cython.address(severity[0]), cython.address(local[0]), cython.address(deprivation[0]), weight, n
    )


def _trust_block(local, centre, gap: float, n: int, centre_sum, trusting) -> float:
    """The pairwise sum of `local[:n]`; that of `centre[:n]` and the count of `centre > local + gap` via pointers."""
    if n < 8:
        total, other, count = 0.0, 0.0, 0
        for i in range(n):
            total += local[i]
            other += centre[i]
            count += centre[i] > local[i] + gap
        centre_sum[0], trusting[0] = other, count
        return total
    if n <= PAIRWISE_BLOCK:  # 8 accumulators each, written out so that C keeps them in registers
        r0, r1, r2, r3, r4, r5, r6, r7 = local[0], local[1], local[2], local[3], local[4], local[5], local[6], local[7]
        q0, q1, q2, q3, q4, q5, q6, q7 = (
            centre[0],
            centre[1],
            centre[2],
            centre[3],
            centre[4],
            centre[5],
            centre[6],
            centre[7],
        )
        count = 0
        for i in range(8):
            count += centre[i] > local[i] + gap
        i = 8
        while i < n - n % 8:
            r0 += local[i]
            r1 += local[i + 1]
            r2 += local[i + 2]
            r3 += local[i + 3]
            r4 += local[i + 4]
            r5 += local[i + 5]
            r6 += local[i + 6]
            r7 += local[i + 7]
            q0 += centre[i]
            q1 += centre[i + 1]
            q2 += centre[i + 2]
            q3 += centre[i + 3]
            q4 += centre[i + 4]
            q5 += centre[i + 5]
            q6 += centre[i + 6]
            q7 += centre[i + 7]
            for j in range(i, i + 8):
                count += centre[j] > local[j] + gap
            i += 8
        total = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
        other = ((q0 + q1) + (q2 + q3)) + ((q4 + q5) + (q6 + q7))
        while i < n:
            total += local[i]
            other += centre[i]
            count += centre[i] > local[i] + gap
            i += 1
        centre_sum[0], trusting[0] = other, count
        return total
    half = n // 2
    half -= half % 8
    left_centre, right_centre, left_count, right_count = 0.0, 0.0, 0, 0
    left = _trust_block(local, centre, gap, half, cython.address(left_centre), cython.address(left_count))
    right = _trust_block(
        local + half, centre + half, gap, n - half, cython.address(right_centre), cython.address(right_count)
    )
    centre_sum[0], trusting[0] = left_centre + right_centre, left_count + right_count
    return left + right


def _stock_block(severity, local, deprivation, weight: float, n: int) -> float:
    """The pairwise sum over `n` households of s(1 - L) + weight * RD where s > 0, and 0 elsewhere."""
    if n < 8:
        total = 0.0
        for i in range(n):
            total += _stock_term(severity, local, deprivation, weight, i)
        return total
    if n <= PAIRWISE_BLOCK:
        r0 = _stock_term(severity, local, deprivation, weight, 0)
        r1 = _stock_term(severity, local, deprivation, weight, 1)
        r2 = _stock_term(severity, local, deprivation, weight, 2)
        r3 = _stock_term(severity, local, deprivation, weight, 3)
        r4 = _stock_term(severity, local, deprivation, weight, 4)
        r5 = _stock_term(severity, local, deprivation, weight, 5)
        r6 = _stock_term(severity, local, deprivation, weight, 6)
        r7 = _stock_term(severity, local, deprivation, weight, 7)
        i = 8
        while i < n - n % 8:
            r0 += _stock_term(severity, local, deprivation, weight, i)
            r1 += _stock_term(severity, local, deprivation, weight, i + 1)
            r2 += _stock_term(severity, local, deprivation, weight, i + 2)
            r3 += _stock_term(severity, local, deprivation, weight, i + 3)
            r4 += _stock_term(severity, local, deprivation, weight, i + 4)
            r5 += _stock_term(severity, local, deprivation, weight, i + 5)
            r6 += _stock_term(severity, local, deprivation, weight, i + 6)
            r7 += _stock_term(severity, local, deprivation, weight, i + 7)
            i += 8
        total = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
        while i < n:
            total += _stock_term(severity, local, deprivation, weight, i)
            i += 1
        return total
    half = n // 2
    half -= half % 8
    left = _stock_block(severity, local, deprivation, weight, half)
    return left + _stock_block(severity + half, local + half, deprivation + half, weight, n - half)


def _stock_term(severity, local, deprivation, weight: float, i: int) -> float:
    """Household i's term of the grievance stock: 0 without an open issue (a select, not a branch, in C)."""
    term = severity[i] * (1.0 - local[i]) + weight * deprivation[i]
    return term if severity[i] > 0 else 0.0


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
