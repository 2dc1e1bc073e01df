"""The decision rules as small pure functions, each with its source.

Agents call these; tests check them at known points and limits. Most accept scalars or NumPy arrays.
"""

from __future__ import annotations

import math

import numpy as np


def grievance(severity, legitimacy, deprivation=0.0, overdue=0.0, hostility=0.0, *, phi=0.2, psi=0.3):
    """G = s(1 - L) + phi*RD + psi*W + A; with phi = psi = A = 0 it is Epstein's (2002) H(1 - L)."""
    return severity * (1.0 - legitimacy) + phi * deprivation + psi * overdue + hostility


def relative_deprivation(expectation, capability):
    """Gurr (1970): RD = max(0, E - V) / E, for expectations E > 0; works on arrays."""
    return np.maximum(0.0, expectation - capability) / expectation


def overdue_waiting(days_overdue):
    """W = max(0, t - due) / 60, capped at 1: waiting past a due date adds to grievance."""
    return np.minimum(1.0, np.maximum(0.0, days_overdue) / 60.0)


def ratio(cops: float, actives: float, mode: str) -> float:
    """C/A as it enters the arrest equation: raw, NetLogo's floor, or Mesa's round (Epstein 2002)."""
    value = cops / max(actives, 1.0)
    if mode == "floor":
        return float(math.floor(value))
    if mode == "round":
        return float(round(value))
    return value


def sanction_probability(cops: float, actives: float, *, k: float = 2.3, mode: str = "round") -> float:
    """Epstein (2002): P = 1 - exp(-k * f(C / A)), A counting the agent itself."""
    return 1.0 - math.exp(-k * ratio(cops, actives, mode))


def voices(grievance_, risk_aversion, sanction, legitimacy, *, threshold=0.1, loyalty=0.2):
    """Epstein/Hirschman voice rule: G - R*P + loyalty*(L - 0.5) > T."""
    return grievance_ - risk_aversion * sanction + loyalty * (legitimacy - 0.5) > threshold


def logit_choice(utilities: np.ndarray, beta: float, u: float) -> int:
    """Index drawn from P(a) = exp(beta U_a) / sum_b exp(beta U_b), given a uniform draw `u`."""
    z = beta * (utilities - utilities.max())
    cumulative = np.cumsum(np.exp(z))
    return int(np.searchsorted(cumulative, u * cumulative[-1], side="right"))


def logit_weights(utilities: np.ndarray, feasible: np.ndarray, beta: float) -> np.ndarray:
    """exp(beta U) over the feasible columns, shifted by each row's largest utility (zero elsewhere).

    Row by row: a row's weights do not depend on the other rows, so the weights of a batch serve both its
    choices and the probabilities of any subset of its rows.
    """
    masked = np.where(feasible, utilities, -np.inf)
    top = masked.max(axis=1, keepdims=True)
    return np.where(feasible, np.exp(beta * (masked - np.where(np.isfinite(top), top, 0.0))), 0.0)


def logit_probabilities(utilities: np.ndarray, feasible: np.ndarray, beta: float) -> np.ndarray:
    """Row-wise multinomial logit probabilities over the feasible columns (a row with none feasible: zeros)."""
    return probabilities_of(logit_weights(utilities, feasible, beta))


def probabilities_of(weights: np.ndarray) -> np.ndarray:
    """`logit_probabilities` from the rows' `logit_weights`."""
    total = weights.sum(axis=1, keepdims=True)
    return np.divide(weights, total, out=np.zeros_like(weights), where=total > 0)


def logit_choices(utilities: np.ndarray, feasible: np.ndarray, beta: float, u: np.ndarray) -> np.ndarray:
    """Row-wise `logit_choice` over the feasible columns of a utility matrix; -1 where nothing is feasible."""
    return choices_of(logit_weights(utilities, feasible, beta), u)


def choices_of(weights: np.ndarray, u: np.ndarray) -> np.ndarray:
    """`logit_choices` from the rows' `logit_weights` and one uniform draw a row."""
    cumulative = np.cumsum(weights, axis=1)
    total = cumulative[:, -1:]
    picks = (cumulative <= u[:, None] * total).sum(axis=1)
    return np.where(total[:, 0] > 0, np.minimum(picks, weights.shape[1] - 1), -1)


def acceptance_probability(justice, legitimacy, severity, *, b0=-1.0, b1=3.0, b2=2.0, b3=2.0):
    """Tyler (2006), docs/model.md: P(accept an unfavourable reply) = sigma(b0 + b1*pi + b2*L - b3*s)."""
    return 1.0 / (1.0 + np.exp(-(b0 + b1 * justice + b2 * legitimacy - b3 * severity)))


def legitimacy_update(legitimacy, justice, outcome, expected, *, eta_pi=0.10, eta_o=0.05):
    """Tyler (1990): L + eta_pi (pi - L) + eta_o (o - o_hat), kept in [0, 1]; L may be an array."""
    return np.clip(legitimacy + eta_pi * (justice - legitimacy) + eta_o * (outcome - expected), 0.0, 1.0)


def belief_mean(successes, failures, prior_mean, strength: float):
    """Posterior mean of a Beta belief with prior Beta(strength*m, strength*(1-m)); works on arrays."""
    return (strength * prior_mean + successes) / (strength + successes + failures)


def granovetter_cascade(
    thresholds: np.ndarray, willing: np.ndarray, weights: np.ndarray | None = None, total: float | None = None
) -> np.ndarray:
    """Granovetter (1978): iterate r <- F(r) from the instigators; returns who is active at rest.

    `willing` marks members whose net grievance clears the threshold; only they can join. `weights`
    are the people each member brings: thresholds are shares of the group's `total` people (by default
    all of the weights).
    """
    w = np.ones(len(thresholds)) if weights is None else weights
    total = w.sum() if total is None else total
    active = willing & (thresholds <= 0.0)
    while True:
        share = w[active].sum() / total
        nxt = willing & (thresholds <= share)
        if nxt.sum() == active.sum():
            return nxt
        active = nxt


def decayed(value, days, half_life: float):
    """A stock that halves every `half_life` days, brought up to date lazily."""
    return value * 0.5 ** (days / half_life)


def disruption_probability(hostility, grievance_, *, a0=-4.0, a1=4.0):
    """Coser (1956) as p_intense = sigma(a0 + a1 (A + G)): accumulated hostility drives intense acts."""
    return 1.0 / (1.0 + np.exp(-(a0 + a1 * (hostility + grievance_))))


def concession_pressure(people: float, large: float) -> float:
    """Cai (2010): bigger events extract concessions, up to certainty at a large incident's size."""
    return min(1.0, people / large)
