"""Tabulate: the report's tables as CSV (full precision), Markdown and LaTeX (booktabs, via pandas Styler).

The CSV keeps every number as computed; the Markdown and LaTeX versions show rounded, labelled
cells ("mean [95 % CI]"), so a table in a paper can always be traced to its CSV. A table too wide
for a page is split into parts (arms in groups of `ARMS_PER_PART`); a part too long for a page is
a `longtable`, which breaks across pages and repeats its header.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from conflict_sim.analysis.catalogue import axis_label, describe
from conflict_sim.catalogue import Margin

ARMS_PER_PART = 3  # arm columns per summary table: each "mean [low, high]" takes about a fifth of a page
FLOAT_ROWS = 35  # more rows than a float holds on a page (9 in at 8 pt, less caption and header): longtable
PARAGRAPHS = {"Outcome": "3.6cm", "Term": "4.4cm", "Definition": "6cm"}  # LaTeX columns that wrap, and their widths
CUT = "†"  # a mean whose interval was cut at the outcome's support
TEXT_COLUMNS = {"Arm", "Outcome", "Term", "Parameter", "Verdict", "Definition", "Unit", "Steady", "Converged"}


@dataclass(frozen=True)
class Table:
    """One table of the report: file stem, caption, the full-precision numbers, and the parts shown.

    Each part is (caption suffix, rounded table); a table shown whole has one part with suffix ''.
    A part's caption is `what`, its suffix, then `context` (scenario, sample, horizon, replications).
    """

    stem: str
    title: str
    what: str
    context: str
    numbers: pd.DataFrame
    parts: list[tuple[str, pd.DataFrame]]

    def caption(self, suffix: str = "") -> str:
        return f"{self.what}{suffix}. {self.context}".strip()

    @property
    def empty(self) -> bool:
        return all(shown.empty for _, shown in self.parts)


# --- cells -----------------------------------------------------------------------------------


def number(x: float | None) -> str:
    """A number rounded for reading: thousands separated, about three significant digits, a true minus sign."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    size = abs(x)
    if size >= 100:
        text = f"{x:,.0f}"
    elif size >= 1 or size == 0:
        text = f"{x:.2f}"
    else:
        text = f"{x:.3f}" if size >= 0.01 else f"{x:.2g}"
    return text.replace("-", "−")  # a minus sign, not a hyphen


def p_value(p: float) -> str:
    """A p-value as journals print it ('<0.001' below a thousandth)."""
    if isinstance(p, float) and math.isnan(p):
        return "–"
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def percent(x: float) -> str:
    """A relative change: '+12 %', '−0.4 %', '–' when undefined."""
    if not isinstance(x, float) or not math.isfinite(x):
        return "–"
    text = f"{x:+.0%}" if abs(x) >= 0.1 else f"{x:+.1%}"
    return text.replace("-", "−").replace("%", " %")


def interval(mean: float, low: float, high: float) -> str:
    """'mean [low, high]'."""
    return f"{number(mean)} [{number(low)}, {number(high)}]"


def plus_minus(mean: float, se: float) -> str:
    """'mean ± standard error'."""
    return f"{number(mean)} ± {number(se)}"


def mean_cell(row: pd.Series | dict) -> str:
    """A summary cell: the mean with its CI, marked where the CI was cut at the support or runs lack a value."""
    name = row["outcome"]
    if row["n"] == 0:
        return "not reached" if describe(name).kind == "duration" else "undefined"
    text = interval(row["mean"], row["ci_low"], row["ci_high"]) + (CUT if row["truncated"] else "")
    if row["missing"]:
        gap = "not reached" if describe(name).kind == "duration" else "undefined"
        text += f" ({row['missing']} of {row['missing'] + row['n']} {gap})"
    return text


# --- the report's tables ---------------------------------------------------------------------


