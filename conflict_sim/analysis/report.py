"""Report: a study's tables, figures and statistics as a self-contained HTML page and its Markdown twin.

`report_folder(folder)` reads a results folder and writes `folder/report/`; `write_report` does the
same for a `Study` already in memory. Nothing here computes an outcome: outcomes come as stored,
the analysis modules summarise and compare them. No timestamps are written, so redrawing from
stored results gives the same bytes; the folder is built beside the old one and swapped in whole.
"""

from __future__ import annotations

import base64
import functools
import html
import json
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from conflict_sim.analysis import designs, steady_state, transfer
from conflict_sim.analysis import figures as fg
from conflict_sim.analysis import tables as tb
from conflict_sim.analysis.catalogue import LEVELS, TRAJECTORIES, describe
from conflict_sim.analysis.comparison import Comparison, compare
from conflict_sim.analysis.designs import DesignAnalysis
from conflict_sim.analysis.steady_state import SteadyState
from conflict_sim.analysis.study import REFERENCE, Study, read
from conflict_sim.analysis.transfer import Transfer

COMPARE_TEXTS = ("Policy comparison on", "Policy transfer across")  # descriptions `compare` writes itself
PANELS_PER_FIGURE = 9  # small multiples per figure: three rows of a double column fit a page with its caption
HIDDEN = ("runs",)  # manifest entries too long to print (the per-run status table stays in manifest.json)

METHODS = """\
Outcomes are the model's own, computed over the days after warm-up and read as stored; the report
never recomputes them. Replication r of every arm and design point uses the same seed (common
random numbers), so each arm is compared with the reference arm run for run, within each design
point; a design that samples a parameter space (LHS, Sobol, Morris) is compared on its design
average, each replication's mean over all points. Means carry 95 % Student-t intervals (bootstrap
BCa when the outcome is highly skewed, |skew| > 1 with n >= 10), cut at the outcome's support (a
count is never below 0, a share never outside [0, 1]; † marks a cut interval, whose coverage the cut
does not lower). Paired differences (arm − reference) carry t-intervals, the relative change
against the reference mean, a paired t-test and a Wilcoxon signed-rank test, Cohen's d_z and the
Vargha–Delaney A12. p-values are adjusted by Holm (family-wise error) and Benjamini–Hochberg
(false discovery rate) within each family: the main table's outcomes, and the appendix's. A
difference is important when it is resolved (Holm-adjusted p < 0.05) and at least the outcome's
minimum important difference (MID); negligible when its interval lies within ±MID; below MID when
resolved but smaller; inconclusive otherwise. Replications are adequate when the paired interval's
half-width is at most MID / 2; otherwise the number that would reach it is given (Law 2015, 9.4.1).
The warm-up recommended is the MSER-5 truncation point (White 1997; White, Cobb & Spratt 2000) of
the replication-averaged series that follows each main outcome, the largest over outcomes and
arms; an outcome is steady when the least-squares slope of its 30-day values over the last year is
within its MID per year, or its 95 % interval holds 0. Factorial designs get main effects and
two-way interactions with the arms as a factor, computed within replications; Sobol and Morris
designs get SALib's indices with bootstrap intervals, judged converged when the widest 95 %
interval is at most 0.05 wide (Sarrazin, Pianosi & Wagener 2016). See docs/analysis.md for how to
read each number and its source.
"""

TRANSFER_METHODS = """\
Scenarios (districts) side by side are never paired with each other: each district's arms share that
district's seeds, and each district has its own seed set, so the districts are independent samples.
An arm's effect in a district is its mean paired difference from the reference arm there, with its
standard error (SE). Whether the effect transfers is the difference of two districts' effects (each
other district against the first), an unpaired comparison of their per-replication paired differences
by Welch's t with Welch–Satterthwaite degrees of freedom (Welch 1947; Satterthwaite 1946), 95 %
interval, and p Holm-adjusted within each family of outcomes. The verdict reads the difference against
the outcome's MID in the first district: transfers (the interval lies within ±MID, or the effects are
equal), differs (resolved and at least the MID), differs, below MID (resolved, smaller), inconclusive.
"""


@dataclass(frozen=True)
class Section:
    """One figure of the report: the file stem, a title and a caption saying how to read it."""

    stem: str
    title: str
    caption: str
    draw: Callable[[], Figure]


