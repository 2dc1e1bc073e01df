"""Districts side by side: each arm's effect in each scenario, and whether the effect transfers.

Within a scenario (a district) every arm is compared with the reference arm run for run, under common
random numbers (`comparison`). Scenarios are never paired with each other: replication r of one
district and replication r of another are different worlds, and with per-scenario seed sets
(`compare A,B` makes them) independent samples. So the difference between two scenarios' effects of
an arm is an unpaired comparison of their per-replication paired differences: Welch's t with the
Welch–Satterthwaite degrees of freedom (Welch 1947; Satterthwaite 1946), Holm-adjusted within each
family of outcomes, and judged against the outcome's minimum important difference like any other
difference. Every scenario after the first is compared with the first, the *home* scenario.

A design with more points than scenarios (a factorial design run on two districts) is compared at each
combination of the other design values (a *group*); a sampled design averages over its points, which
mixes the scenarios, so it has no transfer table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from conflict_sim.analysis import statistics as st
from conflict_sim.analysis.comparison import Comparison, paired_differences, verdict
from conflict_sim.analysis.study import Study
from conflict_sim.districts import DISTRICT_FIELDS

SHOWN_DIFFERENCES = 4  # parameters named in the warning about scenarios that differ beyond their district

# What the verdict on a difference of effects says about the policy's transfer.
READINGS = {
    "negligible": "transfers",  # the effects agree within ±MID
    "no difference": "transfers",  # the effects are equal in every replication
    "important": "differs",  # the effects differ, by at least the MID
    "below MID": "differs, below MID",  # the effects differ, by less than the MID
    "inconclusive": "inconclusive",
    "not comparable": "not comparable",
    "too few pairs": "too few pairs",
}


@dataclass(frozen=True)
class Transfer:
    """Each treated arm's paired effect per scenario, and each other scenario's difference from the home one.

    Attributes:
        home: the scenario the others are compared with (the experiment's first).
        scenarios: every scenario compared, in the experiment's order.
        groups: one row per group of points (group, label): the design values other than the scenario.
        effects: one row per group, scenario, treated arm and outcome: the paired effect as the
            comparison computed it (mean_diff with its 95 % CI, n_pairs, its standard error `se`,
            MID and verdict).
        differences: one row per group, other scenario, treated arm and outcome: both effects with
            their standard errors, the difference (other − home) with its SE, Welch's df, 95 % CI, t,
            raw and Holm-adjusted p, the MID (the home scenario's), the verdict and its reading.
        shared_seeds: the scenarios met the same seeds (not independent samples; a warning says so).
    """

    home: str = ""
    scenarios: list[str] = field(default_factory=list)
    groups: pd.DataFrame = field(default_factory=pd.DataFrame)
    effects: pd.DataFrame = field(default_factory=pd.DataFrame)
    differences: pd.DataFrame = field(default_factory=pd.DataFrame)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    shared_seeds: bool = False

    @property
    def empty(self) -> bool:
        return self.differences.empty

    def group_label(self, group: int) -> str:
        return str(self.groups.set_index("group").loc[group, "label"])

    def of_group(self, group: int) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(effects, differences) of one group of design points: what one transfer figure draws."""
        return self.effects[self.effects["group"] == group], self.differences[self.differences["group"] == group]

    def caption(self, reference: str) -> str:
        """What the transfer figure shows (the report's caption and the explorer's)."""
        return (
            f"Each arm's effect in each scenario: mean of (arm − {reference}) over paired replications with 95 % "
            f"t-intervals, {self.home} filled, other scenarios hollow; black, each other scenario's effect minus "
            f"{self.home}'s with its Welch 95 % interval (scenarios are not paired); dashed: no effect; grey band: "
            f"±MID (in {self.home})."
        )


def analyse(study: Study, comparison: Comparison) -> Transfer:
    """The effects of `comparison` set side by side by scenario (an empty `Transfer` for one scenario)."""
    runs = study.finished
    if len(study.scenarios) < 2 or study.sampled or "scenario" not in runs or comparison.differences.empty:
        return Transfer()
    points = _points(study)
    scenarios = [s for s in study.scenarios if s in set(points["scenario"])]
    if len(scenarios) < 2:
        return Transfer()
    home = scenarios[0]
    rows = []
    keyed = comparison.differences.set_index(["point", "arm", "outcome"])
    for (group, label), at in points.groupby(["group", "label"], sort=True):
        point_of = dict(zip(at["scenario"], at["point"], strict=True))
        if home not in point_of:
            continue
        for other in (s for s in scenarios[1:] if s in point_of):
            for arm in comparison.treated:
                for name in [*comparison.main, *comparison.appendix]:
                    pair = (keyed.loc[(point_of[home], arm, name)], keyed.loc[(point_of[other], arm, name)])
                    samples = [
                        paired_differences(comparison.values, point_of[s], arm, comparison.reference, name)
                        for s in (home, other)
                    ]
                    rows.append(_difference(group, label, home, other, arm, name, pair, samples))
    differences = _judged(pd.DataFrame(rows))
    effects = comparison.differences.merge(points[["point", "group", "scenario"]], on="point")
    effects = effects.assign(se=effects["sd_diff"] / np.sqrt(effects["n_pairs"]))
    groups = points.drop_duplicates("group")[["group", "label"]].reset_index(drop=True)
    shared = _shared_seeds(study, points)
    return Transfer(
        home=home,
        scenarios=scenarios,
        groups=groups,
        effects=effects,
        differences=differences,
        notes=_notes(differences),
        warnings=([_SHARED_SEEDS] if shared else []) + _beyond_district(study, scenarios),
        shared_seeds=shared,
    )


def _points(study: Study) -> pd.DataFrame:
    """One row per design point: point, scenario, group (the other design values) and the group's label."""
    others = [p for p in study.parameters if p != "scenario" and p in study.finished]
    points = study.finished.drop_duplicates("point").sort_values("point")[["point", "scenario", *others]]
    labels = [", ".join(f"{c} = {row[c]}" for c in others) for row in points.to_dict("records")]
    points = points.assign(label=labels)
    points["group"] = pd.factorize(points["label"])[0]
    return points.reset_index(drop=True)


def _difference(
    group: int,
    label: str,
    home: str,
    other: str,
    arm: str,
    name: str,
    effects: tuple[pd.Series, pd.Series],
    samples: list[np.ndarray],
) -> dict:
    """One arm's effect on `name` in `other` against its effect in `home`: Welch on the paired differences."""
    at_home, there = effects
    welch = st.welch(samples[1], samples[0])
    return {
        "group": group,
        "label": label,
        "home": home,
        "scenario": other,
        "arm": arm,
        "outcome": name,
        "family": at_home["family"],
        "comparable": bool(at_home["comparable"] and there["comparable"]),
        "n_home": welch["n_y"],
        "effect_home": at_home["mean_diff"],
        "se_home": _se(samples[0]),
        "verdict_home": at_home["verdict"],
        "n_other": welch["n_x"],
        "effect_other": there["mean_diff"],
        "se_other": _se(samples[1]),
        "verdict_other": there["verdict"],
        "mean_diff": welch["mean_diff"],
        "se": welch["se"],
        "df": float(welch["df"]),
        "t": welch["t"],
        "diff_low": welch["diff_low"],
        "diff_high": welch["diff_high"],
        "p_welch": welch["p"],
        "mid": at_home["mid"],
        "mid_source": at_home["mid_source"],
    }


def _se(x: np.ndarray) -> float:
    """The standard error of a mean (nan below two values)."""
    return float(x.std(ddof=1) / math.sqrt(len(x))) if len(x) > 1 else math.nan


def _judged(table: pd.DataFrame) -> pd.DataFrame:
    """Holm-adjusted p within each family, the verdict against the MID and what it says about transfer."""
    if table.empty:
        return table
    table["p_welch_holm"] = math.nan
    for _, rows in table.groupby("family", sort=False):
        table.loc[rows.index, "p_welch_holm"] = st.holm(rows["p_welch"].where(rows["comparable"]).to_numpy())
    table["verdict"] = [
        verdict({**r, "n_pairs": min(r["n_home"], r["n_other"]), "p_t_holm": r["p_welch_holm"]})
        for r in table.to_dict("records")
    ]
    table["reading"] = table["verdict"].map(READINGS)
    return table


def _notes(differences: pd.DataFrame) -> list[str]:
    if differences.empty:
        return []
    notes = [
        "Transfer: 'transfers' says that an arm's effects in two scenarios agree within ±MID (the 95 % interval of "
        "their difference lies inside it), whether or not either effect is important; read the effects beside it."
    ]
    df = differences.loc[differences["comparable"], "df"].dropna()
    if len(df) and df.min() < 4:
        notes.append(
            f"Transfer: Welch's degrees of freedom fall to {df.min():.1f} where one scenario's effects vary much more "
            "than the other's; its intervals are then wide, as they should be: more replications narrow them."
        )
    return notes


_SHARED_SEEDS = (
    "The scenarios share their seeds (replication r starts from the same seed in each), so their runs are not "
    "independent samples: the same draws reach the first households of each district. The Welch comparison of "
    "their effects assumes independence; run districts side by side with `conflict-sim compare A,B` or "
    'seed_sets = "per_scenario" in the experiment file.'
)


def _shared_seeds(study: Study, points: pd.DataFrame) -> bool:
    """Whether two scenarios met the same seed: their runs are then not independent samples."""
    runs = study.finished.merge(points[["point", "group"]], on="point")
    return bool((runs.groupby(["group", "replication", "seed"])["scenario"].nunique() > 1).any())


def _beyond_district(study: Study, scenarios: list[str]) -> list[str]:
    """A warning when the scenarios differ in more than their district: a difference of effects then mixes both."""
    stored = study.manifest.get("scenarios", {})
    home = stored.get(scenarios[0], {})
    found = []
    for other in scenarios[1:]:
        there = stored.get(other, {})
        params = {**home.get("params", {}), **there.get("params", {})}
        extra = [
            k
            for k in params
            if k not in DISTRICT_FIELDS and home.get("params", {}).get(k) != there.get("params", {}).get(k)
        ]
        if home.get("policies", []) != there.get("policies", []):
            extra.append("standing policies")
        if extra:
            shown = ", ".join(extra[:SHOWN_DIFFERENCES])
            more = f" and {len(extra) - SHOWN_DIFFERENCES} more" if len(extra) > SHOWN_DIFFERENCES else ""
            found.append(
                f"Scenarios {scenarios[0]} and {other} differ in {shown}{more} besides their district: a difference of "
                "their effects is a difference of these as much as of districts."
            )
    return found
