"""Districts side by side: `compare A,B` end to end, the pairing structure, the transfer statistic, bad input."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import ipywidgets
import numpy as np
import pandas as pd
import pytest
import solara
from scipy import stats

from conflict_sim import comparisons, experiment, runner
from conflict_sim.analysis import statistics as st
from conflict_sim.analysis import transfer
from conflict_sim.analysis.arms import DAILY
from conflict_sim.analysis.catalogue import describe
from conflict_sim.analysis.comparison import compare
from conflict_sim.analysis.study import Study
from conflict_sim.cli import main
from conflict_sim.errors import ExperimentError
from conflict_sim.store import load
from conflict_sim.viz import explorer
from conflict_sim.viz import explorer_views as ev
from conflict_sim.viz.stored import open_results
from tests.test_explorer import choose_view, wait_for_titles
from tests.test_report import digests

ARMS = "baseline,fengqiao_grid"
SMALL = "households_per_agent=200"  # about 620 household agents in Chengzhong, 930 in Chengdong
DAYS, REPLICATIONS, SEED = 60, 3, 1
RESOLUTION = "substantive_resolution_rate"


@pytest.fixture(scope="module")
def transferred(tmp_path_factory):
    """`conflict-sim compare chengzhong,chengdong`: 2 districts x 2 arms x 3 replications x 60 days, one worker."""
    out = tmp_path_factory.mktemp("transfer") / "districts"
    code = main(
        [
            "compare",
            "chengzhong,chengdong",
            "--arms",
            ARMS,
            "--replications",
            str(REPLICATIONS),
            "--days",
            str(DAYS),
            "--seed",
            str(SEED),
            "--workers",
            "1",
            "--set",
            SMALL,
            "--out",
            str(out),
        ]
    )
    assert code == 0
    return out


def test_districts_side_by_side_write_the_per_district_comparison_and_the_transfer(transferred):
    """The report has each district's paired comparison and the transfer table and figure, in every format."""
    report = transferred / "report"
    page = (report / "report.html").read_text()
    assert "Policy transfer across chengzhong, chengdong: 1 arm against baseline" in page
    for section in ("table-comparison", "table-transfer", "table-appendix_transfer", "figure-transfer"):
        assert f"id='{section}'" in page
    markdown = (report / "report.md").read_text()
    assert "(fengqiao_grid; scenario = chengzhong)" in markdown and "(fengqiao_grid; scenario = chengdong)" in markdown
    assert "scenarios have their own seed sets and are not paired with each other" in markdown
    assert "Welch" in markdown and "Satterthwaite" in markdown  # the method and its source, in Methods
    for path in ("tables/transfer.csv", "tables/transfer.md", "tables/transfer.tex", "figures/transfer.pdf"):
        assert (report / path).stat().st_size > 0, path
    assert "\\pm" in (report / "tables/transfer.tex").read_text()
    table = pd.read_csv(report / "tables/transfer.csv")
    comparison = pd.read_csv(report / "tables/comparison.csv")
    assert set(table["home"]) == {"chengzhong"} and set(table["scenario"]) == {"chengdong"}
    assert set(table["outcome"]) == set(comparison["outcome"])  # every outcome, main and appendix
    # each district's effect in the transfer table is that district's paired difference in the comparison
    effect = comparison.set_index(["point", "outcome"])["mean_diff"]
    row = table.set_index("outcome").loc[RESOLUTION]
    assert row["effect_home"] == pytest.approx(effect[(0, RESOLUTION)], rel=1e-9)  # CSV keeps 10 digits
    assert row["effect_other"] == pytest.approx(effect[(1, RESOLUTION)], rel=1e-9)
    assert row["mean_diff"] == pytest.approx(row["effect_other"] - row["effect_home"], rel=1e-9, abs=1e-12)
    assert set(table["reading"]) <= set(transfer.READINGS.values())


