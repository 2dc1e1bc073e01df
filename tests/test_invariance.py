"""The same district at any sample, reduced to the test budget: Chengzhong at 1:4 and 1:10 against 1:2.

The full table (every outcome, three presets, 10 seeds, 3 years) is `python -m experiments.invariance`,
committed in docs/model.md section 8. Here: the catalogue's key outcomes, 6 seeds per sample, 545 days of
which the first 180 are a warm-up, Schuirmann's two one-sided tests (Welch, alpha 0.05) against each
outcome's declared equivalence margin; samples are different districts, so the comparison is unpaired.
"""

from __future__ import annotations

import pytest

from conflict_sim.catalogue import CATALOGUE
from experiments.invariance import run, table

KEY = [name for name, metric in CATALOGUE.items() if metric.key]
SEEDS, DAYS, WARMUP = 6, 545, 180


@pytest.fixture(scope="module")
def verdicts():
    found = table(run(["chengzhong"], [2, 4, 10], SEEDS, DAYS, WARMUP, workers=2))
    return found[found["outcome"].isin(KEY)]


# Both samples fail since the model fixes of 3 December 2026 (docs/model.md section 8): a strict xfail carrying
# the measured diagnosis, so that the suite says so when a fix makes them pass.
MANAGER_PATH = (
    "since the model fixes of 3 December 2026 the district manager takes another path at coarser samples: the "
    "interception share, a function of its control share alone, is 0.37 at 1:4 and 0.38 at 1:10 against 0.26 at "
    "1:2 (here; 0.48 against 0.37 in the full 10-seed run), and at 1:4 non-normal acts and buy-offs follow it; its "
    "quarterly hill-climbing reads a score whose noise depends on the sample (a candidate, not yet tested: the "
    "overdue term is the sample's stock times K, not imputed)"
)


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason=MANAGER_PATH)
@pytest.mark.parametrize("sample", ["1:4", "1:10"])
def test_no_key_outcome_differs_from_the_finest_sample(verdicts, sample):
    """No key outcome's 90 % interval of the difference lies wholly outside its margin."""
    rows = verdicts[verdicts["sample"] == sample]
    assert len(rows) == len(KEY)
    different = rows[rows["verdict"] == "different"]
    assert different.empty, different[["outcome", "reference", "value", "low", "high", "margin"]].to_string()


@pytest.mark.slow
@pytest.mark.parametrize("sample", ["1:4", "1:10"])
def test_most_key_outcomes_are_shown_equivalent(verdicts, sample):
    """Wide intervals must not pass the test above by saying nothing: a majority of the key outcomes are
    shown equivalent (the full run of docs/model.md section 8 shows 59 of 84 equivalent at 1:4)."""
    rows = verdicts[verdicts["sample"] == sample]
    equivalent = rows["verdict"].eq("equivalent")
    assert equivalent.mean() > 0.5, rows.loc[~equivalent, ["outcome", "verdict", "detectable", "margin"]].to_string()


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
