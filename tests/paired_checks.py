"""Paired checks at the faithful sample (the district of `experiments.dead_parameters.DISTRICT` at 1:4, common
random numbers: the district before calibration, where every mechanism has petitions to act on), shared by the two
modules that run them: `test_parameters_move.py` (single parameters) and `test_mechanisms.py` (one check
per mechanism). They are two modules so that `make test` can run them on different cores.

Margin: the mean paired difference (high minus low) lies beyond 3 standard errors in the declared
direction over 6 paired seeds (a z of 3 on 5 degrees of freedom is p < 0.02 one-sided), or over more
for a check whose effect is small against the spread between seeds. A check that falls short carries
its measured diagnosis as a strict xfail, so that the suite says so when a change makes it pass.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest

from conflict_sim.params import Params
from conflict_sim.scenarios import load
from experiments.dead_parameters import DISTRICT, SAMPLE, Check, Result, run_checks
from tests.conftest import simulation_workers

SEEDS, DAYS, WARMUP = 6, 450, 150


def faithful() -> Params:
    return load(DISTRICT).params.replace(households_per_agent=SAMPLE)


def results(*batches: tuple[Sequence[Check], int]) -> dict[str, Result]:
    """Every check's paired differences, one batch of runs per seed count (identical arms run once)."""
    base = faithful()
    return {
        r.check.label: r
        for checks, seeds in batches
        for r in run_checks(checks, base, seeds, DAYS, WARMUP, simulation_workers())
    }


def cases(checks: Sequence[Check], falls_short: Mapping[str, str]) -> list:
    """The checks as test parameters, those that fall short as strict xfails with their diagnosis."""
    return [
        pytest.param(c, marks=[pytest.mark.xfail(strict=True, reason=falls_short[c.label])])
        if c.label in falls_short
        else c
        for c in checks
    ]


def assert_moves(found: Mapping[str, Result], check: Check) -> None:
    """The change moves its outcome the declared way by more than 3 standard errors of paired differences."""
    r = found[check.label]
    moved = abs(r.z) > 3 if check.sign == 0 else check.sign * r.z > 3
    assert moved, f"{check.label}: {check.outcome} {r.mean:+.4g} ± {r.se:.2g} (z = {r.z:+.1f}, n = {len(r.diffs)})"
