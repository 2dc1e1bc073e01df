"""Bad input, property-based: whatever a user writes, the answer is a result or one clean line.

Hypothesis generates parameter values, scenario and experiment TOML structures and file contents; each
case must either succeed or raise a `ConflictSimError` whose message is one line (the CLI prints it
with exit code 2). No other exception type may escape: no TypeError, KeyError, RecursionError.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conflict_sim import experiment, scenarios
from conflict_sim.cli import first_sentence, main
from conflict_sim.errors import ConflictSimError, InputFileError, ParameterError
from conflict_sim.params import PARAM_FIELDS, Params
from conflict_sim.run import simulate

NAMES = st.sampled_from([*sorted(PARAM_FIELDS)[:20], "nosuch", "office_qualty", ""])
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)
TOML_VALUES = st.one_of(
    st.booleans(),
    st.integers(-(10**6), 10**9),
    st.floats(-1e6, 1e6, allow_nan=False),
    st.text(max_size=12),
    st.lists(st.one_of(st.integers(0, 5), st.text(max_size=6)), max_size=3),
    st.dictionaries(
        st.sampled_from(["kind", "name", "office_quality", "start_day", "x"]), st.integers(0, 3), max_size=3
    ),
    st.lists(
        st.dictionaries(st.sampled_from(["kind", "name", "params", "policies"]), st.text(max_size=6), max_size=2),
        max_size=2,
    ),
)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def one_line(error: ConflictSimError) -> None:
    assert "\n" not in " ".join(str(error).split("\n")[:1]) and str(error).strip()


@FAST
@given(st.dictionaries(NAMES, VALUES, max_size=3))
def test_any_parameters_make_params_or_one_parameter_error(values):
    """Params(**anything) is a Params or a ParameterError naming a field; never a TypeError."""
    try:
        Params(**values)
    except ParameterError as exc:
        one_line(exc)
        assert exc.name in (*values, "partly_reasonable_share", "court_days_min", "collective_large_people")


@FAST
@given(
    days=st.one_of(st.integers(-5, 3), st.text(max_size=2), st.booleans(), st.floats(0, 3)),
    seed=st.one_of(st.integers(-3, 3), st.text(max_size=2), st.none()),
    warmup=st.integers(-2, 4),
    policies=st.one_of(st.just(()), st.text(min_size=1, max_size=3), st.lists(st.integers(), min_size=1, max_size=2)),
)
def test_simulate_rejects_bad_arguments_with_a_parameter_error(tiny, days, seed, warmup, policies):
    """simulate() with a bad day count, seed, warm-up or policies: ParameterError, before any work."""
    valid = (
        isinstance(days, int) and not isinstance(days, bool) and days >= 1
        and isinstance(seed, int) and not isinstance(seed, bool) and seed >= 0
        and 0 <= warmup < days and policies == ()
    )  # fmt: skip
    if valid:
        return  # the valid corner is the model's business, tested elsewhere
    with pytest.raises(ParameterError):
        simulate(tiny, seed=seed, days=days, warmup_days=warmup, policies=policies)


@FAST
@given(st.dictionaries(st.sampled_from([*sorted(scenarios.ALLOWED_KEYS), "colour"]), TOML_VALUES, max_size=4))
def test_any_scenario_structure_loads_or_is_one_line(tmp_path_factory, document):
    """A scenario file of any structure (wrong table kinds, wrong types, empty) loads or is one line."""
    path = tmp_path_factory.mktemp("s") / "scenario.toml"
    path.write_text(tomli_w.dumps(document))
    try:
        scenarios.load(path)
    except ConflictSimError as exc:
        one_line(exc)


TOP = st.sampled_from([*experiment.TOP_KEYS, "colour"])


@FAST
@given(st.dictionaries(TOP, TOML_VALUES, max_size=6))
def test_any_experiment_structure_loads_or_is_one_line(document):
    """An experiment file of any structure loads or is one ConflictSimError line."""
    base = {"scenario": "tiny", "days": 10, "root_seed": 1}
    try:
        experiment.from_text(tomli_w.dumps({**base, **document}))
    except ConflictSimError as exc:
        one_line(exc)


@FAST
@given(st.binary(max_size=64))
def test_any_bytes_as_a_file_load_or_are_one_line(tmp_path_factory, content):
    """Binary, non-UTF-8, truncated or empty files are a one-line InputFileError (or a valid file)."""
    folder = tmp_path_factory.mktemp("b")
    path = folder / "x.toml"
    path.write_bytes(content)
    for load in (scenarios.load, experiment.load):
        try:
            load(path)
        except ConflictSimError as exc:
            one_line(exc)


@pytest.mark.parametrize("loader", [scenarios.load, experiment.load])
def test_a_folder_where_a_file_is_expected_is_one_line(tmp_path, loader):
    """A folder named like a TOML file is an InputFileError, not an IsADirectoryError."""
    (tmp_path / "x.toml").mkdir()
    with pytest.raises(InputFileError, match="is a folder"):
        loader(tmp_path / "x.toml")


def test_a_scenario_whose_base_is_itself_is_one_line(tmp_path):
    """A base that leads back to the file (directly or through another) is one line, not a RecursionError."""
    (tmp_path / "a.toml").write_text('base = "b.toml"\n')
    (tmp_path / "b.toml").write_text('base = "a.toml"\n')
    with pytest.raises(ConflictSimError, match=r"leads back to itself \(a.toml -> b.toml -> a.toml\)"):
        scenarios.load(tmp_path / "a.toml")


def test_relative_base_paths_resolve_against_the_files_own_folder(tmp_path, monkeypatch):
    """`base = "worlds/b.toml"` is found beside the file that names it, from any current folder."""
    (tmp_path / "worlds").mkdir()
    (tmp_path / "worlds" / "b.toml").write_text('base = "tiny"\n[params]\nrecognition = 0.55\n')
    (tmp_path / "a.toml").write_text('base = "worlds/b.toml"\n')
    monkeypatch.chdir(tmp_path / "worlds")
    assert scenarios.load(tmp_path / "a.toml").params.recognition == 0.55


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("", "empty"),
        ("params = 3\n", "params must be a table"),
        ("policies = 'fast'\n", "policies must be"),
        ("description = 42\n", "must be a string"),
        ('base = "tiny"\n[[policies]]\nkind = "fast_handling"\nstart_day = 2.5\n', "whole number of days"),
    ],
)
def test_scenario_file_faults_are_one_line(tmp_path, content, needle):
    """Empty files, wrong table kinds, wrong types and fractional days: one line naming the problem."""
    path = tmp_path / "s.toml"
    path.write_text(content)
    with pytest.raises(ConflictSimError, match=needle):
        scenarios.load(path)


@pytest.mark.parametrize(
    ("fields", "needle"),
    [
        ({"name": "../escape"}, "must be a folder name"),
        ({"description": 42}, "description=42: must be a string"),
        ({"arms": [{"name": "a", "policies": [{"kind": "fast_handling", "start_day": 2.5}]}]}, "whole number"),
        ({"reference": "nobody"}, "reference='nobody'"),
        ({"overrides": {"households_per_agent": 400}}, "households_per_agent=400: must be at most"),
    ],
)
def test_experiment_faults_are_one_line(tmp_path, fields, needle):
    """Names that would escape the results folder, non-text descriptions, fractional days, unknown reference, a
    sample coarser than the district's grids allow (refused before any run, not by every run)."""
    path = tmp_path / "e.toml"
    path.write_text(tomli_w.dumps({"scenario": "tiny", "days": 10, "root_seed": 1, **fields}))
    with pytest.raises(ConflictSimError, match=needle):
        experiment.load(path)