def test_arms_of_a_district_share_seeds_and_arrivals_and_districts_share_neither(transferred):
    """Within a district every arm of replication r has the same seed and the same new issues; the two
    districts' seed sets are disjoint, and the manifest lists each district's own."""
    results = load(transferred)
    runs = results.runs.merge(results.outcomes[["run_key", "issues_per_year"]], on="run_key")
    within = runs.groupby(["scenario", "replication"])[["seed", "issues_per_year"]].nunique()
    assert (within == 1).all().all()
    # ... while new issues differ between replications: equal arrivals within a replication come from its seed
    assert (runs.groupby("scenario")["issues_per_year"].nunique() > 1).all()
    seeds = runs.groupby("scenario")["seed"].apply(set)
    assert len(seeds["chengzhong"]) == REPLICATIONS and not seeds["chengzhong"] & seeds["chengdong"]
    manifest = json.loads((transferred / "manifest.json").read_text())
    assert manifest["seed_sets"] == "per_scenario"
    assert {k: set(v) for k, v in manifest["seeds"].items()} == dict(seeds)


def test_the_difference_of_effects_is_welch_on_the_stored_outcomes(transferred):
    """The transfer table's difference, SE, df, interval and raw p for every comparable outcome equal Welch's
    formulas applied by hand to the stored outcomes: per district, the arm's value minus the baseline's in the
    same replication, then the two districts' differences as independent samples."""
    results = load(transferred)
    stored = results.runs.merge(results.outcomes, on="run_key")
    table = pd.read_csv(transferred / "report" / "tables" / "transfer.csv").set_index("outcome")
    checked = 0
    for name, row in table[table["comparable"] & table["df"].notna()].iterrows():
        samples = {}
        for scenario in ("chengzhong", "chengdong"):
            wide = stored[stored["scenario"] == scenario].pivot(index="replication", columns="arm", values=name)
            samples[scenario] = (wide["fengqiao_grid"] - wide["baseline"]).dropna().to_numpy()
        x, y = samples["chengdong"], samples["chengzhong"]
        vx, vy = x.var(ddof=1) / len(x), y.var(ddof=1) / len(y)
        se = (vx + vy) ** 0.5
        df = (vx + vy) ** 2 / (vx**2 / (len(x) - 1) + vy**2 / (len(y) - 1))
        half = stats.t.ppf(0.975, df) * se
        diff = x.mean() - y.mean()
        p = 2 * stats.t.sf(abs(diff) / se, df)
        # the CSV keeps 10 significant digits: 1e-9 relative is its rounding, not a tolerance on the method
        found = row[["mean_diff", "se", "df", "diff_low", "diff_high", "p_welch"]].to_numpy(float)
        assert found == pytest.approx([diff, se, df, diff - half, diff + half, p], rel=1e-9, abs=1e-12), name
        assert row["effect_other"] == pytest.approx(x.mean(), rel=1e-9, abs=1e-12)
        assert row["se_other"] == pytest.approx(x.std(ddof=1) / len(x) ** 0.5, rel=1e-9, abs=1e-12)
        checked += 1
    assert checked >= 3  # outcomes whose effects vary in both districts: the hand computation is not vacuous


def test_the_home_district_runs_are_those_of_a_plain_comparison(transferred, tmp_path):
    """The first district keeps the common seeds: its runs equal `compare chengzhong` with the same root seed."""
    single = comparisons.comparison(
        "chengzhong",
        ARMS.split(","),
        replications=1,
        days=DAYS,
        warmup_days=DAYS // 3,
        root_seed=SEED,
        overrides={"households_per_agent": 200},
        daily=DAILY,
    )
    runner.run_experiment(single, tmp_path / "single", runner.sequential())
    alone = load(tmp_path / "single")
    both = load(transferred)
    keys = ["p0-a0-r0", "p0-a1-r0"]
    assert list(alone.runs.set_index("run_key").loc[keys, "seed"]) == list(
        both.runs.set_index("run_key").loc[keys, "seed"]
    )
    pd.testing.assert_frame_equal(
        alone.outcomes.set_index("run_key").loc[keys], both.outcomes.set_index("run_key").loc[keys]
    )


