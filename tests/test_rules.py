"""Exact tests of the decision rules at known points and limits (no randomness)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from conflict_sim import rules


def test_full_legitimacy_means_no_grievance():
    """Epstein's limit: with L = 1 and no extensions, grievance is 0 whatever the stake."""
    assert rules.grievance(1.0, 1.0, phi=0, psi=0) == 0.0


def test_grievance_reduces_to_epstein():
    """With phi = psi = A = 0 the grievance is H(1 - L) (Epstein 2002)."""
    assert rules.grievance(0.6, 0.8, 0.9, 0.9, 0.0, phi=0, psi=0) == pytest.approx(0.6 * 0.2)


def test_grievance_adds_deprivation_overdue_and_hostility():
    """Each extension adds its weighted term (docs/model.md §7.2)."""
    g = rules.grievance(0.5, 0.5, deprivation=0.5, overdue=1.0, hostility=0.1, phi=0.2, psi=0.3)
    assert g == pytest.approx(0.25 + 0.1 + 0.3 + 0.1)


def test_epstein_k_gives_ninety_percent_at_one_to_one():
    """k = 2.3 makes P = 0.8997 when C = A = 1 (Epstein's calibration)."""
    assert rules.sanction_probability(1, 1, k=2.3, mode="raw") == pytest.approx(1 - math.exp(-2.3))


@pytest.mark.parametrize(("mode", "expected"), [("raw", 0.5), ("floor", 0.0), ("round", 0.0)])
def test_ratio_modes(mode, expected):
    """NetLogo's floor and Mesa's round zero the risk once actives outnumber cops (Epstein 2002)."""
    assert rules.ratio(1, 2, mode) == expected


def test_round_mode_at_three_to_two():
    """round(1.5) rounds to even (Python), floor drops the fraction."""
    assert rules.ratio(3, 2, "round") == 2.0
    assert rules.ratio(3, 2, "floor") == 1.0


def test_no_control_means_no_risk():
    """Without visible control there is nothing to fear."""
    assert rules.sanction_probability(0, 1) == 0.0


def test_voice_threshold():
    """Voice iff G - R P + loyalty (L - 0.5) > T, strictly."""
    assert rules.voices(0.3, 1.0, 0.0, 0.5, threshold=0.1, loyalty=0.0)
    assert not rules.voices(0.3, 1.0, 0.25, 0.5, threshold=0.1, loyalty=0.0)
    assert not rules.voices(0.1, 0.0, 0.0, 0.5, threshold=0.1, loyalty=0.0)
    assert rules.voices(0.1, 0.0, 0.0, 1.0, threshold=0.1, loyalty=0.2)  # loyalty tips it (Hirschman)


def test_logit_choice_limits():
    """The draw maps onto cumulative logit weights; a huge beta picks the best channel."""
    u = np.array([0.0, 1.0, 0.5])
    assert rules.logit_choice(u, 1000.0, 0.999) == 1
    assert rules.logit_choice(np.zeros(4), 1.0, 0.0) == 0
    assert rules.logit_choice(np.zeros(4), 1.0, 0.99) == 3


def test_logit_probabilities_match_formula():
    """Drawing over a fine grid of u reproduces exp(beta U) / sum exp(beta U)."""
    u = np.array([0.1, 0.3, 0.2])
    draws = np.array([rules.logit_choice(u, 8.0, x) for x in (np.arange(10_000) + 0.5) / 10_000])
    expected = np.exp(8 * u) / np.exp(8 * u).sum()
    np.testing.assert_allclose(np.bincount(draws, minlength=3) / 10_000, expected, atol=1e-3)


def test_acceptance_rises_with_justice_and_falls_with_stakes():
    """Tyler: fairer process and more trust raise acceptance; higher stakes lower it."""
    base = rules.acceptance_probability(0.5, 0.5, 0.5)
    assert rules.acceptance_probability(0.9, 0.5, 0.5) > base
    assert rules.acceptance_probability(0.5, 0.9, 0.5) > base
    assert rules.acceptance_probability(0.5, 0.5, 0.9) < base
    assert base == pytest.approx(1 / (1 + math.exp(-(-1 + 1.5 + 1 - 1))))


def test_legitimacy_update_fixed_point_and_bounds():
    """Procedural justice equal to legitimacy and no surprise leave it unchanged; it stays in [0, 1]."""
    assert rules.legitimacy_update(0.6, 0.6, 1.0, 1.0) == pytest.approx(0.6)
    assert rules.legitimacy_update(0.99, 1.0, 1.0, 0.0, eta_o=0.5) == 1.0
    assert rules.legitimacy_update(0.01, 0.0, 0.0, 1.0, eta_o=0.5) == 0.0


