"""What the results explorer draws: each view a figure of the paper report and the numbers behind it.

Every figure comes from `analysis.figures` (the report's plotting code and style) fed by the report's
own analysis (`analysis.comparison`, `steady_state`, `designs`); this module only chooses the runs and
outcomes a view shows and writes its caption. A view's table is what its figure draws, for CSV.

- `parameter_view`: an outcome against a design parameter, per arm, with 95 % intervals over
  replications (the report's interaction figure); a sampled design's parameter is cut into
  quantile bins first.
- `arms_views`: arms side by side (outcome distributions) and their paired differences from the
  reference arm (the report's forest plot), at one design point or over the design.
- `transfer_view`: districts side by side: each arm's paired effect per scenario and the unpaired
  difference of effects between scenarios (the report's transfer figure and table).
- `run_view`: daily series of one run, or of the paired runs of several arms (same seed).
- `course_view`: an outcome's 30-day values over the run, mean and 95 % interval over replications
  (the report's "Course over time").
- `sensitivity_view`: Sobol or Morris indices with their intervals and convergence (the report's).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd
from matplotlib.figure import Figure

from conflict_sim.analysis import designs, steady_state, transfer
from conflict_sim.analysis import figures as fg
from conflict_sim.analysis.catalogue import KEY_OUTCOMES, tracker
from conflict_sim.analysis.comparison import compare
from conflict_sim.analysis.report import caption_context, shown_manifest
from conflict_sim.analysis.study import Study
from conflict_sim.errors import ConflictSimError
from conflict_sim.viz.stored import StoredResults

BINS = 8  # a sampled parameter is cut into this many quantile bins (each holds an eighth of the points)
SCREEN_DPI = 110  # the page shows figures at this resolution; exports use the style's (300 dpi)
EXPORTS = ("png", "pdf")


@dataclass(frozen=True, eq=False)  # equal only to itself: its figure and table have no useful equality
class View:
    """One figure of the explorer: what it shows, how to read it, and the numbers it draws."""

    stem: str
    title: str
    caption: str
    figure: Figure
    table: pd.DataFrame
    warnings: tuple[str, ...] = field(default=())

    def image(self, fmt: str = "png", *, dpi: float | None = None) -> bytes:
        """The figure as the report writes it (`figures.render`), or at `dpi` for the screen."""
        return fg.render(self.figure, fmt, dpi=dpi)

    def csv(self) -> bytes:
        return self.table.to_csv(index=False).encode()


def views_for(results: StoredResults) -> list[str]:
    """The views this folder's design supports, the first being the one it opens with."""
    study = results.whole
    found = ["parameter"] if study.parameters else []
    found += ["arms"] if len(study.arms) > 1 else []
    found += ["transfer"] if len(study.arms) > 1 and len(study.scenarios) > 1 and not study.sampled else []
    found += ["run"] if results.daily_columns else []
    found += ["course"] if any(_tracked(results, name) for name in results.outcome_names) else []
    found += ["sensitivity"] if study.method in ("sobol", "morris") else []
    return [*found, "manifest"]


def _tracked(results: StoredResults, name: str) -> bool:
    follow = tracker(name)
    return follow is not None and set(follow.columns) <= set(results.daily_columns)


def default_outcomes(results: StoredResults, n: int = 3) -> list[str]:
    """The outcomes a view starts with: the experiment's own list, else the report's key outcomes stored."""
    study = results.whole
    named = study.named_outcomes or []
    keys = [name for name in (*named, *KEY_OUTCOMES) if name in results.outcome_names]
    return list(dict.fromkeys(keys or results.outcome_names))[:n]


def point_labels(results: StoredResults) -> dict[int, str]:
    """'office_quality = 0.5, procedural_justice = 0.3' per design point, in point order."""
    study = results.whole
    columns = [p for p in study.parameters if p in study.runs]
    first = study.runs.drop_duplicates("point").sort_values("point")[["point", *columns]]
    return {
        int(row["point"]): ", ".join(f"{c} = {row[c]}" for c in columns) or f"point {row['point']}"
        for row in first.to_dict("records")
    }


# --- views -------------------------------------------------------------------------------------


def parameter_view(results: StoredResults, outcomes: Sequence[str], parameter: str, arms: Sequence[str]) -> View:
    """Outcomes against one design parameter, per arm, with 95 % intervals over replications."""
    study = _arms_only(results, arms, outcomes)
    if parameter not in study.runs:
        raise ConflictSimError(f"parameter {parameter!r}: not varied by this design ({', '.join(study.parameters)})")
    values = study.finished[["run_key", "arm", "replication", parameter]].merge(study.outcomes, on="run_key")
    binned = study.sampled and values[parameter].nunique() > BINS
    values = _binned(values, parameter) if binned else values.sort_values(parameter, kind="stable")
    table = values.groupby(["arm", parameter, "replication"], sort=False)[list(outcomes)].mean().reset_index()
    how = f"cut into {BINS} quantile bins (tick: the bin's median), " if binned else ""
    caption = (
        f"Mean outcome per value of {parameter} ({how}averaged over the other parameters within each replication) and "
        f"arm, with 95 % t-intervals over replications; lines that are not parallel show an interaction. "
        f"{_context(study)}"
    )
    figure = fg.interactions(values, parameter, list(outcomes), _present(study, arms))
    return View(f"{_name(study)}-by-{parameter}", f"Outcomes by {parameter}", caption, figure, table)


def _binned(values: pd.DataFrame, parameter: str) -> pd.DataFrame:
    """The parameter replaced by its quantile bin, labelled with the bin's median value, in bin order."""
    codes = pd.qcut(values[parameter], BINS, labels=False, duplicates="drop")
    medians = values[parameter].groupby(codes).median()
    labels = {code: f"{value:.3g}" for code, value in medians.items()}
    return values.assign(_bin=codes, **{parameter: codes.map(labels)}).sort_values("_bin").drop(columns="_bin")


def arms_views(
    results: StoredResults, outcomes: Sequence[str], arms: Sequence[str], reference: str, point: int | None = None
) -> list[View]:
    """Arms side by side (per-replication distributions) and paired differences from `reference`.

    A sampled design is compared on its design average; a design of named points at one `point`.
    """
    study = _arms_only(results, arms, outcomes, point=point)
    comparison = compare(study, reference=reference, outcomes=list(outcomes))
    names, shown = comparison.main, comparison.arms
    where = f" at {point_labels(results)[point]}" if point is not None and results.whole.n_points > 1 else ""
    context = _context(study, reference)
    unit = "design average per replication" if study.sampled else "one point per replication"
    summary = comparison.summary[comparison.summary["outcome"].isin(names)]
    found = [
        View(
            f"{_name(study)}-distributions",
            f"Outcome distributions{where}",
            f"Outcomes, {unit}; boxes show the median and quartiles. {context}",
            fg.distributions(comparison.values, names, shown),
            summary,
            tuple(comparison.warnings),
        )
    ]
    if not comparison.differences.empty:
        differences = comparison.differences[comparison.differences["outcome"].isin(names)]
        found.append(
            View(
                f"{_name(study)}-differences",
                f"Paired differences against {comparison.reference}{where}",
                f"Mean of (arm − {comparison.reference}) over paired replications with 95 % t-intervals; dashed: no "
                f"effect; grey band: ±MID. {context}",
                fg.forest(differences, names, shown),
                differences,
            )
        )
    return found


def transfer_view(results: StoredResults, outcomes: Sequence[str], arms: Sequence[str], reference: str) -> View:
    """Each arm's paired effect per scenario side by side; its table holds the unpaired differences of effects."""
    study = _arms_only(results, arms, outcomes)
    comparison = compare(study, reference=reference, outcomes=list(outcomes))
    found = transfer.analyse(study, comparison)
    if found.empty:
        raise ConflictSimError("effects by scenario need two scenarios and an arm besides the reference with runs")
    group, label = next(found.groups.itertuples(index=False))
    names = comparison.main
    where = f" at {label}" if label else ""
    effects, differences = found.of_group(group)
    table = differences[differences["outcome"].isin(names)]
    return View(
        f"{_name(study)}-transfer",
        f"Effects by scenario{where}",
        f"{found.caption(comparison.reference)} The CSV holds the differences of effects (Welch's t). "
        f"{_context(study, reference)}",
        fg.transfer(effects, differences, names, comparison.arms, found.scenarios),
        table,
        tuple(found.warnings),
    )


def run_view(results: StoredResults, columns: Sequence[str], arms: Sequence[str], point: int, replication: int) -> View:
    """Daily series of the runs of `arms` at one design point and replication: paired runs on one seed."""
    runs = results.runs
    chosen = runs[(runs["point"] == point) & (runs["replication"] == replication) & runs["arm"].isin(set(arms))]
    if chosen.empty:
        raise ConflictSimError(f"no stored run at point {point}, replication {replication} in {', '.join(arms)}")
    daily = results.daily(columns, chosen["run_key"]).merge(chosen[["run_key", "arm"]], on="run_key")
    bands = {
        name: daily[["arm", "day"]].assign(mean=daily[name], low=daily[name], high=daily[name]) for name in columns
    }
    study = results.study(keys=chosen["run_key"])
    seed = int(chosen["seed"].iloc[0])
    caption = (
        f"Daily values of run{'s' if len(chosen) > 1 else ''} {', '.join(chosen['run_key'])} (replication "
        f"{replication}, seed {seed}{', shared by the arms: common random numbers' if len(chosen) > 1 else ''}); "
        f"grey: the warm-up. {_context(study)}"
    )
    figure = fg.trajectories(bands, _present(study, arms), study.warmup_days)
    return View(
        f"{_name(study)}-p{point}-r{replication}-daily", "Daily series of one replication", caption, figure, daily
    )


def course_view(results: StoredResults, outcomes: Sequence[str], arms: Sequence[str]) -> View:
    """30-day values of outcomes over the run per arm, mean and 95 % interval over replications."""
    followed = [name for name in outcomes if _tracked(results, name)]
    if not followed:
        raise ConflictSimError(f"no daily series follows {', '.join(outcomes)} in this folder (kept: {results.kept()})")
    columns = list(dict.fromkeys(c for name in followed for c in tracker(name).columns))  # type: ignore[union-attr]
    keys = results.runs.loc[results.runs["arm"].isin(set(arms)), "run_key"]
    study = results.study(followed, keys=keys, daily=columns)
    steady = steady_state.analyse(study, [], followed)
    bands = {name: band for name, band in steady.bands.items() if not band.empty}
    table = pd.concat([band.assign(outcome=name) for name, band in bands.items()], ignore_index=True)
    caption = (
        "30-day values of the outcomes per arm (rates and shares over each 30 days, flows per year, levels as "
        f"means), averaged over replications{' and design points' if study.n_points > 1 else ''}, with 95 % "
        f"t-interval ribbons; grey: the warm-up used. {_context(study)}"
    )
    figure = fg.trajectories(bands, _present(study, arms), study.warmup_days)
    return View(f"{_name(study)}-course", "Course over time", caption, figure, table)


def sensitivity_view(results: StoredResults, outcomes: Sequence[str], arm: str) -> View:
    """Sobol or Morris indices of outcomes in one arm, with bootstrap 95 % intervals and their convergence."""
    study = results.study(outcomes)  # every arm: SALib's analysis reads the design of each
    comparison = compare(study, reference=arm, outcomes=list(outcomes))
    indices, convergence, warnings = designs.sensitivity_indices(study, comparison)
    if indices.empty:
        raise ConflictSimError(" ".join(warnings) or "no sensitivity indices for these outcomes")
    method = study.method
    draw = fg.sobol_indices if method == "sobol" else fg.morris_indices
    caption = (
        f"{method.capitalize()} indices in arm {arm} with 95 % bootstrap intervals; converged when the widest "
        f"interval is at most {designs.CONVERGED_WIDTH} wide. {_context(study, arm)}"
    )
    table = indices.merge(convergence, on="outcome")
    return View(
        f"{_name(study)}-{method}",
        f"{method.capitalize()} sensitivity indices",
        caption,
        draw(indices),
        table,
        tuple(warnings),
    )


def manifest_text(results: StoredResults) -> tuple[str, str]:
    """(experiment file, manifest) as the report prints them."""
    experiment = results.folder / "experiment.toml"
    text = experiment.read_text(encoding="utf-8") if experiment.exists() else "(no experiment file)"
    manifest = json.dumps(shown_manifest(results.manifest), indent=2, sort_keys=True, default=str)
    return text.strip(), manifest


# --- helpers -----------------------------------------------------------------------------------


def _arms_only(results: StoredResults, arms: Sequence[str], outcomes: Sequence[str], point: int | None = None) -> Study:
    """The study of the runs of `arms` (at `point`, if given) with the `outcomes` named."""
    runs = results.runs
    keep = runs["arm"].isin(set(arms)) & (True if point is None else runs["point"] == point)
    return results.study(outcomes, keys=runs.loc[keep, "run_key"])


def _present(study: Study, arms: Sequence[str]) -> list[str]:
    """The chosen arms that have finished runs, in the experiment's order."""
    found = set(study.finished["arm"])
    return [arm for arm in study.arms if arm in found and arm in set(arms)]


def _context(study: Study, reference: str | None = None) -> str:
    return caption_context(study, reference or study.arms[0])


def _name(study: Study) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in study.name)
