"""The comparison report end to end: a tiny experiment through the engine, every section, reproducible."""

from __future__ import annotations

import ast
import hashlib
import re
from pathlib import Path

import pandas as pd
import pytest

from conflict_sim import experiment, runner
from conflict_sim.analysis.report import report_folder
from conflict_sim.cli import main

ANALYSIS = Path(__file__).resolve().parent.parent / "conflict_sim" / "analysis"
SECTIONS = (
    "warnings",
    "table-summary",
    "table-comparison",
    "table-steady_state",
    "table-adequacy",
    "table-definitions",
    "table-appendix_summary",
    "table-appendix_comparison",
    "figure-trajectories",
    "figure-distributions",
    "figure-forest",
    "figure-closure_vs_resolution",
    "figure-level_pyramid",
    "notes",
    "methods",
    "experiment",
    "manifest",
)
ARMS = "baseline,channels_open,fengqiao_grid"


def digests(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under `folder`, by relative path."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    """`conflict-sim compare` on the tiny scenario: 3 arms x 3 replications x 90 days, one worker."""
    out = tmp_path_factory.mktemp("compare") / "tiny"
    code = main(
        [
            "compare",
            "tiny",
            "--arms",
            ARMS,
            "--replications",
            "3",
            "--days",
            "90",
            "--workers",
            "1",
            "--set",
            "households_per_agent=100",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    return out


def test_compare_writes_every_section(compared):
    """The HTML report and its Markdown twin hold every table, figure, the definition and the manifest."""
    page = (compared / "report" / "report.html").read_text()
    twin = (compared / "report" / "report.md").read_text()
    for section in SECTIONS:
        assert f"id='{section}'" in page, section
    for heading in (
        "## Warnings",
        "## Table: Main outcomes",
        "## Table: Differences from baseline",
        "## Table: Warm-up and steady state",
        "## Figure: Course over time",
        "## Notes",
        "## Methods",
        "## Experiment definition",
        "## Manifest",
    ):
        assert heading in twin, heading
    assert 'name = "fengqiao_grid"' in page.replace("&quot;", '"')


def test_html_report_is_self_contained(compared):
    """Figures are embedded as base64 PNGs; nothing is fetched from a file or the network."""
    page = (compared / "report" / "report.html").read_text()
    sources = re.findall(r"src='([^']*)'", page)
    assert sources and all(s.startswith("data:image/png;base64,") for s in sources)
    assert "<link" not in page and "http://" not in page and "https://" not in page


def test_report_writes_figures_and_tables_in_every_format(compared):
    """Each figure as PDF and PNG; each table as CSV, Markdown and LaTeX."""
    names = set(digests(compared / "report"))
    for stem in ("trajectories", "distributions", "forest", "closure_vs_resolution", "level_pyramid"):
        assert {f"figures/{stem}.pdf", f"figures/{stem}.png"} <= names
    for stem in ("summary", "comparison", "steady_state", "adequacy", "definitions", "appendix_summary"):
        assert {f"tables/{stem}.csv", f"tables/{stem}.md", f"tables/{stem}.tex"} <= names


def test_title_and_reference_arm_are_explicit(compared):
    """Finding 5/6: no 'compare-tiny' title, no 'baseline baseline'; the reference arm is named as such."""
    twin = (compared / "report" / "report.md").read_text().split("## Experiment definition")[0]  # not the TOML
    assert twin.startswith("# Policy comparison on tiny: 2 arms against baseline\n")
    assert "Arms: baseline (reference), channels_open, fengqiao_grid." in twin
    assert "baseline baseline" not in twin and "# compare-" not in twin
    assert "reference arm baseline" in twin


def test_the_main_table_shows_collective_nonnormal_interception_and_trust(compared):
    """Finding 4: the outcomes that matter are in the main table, and every stored outcome is in summary.csv
    (or, equal to another in every run, shown once with a note saying so)."""
    main = (compared / "report" / "tables" / "summary.md").read_text()
    for label in ("Collective visits", "Non-normal actions", "Intercepted", "Trust in the centre", "Buy-offs"):
        assert label in main, label
    stored = pd.read_parquet(next((compared / "outcomes").glob("*.parquet"))).drop(columns=["run_key", "days"])
    summary = set(pd.read_csv(compared / "report" / "tables" / "summary.csv")["outcome"])
    assert summary <= set(stored.columns)
    notes = (compared / "report" / "report.md").read_text()
    for name in set(stored.columns) - summary:
        assert f"({name}) equals" in notes and "in every run and is shown once" in notes, name


def test_report_command_reproduces_the_same_files(compared, capsys):
    """`conflict-sim report RESULTS` redraws from stored results, byte for byte, without running the model."""
    before = digests(compared / "report")
    assert main(["report", str(compared)]) == 0
    assert "report.html" in capsys.readouterr().out
    assert digests(compared / "report") == before


def test_unknown_arm_is_one_line_and_writes_nothing(tmp_path, capsys):
    """A misspelt arm is exit code 2 with one line naming the known policies, and no results folder."""
    out = tmp_path / "bad"
    assert main(["compare", "tiny", "--arms", "baseline,open_channel", "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "open_channels" in err
    assert not out.exists()


def test_sobol_design_adds_the_sensitivity_figure(tmp_path):
    """A sweep with a Sobol design gets a Sobol-indices figure in its report."""
    text = """name = "sobol-tiny"
scenario = "tiny"
days = 30
replications = 1
root_seed = 3
overrides = { households_per_agent = 200 }
design = { method = "sobol", parameters = ["office_quality", "procedural_justice"], samples = 4 }
"""
    exp = experiment.from_text(text)
    runner.run_experiment(exp, tmp_path / "sobol", runner.sequential())
    page = report_folder(tmp_path / "sobol").read_text()
    assert "id='figure-sobol'" in page and "id='table-indices'" in page and "id='table-design_spread'" in page
    assert "Sobol sweep" not in page and "sobol-tiny: sobol design on tiny" in page
    assert "have not converged" in page  # 4 base samples cannot give indices to 0.05


def test_analysis_never_imports_the_model():
    """The analysis layer reads tables: no module of it imports the model, a run or the runner."""
    for path in ANALYSIS.glob("*.py"):
        imported = {
            node.module
            for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.ImportFrom) and node.module
        }
        imported |= {
            a.name for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.Import) for a in node.names
        }
        banned = {"conflict_sim.model", "conflict_sim.run", "conflict_sim.runner", "conflict_sim.agents"}
        assert not imported & banned, path.name


def test_compare_takes_an_experiment_file(tmp_path, capsys):
    """`compare EXPERIMENT.toml` runs the file's own arms; adding --arms to it is a one-line error."""
    path = tmp_path / "two-arms.toml"
    path.write_text(
        'name = "two-arms"\nscenario = "tiny"\ndays = 40\nreplications = 2\nroot_seed = 5\n'
        "overrides = { households_per_agent = 200 }\n"
        '[[arms]]\nname = "baseline"\n[[arms]]\nname = "fast"\npolicies = [{ kind = "fast_handling" }]\n'
    )
    assert main(["compare", str(path), "--arms", "baseline,fast", "--out", str(tmp_path / "x")]) == 2
    assert main(["compare", str(path), "--workers", "1", "--out", str(tmp_path / "out")]) == 0
    page = (tmp_path / "out" / "report" / "report.html").read_text()
    assert "Arms: baseline (reference), fast." in page
