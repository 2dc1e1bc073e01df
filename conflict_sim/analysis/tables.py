"""Tables of a policy comparison for papers: CSV (full precision), Markdown and LaTeX (booktabs).

The CSV keeps every number as computed; the Markdown and LaTeX versions show rounded,
labelled cells ("mean [95 % CI]"), so a table in a paper can always be traced to its CSV.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from conflict_sim.analysis.catalogue import axis_label


def number(x: float) -> str:
    """A number rounded for reading: thousands separated, about three significant digits."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    size = abs(x)
    if size >= 100:
        return f"{x:,.0f}"
    if size >= 1 or size == 0:
        return f"{x:.2f}"
    return f"{x:.3f}" if size >= 0.01 else f"{x:.2g}"


def p_value(p: float) -> str:
    """A p-value as journals print it ('<0.001' below a thousandth)."""
    if isinstance(p, float) and math.isnan(p):
        return "–"
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def interval(mean: float, low: float, high: float) -> str:
    """'mean [low, high]'."""
    return f"{number(mean)} [{number(low)}, {number(high)}]"


def summary_table(summary: pd.DataFrame, names: Sequence[str], arms: Sequence[str]) -> pd.DataFrame:
    """Outcomes by arm, each cell the mean with its 95 % CI across replications."""
    rows = summary.set_index(["outcome", "arm"])
    n = summary.groupby("arm")["n"].max()
    table = {
        f"{arm} (n={n[arm]})": [interval(*rows.loc[(name, arm), ["mean", "ci_low", "ci_high"]]) for name in names]
        for arm in arms
    }
    return pd.DataFrame({"Outcome": [axis_label(name) for name in names], **table})


def comparison_table(comparison: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    """Each arm against the baseline: paired mean difference with CI, effect sizes, adjusted p."""
    rows = comparison[comparison["outcome"].isin(names)]
    order = {name: i for i, name in enumerate(names)}
    rows = rows.assign(_order=rows["outcome"].map(order)).sort_values(["_order"], kind="stable")
    rows = rows.sort_values("arm", key=lambda a: a.map(_first_seen(comparison["arm"])), kind="stable")
    return pd.DataFrame(
        {
            "Arm": rows["arm"],
            "Outcome": [axis_label(n) for n in rows["outcome"]],
            "Δ mean [95 % CI]": [interval(*r) for r in rows[["mean_diff", "diff_low", "diff_high"]].to_numpy()],
            "d_z": rows["d_z"].map(number),
            "A12": rows["a12"].map(number),
            "p (t, Holm)": rows["p_t_holm"].map(p_value),
            "p (Wilcoxon, Holm)": rows["p_wilcoxon_holm"].map(p_value),
            "q (t, BH)": rows["p_t_bh"].map(p_value),
        }
    ).reset_index(drop=True)


def adequacy_table(adequacy: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    """Per outcome, the arm with the widest CI relative to its mean and the replications for 5 %."""
    rows = adequacy[adequacy["outcome"].isin(names)]
    widest = rows.sort_values("relative_half_width", ascending=False, na_position="last", kind="stable")
    widest = widest.drop_duplicates("outcome").set_index("outcome").reindex(list(names)).dropna(how="all")

    def verdict(row: pd.Series) -> str:
        if pd.isna(row["relative_half_width"]):
            return "– (mean 0)"
        return "adequate" if row["adequate"] else str(int(row["replications_needed"]))

    return pd.DataFrame(
        {
            "Outcome": [axis_label(n) for n in widest.index],
            "Arm": widest["arm"].to_numpy(),
            "n": widest["n"].astype(int).to_numpy(),
            "Half-width / mean": [("–" if pd.isna(x) else f"{x:.1%}") for x in widest["relative_half_width"]],
            "Replications for 5 %": [verdict(r) for _, r in widest.iterrows()],
        }
    )


def _first_seen(values: pd.Series) -> dict[str, int]:
    return {v: i for i, v in enumerate(dict.fromkeys(values))}


def markdown(table: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table (pipes in cells escaped)."""

    def cell(v: object) -> str:
        return str(v).replace("|", r"\|")

    lines = ["| " + " | ".join(cell(c) for c in table.columns) + " |"]
    lines.append("|" + "|".join(":---" if c in TEXT_COLUMNS else "---:" for c in table.columns) + "|")
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in table.itertuples(index=False)]
    return "\n".join(lines) + "\n"


_LATEX = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "Δ": r"$\Delta$",
    "−": "$-$",
    "–": "--",
    "≥": r"$\geq$",
    "≤": r"$\leq$",
}
_LATEX_HEADERS = {"d_z": "$d_z$", "A12": "$A_{12}$"}
TEXT_COLUMNS = {"Arm", "Outcome"}  # left-aligned; every other column holds numbers


def escape(text: object) -> str:
    """Text safe inside a LaTeX tabular (special characters and the few Unicode symbols we use)."""
    return "".join(_LATEX.get(ch, ch) for ch in str(text))


def latex(table: pd.DataFrame, caption: str, label: str) -> str:
    """A floating `table` with a booktabs `tabular`; needs \\usepackage{booktabs} and nothing else."""
    header = " & ".join(_LATEX_HEADERS.get(c, escape(c)) for c in table.columns)
    body = [" & ".join(escape(v) for v in row) + r" \\" for row in table.itertuples(index=False)]
    spec = "".join("l" if c in TEXT_COLUMNS else "r" for c in table.columns)
    return "\n".join(
        [
            "% Generated by conflict-sim; needs \\usepackage{booktabs}.",
            r"\begin{table}[htbp]",
            r"\centering",
            r"\small",
            rf"\caption{{{escape(caption)}}}",
            rf"\label{{{label}}}",
            rf"\begin{{tabular}}{{{spec}}}",
            r"\toprule",
            header + r" \\",
            r"\midrule",
            *body,
            r"\bottomrule",
            r"\end{tabular}",
            r"\end{table}",
            "",
        ]
    )


def write(folder: Path, stem: str, numbers: pd.DataFrame, shown: pd.DataFrame, caption: str) -> list[Path]:
    """`stem.csv` (all numbers), `stem.md` and `stem.tex` (the rounded table) in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{stem}.csv", folder / f"{stem}.md", folder / f"{stem}.tex"]
    numbers.to_csv(paths[0], index=False, float_format="%.10g")
    paths[1].write_text(markdown(shown))
    paths[2].write_text(latex(shown, caption, f"tab:{stem}"))
    return paths
