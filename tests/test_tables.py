"""Tables for papers: LaTeX by pandas Styler that compiles and fits a page, Markdown, full-precision CSV."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from conflict_sim.analysis import report
from conflict_sim.analysis import tables as tb
from tests.synthetic_results import synthetic_study

ARMS = ("baseline", "channels_open", "fengqiao_grid", "fast_fair", "reformed_evaluation", "combined_harmonious")
# A page's text width (6.5 in) holds about 110 characters of 8-pt (footnotesize) table text with 4-pt column gaps.
PAGE_CHARACTERS = 110
# What a paragraph column holds per line at 8 pt (about 6 characters per cm); longer text wraps.
PARAGRAPH_CHARACTERS = {"Outcome": 22, "Term": 27, "Definition": 37}


@pytest.fixture(scope="module")
def analysis():
    """A make-run-like study: six arms, the key outcomes in the main table and the rest in the appendix."""
    return report.analyse(synthetic_study(arms=ARMS, n=5, days=60, warmup_days=10))


@pytest.fixture(scope="module")
def tables(analysis):
    return {t.stem: t for t in report.table_set(analysis)}


@pytest.fixture(scope="module")
def sweep_tables():
    """The tables of a 2 x 2 factorial sweep with two arms: per-point parts and the effects table."""
    levels = {"office_quality": [0.5, 0.8], "procedural_justice": [0.3, 0.7]}
    study = synthetic_study(arms=("status quo", "open channels"), levels=levels, n=3, days=60, warmup_days=10)
    return {t.stem: t for t in report.table_set(report.analyse(study))}


def _parts(tables):
    for t in tables.values():
        for k, (suffix, shown) in enumerate(t.parts):
            yield t, f"tab:{t.stem}-{k}", t.caption(suffix), shown


def test_latex_is_compile_ready(tables):
    """Environments balance, booktabs rules come in order, every row has the header's column count."""
    for _, label, caption, shown in _parts(tables):
        text = tb.latex(shown, caption, label)
        begins, ends = re.findall(r"\\begin\{(\w+)\}", text), re.findall(r"\\end\{(\w+)\}", text)
        assert begins in (["table", "tabular"], ["longtable"]) and ends == begins[::-1], label
        rules = [text.index(r) for r in (r"\toprule", r"\midrule", r"\bottomrule")]
        assert rules == sorted(rules), label
        columns = shown.shape[1]
        rows = [r for r in text.splitlines() if r.endswith(r"\\") and not r.startswith(("\\caption", "\\multicolumn"))]
        assert len(rows) == len(shown) + (1 if begins == ["table", "tabular"] else 2), label  # longtable: header twice
        assert all(len(re.findall(r"(?<!\\)&", r)) == columns - 1 for r in rows), label
        assert f"\\label{{{label}}}" in text


@pytest.mark.parametrize("which", ["tables", "sweep_tables"])
def test_every_table_fits_a_page(which, request):
    """Finding 5: the 80-row comparison.tex did not fit a page. A float holds at most FLOAT_ROWS rows (longer
    parts are longtables, which break across pages), and no row is wider than a page's text width."""
    tables = request.getfixturevalue(which)
    for _, label, caption, shown in _parts(tables):
        text = tb.latex(shown, caption, label)
        assert len(shown) <= tb.FLOAT_ROWS or "\\begin{longtable}" in text, label
        widths = {c: _width(shown, c) for c in shown.columns}
        assert sum(widths.values()) + 2 * len(widths) <= PAGE_CHARACTERS, (label, widths)
    if which == "tables":
        assert len(tables["summary"].parts) == 3  # six arms: the reference and two others per part
    else:
        assert "effects" in tables and len(tables["summary"].parts) == 4  # one part per design point


def _width(shown: pd.DataFrame, column: str) -> int:
    """Characters a column takes on a line: its widest cell or header, or its paragraph width if it wraps."""
    widest = int(shown[column].astype(str).str.len().max())
    if column in PARAGRAPH_CHARACTERS:
        return min(widest, PARAGRAPH_CHARACTERS[column])
    return max(widest, len(column))


