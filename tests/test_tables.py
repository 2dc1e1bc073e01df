"""Tables for papers: compile-ready LaTeX (booktabs), well-formed Markdown, full-precision CSV."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from conflict_sim.analysis import tables as tb
from conflict_sim.analysis.comparison import analyse
from tests.synthetic_results import synthetic_results


@pytest.fixture(scope="module")
def comparison():
    return analyse(*synthetic_results(), warmup_days=10)


@pytest.fixture(scope="module")
def shown(comparison):
    """The two paper tables as the report writes them."""
    c = comparison
    key = [n for n in c.family if "@" not in n]
    return {
        "summary": tb.summary_table(c.summary, key, c.arms),
        "comparison": tb.comparison_table(c.comparison, c.family),
    }


def test_latex_is_compile_ready(shown):
    """Environments balance, booktabs rules come in order, every row has the header's column count."""
    for name, table in shown.items():
        text = tb.latex(table, f"The {name} table (n = 8, 95 % CI)", f"tab:{name}")
        begins, ends = re.findall(r"\\begin\{(\w+)\}", text), re.findall(r"\\end\{(\w+)\}", text)
        assert begins == ["table", "tabular"] and ends == ["tabular", "table"]
        rules = [text.index(r) for r in (r"\toprule", r"\midrule", r"\bottomrule")]
        assert rules == sorted(rules)
        spec = re.search(r"\\begin\{tabular\}\{(\w+)\}", text).group(1)
        rows = text[rules[0] : rules[2]].splitlines()[1:]
        data = [r for r in rows if r.endswith(r"\\")]
        assert len(data) == len(table) + 1
        assert all(len(re.findall(r"(?<!\\)&", r)) == len(spec) - 1 for r in data)
        assert "\\label{tab:" + name + "}" in text and r"95 \% CI" in text


def test_latex_escapes_special_characters():
    """Characters special to TeX, and the Unicode symbols in our labels, are escaped."""
    table = pd.DataFrame({"Outcome": ["a_b & 50% #1 {x} − Δ ~ ^ \\"], "Value": ["1.0"]})
    text = tb.latex(table, "c", "tab:c")
    row = next(line for line in text.splitlines() if line.startswith("a"))
    assert row == (
        r"a\_b \& 50\% \#1 \{x\} $-$ $\Delta$ \textasciitilde{} \textasciicircum{} "
        r"\textbackslash{} & 1.0 \\"
    )


def test_markdown_rows_have_the_header_column_count(shown):
    """Every Markdown row has as many cells as the header, with text left- and numbers right-aligned."""
    for table in shown.values():
        lines = tb.markdown(table).splitlines()
        assert {line.count(" | ") for line in lines[2:]} == {table.shape[1] - 1}
        assert lines[1].startswith("|:---|") and lines[1].endswith("---:|")


def test_csv_keeps_full_precision(comparison, tmp_path):
    """The CSV twin reads back to the computed numbers (10 significant digits)."""
    c = comparison
    paths = tb.write(tmp_path, "comparison", c.comparison, tb.comparison_table(c.comparison, c.family), "x")
    back = pd.read_csv(paths[0])
    assert [p.suffix for p in paths] == [".csv", ".md", ".tex"]
    assert back["mean_diff"].to_numpy() == pytest.approx(c.comparison["mean_diff"].to_numpy(), rel=1e-9)


def test_comparison_table_keeps_experiment_order(shown, comparison):
    """Rows run arm by arm in the experiment's order, outcomes in the family's order within an arm."""
    table = shown["comparison"]
    assert list(dict.fromkeys(table["Arm"])) == comparison.arms[1:]
    assert len(table) == len(comparison.family) * (len(comparison.arms) - 1)


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (12345.6, "12,346"),
        (3.14159, "3.14"),
        (0.012345, "0.012"),
        (0.0, "0.00"),
        (-0.000123, "-0.00012"),
        (float("nan"), "–"),
    ],
)
def test_numbers_are_rounded_for_reading(x, text):
    """About three significant digits (two below 0.01), thousands separated, missing values as a dash."""
    assert tb.number(x) == text


def test_small_p_values_are_bounded():
    """p below 0.001 prints as '<0.001'; others with three decimals."""
    assert (tb.p_value(1e-9), tb.p_value(0.0456)) == ("<0.001", "0.046")


def test_adequacy_table_reports_the_widest_arm_per_outcome():
    """Each outcome shows its least precise arm; a zero mean has no relative precision to judge."""
    adequacy = pd.DataFrame(
        {
            "arm": ["a", "b", "a", "b", "a"],
            "outcome": ["x", "x", "y", "y", "z"],
            "n": 10,
            "relative_half_width": [0.02, 0.10, 0.01, 0.03, float("nan")],
            "adequate": [True, False, True, True, False],
            "replications_needed": pd.array([None, 40, None, None, None], dtype="Int64"),
        }
    )
    table = tb.adequacy_table(adequacy, ["x", "y", "z"])
    assert table["Arm"].tolist() == ["b", "b", "a"]
    assert table["Replications for 5 %"].tolist() == ["40", "adequate", "– (mean 0)"]