def cli(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "conflict_sim", *argv], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["viz", "--port", "99999"], "[1, 65535]"),
        (["report", "NOWHERE"], "not a results folder"),
        (["compare", "tiny", "--arms", "baseline,fast_handling", "--reference", "nobody", "--plan"], "--reference"),
        (["compare", "tiny", "--arms", "baseline", "--plan"], "at least two arms"),
        (["compare", "tiny", "--arms", "baseline,fast_handling", "--set", "households_per_agent=400"], "at most"),
    ],
)
def test_cli_faults_are_one_line_and_exit_2(argv, needle):
    """Out-of-range ports, folders that are not results, unknown reference arms: exit 2, one line."""
    result = cli(*argv)
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and needle in result.stderr
    assert "Traceback" not in result.stderr


def test_report_on_a_run_folder_a_file_or_a_truncated_manifest_is_one_line(tmp_path, capsys):
    """`report` on what is not a sweep's results: exit 2 and one line, never a traceback."""
    (tmp_path / "file.txt").write_text("x")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "manifest.json").write_text('{"format": "conflict-sim sweep')
    run = tmp_path / "run"
    assert main(["run", "tiny", "--days", "5", "--out", str(run)]) == 0
    capsys.readouterr()
    for target in (tmp_path / "file.txt", broken, run):
        assert main(["report", str(target)]) == 2
        assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_version_and_scenario_list_read_whole(capsys):
    """--version names the package version; `list scenarios` shows each first sentence whole."""
    from conflict_sim.provenance import version

    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0 and version() in capsys.readouterr().out
    assert main(["list", "scenarios"]) == 0
    listing = " ".join(capsys.readouterr().out.split())
    for name in scenarios.names():
        sentence = first_sentence(scenarios.load(name).description)
        assert " ".join(sentence.split()) in listing
        assert sentence.endswith((".", ")", ":")) or sentence == " ".join(scenarios.load(name).description.split())


def test_compare_plan_names_runs_time_and_storage(tmp_path, capsys):
    """`compare --plan`: the work, estimated; nothing is created."""
    out = tmp_path / "c"
    assert (
        main(
            ["compare", "tiny", "--arms", "baseline,fast_handling", "--replications", "3", "--out", str(out), "--plan"]
        )
        == 0
    )
    assert "6 of 6 runs to do" in capsys.readouterr().out and not out.exists()
