"""Gaussian-process emulators of the calibration targets and the implausibility they imply.

One scikit-learn `GaussianProcessRegressor` per target, on the calibrated parameters scaled to
[0, 1] by their priors: a constant times an anisotropic Matern 5/2 kernel (one length scale per
parameter, so an inactive parameter gets a long one) plus a white-noise term that absorbs the
seed-to-seed spread of single runs. The implausibility of a target at x is the distance of the
emulator's mean from the observed range, in standard deviations of the emulator's prediction (which
includes the fitted run-to-run noise): I(x) = max(0, low - m(x), m(x) - high) / s(x) (Vernon,
Goldstein & Bower 2010, with a range instead of a point observation). A point is non-implausible if
its largest implausibility over the targets is below the cut-off (3 by Pukelsheim's three-sigma rule).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from conflict_sim.calibration.config import Target


@dataclass(frozen=True)
class Emulators:
    """Fitted emulators of every target over the parameters `names` with prior `bounds`."""

    names: tuple[str, ...]
    bounds: Mapping[str, tuple[float, float]]
    models: Mapping[str, Any]

    def scaled(self, x: np.ndarray) -> np.ndarray:
        lo = np.array([self.bounds[n][0] for n in self.names])
        hi = np.array([self.bounds[n][1] for n in self.names])
        return (np.asarray(x, float) - lo) / (hi - lo)

    def predict(self, x: np.ndarray, target: str) -> tuple[np.ndarray, np.ndarray]:
        """Mean and standard deviation of the target at each row of `x` (parameters in `names` order)."""
        mean, sd = self.models[target].predict(self.scaled(x), return_std=True)
        return mean, np.maximum(sd, 1e-12)

    def implausibility(self, x: np.ndarray, targets: Sequence[Target]) -> np.ndarray:
        """One column per target: how far outside its range the emulator puts each row of `x`, in SDs."""
        columns = []
        for t in targets:
            mean, sd = self.predict(x, t.name)
            columns.append(distance(mean, t) / sd)
        return np.column_stack(columns)

    def length_scales(self, target: str) -> dict[str, float]:
        """The fitted length scale of each parameter (on the [0, 1] prior scale): long means inactive."""
        kernel = self.models[target].kernel_
        scales = np.atleast_1d(kernel.k1.k2.length_scale)
        return dict(zip(self.names, map(float, scales), strict=True))


def distance(values: np.ndarray, target: Target) -> np.ndarray:
    """How far each value lies outside the target's range (0 inside)."""
    values = np.asarray(values, float)
    return np.maximum(0.0, np.maximum(target.low - values, values - target.high))


def fit(
    x: np.ndarray,
    y: Mapping[str, np.ndarray],
    names: Sequence[str],
    bounds: Mapping[str, tuple[float, float]],
    seed: int,
) -> Emulators:
    """Fit one GP per target to the simulated points `x` (rows) and their values `y[target]`."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.gaussian_process import GaussianProcessRegressor
    from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel

    shell = Emulators(tuple(names), dict(bounds), {})
    inputs = shell.scaled(x)
    models = {}
    for k, (target, values) in enumerate(y.items()):
        kernel = ConstantKernel(1.0, (1e-3, 1e3)) * Matern(np.full(len(names), 0.5), (1e-2, 1e2), nu=2.5) + WhiteKernel(
            1e-2, (1e-8, 1e1)
        )
        model = GaussianProcessRegressor(kernel, normalize_y=True, n_restarts_optimizer=3, random_state=seed + k)
        with warnings.catch_warnings():
            # a length scale at its upper bound is the expected fit of an inactive parameter, not an error
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(inputs, np.asarray(values, float))
        models[target] = model
    return Emulators(tuple(names), dict(bounds), models)