def test_report_redraws_the_transfer_from_stored_results(transferred, capsys):
    """`conflict-sim report` on the folder writes the same files again, byte for byte."""
    before = digests(transferred / "report")
    assert main(["report", str(transferred)]) == 0
    assert "report.html" in capsys.readouterr().out
    assert digests(transferred / "report") == before


def test_the_explorer_opens_the_folder_and_draws_effects_by_scenario(transferred):
    """The explorer offers the effects-by-scenario view (the report's figure and numbers) and names the district
    of a per-district view."""
    results = open_results(transferred)
    assert "transfer" in ev.views_for(results)
    view = ev.transfer_view(results, [RESOLUTION], ["baseline", "fengqiao_grid"], "baseline")
    assert list(view.table["outcome"]) == [RESOLUTION] and list(view.table["scenario"]) == ["chengdong"]
    report = pd.read_csv(transferred / "report" / "tables" / "transfer.csv").set_index("outcome").loc[RESOLUTION]
    assert view.table.iloc[0]["mean_diff"] == pytest.approx(report["mean_diff"], rel=1e-9)
    assert view.image("png", dpi=50)[:4] == b"\x89PNG"
    views = ev.arms_views(results, [RESOLUTION], ["baseline", "fengqiao_grid"], "baseline", point=1)
    assert all(v.title.endswith("at scenario = chengdong") for v in views)


def test_the_explorer_page_opens_the_folder_and_draws_effects_by_scenario(transferred):
    """The explorer page opens the stored folder (the outcomes by scenario first) and draws the effects-by-scenario
    view as a PNG."""
    _box, rc = solara.render(explorer.Explorer(str(transferred)), handle_error=False)
    wait_for_titles(rc, ["Outcomes by scenario"])  # the first view: the outcomes against the design's parameter
    choose_view(rc, explorer.VIEWS["transfer"])
    wait_for_titles(rc, ["Effects by scenario"])
    images = rc.find(ipywidgets.Image).widgets
    assert len(images) == 1 and bytes(images[0].value).startswith(b"\x89PNG")


def test_plan_shows_the_runs_of_both_districts_and_writes_nothing(tmp_path, capsys):
    """`--plan` on districts side by side counts every district's runs and creates no folder."""
    out = tmp_path / "plan"
    args = ["compare", "chengzhong,chengdong", "--arms", ARMS, "--replications", "2", "--set", SMALL]
    assert main([*args, "--plan", "--out", str(out)]) == 0
    assert "8 of 8 runs to do" in capsys.readouterr().out and not out.exists()


# --- the transfer statistic ----------------------------------------------------------------------


def test_welch_on_a_hand_computed_example():
    """x = 1, 2, 3, 4 and y = 2, 4, 6: SE² = 5/12 + 4/3 = 7/4 and df = (7/4)² / ((5/12)²/3 + (4/3)²/2) = 1323/409,
    computed here in exact fractions; interval and p agree with scipy's Welch test."""
    x, y = np.array([1.0, 2.0, 3.0, 4.0]), np.array([2.0, 4.0, 6.0])
    vx, vy = Fraction(5, 3) / 4, Fraction(4) / 3  # sample variances over n
    df = (vx + vy) ** 2 / (vx**2 / 3 + vy**2 / 2)
    assert df == Fraction(1323, 409)
    found = st.welch(x, y)
    # float arithmetic of a handful of values: agreement to 1e-12 relative is round-off, not tolerance
    assert found["mean_diff"] == -1.5 and found["se"] == pytest.approx(float(Fraction(7, 4)) ** 0.5, rel=1e-12)
    assert found["df"] == pytest.approx(float(df), rel=1e-12)
    assert found["t"] == pytest.approx(-1.5 / 1.75**0.5, rel=1e-12)
    scipy = stats.ttest_ind(x, y, equal_var=False)
    assert found["p"] == pytest.approx(scipy.pvalue, rel=1e-12)
    assert (found["diff_low"], found["diff_high"]) == pytest.approx(tuple(scipy.confidence_interval()), rel=1e-12)


