"""The decision rules as small pure functions, each with its source (petition-system.md, 3 and 5.4).

Agents call these; tests check them at known points and limits.
"""

from __future__ import annotations

import math

import numpy as np


def grievance(
    severity: float,
    legitimacy: float,
    deprivation: float = 0.0,
    overdue: float = 0.0,
    hostility: float = 0.0,
    *,
    phi: float = 0.2,
    psi: float = 0.3,
) -> float:
    """Section 5.4 eq. 1: G = s(1 - L) + phi*RD + psi*W + A; with phi = psi = A = 0 it is Epstein's H(1 - L)."""
    return severity * (1.0 - legitimacy) + phi * deprivation + psi * overdue + hostility


def relative_deprivation(expectation, capability):
    """Gurr (3.4): RD = max(0, E - V) / E, for expectations E > 0; works on arrays."""
    return np.maximum(0.0, expectation - capability) / expectation


def overdue_waiting(days_overdue: float) -> float:
    """W = max(0, t - due) / 60, capped at 1 (5.4)."""
    return min(1.0, max(0.0, days_overdue) / 60.0)


def ratio(cops: float, actives: float, mode: str) -> float:
    """C/A as it enters the arrest equation: raw, NetLogo's floor, or Mesa's round (3.6)."""
    value = cops / max(actives, 1.0)
    if mode == "floor":
        return float(math.floor(value))
    if mode == "round":
        return float(round(value))
    return value


def sanction_probability(cops: float, actives: float, *, k: float = 2.3, mode: str = "round") -> float:
    """Epstein (2002): P = 1 - exp(-k * f(C / A)), A counting the agent itself."""
    return 1.0 - math.exp(-k * ratio(cops, actives, mode))


def voices(
    grievance_: float,
    risk_aversion: float,
    sanction: float,
    legitimacy: float,
    *,
    threshold: float = 0.1,
    loyalty: float = 0.2,
) -> bool:
    """Epstein/Hirschman voice rule: G - R*P + loyalty*(L - 0.5) > T (5.4 eq. 2)."""
    return grievance_ - risk_aversion * sanction + loyalty * (legitimacy - 0.5) > threshold


def logit_choice(utilities: np.ndarray, beta: float, u: float) -> int:
    """Index drawn from P(a) = exp(beta U_a) / sum_b exp(beta U_b), given a uniform draw `u`."""
    z = beta * (utilities - utilities.max())
    weights = np.exp(z)
    cumulative = np.cumsum(weights)
    return int(np.searchsorted(cumulative, u * cumulative[-1], side="right"))


def acceptance_probability(
    justice: float,
    legitimacy: float,
    severity: float,
    *,
    b0: float = -1.0,
    b1: float = 3.0,
    b2: float = 2.0,
    b3: float = 2.0,
) -> float:
    """Tyler (3.8): P(accept unfavourable reply) = sigma(b0 + b1*pi + b2*L - b3*s)."""
    return 1.0 / (1.0 + math.exp(-(b0 + b1 * justice + b2 * legitimacy - b3 * severity)))


def legitimacy_update(
    legitimacy, justice: float, outcome: float, expected: float, *, eta_pi: float = 0.10, eta_o: float = 0.05
):
    """Tyler (3.8): L + eta_pi (pi - L) + eta_o (o - o_hat), kept in [0, 1]; L may be an array."""
    return np.clip(legitimacy + eta_pi * (justice - legitimacy) + eta_o * (outcome - expected), 0.0, 1.0)


def belief_mean(successes, failures, prior_mean, strength: float):
    """Posterior mean of a Beta belief with prior Beta(strength*m, strength*(1-m)); works on arrays."""
    return (strength * prior_mean + successes) / (strength + successes + failures)


def granovetter_cascade(thresholds: np.ndarray, willing: np.ndarray) -> np.ndarray:
    """Granovetter (1978): iterate r <- F(r) from the instigators; returns who is active at rest.

    `willing` marks members whose net grievance clears the voice threshold; only they can join.
    """
    n = len(thresholds)
    active = willing & (thresholds <= 0.0)
    while True:
        share = active.sum() / n
        nxt = willing & (thresholds <= share)
        if nxt.sum() == active.sum():
            return nxt
        active = nxt


def decayed(value: float, days: float, half_life: float) -> float:
    """A stock that halves every `half_life` days, brought up to date lazily."""
    return value * 0.5 ** (days / half_life)


def disruption_probability(hostility, grievance_, *, a0: float = -4.0, a1: float = 4.0):
    """Coser (3.1): p_intense = sigma(a0 + a1 (A + G)); accumulated hostility drives intense acts."""
    return 1.0 / (1.0 + np.exp(-(a0 + a1 * (hostility + grievance_))))