def test_fair_process_weighs_more_than_outcome():
    """With eta_pi > eta_o, a fair 'no' costs less trust than an unfair 'yes' gains (Tyler)."""
    fair_no = rules.legitimacy_update(0.5, 0.9, 0.0, 0.5)
    unfair_yes = rules.legitimacy_update(0.5, 0.1, 1.0, 0.5)
    assert fair_no > unfair_yes


def test_granovetter_uniform_thresholds_riot():
    """Thresholds 0, 1/100, ..., 99/100: everyone joins (Granovetter 1978)."""
    thresholds = np.arange(100) / 100
    assert rules.granovetter_cascade(thresholds, np.ones(100, bool)).sum() == 100


def test_granovetter_one_changed_threshold_stops_the_riot():
    """Change the threshold 1 to 2: only the instigator acts."""
    thresholds = np.arange(100) / 100
    thresholds[1] = 0.02
    assert rules.granovetter_cascade(thresholds, np.ones(100, bool)).sum() == 1


def test_unwilling_members_never_join():
    """Members below the grievance threshold stay home whatever the crowd."""
    willing = np.ones(10, bool)
    willing[5:] = False
    assert rules.granovetter_cascade(np.zeros(10), willing).sum() == 5


def test_belief_mean():
    """Beta posterior mean: prior counts plus observations."""
    assert rules.belief_mean(0, 0, 0.7, 2.0) == pytest.approx(0.7)
    assert rules.belief_mean(2, 0, 0.5, 2.0) == pytest.approx(0.75)


def test_decay_half_life():
    """A stock halves after one half-life."""
    assert rules.decayed(1.0, 30, 30) == pytest.approx(0.5)


def test_relative_deprivation():
    """Gurr: no deprivation when capability meets expectation."""
    assert rules.relative_deprivation(1.0, 1.0) == 0.0
    assert rules.relative_deprivation(1.0, 0.25) == pytest.approx(0.75)


def test_logit_choices_row_by_row_match_logit_choice():
    """The batched logit draws exactly what the single-row rule draws, over feasible columns only."""
    rng = np.random.default_rng(0)
    u = rng.normal(size=(50, 6))
    feasible = rng.random((50, 6)) < 0.7
    feasible[:, 0] = True
    draws = rng.random(50)
    picks = rules.logit_choices(u, feasible, 8.0, draws)
    for row in range(50):
        columns = np.flatnonzero(feasible[row])
        assert picks[row] == columns[rules.logit_choice(u[row, columns], 8.0, draws[row])]


def test_a_batchs_logit_weights_give_any_subsets_probabilities_bit_for_bit():
    """The deciders' choices and the probabilities of those who act share one set of weights (decide)."""
    rng = np.random.default_rng(1)
    u = rng.normal(size=(60, 15)) * 3
    feasible = rng.random((60, 15)) < 0.6
    feasible[:5] = False  # rows with nothing feasible
    subset = rng.random(60) < 0.5
    weights = rules.logit_weights(u, feasible, 4.0)
    assert np.array_equal(
        rules.probabilities_of(weights[subset]), rules.logit_probabilities(u[subset], feasible[subset], 4.0)
    )
    draws = rng.random(60)
    assert np.array_equal(rules.choices_of(weights, draws), rules.logit_choices(u, feasible, 4.0, draws))


def test_weighted_granovetter_counts_people():
    """Thresholds are shares of people: a member standing for many people moves the share by as many."""
    thresholds = np.array([0.0, 0.5, 0.8])
    willing = np.ones(3, dtype=bool)
    assert rules.granovetter_cascade(thresholds, willing, np.array([1.0, 1.0, 1.0])).tolist() == [True, False, False]
    assert rules.granovetter_cascade(thresholds, willing, np.array([5.0, 1.0, 1.0])).tolist() == [True, True, True]


def test_granovetter_shares_are_of_the_whole_group_when_some_stay_home():
    """Thresholds are shares of the whole group: people who stay home today lower the share that comes.

    Of 100 uniform thresholds everyone comes when all are there; with the 50 odd members at home the even
    ones are 1 in 2 of those present but their 2nd member (threshold 0.02) sees a share of 1/100 and stays.
    """
    thresholds = np.arange(100) / 100
    present = np.arange(100) % 2 == 0
    weights = present.astype(float)
    assert rules.granovetter_cascade(thresholds, present, weights).sum() == 50  # shares of those present
    assert rules.granovetter_cascade(thresholds, present, weights, total=100.0).sum() == 1