@dataclass(frozen=True)
class Analysis:
    """Everything a report shows, computed once from a study."""

    study: Study
    comparison: Comparison
    steady: SteadyState
    design: DesignAnalysis
    transfer: Transfer

    @property
    def warnings(self) -> list[str]:
        return [*self.comparison.warnings, *self.transfer.warnings, *self.steady.warnings(), *self.design.warnings]


def analyse(study: Study, *, reference: str | None = REFERENCE, outcomes: Sequence[str] | None = None) -> Analysis:
    """Compare the arms, check the steady state and read the design of `study`."""
    comparison = compare(study, reference=reference, outcomes=outcomes)
    drawn = [n for n in TRAJECTORIES if n in study.outcome_names]
    steady = steady_state.analyse(study, comparison.main, drawn)
    return Analysis(study, comparison, steady, designs.analyse(study, comparison), transfer.analyse(study, comparison))


def report_folder(
    folder: str | Path, *, reference: str | None = REFERENCE, outcomes: Sequence[str] | None = None
) -> Path:
    """Write `folder/report/` from the stored results; returns the HTML report's path."""
    folder = Path(folder)
    study = read(folder)
    experiment = folder / "experiment.toml"
    text = experiment.read_text(encoding="utf-8") if experiment.exists() else ""
    return write_report(analyse(study, reference=reference, outcomes=outcomes), folder, experiment=text)


# --- words -------------------------------------------------------------------------------------


def title(study: Study, reference: str) -> str:
    """'Policy comparison on chengzhong: 5 arms against baseline', districts side by side, or the sweep's design."""
    scenarios = ", ".join(study.scenarios)
    others = len(study.arms) - 1
    against = f"{others} arm{'s' if others != 1 else ''} against {reference}" if others else f"arm {reference}"
    if study.n_points == 1:
        return f"Policy comparison on {scenarios}: {against}"
    if study.n_points == len(study.scenarios):
        return f"Policy transfer across {scenarios}: {against}"
    return f"{study.name}: {study.method} design on {scenarios}, {against}"


def sample_text(study: Study) -> str:
    k = study.households_per_agent
    return "" if k is None else ("one agent per household" if k == 1 else f"a 1:{k:g} household sample")


def caption_context(study: Study, reference: str) -> str:
    """The facts every caption repeats: scenario, sample, horizon and window, replications, reference arm."""
    replications = study.finished.groupby("arm")["replication"].nunique()
    reps = (
        f"{replications.min()}"
        if replications.min() == replications.max()
        else f"{replications.min()}–{replications.max()}"
    )
    sample = sample_text(study)
    warm = study.warmup_days
    window = f"outcomes over days {warm + 1:,}–{study.days:,}" if warm else "outcomes over the whole run"
    return (
        f"Scenario {', '.join(study.scenarios)}{f', {sample}' if sample else ''}; {study.days:,} days, {window}; "
        f"{reps} replications per arm; reference arm {reference}."
    )


def _population_text(s: Study) -> str:
    """', population N', or one population per scenario when districts differ ('' when not recorded)."""
    if s.population:
        return f", population {s.population:,.0f}"
    found = {name: s.population_in(name) for name in s.scenarios}
    if len(found) < 2 or not all(found.values()):
        return ""
    return ", population " + ", ".join(f"{p:,.0f} ({name})" for name, p in found.items())


def _pairing_text(a: Analysis) -> str:
    """Which runs are paired: across arms and points, or within each district only."""
    if a.transfer.empty:
        return "replications are paired across arms and points by their shared seed (common random numbers)."
    seeds = "share their seeds here (see Warnings) but" if a.transfer.shared_seeds else "have their own seed sets and"
    return (
        "replications are paired across arms within each scenario by their shared seed (common random numbers); "
        f"scenarios {seeds} are not paired with each other: {', '.join(a.transfer.scenarios[1:])} against "
        f"{a.transfer.home} is an unpaired (Welch) comparison of effects."
    )


