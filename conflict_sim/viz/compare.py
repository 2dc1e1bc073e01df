"""Two arms side by side: the same seed, two settings, their key charts overlaid.

An arm is the current settings of the sidebar, a bundled preset (at the current scale), or the current
settings plus one countermeasure. Both arms run through the engine (`conflict_sim.runner`) with its one
seed rule, so a comparison in the browser is the same computation as one on the command line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import pandas as pd
import solara

from conflict_sim import runner, scenarios
from conflict_sim.backends import Backend
from conflict_sim.params import Params
from conflict_sim.policies import REGISTRY, Policy
from conflict_sim.run import RunOutput
from conflict_sim.spec import Experiment, RunConfiguration
from conflict_sim.viz.charts import PALETTE
from conflict_sim.viz.vega import VegaLite, records, thin

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


def run_arms(arms: Sequence[Arm], *, seed: int, days: int, backend: Backend | None = None) -> dict[str, RunOutput]:
    """Every arm for `days` days on replication 0 of root seed `seed` (common random numbers).

    The runs go through the engine like any other set of runs.
    """
    experiment = Experiment.of_arms(
        "side-by-side",
        [(arm.label, arm.params, arm.policies) for arm in arms],
        root_seed=seed,
        replications=1,
        config=RunConfiguration(days, 0, tuple(KEY_OUTCOMES), tuple(KEY_MEASURES)),
    )
    results = runner.run_to_memory(experiment, backend)
    outcomes = results.outcomes.set_index("run_key")
    return {
        arm.label: RunOutput(
            results.daily[results.daily["run_key"] == f"p0-a{a}-r0"].drop(columns="run_key").set_index("day"),
            {str(k): float(v) for k, v in outcomes.loc[f"p0-a{a}-r0"].items()},
            float(results.runs.set_index("run_key").at[f"p0-a{a}-r0", "seconds"]),
        )
        for a, arm in enumerate(arms)
    }


def overlay_spec(outputs: dict[str, RunOutput]) -> dict[str, Any]:
    """The key measures of every arm, one small chart per measure, arms as coloured lines."""
    frames = [
        thin(out.daily[list(KEY_MEASURES)]).rename(columns=KEY_MEASURES).reset_index().assign(arm=label)
        for label, out in outputs.items()
    ]
    data = pd.concat(frames, ignore_index=True)
    arms = list(outputs)
    return {
        "data": {"values": records(data)},
        "transform": [{"fold": list(KEY_MEASURES.values()), "as": ["measure", "value"]}],
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


def outcome_table(outputs: dict[str, RunOutput]) -> pd.DataFrame:
    """Key outcomes of each arm side by side, with the second arm's difference from the first."""
    table = pd.DataFrame(
        {label: {name: out.outcomes[name] for name in KEY_OUTCOMES} for label, out in outputs.items()}
    ).rename(index=KEY_OUTCOMES)
    if len(outputs) == 2:
        first, second = table.columns
        table["difference"] = table[second] - table[first]
    return table.round(3).rename_axis("outcome").reset_index()


@solara.component
def SideBySide(model: PetitionModel) -> None:
    """SolaraViz component: pick two arms, run both on the model's seed, compare their charts."""
    first, set_first = solara.use_state(CURRENT)
    second, set_second = solara.use_state("current + fast_handling")
    days, set_days = solara.use_state(365)
    outputs, set_outputs = solara.use_state(cast(dict[str, RunOutput] | None, None))
    choices = arm_choices()

    def run() -> None:
        arms = [resolve(choice, model.settings, model.policies) for choice in (first, second)]
        if first == second:
            arms = arms[:1]
        set_outputs(run_arms(arms, seed=model.seed, days=days))

    with solara.Card("Side by side: two arms on the same seed"):
        with solara.Row():
            solara.Select("Arm A", value=first, values=choices, on_value=set_first)
            solara.Select("Arm B", value=second, values=choices, on_value=set_second)
        solara.SliderInt("Days", value=days, min=30, max=3 * 365, step=30, on_value=set_days)
        solara.Button(f"Run both arms (root seed {model.seed})", color="primary", on_click=run)
        if outputs:
            VegaLite(overlay_spec(outputs))
            solara.DataFrame(outcome_table(outputs), items_per_page=len(KEY_OUTCOMES))
