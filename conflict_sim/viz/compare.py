"""Two arms side by side: the same seeds, two settings, their key charts overlaid and paired differences.

An arm is the current settings of the sidebar, a bundled preset (at the current scale), or the current
settings plus one countermeasure. Both arms run through the engine (`conflict_sim.runner`) with its one
seed rule, so a comparison in the browser is the same computation as one on the command line; with
several replications the table is the report's (`analysis.comparison`): means and the paired
difference with its 95 % interval. The runs go in a background task (`solara.lab.use_task`) that
reports each finished run, so the page stays usable while they run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import solara
import solara.lab

from conflict_sim import runner, scenarios
from conflict_sim.analysis import tables
from conflict_sim.analysis.comparison import Comparison, compare
from conflict_sim.analysis.study import Study
from conflict_sim.backends import Backend
from conflict_sim.params import Params
from conflict_sim.policies import REGISTRY, Policy
from conflict_sim.run import RunOutput, simulate
from conflict_sim.spec import Experiment, RunConfiguration
from conflict_sim.store import Results
from conflict_sim.viz.charts import PALETTE
from conflict_sim.viz.vega import Spec, VegaLite, columns, flatten, strides

if TYPE_CHECKING:
    from conflict_sim.model import PetitionModel

CURRENT = "current settings"
KEY_MEASURES = {
    "petitions": "petitions (cumulative)",
    "substantive_resolution_rate": "substantive resolution",
    "formal_on_time_rate": "formal on-time closure",
    "collective_visits": "collective visits (cumulative)",
    "legitimacy_local": "local legitimacy",
    "evaluation_score": "evaluation score",
}
KEY_OUTCOMES = {
    "substantive_resolution_rate": "substantive resolution rate",
    "formal_on_time_rate": "formal on-time closure rate",
    "closure_gap": "closure gap (formal - substantive)",
    "petitions_per_year": "petitions per year",
    "collective_visits_per_year": "collective visits per year",
    "skip_attempts_per_year": "skip-level attempts per year",
    "legitimacy_local_end": "local legitimacy at the end",
    "evaluation_score_mean": "mean evaluation score",
    "cost_total": "total cost",
}


def arm_choices() -> list[str]:
    """What an arm can be: the current settings, a preset, or the current settings plus a countermeasure."""
    return [
        CURRENT,
        *(f"preset: {name}" for name in scenarios.names()),
        *(f"current + {name}" for name in sorted(REGISTRY)),
    ]


@dataclass(frozen=True)
class Arm:
    """One arm of a comparison: its label, parameters and standing policies."""

    label: str
    params: Params
    policies: tuple[Policy, ...]


def resolve(choice: str, settings: Params, policies: Sequence[Policy]) -> Arm:
    """The arm a choice names, at the scale (households per agent) of the current settings."""
    if choice.startswith("preset: "):
        preset = scenarios.load(choice.removeprefix("preset: "))
        params = preset.params.replace(households_per_agent=settings.households_per_agent)
        return Arm(choice, params, preset.policies)
    if choice.startswith("current + "):
        return Arm(choice, settings, (*policies, REGISTRY[choice.removeprefix("current + ")]()))
    return Arm(choice, settings, tuple(policies))


class CountingSimulate:
    """`run.simulate`, telling `on_run` how many runs have finished (the engine calls it once per run)."""

    def __init__(self, on_run: Callable[[int], None]) -> None:
        self.on_run, self.done = on_run, 0

    def __call__(self, params: Params, *, seed: int, days: int, policies=(), warmup_days: int = 0) -> RunOutput:
        out = simulate(params, seed=seed, days=days, policies=policies, warmup_days=warmup_days)
        self.done += 1
        self.on_run(self.done)
        return out


def run_arms(
    arms: Sequence[Arm],
    *,
    seed: int,
    days: int,
    replications: int = 1,
    backend: Backend | None = None,
    on_run: Callable[[int], None] | None = None,
) -> Results:
    """Every arm for `days` days on replications 0.. of root seed `seed` (common random numbers).

    The runs go through the engine like any other set of runs; `on_run` hears of each finished run.
    """
    experiment = Experiment.of_arms(
        "side-by-side",
        [(arm.label, arm.params, arm.policies) for arm in arms],
        root_seed=seed,
        replications=replications,
        config=RunConfiguration(days, 0, tuple(KEY_OUTCOMES), tuple(KEY_MEASURES)),
    )
    counting = CountingSimulate(on_run) if on_run is not None else None
    return runner.run_to_memory(experiment, backend, simulate=counting)


def study_of(results: Results) -> Study:
    """The runs as the analysis reads a results folder."""
    return Study(results.runs, results.outcomes, results.daily, results.manifest, results.design)


def overlay_spec(results: Results) -> dict[str, Any]:
    """The key measures of every arm (mean over replications), one small chart per measure, arms as lines."""
    runs = results.runs.set_index("run_key")["arm"]
    daily = results.daily.assign(arm=results.daily["run_key"].map(runs))
    arms = list(dict.fromkeys(runs))
    means = daily.groupby(["arm", "day"], sort=False)[list(KEY_MEASURES)].mean().reset_index()
    parts = []
    for arm in arms:
        rows = means[means["arm"] == arm]
        parts.append(rows.iloc[strides(len(rows))])
    shown = pd.concat(parts, ignore_index=True).rename(columns=KEY_MEASURES)
    data = {name: shown[name].to_numpy() for name in ["arm", "day", *KEY_MEASURES.values()]}
    return {
        "data": {"name": "table"},
        "datasets": {"table": columns(data)},
        "transform": [flatten(data), {"fold": list(KEY_MEASURES.values()), "as": ["measure", "value"]}],
        "facet": {"field": "measure", "type": "nominal", "title": None, "sort": list(KEY_MEASURES.values())},
        "columns": 3,
        "spec": {
            "width": 300,
            "height": 170,
            "mark": {"type": "line", "strokeWidth": 1.6},
            "encoding": {
                "x": {"field": "day", "type": "quantitative"},
                "y": {"field": "value", "type": "quantitative", "title": None},
                "color": {
                    "field": "arm",
                    "type": "nominal",
                    "legend": {"orient": "top"},
                    "scale": {"domain": arms, "range": list(PALETTE[: len(arms)])},
                },
                "tooltip": [{"field": "arm"}, {"field": "day"}, {"field": "value", "format": ",.3~f"}],
            },
        },
        "resolve": {"scale": {"y": "independent"}},
    }


def outcome_table(comparison: Comparison) -> pd.DataFrame:
    """Key outcomes per arm (mean, with its 95 % CI over replications) and the second arm's paired difference."""
    summary = comparison.summary.set_index(["outcome", "arm"])
    table = pd.DataFrame({"outcome": [KEY_OUTCOMES[name] for name in KEY_OUTCOMES]})
    for arm in comparison.arms:
        table[arm] = [_cell(summary.loc[(name, arm)]) for name in KEY_OUTCOMES]
    if comparison.treated and not comparison.differences.empty:
        differences = comparison.differences.set_index("outcome")
        rows = [differences.loc[name] for name in KEY_OUTCOMES]
        table["difference"] = [_cell(r, "mean_diff", "diff_low", "diff_high") for r in rows]
        table["verdict"] = [str(r["verdict"]) for r in rows]
    return table