def test_captions_name_scenario_sample_horizon_and_replications(tables):
    """Finding 5: every caption of results says where, at which sample, over which days, with how many runs."""
    for t, label, caption, _ in _parts(tables):
        if t.stem == "definitions":
            continue
        for fact in (
            "Scenario synthetic",
            "1:4 household sample",
            "60 days",
            "outcomes over days 11–60",
            "5 replications",
        ):
            assert fact in caption, (label, fact)
        assert "reference arm baseline" in caption


def test_summary_csv_holds_every_outcome(analysis, tables, tmp_path):
    """Finding 4: summary.csv holds every stored outcome for every arm, not only the main table's."""
    paths = tb.write(tmp_path, tables["summary"])
    back = pd.read_csv(paths[0])
    assert set(back["outcome"]) == set(analysis.study.outcome_names)
    assert len(back) == len(analysis.study.outcome_names) * len(ARMS)
    assert set(back["family"]) == {"main", "appendix"}


def test_csv_keeps_full_precision(analysis, tables, tmp_path):
    """The CSV twin reads back to the computed numbers (10 significant digits)."""
    back = pd.read_csv(tb.write(tmp_path, tables["comparison"])[0])
    assert back["mean_diff"].to_numpy() == pytest.approx(
        analysis.comparison.differences["mean_diff"].to_numpy(), rel=1e-9
    )


def test_latex_escapes_special_characters():
    """Characters special to TeX, and the Unicode symbols in our labels, are escaped."""
    table = pd.DataFrame({"Outcome": ["a_b & 50% #1 {x} − Δ ~ ^ \\"], "Value": ["1.0†"]})
    text = tb.latex(table, "c", "tab:c")
    row = next(line for line in text.splitlines() if line.startswith("a"))
    assert row == (
        r"a\_b \& 50\% \#1 \{x\} $-$ $\Delta$ \textasciitilde{} \textasciicircum{} "
        r"\textbackslash{} & 1.0\textsuperscript{\dag} \\"
    )


def test_markdown_rows_have_the_header_column_count(tables):
    """Every Markdown row has as many cells as the header, with text left- and numbers right-aligned."""
    for _, _, _, shown in _parts(tables):
        lines = tb.markdown(shown).splitlines()
        assert {line.count(" | ") for line in lines[2:]} <= {shown.shape[1] - 1}
        assert lines[1].startswith("|:---|")


def test_the_comparison_shows_relative_change_mid_and_verdict(tables):
    """Finding 5: every difference carries its relative change, the MID it is judged by, and the verdict."""
    for suffix, shown in tables["comparison"].parts:
        assert {"Relative", "MID", "Verdict"} <= set(shown.columns), suffix
        assert shown["Relative"].str.endswith(("%", "–")).all()


def test_a_cut_interval_and_an_outcome_not_reached_are_marked():
    """A cell whose CI was cut at the support carries †; one with no value in any run reads 'not reached'."""
    cut = {"outcome": "collective_visits_per_year", "n": 3, "missing": 0, "mean": 50.0, "ci_low": 0.0}
    assert tb.mean_cell({**cut, "ci_high": 104.0, "truncated": True}).endswith(tb.CUT)
    never = {**cut, "outcome": "median_days_to_resolution", "n": 0, "missing": 3, "mean": np.nan, "truncated": False}
    assert tb.mean_cell({**never, "ci_high": np.nan}) == "not reached"


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (12345.6, "12,346"),
        (3.14159, "3.14"),
        (0.012345, "0.012"),
        (0.0, "0.00"),
        (-0.000123, "−0.00012"),
        (float("nan"), "–"),
    ],
)
def test_numbers_are_rounded_for_reading(x, text):
    """About three significant digits (two below 0.01), thousands separated, a minus sign, missing values as a dash."""
    assert tb.number(x) == text


def test_small_p_values_are_bounded():
    """p below 0.001 prints as '<0.001'; others with three decimals."""
    assert (tb.p_value(1e-9), tb.p_value(0.0456)) == ("<0.001", "0.046")