def design_facts(a: Analysis) -> list[str]:
    """The report's opening list: what was run, how it is compared, and the warm-up against MSER-5."""
    s, c = a.study, a.comparison
    named = "the experiment's own list" if s.named_outcomes else "the default key set (docs/analysis.md)"
    recommended = a.steady.recommended_days
    facts = [
        f"Scenario: {', '.join(s.scenarios)}"
        + (f", {sample_text(s)}" if sample_text(s) else "")
        + _population_text(s)
        + ".",
        f"Horizon: {s.days:,} days; warm-up used: {s.warmup_days:,} days; MSER-5 recommends: "
        + (f"{recommended:,} days." if recommended is not None else "– (no daily series to check)."),
        f"Arms: {', '.join(f'{arm} (reference)' if arm == c.reference else arm for arm in c.arms)}.",
        f"Runs: {len(s.runs):,} ({s.n_failed} failed); " + _pairing_text(a),
        f"Main outcomes: {named} ({len(c.main)}); every other stored outcome ({len(c.appendix)}) is in the appendix.",
        "Minimum important differences (MID) are declared per outcome (see Definitions: in the outcome's unit, "
        "or a share of the reference arm's mean, 'of ref.', as for counts); * marks 5 % of the reference mean "
        "where none is declared.",
    ]
    if s.n_points > 1:
        parameters = " × ".join(p for p in s.parameters) or "parameters"
        unit = "the design average" if s.sampled else "each design point"
        facts.insert(3, f"Design: {s.method} over {parameters}, {s.n_points} points; arms are compared at {unit}.")
    description = str(s.manifest.get("experiment", {}).get("description", "")).strip()
    if description and not description.startswith(COMPARE_TEXTS):  # compare's own text: the title says it
        facts.insert(0, f"Question: {description}")
    return facts


# --- tables ------------------------------------------------------------------------------------


def table_set(a: Analysis) -> list[tb.Table]:
    """Every table of the report, in reading order (empty ones left out)."""
    s, c, ctx = a.study, a.comparison, caption_context(a.study, a.comparison.reference)
    family = {**dict.fromkeys(c.main, "main"), **dict.fromkeys(c.appendix, "appendix")}
    tables = [
        tb.Table(
            "summary",
            "Main outcomes",
            "Main outcomes per arm: mean [95 % CI] across replications",
            ctx,
            c.summary.assign(family=c.summary["outcome"].map(family)),  # every outcome, the appendix's too
            _per_point(c, lambda rows: tb.summary_parts(rows, c.main, c.arms), c.summary),
        ),
        tb.Table(
            "comparison",
            f"Differences from {c.reference}",
            f"Arms against {c.reference}, paired by replication: mean difference [95 % CI], relative change, "
            "A12, Holm-adjusted p of the paired t-test (t) and the Wilcoxon signed-rank test (W), MID and verdict",
            ctx,
            c.differences,  # every outcome, the appendix's too
            _comparison_parts(c, c.main),
        ),
    ]
    t = a.transfer
    if not t.empty:
        tables.append(
            tb.Table(
                "transfer",
                "Transfer between scenarios",
                "Each arm's effect (mean paired difference from the reference arm ± SE) per scenario, and the "
                "difference of effects between scenarios (unpaired: Welch's t, its df, Holm-adjusted p), MID and "
                "verdict",
                ctx,
                t.differences,  # every outcome, the appendix's too
                _transfer_parts(t, c.main),
            )
        )
    d = a.design
    if not d.effects.empty:
        tables.append(
            tb.Table(
                "effects",
                "Factorial effects and interactions",
                "Main effects (each level against the first, averaged over the other factors) and two-way "
                "interactions, within replications: estimate [95 % CI], Holm-adjusted p of the t-test (t), MID and "
                "verdict",
                ctx,
                d.effects,
                [("", tb.effects_table(d.effects))],
            )
        )
    if not d.indices.empty:
        tables.append(
            tb.Table(
                "indices",
                f"{s.method.capitalize()} sensitivity indices",
                f"{s.method.capitalize()} indices of the main outcomes in arm {c.reference}, with 95 % bootstrap "
                "CIs; converged when the widest CI is at most 0.05 wide",
                ctx,
                d.indices.merge(d.convergence, on="outcome"),
                [("", tb.indices_table(d.indices, d.convergence, s.method))],
            )
        )
    if not d.spread.empty:
        tables.append(
            tb.Table(
                "design_spread",
                "Outcomes over the design",
                f"Point means over the {s.n_points} design points: min, median (quartiles), max; noise share: "
                "the within-point sum of squares over the total (replication noise)",
                ctx,
                d.spread,
                [("", tb.spread_table(d.spread))],
            )
        )
    tables += [
        tb.Table(
            "steady_state",
            "Warm-up and steady state",
            "Per main outcome: the MSER-5 warm-up (largest over arms; 'limit': no steady state in the first half), "
            "and the change per year over the last year in the arm that changes most, against the MID; steady: "
            "how many arms pass",
            ctx,
            a.steady.trend.merge(a.steady.warmup, on=["outcome", "arm"], how="outer"),
            [("", tb.steady_table(a.steady.warmup, a.steady.trend, c.main))],
        ),
        tb.Table(
            "adequacy",
            "Replication adequacy",
            "Per main outcome, the arm whose paired difference has the widest 95 % CI, against MID / 2, and the "
            "replications that would reach it (Law 2015, 9.4.1)",
            ctx,
            c.adequacy,
            [("", tb.adequacy_table(c.adequacy, c.main) if not c.adequacy.empty else pd.DataFrame())],
        ),
        tb.Table(
            "definitions",
            "Definitions",
            "The outcomes shown: unit, minimum important difference (MID) and definition",
            "",
            pd.DataFrame([vars(describe(n)) for n in [*c.main, *c.appendix]]),
            [("", tb.definitions_table([*c.main, *c.appendix]))],
        ),
        tb.Table(
            "appendix_summary",
            "Appendix: other outcomes",
            "Every other stored outcome per arm: mean [95 % CI]",
            ctx,
            c.summary[c.summary["outcome"].isin(c.appendix)],
            _per_point(c, lambda rows: tb.summary_parts(rows, c.appendix, c.arms), c.summary),
        ),
        tb.Table(
            "appendix_comparison",
            f"Appendix: other differences from {c.reference}",
            f"Every other stored outcome against {c.reference} (an exploratory family, adjusted on its own)",
            ctx,
            c.differences[c.differences["family"] == "appendix"] if not c.differences.empty else c.differences,
            _comparison_parts(c, c.appendix),
        ),
    ]
    if not t.empty:
        tables.append(
            tb.Table(
                "appendix_transfer",
                "Appendix: other outcomes between scenarios",
                "Every other stored outcome: each arm's effect per scenario and their difference (an exploratory "
                "family, adjusted on its own)",
                ctx,
                t.differences[t.differences["family"] == "appendix"],
                _transfer_parts(t, c.appendix),
            )
        )
    return [table for table in tables if not table.empty]