def summary_table(summary: pd.DataFrame, names: Sequence[str], arms: Sequence[str]) -> pd.DataFrame:
    """Outcomes by arm, each cell the mean with its 95 % CI across replications."""
    rows = summary.set_index(["outcome", "arm"])
    runs = (summary["n"] + summary["missing"]).groupby(summary["arm"]).max()
    columns = {
        f"{arm} (n={runs[arm]})": [mean_cell({"outcome": name, **rows.loc[(name, arm)]}) for name in names]
        for arm in arms
        if arm in runs
    }
    return pd.DataFrame({"Outcome": [axis_label(name) for name in names], **columns})


def summary_parts(summary: pd.DataFrame, names: Sequence[str], arms: Sequence[str]) -> list[tuple[str, pd.DataFrame]]:
    """The summary table split into parts of at most `ARMS_PER_PART` arms (the reference repeated in each)."""
    if len(arms) <= ARMS_PER_PART:
        return [("", summary_table(summary, names, arms))]
    reference, rest = arms[0], list(arms[1:])
    step = ARMS_PER_PART - 1
    groups = [rest[i : i + step] for i in range(0, len(rest), step)]
    return [
        (f" (arms, part {k + 1} of {len(groups)})", summary_table(summary, names, [reference, *group]))
        for k, group in enumerate(groups)
    ]


def comparison_table(differences: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    """One treated arm against the reference: paired difference with CI, relative change, A12, adjusted p, verdict."""
    rows = differences.set_index("outcome").reindex([n for n in names if n in set(differences["outcome"])])
    return pd.DataFrame(
        {
            "Outcome": [axis_label(n) for n in rows.index],
            "Δ mean [95 % CI]": [
                interval(r["mean_diff"], r["diff_low"], r["diff_high"]) + (CUT if r["diff_truncated"] else "")
                for _, r in rows.iterrows()
            ],
            "Relative": rows["relative_diff"].map(percent).to_numpy(),
            "A12": rows["a12"].map(number).to_numpy(),
            "p (t)": rows["p_t_holm"].map(p_value).to_numpy(),
            "p (W)": rows["p_wilcoxon_holm"].map(p_value).to_numpy(),
            "MID": [
                number(m) + ("*" if s == "relative" else "")
                for m, s in zip(rows["mid"], rows["mid_source"], strict=True)
            ],
            "Verdict": rows["verdict"].to_numpy(),
        }
    ).reset_index(drop=True)


def transfer_table(differences: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    """One treated arm in two scenarios: each effect ± SE, their difference with its CI, Welch's df and p, verdict."""
    rows = differences.set_index("outcome").reindex([n for n in names if n in set(differences["outcome"])])
    home, other = differences["home"].iloc[0], differences["scenario"].iloc[0]
    return pd.DataFrame(
        {
            "Outcome": [axis_label(n) for n in rows.index],
            f"{home}: Δ ± SE": [plus_minus(e, s) for e, s in zip(rows["effect_home"], rows["se_home"], strict=True)],
            f"{other}: Δ ± SE": [plus_minus(e, s) for e, s in zip(rows["effect_other"], rows["se_other"], strict=True)],
            f"{other} − {home} [95 % CI]": [
                interval(r["mean_diff"], r["diff_low"], r["diff_high"]) for _, r in rows.iterrows()
            ],
            "df": rows["df"].map(number).to_numpy(),
            "p (Welch)": rows["p_welch_holm"].map(p_value).to_numpy(),
            "MID": [
                number(m) + ("*" if s == "relative" else "")
                for m, s in zip(rows["mid"], rows["mid_source"], strict=True)
            ],
            "Verdict": rows["reading"].to_numpy(),
        }
    ).reset_index(drop=True)


def steady_table(warmup: pd.DataFrame, trend: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    """Per outcome: the MSER-5 warm-up (largest over arms) and the last-year change of the arm that changes most."""
    rows = []
    for name in names:
        w = warmup[warmup["outcome"] == name]
        t = trend[(trend["outcome"] == name) & trend["slope"].notna()]
        worst = t.loc[t["slope"].abs().idxmax()] if not t.empty else None
        cut = w.loc[w["truncation_days"].idxmax()] if not w.empty else None
        rows.append(
            {
                "Outcome": axis_label(name),
                "MSER-5 [days]": "–"
                if cut is None
                else f"{int(cut['truncation_days'])}{' (limit)' if cut['at_limit'] else ''}",
                "Arm": "–" if worst is None else worst["arm"],
                "Change per year [95 % CI]": "–"
                if worst is None
                else interval(worst["slope"], worst["slope_low"], worst["slope_high"]),
                "MID": "–" if worst is None else number(worst["mid"]),
                "Steady": "not checked"
                if worst is None
                else ("yes" if t["steady"].all() else f"no ({int((~t['steady']).sum())} of {len(t)})"),
            }
        )
    return pd.DataFrame(rows)


def adequacy_table(adequacy: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    """Per outcome, the treated arm with the widest paired CI, against the target half-width (MID / 2)."""
    rows = []
    for name in names:
        a = adequacy[adequacy["outcome"] == name]
        if a.empty:
            continue
        worst = a.loc[(a["half_width"] / a["target"]).fillna(float("inf")).idxmax()]
        needed = worst["replications_needed"]
        rows.append(
            {
                "Outcome": axis_label(name),
                "Arm": worst["arm"],
                "n": int(worst["n_pairs"]),
                "Half-width": number(worst["half_width"]),
                "Target (MID / 2)": number(worst["target"]),
                "Replications": "adequate" if worst["adequate"] else ("–" if pd.isna(needed) else str(int(needed))),
            }
        )
    return pd.DataFrame(rows)


def effects_table(effects: pd.DataFrame) -> pd.DataFrame:
    """Factorial main effects and two-way interactions: estimate with CI, Holm-adjusted p, MID and verdict."""
    return pd.DataFrame(
        {
            "Outcome": [axis_label(n) for n in effects["outcome"]],
            "Term": effects["term"].to_numpy(),
            "Estimate [95 % CI]": [interval(*r) for r in effects[["mean_diff", "diff_low", "diff_high"]].to_numpy()],
            "p (t)": effects["p_t_holm"].map(p_value).to_numpy(),
            "MID": effects["mid"].map(number).to_numpy(),
            "Verdict": effects["verdict"].to_numpy(),
        }
    )


def indices_table(indices: pd.DataFrame, convergence: pd.DataFrame, method: str) -> pd.DataFrame:
    """Sensitivity indices with their 95 % CIs per outcome and parameter, and whether they converged."""
    converged = convergence.set_index("outcome")["converged"].to_dict()
    if method == "sobol":
        cells = {
            "S1 [95 % CI]": [
                interval(r["S1"], r["S1"] - r["S1_conf"], r["S1"] + r["S1_conf"]) for _, r in indices.iterrows()
            ],
            "ST [95 % CI]": [
                interval(r["ST"], r["ST"] - r["ST_conf"], r["ST"] + r["ST_conf"]) for _, r in indices.iterrows()
            ],
        }
    else:
        cells = {
            "mu* [95 % CI]": [
                interval(r["mu_star"], r["mu_star"] - r["mu_star_conf"], r["mu_star"] + r["mu_star_conf"])
                for _, r in indices.iterrows()
            ],
            "sigma": indices["sigma"].map(number).to_numpy(),
        }
    return pd.DataFrame(
        {
            "Outcome": [axis_label(n) for n in indices["outcome"]],
            "Parameter": indices["parameter"].to_numpy(),
            **cells,
            "Converged": ["yes" if converged.get(n) else "no" for n in indices["outcome"]],
        }
    )


def spread_table(spread: pd.DataFrame) -> pd.DataFrame:
    """Sampled designs: quartiles of the point means over the design, and the replication-noise share."""
    return pd.DataFrame(
        {
            "Outcome": [axis_label(n) for n in spread["outcome"]],
            "Arm": spread["arm"].to_numpy(),
            "Min": spread["min"].map(number).to_numpy(),
            "Median (quartiles)": [
                f"{number(m)} ({number(lo)}–{number(hi)})" for m, lo, hi in spread[["median", "q25", "q75"]].to_numpy()
            ],
            "Max": spread["max"].map(number).to_numpy(),
            "Noise share": spread["noise_share"].map(lambda x: "–" if pd.isna(x) else f"{x:.0%}").to_numpy(),
        }
    )


def definitions_table(names: Sequence[str]) -> pd.DataFrame:
    """What each shown outcome is: label, unit, minimum important difference and definition."""
    found = [describe(n) for n in names]
    return pd.DataFrame(
        {
            "Outcome": [d.label for d in found],
            "Unit": [d.unit or "–" for d in found],
            "MID": [_mid_rule(d.mid) for d in found],
            "Definition": [(d.definition or "–") + (f" ({d.source})" if d.source else "") for d in found],
        }
    )


def _mid_rule(mid: Margin | None) -> str:
    """A declared MID as the definitions table states it; '5 %*' where none is declared."""
    if mid is None:
        return "5 %*"
    share = f"{mid.relative:.0%} of ref."
    if mid.absolute and mid.relative:
        return f"the larger of {number(mid.absolute)} and {share}"
    return share if mid.relative else number(mid.absolute)


# --- formats ---------------------------------------------------------------------------------


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
    "×": r"$\times$",
    "±": r"$\pm$",
    "†": r"\textsuperscript{\dag}",
}
_LATEX_HEADERS = {"A12": "$A_{12}$"}


def escape(text: object) -> str:
    """Text safe in LaTeX (special characters and the few Unicode symbols the tables use)."""
    return "".join(_LATEX.get(ch, ch) for ch in str(text))


def latex(table: pd.DataFrame, caption: str, label: str) -> str:
    r"""A booktabs table by pandas Styler: a float, or a `longtable` when longer than `FLOAT_ROWS` rows.

    Needs \\usepackage{booktabs} (and longtable for long tables); the outcome and definition columns
    wrap at their `PARAGRAPHS` width, other text is left-aligned, numbers right-aligned.
    """
    spec = "".join(
        f"p{{{PARAGRAPHS[c]}}}" if c in PARAGRAPHS else ("l" if c in TEXT_COLUMNS else "r") for c in table.columns
    )
    styler = (
        table.style.hide(axis="index").format(escape).format_index(lambda c: _LATEX_HEADERS.get(c, escape(c)), axis=1)
    )
    long = len(table) > FLOAT_ROWS
    if not long:
        styler = styler.set_table_styles([{"selector": "footnotesize", "props": ":;"}], overwrite=False)
    body = styler.to_latex(
        column_format=spec,
        hrules=True,
        caption=escape(caption),
        label=label,
        environment="longtable" if long else None,
        position=None if long else "htbp",
        position_float=None if long else "centering",
    )
    needs = "booktabs and longtable" if long else "booktabs"
    head = f"% Generated by conflict-sim; needs \\usepackage{{{needs.replace(' and ', '}, \\usepackage{')}}}.\n"
    if long:
        body = "\\begingroup\\footnotesize\\setlength{\\tabcolsep}{4pt}\n" + body + "\\endgroup\n"
    else:
        body = body.replace("\\footnotesize\n", "\\footnotesize\n\\setlength{\\tabcolsep}{4pt}\n", 1)
    return head + body


def write(folder: Path, table: Table) -> list[Path]:
    """`stem.csv` (all numbers), `stem.md` and `stem.tex` (the rounded parts, each captioned) in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{table.stem}.csv", folder / f"{table.stem}.md", folder / f"{table.stem}.tex"]
    table.numbers.to_csv(paths[0], index=False, float_format="%.10g")
    paths[1].write_text("\n".join(f"{table.caption(suffix)}\n\n{markdown(shown)}" for suffix, shown in table.parts))
    paths[2].write_text(
        "\n".join(
            latex(shown, table.caption(suffix), f"tab:{table.stem}" + (f"-{k + 1}" if len(table.parts) > 1 else ""))
            for k, (suffix, shown) in enumerate(table.parts)
        )
    )
    return paths