def test_welch_with_too_few_values_or_no_spread():
    """Below two values there is no SE or test; two constant samples have a point interval and no test."""
    assert np.isnan(st.welch(np.array([1.0]), np.array([1.0, 2.0]))["se"])
    constant = st.welch(np.array([2.0, 2.0]), np.array([1.0, 1.0, np.nan]))
    assert constant["n_y"] == 2 and constant["se"] == 0 and np.isnan(constant["p"])
    assert constant["diff_low"] == constant["diff_high"] == 1.0


def _two_districts(home: list[float], away: list[float], *, shared_seeds: bool = False) -> Study:
    """Two scenarios x baseline and better x 4 replications whose paired differences of resolution are given."""
    runs, outcomes = [], []
    for p, (scenario, effects) in enumerate((("home", home), ("away", away))):
        for a, arm in enumerate(("baseline", "better")):
            for r, effect in enumerate(effects):
                key = f"p{p}-a{a}-r{r}"
                seed = 100 + r + (0 if shared_seeds else 10 * p)
                runs.append(
                    {"run_key": key, "point": p, "arm": arm, "replication": r, "seed": seed, "scenario": scenario}
                )
                outcomes.append({"run_key": key, RESOLUTION: 0.5 + 0.1 * r + (effect if arm == "better" else 0.0)})
    scenarios = {
        name: {"params": {"population": 10_000 * (k + 1)}, "policies": []} for k, name in enumerate(("home", "away"))
    }
    manifest = {
        "experiment": {"name": "two"},
        "arms": [{"name": "baseline"}, {"name": "better"}],
        "scenarios": scenarios,
        "design": {"method": "list", "parameters": []},
        "outcomes": [RESOLUTION],
        "days": 10,
    }
    frame = pd.DataFrame(runs).assign(status="succeeded")
    return Study(frame, pd.DataFrame(outcomes), pd.DataFrame({"run_key": [], "day": []}), manifest)


def test_the_transfer_of_a_hand_computed_pair_of_districts():
    """Effects 0.01..0.04 at home and 0.02..0.08 away: difference 0.025, SE² = (5/12 + 20/12) 1e-4, df = 75/17
    (Welch–Satterthwaite in exact fractions), an interval that reaches past the MID: inconclusive."""
    study = _two_districts([0.01, 0.02, 0.03, 0.04], [0.02, 0.04, 0.06, 0.08])
    found = transfer.analyse(study, compare(study))
    row = found.differences.set_index("outcome").loc[RESOLUTION]
    vh, va = Fraction(5, 12), Fraction(20, 12)  # variance over n of 1, 2, 3, 4 and of 2, 4, 6, 8 (unit 0.01)
    assert (vh + va) ** 2 / (vh**2 / 3 + va**2 / 3) == Fraction(75, 17)
    assert (found.home, row["scenario"], row["n_home"], row["n_other"]) == ("home", "away", 4, 4)
    assert row["effect_home"] == pytest.approx(0.025, rel=1e-12) and row["effect_other"] == pytest.approx(0.05)
    assert row["se_home"] == pytest.approx(float(vh) ** 0.5 * 0.01, rel=1e-9)
    assert row["mean_diff"] == pytest.approx(0.025, rel=1e-9)
    assert row["se"] == pytest.approx(float(vh + va) ** 0.5 * 0.01, rel=1e-9)
    assert row["df"] == pytest.approx(75 / 17, rel=1e-9)
    assert row["mid"] == describe(RESOLUTION).mid.absolute
    assert row["diff_high"] > row["mid"] and (row["verdict"], row["reading"]) == ("inconclusive", "inconclusive")
    assert not found.warnings and not found.shared_seeds
    effects = found.effects.set_index("scenario")
    assert effects.loc["away", "se"] == pytest.approx(float(va) ** 0.5 * 0.01, rel=1e-9)


def test_equal_effects_transfer_and_shared_seeds_are_a_warning():
    """The same effects in both districts: the difference's interval lies within ±MID, so the policy transfers;
    districts that met the same seeds are flagged as not independent."""
    study = _two_districts([0.01, 0.02, 0.03, 0.04], [0.01, 0.02, 0.03, 0.04], shared_seeds=True)
    found = transfer.analyse(study, compare(study))
    row = found.differences.iloc[0]
    assert row["mean_diff"] == pytest.approx(0, abs=1e-12) and row["reading"] == "transfers"
    assert found.shared_seeds and any("not independent samples" in w for w in found.warnings)


