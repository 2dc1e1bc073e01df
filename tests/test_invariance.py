"""The same district at any sample, reduced to the test budget: Chengzhong at 1:4 and 1:10 against 1:2 (1:10 is
a strict xfail with its diagnosis: the calibrated district is not the same at 1:10).

The full table (every outcome, three presets, 20 seeds, 3 years) is `python -m experiments.invariance`,
committed in docs/model.md section 8. Here: the catalogue's key outcomes, 10 seeds per sample, 545 days of
which the first 180 are a warm-up, Schuirmann's two one-sided tests (Welch, alpha 0.05) against each
outcome's declared equivalence margin, a difference shown only with the family-wise error held at 0.05
(Holm); samples are different districts, so the comparison is unpaired.
"""

from __future__ import annotations

import pytest

from conflict_sim.catalogue import CATALOGUE
from experiments import kernel_reference
from experiments.invariance import different_family_wise, table
from tests.conftest import simulation_workers

KEY = [name for name, metric in CATALOGUE.items() if metric.key]
SEEDS = 10


@pytest.fixture(scope="module")
def outcomes():
    """Chengzhong at 1:2, 1:4 and 1:10, 545 days (180 of warm-up), on the test's 10 seeds: a row per run."""
    return kernel_reference.runs(SEEDS, workers=simulation_workers())


@pytest.fixture(scope="module")
def verdicts(outcomes):
    found = table(outcomes)
    return found[found["outcome"].isin(KEY)]


# 1:10 is not the same district once calibrated (docs/model.md section 8): studies run at 1:4.
NOT_FAITHFUL_AT_10 = (
    "at 1:10 the calibrated district's median days to resolution is longer than at 1:2 (here 70 against 59 days; "
    "93.6 against 80.2, +17 %, on the full table's 20 seeds of 3 years). Mediation works near capacity there "
    "(doubling it cuts the median from about 70 to 47 days and halves the gap; fengqiao_grid, with more "
    "mediators, is equivalent at 1:10), and a queue near capacity waits longer when its cases arrive in lumps "
    "of 10 households; the rarer disruptive events of the calibrated district leave fewer key outcomes shown "
    "equivalent (7 of 16). 1:4 is not shown different (docs/model.md section 8; 4 December 2026)"
)
SAMPLES = ["1:4", pytest.param("1:10", marks=pytest.mark.xfail(strict=True, reason=NOT_FAITHFUL_AT_10))]


@pytest.mark.slow
@pytest.mark.parametrize("sample", SAMPLES)
def test_no_key_outcome_differs_from_the_finest_sample(verdicts, sample):
    """No key outcome at the sample is shown different from 1:2, the family-wise error held at 0.05 (Holm over
    the 32 tests of both samples: one outcome in twenty would read as different by chance at 0.05 each, the
    more so with rare, bursty counts on few seeds: on 6 seeds, mass incidents and non-normal acts read as
    different at p = 0.03 each, while 20 seeds over 3 years show them equal, docs/model.md section 8)."""
    assert len(verdicts) == 2 * len(KEY)
    different = different_family_wise(verdicts)
    different = different[different["sample"] == sample]
    columns = ["sample", "outcome", "reference", "value", "low", "high", "margin", "p_different"]
    assert different.empty, different[columns].to_string()


@pytest.mark.slow
@pytest.mark.parametrize("sample", SAMPLES)
def test_most_key_outcomes_are_shown_equivalent(verdicts, sample):
    """Wide intervals must not pass the test above by saying nothing: a majority of the key outcomes are
    shown equivalent (the full run of docs/model.md section 8 shows 59 of 84 equivalent at 1:4)."""
    rows = verdicts[verdicts["sample"] == sample]
    equivalent = rows["verdict"].eq("equivalent")
    assert equivalent.mean() > 0.5, rows.loc[~equivalent, ["outcome", "verdict", "detectable", "margin"]].to_string()


@pytest.mark.slow
def test_the_kernel_keeps_the_outcomes_of_its_kept_reference(outcomes):
    """The runs above against the kept kernel reference (tests/golden/kernel_reference.csv: the same
    configuration on 30 other seeds, `python -m experiments.kernel_reference`): no key outcome at any sample
    shown different with the family-wise error at 0.05 (Holm over the 48 tests), and a majority shown
    equivalent at 1:2 and 1:4 (the reference's own kernel gives 10 and 11 of 16; 8 at 1:10, where rare events
    leave wide intervals). A kernel that draws its numbers in another order keeps the outcomes' distribution,
    not their values: this is the test it must pass against the old reference before it lands."""
    reference = kernel_reference.read_reference()
    assert sorted(reference["k"].unique()) == list(kernel_reference.SAMPLES)
    assert reference.groupby("k")["seed"].nunique().eq(kernel_reference.REFERENCE_SEEDS).all()
    assert not set(reference["seed"]) & set(outcomes["seed"]), "the two seed sets must be disjoint"
    found = kernel_reference.compare(reference, outcomes)
    found = found[found["outcome"].isin(KEY)]
    assert len(found) == len(kernel_reference.SAMPLES) * len(KEY)
    different = different_family_wise(found)
    columns = ["sample", "outcome", "reference", "value", "low", "high", "margin", "p_different"]
    hint = "\n(a change meant to move outcomes writes a new reference: python -m experiments.kernel_reference --write)"
    assert different.empty, different[columns].to_string() + hint
    shares = (
        found[found["sample"].isin(["1:2", "1:4"])]
        .groupby("sample")["verdict"]
        .apply(lambda v: v.eq("equivalent").mean())
    )
    assert (shares > 0.5).all(), shares.to_string() + hint


@pytest.mark.parametrize(
    ("assignment", "named"),
    [("adaptive_manager=maybe", "adaptive_manager"), ("interception_base=7", "interception_base")],
)
def test_script_refuses_a_bad_change_in_one_line(assignment, named, tmp_path, capsys):
    """`--set` is checked before any run: one line naming the field, exit code 2, nothing written."""
    from experiments.invariance import main

    with pytest.raises(SystemExit) as stop:
        main(
            [
                "--presets",
                "tiny",
                "--samples",
                "50",
                "--seeds",
                "1",
                "--days",
                "5",
                "--set",
                assignment,
                "--out",
                str(tmp_path / "out"),
            ]
        )
    err = capsys.readouterr().err
    assert stop.value.code == 2 and named in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_reference_script_refuses_too_few_seeds_in_one_line(capsys):
    """`--seeds` below 2 leaves no variance to compare: one line naming the option, exit code 2, nothing run."""
    from experiments.kernel_reference import main

    with pytest.raises(SystemExit) as stop:
        main(["--seeds", "1", "--write"])
    err = capsys.readouterr().err
    assert stop.value.code == 2 and "--seeds" in err and len(err.strip().splitlines()) == 1