def _cell(row: pd.Series, mean: str = "mean", low: str = "ci_low", high: str = "ci_high") -> str:
    """A mean alone (one replication) or with its interval, as the report prints it."""
    if np.isnan(row[low]):
        return tables.number(row[mean])
    return tables.interval(row[mean], row[low], row[high])


@solara.component
def SideBySide(model: PetitionModel) -> None:
    """Pick two arms, run both on the model's seeds in the background, compare their charts and outcomes."""
    first, set_first = solara.use_state(CURRENT)
    second, set_second = solara.use_state("current + fast_handling")
    days, set_days = solara.use_state(365)
    replications, set_replications = solara.use_state(1)
    choices = arm_choices()
    arms = [resolve(choice, model.settings, model.policies) for choice in dict.fromkeys((first, second))]
    total = len(arms) * replications

    def run() -> tuple[Results, Comparison]:
        def report(done: int) -> None:
            task.progress = 100.0 * done / total

        task.progress = 0.0
        results = run_arms(arms, seed=model.seed, days=days, replications=replications, on_run=report)
        return results, compare(study_of(results), reference=arms[0].label, outcomes=list(KEY_OUTCOMES))

    task = solara.lab.use_task(run, dependencies=None, raise_error=False)

    with solara.Card("Side by side: two arms on the same seeds"):
        with solara.Row():
            solara.Select("Arm A", value=first, values=choices, on_value=set_first)
            solara.Select("Arm B", value=second, values=choices, on_value=set_second)
        solara.SliderInt("Days", value=days, min=30, max=3 * 365, step=30, on_value=set_days)
        solara.SliderInt("Replications", value=replications, min=1, max=10, on_value=set_replications)
        solara.Button(f"Run both arms (root seed {model.seed})", color="primary", on_click=task, disabled=task.pending)
        if task.pending:
            done = round((task.progress or 0) * total / 100)
            solara.Text(f"Running: {done} of {total} runs done", classes=["side-by-side-progress"])
            solara.ProgressLinear(task.progress or True)
        if task.error:
            solara.Error(f"The runs failed: {task.exception}")
        if task.latest is not None:
            results, comparison = task.latest
            VegaLite(Spec(overlay_spec(results)))
            solara.DataFrame(outcome_table(comparison), items_per_page=len(KEY_OUTCOMES))