def test_one_scenario_has_no_transfer():
    """A comparison on one scenario has an empty transfer (and its report no transfer section)."""
    study = _two_districts([0.01, 0.02], [0.01, 0.02])
    single = Study(
        study.runs[study.runs["point"] == 0], study.outcomes, study.daily, {**study.manifest, "scenarios": {"home": {}}}
    )
    assert transfer.analyse(single, compare(single)).empty


# --- bad input -----------------------------------------------------------------------------------


def _district_scenario(folder: Path, name: str, body: str) -> str:
    path = folder / f"{name}.toml"
    path.write_text(f'description = "Chengdong with a change."\nbase = "chengdong"\n{body}')
    return str(path)


@pytest.mark.parametrize(
    ("target", "arms", "extra", "says"),
    [
        ("chengzhong,nowhere", ARMS, [], "scenario 'nowhere': unknown"),
        ("chengzhong,", ARMS, [], "need at least two scenarios"),
        ("chengzhong,chengzhong", ARMS, [], "names must be distinct"),
        ("chengzhong,tiny", ARMS, [], "both run on district chengzhong"),
        ("chengzhong,chengdong", ARMS, ["--set", "district=chengdong"], "both run on district chengdong"),
        ("chengzhong,chengdong", "baseline,chengdong", [], "arm 'chengdong': sets district"),
        ("chengzhong,chengdong", "baseline", [], "at least two arms"),
        ("chengzhong,chengdong", "baseline,nonsense", [], "arm 'nonsense': not a policy or a preset scenario"),
        ("chengzhong,chengdong", ARMS, ["--reference", "fengqiao_mediation"], "--reference 'fengqiao_mediation'"),
        ("chengzhong,{params}", ARMS, [], "differs from chengzhong in office_quality besides the district"),
        ("chengzhong,{policies}", ARMS, [], "standing policies differ"),
    ],
)
def test_bad_districts_side_by_side_are_one_line_and_write_nothing(tmp_path, capsys, target, arms, extra, says):
    """Unknown or repeated scenarios, one district, scenarios of one district, scenarios that differ beyond their
    district and arms that move a district's figures: exit code 2, one line, no folder."""
    target = target.format(
        params=_district_scenario(tmp_path, "other_offices", "[params]\noffice_quality = 0.31\n"),
        policies=_district_scenario(tmp_path, "other_policies", '[[policies]]\nkind = "open_channels"\n'),
    )
    out = tmp_path / "out"
    assert main(["compare", target, "--arms", arms, *extra, "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and says in err, err
    assert not out.exists()


# --- the experiment file -------------------------------------------------------------------------


def test_per_scenario_seed_sets_in_an_experiment_file(tmp_path):
    """`seed_sets = "per_scenario"` gives every scenario after the first its own seeds and survives the round trip
    through `to_text`; a shared experiment's definition does not name seed sets (its identity is unchanged)."""
    text = (
        'name = "two"\nscenarios = ["chengzhong", "chengdong"]\ndays = 10\nreplications = 3\nroot_seed = 4\n'
        'seed_sets = "per_scenario"\n'
    )
    exp = experiment.from_text(text)
    seeds = {s: {r.seed for r in exp.runs() if r.scenario == s} for s in ("chengzhong", "chengdong")}
    assert seeds["chengzhong"] == set(exp.seeds) and not seeds["chengzhong"] & seeds["chengdong"]
    assert experiment.from_text(experiment.to_text(exp)).runs() == exp.runs()
    shared = experiment.from_text(text.replace('seed_sets = "per_scenario"\n', ""))
    assert "seed_sets" not in shared.definition() and {r.seed for r in shared.runs()} == set(shared.seeds)
    with pytest.raises(ExperimentError, match=r"seed_sets='per_district'.*shared, per_scenario"):
        experiment.from_text(text.replace("per_scenario", "per_district"))
