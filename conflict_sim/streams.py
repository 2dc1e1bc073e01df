"""Independent named random streams, all spawned from a run's one seed.

Every process of the model draws from its own stream (NumPy `SeedSequence.spawn`), so a policy that
changes decisions cannot change which issues arrive: two arms of a comparison run on the same seed meet
the same disputes (common random numbers). Issue arrivals go further: each day has its own generator,
derived from the seed and the day alone, so the arrivals of a day do not depend on anything that
happened before it.

Single draws go through `Stream`, which hands out numbers from blocks drawn in advance: a NumPy call
costs about half a microsecond, a number from a block about a twentieth of that.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

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
        return 1 + int(math.log(1.0 - self.random()) / math.log(1.0 - p))

    def gamma_mean(self, mean: float, cv: float) -> float:
        """A Gamma draw with a given mean and coefficient of variation (cv 0: the mean)."""
        if cv <= 0:
            return mean
        shape = 1.0 / cv**2
        return float(self.generator.gamma(shape, mean / shape))


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

    def arrivals_on(self, day: int) -> np.random.Generator:
        """The generator of one day's arrivals: a function of the seed and the day only."""
        parent = self.arrivals_seed
        return np.random.default_rng(
            np.random.SeedSequence(parent.entropy, spawn_key=(*parent.spawn_key, 1 << 20, day))
        )