def _per_point(c: Comparison, parts: Callable[[pd.DataFrame], list], summary: pd.DataFrame) -> list:
    """Parts of a table, one set per design point (labelled) when there are several."""
    found = []
    for point in c.points["point"]:
        label = c.point_label(point)
        suffix = "" if not label else f" ({label})"
        found += [(suffix + s, shown) for s, shown in parts(summary[summary["point"] == point])]
    return found


def _comparison_parts(c: Comparison, names: Sequence[str]) -> list:
    """One comparison table per treated arm (and design point)."""
    if c.differences.empty or not names:
        return [("", pd.DataFrame())]
    found = []
    for point in c.points["point"]:
        label = c.point_label(point)
        for arm in c.treated:
            rows = c.differences[(c.differences["point"] == point) & (c.differences["arm"] == arm)]
            found.append((f" ({arm}" + (f"; {label}" if label else "") + ")", tb.comparison_table(rows, names)))
    return found


def _transfer_parts(t: Transfer, names: Sequence[str]) -> list:
    """One transfer table per treated arm and other scenario (and group of design points)."""
    if not names:
        return [("", pd.DataFrame())]
    found = []
    for (group, arm, scenario), rows in t.differences.groupby(["group", "arm", "scenario"], sort=False):
        label = t.group_label(group)
        suffix = f" ({arm}: {scenario} against {t.home}" + (f"; {label}" if label else "") + ")"
        found.append((suffix, tb.transfer_table(rows, names)))
    return found


# --- figures -----------------------------------------------------------------------------------


