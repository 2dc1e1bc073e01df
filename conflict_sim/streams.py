"""Independent named random streams, all spawned from a run's one seed.

Every process of the model draws from its own stream (NumPy `SeedSequence.spawn`), so a policy that
changes decisions cannot change which issues arrive: two arms of a comparison run on the same seed meet
the same disputes (common random numbers). Issue arrivals go further: each day has its own generator,
derived from the seed and the day alone, so the arrivals of a day do not depend on anything that
happened before it.

Single draws go through `Stream`, which hands out numbers from blocks drawn in advance: a NumPy call
costs about half a microsecond, a number from a block about a twentieth of that. Generators made by the
thousand (a day's arrivals, a project's groups) are `SeededGenerator`s: NumPy's own generator for the
seed, made in a fraction of NumPy's time in the compiled build.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import cast

import cython
import numpy as np

BLOCK = 4096


@cython.cclass
class Stream:
    """One named stream: vectorised draws through `generator`, single draws from pre-drawn blocks.

    Compiled (streams.pxd), a block is a C array of doubles; in Python, a list of floats.
    """

    __slots__ = ("_ni", "_normals", "_ui", "_uniforms", "generator")

    def __init__(self, generator: np.random.Generator) -> None:
        self.generator = generator
        self._ui = self._ni = BLOCK  # each block is drawn when the first number of it is needed

    def random(self) -> float:
        """A uniform draw in [0, 1)."""
        if self._ui == BLOCK:
            block = self.generator.random(BLOCK)
            self._uniforms = block if cython.compiled else block.tolist()
            self._ui = 0
        u = self._uniforms[self._ui]
        self._ui += 1
        return u

    def normal(self) -> float:
        """A standard-normal draw."""
        if self._ni == BLOCK:
            block = self.generator.standard_normal(BLOCK)
            self._normals = block if cython.compiled else block.tolist()
            self._ni = 0
        z = self._normals[self._ni]
        self._ni += 1
        return z

    def chance(self, p: float) -> bool:
        """True with probability p."""
        return self.random() < p

    def integer(self, low: int, high: int) -> int:
        """A uniform integer in [low, high] (both included)."""
        return low + int(self.random() * (high - low + 1))

    def uniform(self, low: float, high: float) -> float:
        return low + (high - low) * self.random()

    def geometric(self, p: float) -> int:
        """Days until the first success of a daily chance p (1, 2, ...); a large number when p is 0."""
        if p <= 0.0:
            return 1 << 30
        if p >= 1.0:
            return 1
        if cython.compiled:  # C's log, which math.log calls, without the module's lookups
            return 1 + cython.cast(cython.long, c_log(1.0 - self.random()) / c_log(1.0 - p))  # type: ignore[name-defined,attr-defined]  # noqa: F821
        return 1 + int(math.log(1.0 - self.random()) / math.log(1.0 - p))

    def gamma_mean(self, mean: float, cv: float) -> float:
        """A Gamma draw with a given mean and coefficient of variation (cv 0: the mean)."""
        if cv <= 0:
            return mean
        shape = 1.0 / cv**2
        if cython.compiled:  # what Generator.gamma calls, on its bits, without the method's fixed cost
            return random_gamma(bits_of(self), shape, mean / shape)  # type: ignore[name-defined]  # noqa: F821
        return float(self.generator.gamma(shape, mean / shape))


@cython.cclass
class SeededGenerator:
    """NumPy's default generator for a seed, `default_rng(SeedSequence(entropy, spawn_key=spawn_key))`.

    Making NumPy's costs 8–11 µs, most of it `SeedSequence` mixing the seed in Python; a run makes one
    a day (its arrivals) and one for each project. The compiled build mixes the seed and seeds PCG64 in C
    (streams.pxd): the same bits, drawn by NumPy's own C distributions, give NumPy's numbers
    (tests/test_compiled.py). In Python it holds NumPy's generator. Its methods are those of NumPy's
    `Generator` that the model draws with a project's or a day's generator, with scalar parameters.
    """

    def __init__(self, entropy: int | Sequence[int], spawn_key: Sequence[int] = ()) -> None:
        if cython.compiled:
            words = _words(entropy)
            if spawn_key:  # SeedSequence's assembled entropy: the seed's words, padded to its pool, then the key's
                words += [0] * (POOL_SIZE - len(words)) + _words(spawn_key)
            seed_from_words(self, words)  # type: ignore[name-defined]  # noqa: F821
        else:
            self._numpy = np.random.default_rng(np.random.SeedSequence(entropy, spawn_key=spawn_key))

    def poisson(self, lam: float) -> int:
        if cython.compiled:
            return random_poisson(cython.address(self.bitgen), lam)  # type: ignore[name-defined,attr-defined]  # noqa: F821
        return int(self._numpy.poisson(lam))

    def beta(self, a: float, b: float) -> float:
        if cython.compiled:
            return random_beta(cython.address(self.bitgen), a, b)  # type: ignore[name-defined,attr-defined]  # noqa: F821
        return float(self._numpy.beta(a, b))

    def standard_normal(self, size: int | None = None) -> float | np.ndarray:
        if cython.compiled:
            if size is None:
                return random_standard_normal(cython.address(self.bitgen))  # type: ignore[name-defined,attr-defined]  # noqa: F821
            return filled(cython.address(self.bitgen), size, random_standard_normal_fill)  # type: ignore[name-defined,attr-defined]  # noqa: F821
        return float(self._numpy.standard_normal()) if size is None else self._numpy.standard_normal(size)

    def random(self, size: int) -> np.ndarray:
        if cython.compiled:
            return filled(cython.address(self.bitgen), size, random_standard_uniform_fill)  # type: ignore[name-defined,attr-defined]  # noqa: F821
        return self._numpy.random(size)

    def integers(self, low: int, high: int, size: int) -> np.ndarray:
        """`size` integers in [low, high)."""
        if cython.compiled:
            return bounded(cython.address(self.bitgen), low, high, size)  # type: ignore[name-defined,attr-defined]  # noqa: F821
        return self._numpy.integers(low, high, size)

    def permutation(self, n: int) -> np.ndarray:
        """0, ..., n - 1 shuffled."""
        if cython.compiled:
            return shuffled(cython.address(self._pcg), n)  # type: ignore[name-defined,attr-defined]  # noqa: F821
        return self._numpy.permutation(n)


POOL_SIZE = 4  # SeedSequence's


def _words(entropy: int | Sequence[int]) -> list[int]:
    """A seed as SeedSequence reads it: an integer's 32-bit words, least significant first; a sequence's in turn."""
    if isinstance(entropy, str):
        raise TypeError("a seed must be an integer or a sequence of integers")
    if isinstance(entropy, (int, np.integer)):
        value = int(entropy)
        if value < 0:
            raise ValueError("a seed must be a non-negative integer")
        words = [value & 0xFFFFFFFF]
        value >>= 32
        while value:
            words.append(value & 0xFFFFFFFF)
            value >>= 32
        return words
    return [word for part in entropy for word in _words(part)]


@dataclass(frozen=True, slots=True)
class Streams:
    """The run's named streams, one per process of the model."""

    district: Stream  # households' traits and ties
    handling: Stream  # petition offices, the hotline, courts, higher levels
    decisions: Stream  # residents' choices, acceptance of replies, learning
    collective: Stream  # groups' daily participation and the government's response to events
    grid: Stream  # grid patrols and mediation
    manager: Stream  # the district manager: interception, buy-offs, evaluation
    arrivals_seed: np.random.SeedSequence  # parent of the per-day arrival generators

    @classmethod
    def from_seed(cls, seed: int) -> Streams:
        children = np.random.SeedSequence(seed).spawn(len(fields(cls)))
        district, handling, decisions, collective, grid, manager = (
            Stream(np.random.default_rng(c)) for c in children[:6]
        )
        return cls(district, handling, decisions, collective, grid, manager, children[6])

    def arrivals_on(self, day: int) -> SeededGenerator:
        """The generator of one day's arrivals: a function of the seed and the day only."""
        parent = self.arrivals_seed
        return SeededGenerator(cast(int, parent.entropy), (*parent.spawn_key, 1 << 20, day))
