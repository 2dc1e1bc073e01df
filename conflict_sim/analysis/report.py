"""The comparison report: figures, tables, a self-contained HTML page and its Markdown twin.

`write_report` turns a `Comparison` plus the experiment's definition and manifest into a `report/`
folder. It reads nothing but its arguments and writes no timestamps, so redrawing from stored
results gives the same bytes. The folder is built beside the old one and swapped in when complete.
"""

from __future__ import annotations

import base64
import html
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from conflict_sim.analysis import figures as fg
from conflict_sim.analysis import tables as tb
from conflict_sim.analysis.catalogue import LEVELS
from conflict_sim.analysis.comparison import Comparison

METHODS = """\
Each arm ran the same replications; replication r of every arm used the same seed (common random
numbers), so each arm is compared with the baseline run for run. Means carry 95 % Student-t
intervals (bootstrap BCa when the outcome is highly skewed, |skew| > 1 with n >= 10); medians carry
BCa bootstrap intervals (1,999 resamples, seeded). Paired differences (arm − baseline) carry
t-intervals, a paired t-test and a Wilcoxon signed-rank test, Cohen's d_z (mean difference over
the standard deviation of differences) and the Vargha–Delaney A12 (chance that a run of the arm
exceeds a run of the baseline; 0.5 = no effect). p-values are adjusted across every test in the
comparison table by Holm (family-wise error) and Benjamini–Hochberg (false discovery rate).
Replications are adequate when the CI half-width is at most 5 % of the mean; otherwise the number
that would reach it is suggested. See docs/analysis.md for how to read each number and its source.
"""


@dataclass(frozen=True)
class Section:
    """One figure of the report: the file stem, a title and a caption saying how to read it."""

    stem: str
    title: str
    caption: str
    draw: Callable[[], Figure]


def figure_sections(c: Comparison, sensitivity: pd.DataFrame | None) -> list[Section]:
    """The report's figures; those whose outcomes the experiment lacks are left out."""
    outcomes = set(c.summary["outcome"])
    sections = (
        []
        if not c.bands
        else [
            Section(
                "trajectories",
                "Daily trajectories",
                "Mean across replications per arm, with 95 % t-interval ribbons; grey: warm-up.",
                lambda: fg.trajectories(c.bands, c.arms, c.warmup_days),
            )
        ]
    )
    sections += [
        Section(
            "distributions",
            "Outcome distributions",
            "One point per replication; boxes show the median and quartiles.",
            lambda: fg.distributions(c.values, [n for n in c.family if "@" not in n], c.arms),
        ),
    ]
    if not c.comparison.empty:
        sections.append(
            Section(
                "forest",
                "Paired differences against the baseline",
                f"Mean of (arm − {c.baseline}) over paired replications with 95 % t-intervals; "
                "the dashed line is no effect.",
                lambda: fg.forest(c.comparison, [n for n in c.family if "@" not in n], c.arms),
            )
        )
    if {"formal_on_time_rate", "substantive_resolution_rate"} <= outcomes:
        sections.append(
            Section(
                "closure_vs_resolution",
                "Formal closure versus substantive resolution",
                "Points below the diagonal close cases on time without solving them (95 % CIs).",
                lambda: fg.closure_vs_resolution(c.summary, c.arms),
            )
        )
    if {f"ended_share_{lv}" for lv in LEVELS} <= outcomes:
        sections.append(
            Section(
                "level_pyramid",
                "Where issues end, by level",
                "Mean share of ended issues per level; a wide base means issues end near where they arise.",
                lambda: fg.level_pyramid(c.summary, c.arms),
            )
        )
    if sensitivity is not None and not sensitivity.empty:
        sections.append(
            Section(
                "sobol",
                "Sobol sensitivity indices",
                "First-order and total indices with 95 % CIs, from the experiment's design.",
                lambda: fg.sobol_indices(sensitivity),
            )
        )
    return sections


def table_set(c: Comparison) -> list[tuple[str, str, pd.DataFrame, pd.DataFrame]]:
    """(stem, caption, numbers, shown) for each table of the report."""
    key = [n for n in c.family if "@" not in n]
    summary = c.summary[c.summary["outcome"].isin(key)]
    derived = c.summary[c.summary["outcome"].isin(c.derived)]
    return [
        (
            "summary",
            "Outcomes per arm: mean [95 % CI] across replications.",
            summary,
            tb.summary_table(c.summary, key, c.arms),
        ),
        (
            "comparison",
            f"Each arm against {c.baseline}, paired by replication (common random numbers).",
            c.comparison,
            tb.comparison_table(c.comparison, c.family) if not c.comparison.empty else pd.DataFrame({"Arm": []}),
        ),
        (
            "horizons",
            "Key daily metrics at yearly horizons and averaged after warm-up: mean [95 % CI].",
            derived,
            tb.summary_table(c.summary, c.derived, c.arms),
        ),
        (
            "adequacy",
            "Replication adequacy: the widest CI half-width relative to the mean, per outcome.",
            c.adequacy,
            tb.adequacy_table(c.adequacy, c.family),
        ),
    ]