def figure_sections(a: Analysis) -> list[Section]:
    """The report's figures; those whose outcomes or design the study lacks are left out."""
    s, c, ctx = a.study, a.comparison, caption_context(a.study, a.comparison.reference)
    stored = set(c.main) | set(c.appendix)
    single = len(c.points) == 1
    sections = []
    bands = {n: b for n, b in a.steady.bands.items() if not b.empty}
    if bands:
        sections.append(
            Section(
                "trajectories",
                "Course over time",
                "30-day values of the outcomes per arm (rates and shares over each 30 days, flows per year, levels as "
                f"means), averaged over replications{' and design points' if s.n_points > 1 else ''}, with 95 % "
                f"t-interval ribbons; grey: the warm-up used; dotted: the MSER-5 warm-up. {ctx}",
                lambda: fg.trajectories(bands, c.arms, s.warmup_days, a.steady.recommended_days),
            )
        )
    chunks = [c.main[i : i + PANELS_PER_FIGURE] for i in range(0, len(c.main), PANELS_PER_FIGURE)]
    for k, names in enumerate(chunks):
        suffix = "" if k == 0 else f"-{k + 1}"
        if single:
            unit = "design average per replication" if s.sampled else "one point per replication"
            sections.append(
                Section(
                    f"distributions{suffix}",
                    "Outcome distributions" + (f" ({k + 1} of {len(chunks)})" if len(chunks) > 1 else ""),
                    f"Main outcomes, {unit}; boxes show the median and quartiles. {ctx}",
                    functools.partial(fg.distributions, c.values, names, c.arms),
                )
            )
            if not c.differences.empty:
                sections.append(
                    Section(
                        f"forest{suffix}",
                        f"Paired differences against {c.reference}"
                        + (f" ({k + 1} of {len(chunks)})" if len(chunks) > 1 else ""),
                        f"Mean of (arm − {c.reference}) over paired replications with 95 % t-intervals; dashed: no "
                        f"effect; grey band: ±MID. {ctx}",
                        functools.partial(fg.forest, c.differences, names, c.arms),
                    )
                )
    t = a.transfer
    for group, label in t.groups.itertuples(index=False) if not t.empty else ():
        effects, differences = t.of_group(group)
        for k, names in enumerate(chunks):
            stem = "transfer" + (f"-g{group}" if len(t.groups) > 1 else "") + ("" if k == 0 else f"-{k + 1}")
            sections.append(
                Section(
                    stem,
                    f"Effects by scenario{f' ({label})' if label else ''}"
                    + (f" ({k + 1} of {len(chunks)})" if len(chunks) > 1 else ""),
                    f"{t.caption(c.reference)} The transfer table gives the numbers. {ctx}",
                    functools.partial(fg.transfer, effects, differences, names, c.arms, t.scenarios),
                )
            )
    if s.method == "factorial" and s.n_points > 1:
        values = c.values.merge(s.finished.drop_duplicates("point")[["point", *s.parameters]], on="point", how="left")
        for parameter in s.parameters:
            sections.append(
                Section(
                    f"interactions-{parameter}",
                    f"Outcomes by {parameter} and arm",
                    f"Mean per level of {parameter} and arm, averaged over the other factors within each replication, "
                    f"with 95 % CIs; lines that are not parallel show an interaction. {ctx}",
                    functools.partial(fg.interactions, values, parameter, c.main[:PANELS_PER_FIGURE], c.arms),
                )
            )
    if single and {"formal_on_time_rate", "substantive_resolution_rate"} <= stored:
        sections.append(
            Section(
                "closure_vs_resolution",
                "Formal closure versus substantive resolution",
                "Points below the diagonal close cases on time without solving them (95 % CIs; the reference "
                f"hollow). {ctx}",
                lambda: fg.closure_vs_resolution(c.summary, c.arms),
            )
        )
    if single and {f"ended_share_{lv}" for lv in LEVELS} <= stored:
        sections.append(
            Section(
                "level_pyramid",
                "Where issues end, by level",
                "Mean share of ended issues per level with 95 % CIs; a wide base means issues end near where they "
                f"arise. {ctx}",
                lambda: fg.level_pyramid(c.summary, c.arms),
            )
        )
    if not a.design.indices.empty:
        draw = fg.sobol_indices if s.method == "sobol" else fg.morris_indices
        sections.append(
            Section(
                s.method,
                f"{s.method.capitalize()} sensitivity indices",
                f"Indices of the main outcomes in arm {c.reference} with 95 % bootstrap CIs (see the convergence "
                f"column of the indices table). {ctx}",
                lambda: draw(a.design.indices),
            )
        )
    return sections


# --- writing -----------------------------------------------------------------------------------


def write_report(a: Analysis, folder: Path, *, experiment: str = "") -> Path:
    """Write `folder/report/` (report.html, report.md, figures/, tables/); returns the HTML path."""
    final = Path(folder) / "report"
    work = Path(folder) / "report.partial"
    shutil.rmtree(work, ignore_errors=True)
    sections = figure_sections(a)
    for s in sections:
        fg.save(s.draw(), work / "figures", s.stem)
    tables = table_set(a)
    for t in tables:
        tb.write(work / "tables", t)
    page = _page(a, experiment)
    (work / "report.md").write_text(_markdown(page, sections, tables))
    (work / "report.html").write_text(_html(page, sections, tables, work / "figures"))
    shutil.rmtree(final, ignore_errors=True)
    work.rename(final)
    return final / "report.html"


def shown_manifest(manifest: dict[str, Any]) -> dict[str, Any]:
    """The manifest as the report prints it: without the long per-run table and the experiment text."""
    shown = {k: v for k, v in manifest.items() if k not in HIDDEN}
    shown["experiment"] = {k: v for k, v in manifest.get("experiment", {}).items() if k != "text"}
    return shown


def _page(a: Analysis, experiment: str) -> dict:
    c = a.comparison
    notes = [*c.notes, *a.transfer.notes]
    notes += [f"{describe(n).label}: not checked for a steady state ({why})." for n, why in a.steady.unchecked.items()]
    if c.summary["truncated"].any() or (not c.differences.empty and c.differences["diff_truncated"].any()):
        notes.insert(0, f"{tb.CUT} the 95 % interval was cut at the outcome's support (e.g. a count at 0).")
    return {
        "title": title(a.study, c.reference),
        "facts": design_facts(a),
        "warnings": a.warnings
        or ["None: the runs reached a steady state and every main outcome met its precision target."],
        "notes": notes,
        "methods": METHODS + ("\n" + TRANSFER_METHODS if not a.transfer.empty else ""),
        "experiment": experiment.strip() or "(no experiment file)",
        "manifest": json.dumps(shown_manifest(dict(a.study.manifest)), indent=2, sort_keys=True, default=str),
    }


def _markdown(page: dict, sections: list[Section], tables: list[tb.Table]) -> str:
    parts = [f"# {page['title']}\n", "\n".join(f"- {f}" for f in page["facts"]) + "\n", "## Warnings\n"]
    parts.append("\n".join(f"- {w}" for w in page["warnings"]) + "\n")
    for t in tables:
        parts.append(f"## Table: {t.title}\n")
        parts += [f"{t.caption(suffix)}\n\n{tb.markdown(shown)}" for suffix, shown in t.parts]
        parts.append(f"Files: `tables/{t.stem}.csv` (every number), `.md`, `.tex`.\n")
    for s in sections:
        parts += [
            f"## Figure: {s.title}\n",
            f"![{s.title}](figures/{s.stem}.png)\n",
            f"{s.caption} Vector version: `figures/{s.stem}.pdf`.\n",
        ]
    parts += ["## Notes\n", "\n".join(f"- {n}" for n in page["notes"]) + "\n"]
    parts += ["## Methods\n", page["methods"]]
    parts += ["## Experiment definition\n", f"```toml\n{page['experiment']}\n```\n"]
    parts += ["## Manifest\n", f"```json\n{page['manifest']}\n```\n"]
    return "\n".join(parts)


STYLE = """body{font-family:system-ui,sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;font-size:.85rem;margin:1rem 0}th,td{padding:.2rem .6rem;text-align:right}
th:first-child,td:first-child{text-align:left}thead th{border-bottom:1px solid #444}
tbody tr:last-child td{border-bottom:1px solid #444}table{border-top:1px solid #444}
img{max-width:100%}pre{background:#f6f6f6;padding:1rem;overflow:auto;font-size:.8rem}
.warn li{color:#8a4b00}figcaption,.caption{font-size:.85rem;color:#555}"""


def _html(page: dict, sections: list[Section], tables: list[tb.Table], figures: Path) -> str:
    esc = html.escape
    body = [
        f"<h1>{esc(page['title'])}</h1>",
        "<ul>" + "".join(f"<li>{esc(f)}</li>" for f in page["facts"]) + "</ul>",
        "<h2 id='warnings'>Warnings</h2>",
        "<ul class='warn'>" + "".join(f"<li>{esc(w)}</li>" for w in page["warnings"]) + "</ul>",
    ]
    for t in tables:
        body.append(f"<h2 id='table-{t.stem}'>Table: {esc(t.title)}</h2>")
        for suffix, shown in t.parts:
            body += [
                f"<p class='caption'>{esc(t.caption(suffix))}</p>",
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
        "<h2 id='notes'>Notes</h2>",
        "<ul>" + "".join(f"<li>{esc(n)}</li>" for n in page["notes"]) + "</ul>",
        "<h2 id='methods'>Methods</h2>",
        *(f"<p>{esc(paragraph)}</p>" for paragraph in page["methods"].split("\n\n")),
        "<h2 id='experiment'>Experiment definition</h2>",
        f"<pre>{esc(page['experiment'])}</pre>",
        "<h2 id='manifest'>Manifest</h2>",
        f"<pre>{esc(page['manifest'])}</pre>",
    ]
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>{esc(page['title'])}</title><style>{STYLE}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )
