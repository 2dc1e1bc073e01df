"""The results explorer: open a stored sweep or comparison, choose what to see, draw it as the report does.

A folder is opened lazily (`viz.stored`); the views and their figures come from `viz.explorer_views`
(the report's plotting code). Figures are drawn in a background task whenever the choice changes,
so the page answers while a large folder is read; each figure downloads as PNG and PDF (as the report
writes them) and its numbers as CSV.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import solara
import solara.lab

from conflict_sim.errors import ConflictSimError
from conflict_sim.viz import explorer_views as ev
from conflict_sim.viz.stored import StoredResults, find_results, open_results

ROOT = Path("results")  # where the picker looks for results folders (relative to where the app runs)
VIEWS = {
    "parameter": "Outcome against a parameter",
    "arms": "Arms and paired differences",
    "transfer": "Effects by scenario",
    "run": "Daily series of a run",
    "course": "Course of an outcome",
    "sensitivity": "Sensitivity indices",
    "manifest": "Manifest",
}
LABELS = {label: key for key, label in VIEWS.items()}


def summary(results: StoredResults) -> str:
    """One line on what the folder holds."""
    study = results.whole
    d = results.manifest["definition"]
    failed = f" ({study.n_failed} failed)" if study.n_failed else ""
    return (
        f"{study.name}: {study.method} design on {', '.join(study.scenarios)}, {study.n_points} point(s) × "
        f"{len(study.arms)} arm(s) × {d['replications']} replication(s) = {len(results.runs):,} runs{failed}; "
        f"{study.days:,} days, warm-up {study.warmup_days:,}; daily series kept: {results.kept()}."
    )


def opened(folder: str) -> tuple[StoredResults | None, str | None]:
    """(results, None), or (None, the one-line reason) for a folder that cannot be opened."""
    if not folder.strip():
        return None, None
    try:
        return open_results(folder.strip()), None
    except ConflictSimError as exc:
        return None, str(exc)


@solara.component
def Explorer(start: str = "") -> None:
    """Pick a results folder and explore it."""
    folder, set_folder = solara.use_state(start)
    results, error = solara.use_memo(lambda: opened(folder), [folder])
    found = solara.use_memo(lambda: [str(p) for p in find_results(ROOT)], [])

    def pick(chosen: str | None) -> None:
        if chosen:
            set_folder(chosen)

    with solara.Card("Results explorer", subtitle="a sweep, comparison or any folder the engine wrote"):
        with solara.Row(style={"flex-wrap": "wrap", "align-items": "baseline"}):
            solara.InputText("Results folder", value=folder, on_value=set_folder, continuous_update=False)
            if found:
                solara.Select(f"Found under {ROOT}/", value=None, values=found, on_value=pick)
        if error:
            solara.Error(error)
        elif results is not None:
            Folder(results).key(str(results.folder))
        else:
            solara.Text("Type the path of a results folder (e.g. results/compare/chengzhong) and press Enter.")


@solara.component
def Folder(results: StoredResults) -> None:
    """The choices for one opened folder and the view they draw."""
    study = results.whole
    supported = ev.views_for(results)
    view, set_view = solara.use_state(VIEWS[supported[0]])
    outcomes, set_outcomes = solara.use_state(ev.default_outcomes(results))
    arms, set_arms = solara.use_state(study.arms)
    reference, set_reference = solara.use_state(study.arms[0])
    parameter, set_parameter = solara.use_state(study.parameters[0] if study.parameters else "")
    points = ev.point_labels(results)
    point, set_point = solara.use_state(next(iter(points.values())))
    replication, set_replication = solara.use_state(0)
    columns, set_columns = solara.use_state(list(results.daily_columns[:2]))
    key = LABELS[view]

    solara.Text(summary(results), classes=["explorer-summary"])
    solara.ToggleButtonsSingle(
        value=view, values=[VIEWS[v] for v in supported], on_value=set_view, style={"flex-wrap": "wrap"}
    )
    with solara.Row(style={"flex-wrap": "wrap"}):
        if key in ("parameter", "arms", "transfer", "course", "sensitivity"):
            Choice("Outcomes", outcomes, list(results.outcome_names), set_outcomes)
        if key == "parameter":
            solara.Select("Parameter", value=parameter, values=study.parameters, on_value=set_parameter)
        if key in ("parameter", "arms", "transfer", "run", "course") and len(study.arms) > 1:
            Choice("Arms", arms, study.arms, set_arms)
        if key in ("arms", "transfer", "sensitivity"):
            solara.Select(
                "Arm" if key == "sensitivity" else "Reference arm",
                value=reference,
                values=study.arms,
                on_value=set_reference,
            )
        if key in ("arms", "run") and len(points) > 1 and not (key == "arms" and study.sampled):
            solara.Select("Design point", value=point, values=list(points.values()), on_value=set_point)
        if key == "run":
            solara.Select(
                "Replication",
                value=replication,
                values=sorted(set(results.runs["replication"])),
                on_value=set_replication,
            )
            Choice("Daily series", columns, list(results.daily_columns), set_columns)

    at = next(p for p, label in points.items() if label == point)
    choice = (key, tuple(outcomes), tuple(arms), reference, parameter, at, replication, tuple(columns))
    if key == "manifest":
        Manifest(results)
    else:
        Drawn(lambda: draw(results, *choice), choice)


def draw(
    results: StoredResults,
    key: str,
    outcomes: Sequence[str],
    arms: Sequence[str],
    reference: str,
    parameter: str,
    point: int,
    replication: int,
    columns: Sequence[str],
) -> list[ev.View]:
    """The views of one choice (a one-line ConflictSimError when the choice cannot be drawn)."""
    if not outcomes and key != "run":
        raise ConflictSimError("choose at least one outcome")
    if not arms:
        raise ConflictSimError("choose at least one arm")
    if key == "parameter":
        return [ev.parameter_view(results, outcomes, parameter, arms)]
    if key == "arms":
        shown = [reference, *(a for a in arms if a != reference)]
        return ev.arms_views(results, outcomes, shown, reference, None if results.whole.sampled else point)
    if key == "transfer":
        return [ev.transfer_view(results, outcomes, [reference, *(a for a in arms if a != reference)], reference)]
    if key == "run":
        if not columns:
            raise ConflictSimError("choose at least one daily series")
        return [ev.run_view(results, columns, arms, point, replication)]
    if key == "course":
        return [ev.course_view(results, outcomes, arms)]
    return [ev.sensitivity_view(results, outcomes, reference)]


@solara.component
def Choice(label: str, chosen: list[str], values: list[str], on_value: Callable[[list[str]], None]) -> None:
    solara.SelectMultiple(label, values=chosen, all_values=values, on_value=on_value, dense=True)


@solara.component
def Drawn(make: Callable[[], list[ev.View]], choice: tuple[Any, ...]) -> None:
    """The views `make` draws, redrawn in the background whenever `choice` changes."""
    task = solara.lab.use_task(make, dependencies=list(choice), raise_error=False)
    if task.pending:
        solara.ProgressLinear(True)
        solara.Text("Drawing…", classes=["explorer-drawing"])
    if task.error:
        exception = task.exception
        solara.Error(str(exception) if isinstance(exception, ConflictSimError) else repr(exception))
    elif task.latest is not None:
        for view in task.latest:
            Figure(view)


@solara.component
def Figure(view: ev.View) -> None:
    """One figure at screen resolution, its caption, warnings and downloads."""
    image = solara.use_memo(lambda: view.image("png", dpi=ev.SCREEN_DPI), [view])
    with solara.Column(classes=["explorer-figure"]):
        solara.v.Html(tag="h3", children=[view.title])
        solara.Image(image, width="100%")
        solara.Text(view.caption, style={"font-size": "13px", "color": "#555"})
        for warning in view.warnings:
            solara.Warning(warning, dense=True)
        with solara.Row():
            for fmt in ev.EXPORTS:
                solara.FileDownload(lambda fmt=fmt: view.image(fmt), f"{view.stem}.{fmt}", label=fmt.upper())
            solara.FileDownload(view.csv, f"{view.stem}.csv", label="CSV")


@solara.component
def Manifest(results: StoredResults) -> None:
    """The experiment file and the manifest, as the report prints them."""
    experiment, manifest = ev.manifest_text(results)
    solara.v.Html(tag="h3", children=["Experiment definition"])
    solara.v.Html(tag="pre", children=[experiment], style_="font-size: 12px; max-height: 24em; overflow: auto")
    solara.v.Html(tag="h3", children=["Manifest"])
    solara.v.Html(tag="pre", children=[manifest], style_="font-size: 12px; max-height: 36em; overflow: auto")
    solara.FileDownload(manifest.encode(), "manifest.json", label="Manifest (JSON)")