def write_report(
    c: Comparison, folder: Path, *, title: str, experiment: str, manifest: dict, sensitivity: pd.DataFrame | None = None
) -> Path:
    """Write `folder/report/` (report.html, report.md, figures/, tables/); returns the HTML path."""
    final = folder / "report"
    work = folder / "report.partial"
    shutil.rmtree(work, ignore_errors=True)
    sections = figure_sections(c, sensitivity)
    for s in sections:
        fg.save(s.draw(), work / "figures", s.stem)
    tables = table_set(c)
    for stem, caption, numbers, shown in tables:
        tb.write(work / "tables", stem, numbers, shown, caption)
    context = _context(c, title, experiment, manifest)
    (work / "report.md").write_text(_markdown(context, sections, tables))
    (work / "report.html").write_text(_html(context, sections, tables, work / "figures"))
    shutil.rmtree(final, ignore_errors=True)
    work.rename(final)
    return final / "report.html"


def _context(c: Comparison, title: str, experiment: str, manifest: dict) -> dict:
    n = c.summary.groupby("arm")["n"].max()
    replications = f"{n.min()}" if n.min() == n.max() else f"{n.min()}–{n.max()}"
    return {
        "title": title,
        "lead": (
            f"{len(c.arms)} arms ({', '.join(c.arms)}); baseline {c.baseline}; "
            f"{c.n_runs} runs ({c.n_failed} failed), {replications} replications per arm; "
            f"warm-up {c.warmup_days} days."
        ),
        "warnings": c.warnings or ["None: every key outcome met the precision target."],
        "experiment": experiment.strip() or "(no experiment file)",
        "manifest": json.dumps(manifest, indent=2, sort_keys=True, default=str),
    }


def _markdown(ctx: dict, sections: list[Section], tables: list) -> str:
    parts = [
        f"# {ctx['title']}\n",
        ctx["lead"] + "\n",
        "## Warnings\n",
        "\n".join(f"- {w}" for w in ctx["warnings"]) + "\n",
    ]
    for stem, caption, _, shown in tables:
        parts += [f"## Table: {stem}\n", caption + "\n", tb.markdown(shown)]
    for s in sections:
        parts += [
            f"## Figure: {s.title}\n",
            f"![{s.title}](figures/{s.stem}.png)\n",
            f"{s.caption} Vector version: `figures/{s.stem}.pdf`.\n",
        ]
    parts += [
        "## Methods\n",
        METHODS,
        "## Experiment definition\n",
        f"```toml\n{ctx['experiment']}\n```\n",
        "## Manifest\n",
        f"```json\n{ctx['manifest']}\n```\n",
    ]
    return "\n".join(parts)


STYLE = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;font-size:.85rem;margin:1rem 0}th,td{padding:.2rem .6rem;text-align:right}
th:first-child,td:first-child{text-align:left}thead th{border-bottom:1px solid #444}
tbody tr:last-child td{border-bottom:1px solid #444}table{border-top:1px solid #444}
img{max-width:100%}pre{background:#f6f6f6;padding:1rem;overflow:auto;font-size:.8rem}
.warn li{color:#8a4b00}figcaption{font-size:.85rem;color:#555}"""


def _html(ctx: dict, sections: list[Section], tables: list, figures: Path) -> str:
    esc = html.escape
    body = [
        f"<h1>{esc(ctx['title'])}</h1>",
        f"<p>{esc(ctx['lead'])}</p>",
        "<h2 id='warnings'>Warnings</h2>",
        "<ul class='warn'>" + "".join(f"<li>{esc(w)}</li>" for w in ctx["warnings"]) + "</ul>",
    ]
    for stem, caption, _, shown in tables:
        body += [
            f"<h2 id='table-{stem}'>Table: {esc(stem)}</h2>",
            f"<p>{esc(caption)}</p>",
            shown.to_html(index=False, border=0, escape=True),
        ]
    for s in sections:
        png = base64.b64encode((figures / f"{s.stem}.png").read_bytes()).decode("ascii")
        body += [
            f"<h2 id='figure-{s.stem}'>Figure: {esc(s.title)}</h2>",
            f"<figure><img alt='{esc(s.title)}' src='data:image/png;base64,{png}'>"
            f"<figcaption>{esc(s.caption)}</figcaption></figure>",
        ]
    body += [
        "<h2 id='methods'>Methods</h2>",
        f"<p>{esc(METHODS)}</p>",
        "<h2 id='experiment'>Experiment definition</h2>",
        f"<pre>{esc(ctx['experiment'])}</pre>",
        "<h2 id='manifest'>Manifest</h2>",
        f"<pre>{esc(ctx['manifest'])}</pre>",
    ]
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>{esc(ctx['title'])}</title><style>{STYLE}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )
