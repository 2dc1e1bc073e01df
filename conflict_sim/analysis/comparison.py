"""Compare arms: every arm against an explicit reference arm, paired by replication, point by point.

The unit of a comparison is one run, paired with the reference arm's run of the same design point
and replication (the same seed: common random numbers). A design that samples a parameter space
(LHS, Sobol, Morris) has too many points for a table per point: its unit is then a replication's
average over all points, the design average. Outcomes are read as stored, never recomputed.

Two families of tests: the main outcomes (the experiment's own list, or `catalogue.KEY_OUTCOMES`)
and the appendix (every other stored outcome); Holm and Benjamini–Hochberg adjust within each.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from conflict_sim.analysis import statistics as st
from conflict_sim.analysis.catalogue import CAUTIONS, KEY_OUTCOMES, MEASURED_BY, describe
from conflict_sim.analysis.study import REFERENCE, Study, choose_reference

DESIGN_AVERAGE = -1  # the `point` of a design average
ADEQUATE_FRACTION = 0.5  # replications suffice when the paired CI half-width is at most half the MID
VERDICTS = ("important", "negligible", "below MID", "inconclusive", "no difference", "not comparable", "too few pairs")


@dataclass(frozen=True)
class Comparison:
    """Arms against the reference arm: summaries, paired differences, adequacy, notes and warnings.

    Attributes:
        reference: the arm every other arm is compared with.
        arms: every arm, in the experiment's order.
        main: outcomes of the main table; appendix: every other stored outcome.
        points: one row per unit point (point, label); a design average has point -1.
        summary: one row per point, arm and outcome: n, missing, mean with its CI (inside the
            outcome's support; `truncated` says where it was cut), sd, median with its CI.
        differences: one row per point, treated arm and outcome: the paired difference with its CI,
            the relative change, d_z, A12, raw and adjusted p, the MID and the verdict.
        adequacy: per point, treated arm and main outcome: whether the paired CI is narrow enough
            and the replications that would make it so.
        values: one row per unit: point, arm, replication and every outcome.
    """

    reference: str
    arms: list[str]
    main: list[str]
    appendix: list[str]
    points: pd.DataFrame
    summary: pd.DataFrame
    differences: pd.DataFrame
    adequacy: pd.DataFrame
    values: pd.DataFrame
    notes: list[str]
    warnings: list[str]

    @property
    def treated(self) -> list[str]:
        return [a for a in self.arms if a != self.reference]

    def point_label(self, point: int) -> str:
        return str(self.points.set_index("point").loc[point, "label"])


def compare(
    study: Study, *, reference: str | None = REFERENCE, outcomes: Sequence[str] | None = None, seed: int = 0
) -> Comparison:
    """Every arm of `study` against `reference` (default: the arm named baseline)."""
    reference, fallback = choose_reference(study, reference)
    warnings = [fallback] if fallback else []
    if study.n_failed:
        warnings.append(f"{study.n_failed} of {len(study.runs)} runs did not finish and are left out.")
    values, points = units(study)
    main, appendix, notes, missing = split_outcomes(study, outcomes)
    if missing:
        warnings.append(f"Outcomes the experiment names are not stored and cannot be shown: {', '.join(missing)}.")
    names = [*main, *appendix]
    arms = [a for a in study.arms if a in set(values["arm"])]
    summary = summarise(values, names, arms, seed=seed)
    incomparable = measured_differently(study, names, reference)
    differences = paired(values, names, arms, reference, main, incomparable)
    warnings += _crn_warning(values, reference)
    warnings += [
        f"{describe(name).label} is measured differently in {', '.join(sorted(arms_))} than in the reference "
        f"arm ({why}): those differences are not comparable and are left out of the tests."
        for name, (arms_, why) in incomparable.items()
    ]
    warnings += _not_reached(summary, main)
    notes += test_notes(differences)
    notes += [
        f"{describe(a).label} and {describe(b).label}: {text}."
        for (a, b), text in CAUTIONS.items()
        if {a, b} <= set(names)
    ]
    return Comparison(
        reference=reference,
        arms=arms,
        main=main,
        appendix=appendix,
        points=points,
        summary=summary,
        differences=differences,
        adequacy=adequacy(differences[differences["family"] == "main"]) if not differences.empty else pd.DataFrame(),
        values=values,
        notes=notes,
        warnings=warnings,
    )


# --- units -----------------------------------------------------------------------------------


def units(study: Study) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(values, points): one row per unit of comparison, and a label per point.

    A unit is a run, or for a sampled design a replication's average over the design points.
    """
    meta = study.finished[[c for c in ("run_key", "point", "arm", "replication", "seed") if c in study.finished]]
    if "point" not in meta:
        meta = meta.assign(point=0)
    values = meta.merge(study.outcomes.drop(columns=[c for c in ("days",) if c in study.outcomes]), on="run_key")
    if study.sampled:
        names = [c for c in study.outcome_names if c in values]
        values = values.groupby(["arm", "replication"], sort=False)[names].mean().reset_index()
        values = values.assign(point=DESIGN_AVERAGE, seed=values["replication"].map(_seed_of(meta)))
        label = f"average over {study.n_points} design points"
        return values, pd.DataFrame({"point": [DESIGN_AVERAGE], "label": [label]})
    return values, pd.DataFrame({"point": sorted(values["point"].unique()), "label": _point_labels(study)})


def _seed_of(meta: pd.DataFrame) -> dict[int, int]:
    return meta.drop_duplicates("replication").set_index("replication")["seed"].to_dict() if "seed" in meta else {}


def _point_labels(study: Study) -> list[str]:
    """'office_quality = 0.5, procedural_justice = 0.3' per point ('' for a single point)."""
    points = sorted(study.finished["point"].unique()) if "point" in study.finished else [0]
    if len(points) == 1:
        return [""]
    columns = [p for p in study.parameters if p in study.finished]
    first = study.finished.drop_duplicates("point").set_index("point")
    return [", ".join(f"{c} = {first.loc[p, c]}" for c in columns) or f"point {p}" for p in points]


# --- which outcomes ----------------------------------------------------------------------------


def split_outcomes(
    study: Study, outcomes: Sequence[str] | None = None
) -> tuple[list[str], list[str], list[str], list[str]]:
    """(main, appendix, notes, missing): the main table's outcomes, the rest, duplicates noted, names not stored.

    The main outcomes are `outcomes`, else the experiment's own list, else the documented key set.
    An outcome whose values equal an earlier one's in every run is the same measure twice: it is
    shown once, so that it is not tested (and counted by Holm) twice.
    """
    stored = study.outcome_names
    asked = list(outcomes) if outcomes is not None else study.named_outcomes
    wanted = asked if asked is not None else [n for n in KEY_OUTCOMES if n in stored]
    missing = [n for n in wanted if n not in stored] if asked is not None else []
    kept, duplicates = distinct([*dict.fromkeys(n for n in wanted if n in stored), *stored], study.outcomes)
    main = [n for n in kept if n in wanted]
    notes = [
        f"{describe(a).label} ({a}) equals {describe(b).label} ({b}) in every run and is shown once."
        for a, b in duplicates.items()
    ]
    return main, [n for n in kept if n not in main], notes, missing


def distinct(names: Sequence[str], outcomes: pd.DataFrame) -> tuple[list[str], dict[str, str]]:
    """Names without repeats and without columns equal (nan included) to an earlier kept one."""
    kept: list[str] = []
    duplicates: dict[str, str] = {}
    for name in dict.fromkeys(names):
        varies = outcomes[name].nunique(dropna=False) > 1  # two outcomes that are always 0 are not one measure
        twin = next((k for k in kept if varies and outcomes[name].equals(outcomes[k])), None)
        if twin is None:
            kept.append(name)
        else:
            duplicates[name] = twin
    return kept, duplicates


def measured_differently(study: Study, names: Sequence[str], reference: str) -> dict[str, tuple[set[str], str]]:
    """Per outcome measured by a setting (`catalogue.MEASURED_BY`): arms whose setting differs from the reference's."""
    found = {}
    for name in names:
        params = MEASURED_BY.get(name, ())
        if not params:
            continue
        base = study.settings(reference)
        for param in params:
            arms = {a for a in study.arms if study.settings(a).get(param) != base.get(param)}
            if arms:
                values = ", ".join(sorted({f"{study.settings(a).get(param)}" for a in arms}))
                found[name] = (arms, f"{param} = {values} against {base.get(param)}")
    return found


# --- summaries and differences ---------------------------------------------------------------


def summarise(values: pd.DataFrame, names: Sequence[str], arms: Sequence[str], *, seed: int = 0) -> pd.DataFrame:
    """One row per point, arm and outcome: n, missing, mean with its CI inside the support, median with its CI."""
    rows = []
    for point, at_point in values.groupby("point", sort=True):
        groups = dict(list(at_point.groupby("arm", sort=False)))
        for arm in arms:
            if arm not in groups:
                continue
            for name in names:
                stats_ = st.describe(groups[arm][name].to_numpy(), support=describe(name).support, seed=seed)
                rows.append({"point": point, "arm": arm, "outcome": name, **stats_})
    return pd.DataFrame(rows)


def paired(
    values: pd.DataFrame,
    names: Sequence[str],
    arms: Sequence[str],
    reference: str,
    main: Sequence[str],
    incomparable: dict[str, tuple[set[str], str]],
) -> pd.DataFrame:
    """Each treated arm against the reference, per point and outcome, with p adjusted within each family."""
    rows = []
    for point, at_point in values.groupby("point", sort=True):
        control = at_point[at_point["arm"] == reference].set_index("replication")
        for arm in arms:
            if arm == reference:
                continue
            treated = at_point[at_point["arm"] == arm].set_index("replication")
            shared = treated.index.intersection(control.index)
            for name in names:
                d = describe(name)
                effect = st.paired_effect(
                    treated.loc[shared, name].to_numpy(), control.loc[shared, name].to_numpy(), support=d.support
                )
                comparable = arm not in incomparable.get(name, (set(), ""))[0]
                rows.append(
                    {
                        "point": point,
                        "arm": arm,
                        "reference": reference,
                        "outcome": name,
                        "family": "main" if name in main else "appendix",
                        "comparable": comparable,
                        **effect,
                        "mid": d.mid_at(effect["control_mean"]),
                        "mid_source": d.mid_source,
                    }
                )
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    for test in ("p_t", "p_wilcoxon"):
        for suffix, adjust in (("holm", st.holm), ("bh", st.benjamini_hochberg)):
            table[f"{test}_{suffix}"] = math.nan
            for _, rows_ in table.groupby("family", sort=False):
                raw = rows_[test].where(rows_["comparable"])
                table.loc[rows_.index, f"{test}_{suffix}"] = adjust(raw.to_numpy())
    table["verdict"] = [verdict(r) for r in table.to_dict("records")]
    return table


def paired_differences(values: pd.DataFrame, point: int, arm: str, reference: str, name: str) -> np.ndarray:
    """The per-replication differences (arm − reference) of `name` at `point`: the pairs `paired` summarises.

    Pairs are matched by replication; a pair with a missing value on either side is left out.
    """
    at = values[values["point"] == point]
    treated = at[at["arm"] == arm].set_index("replication")[name]
    control = at[at["arm"] == reference].set_index("replication")[name]
    d = (treated - control).to_numpy(float)  # aligned on replication: unshared replications are nan
    return d[np.isfinite(d)]


def verdict(row: dict) -> str:
    """Whether a paired difference matters, judged against the outcome's minimum important difference.

    important: the difference is resolved (Holm-adjusted paired t-test p < 0.05, or constant and
    not 0) and at least the MID; negligible: the 95 % CI lies within ±MID; below MID: resolved but
    smaller than the MID; no difference: every pair is equal; inconclusive: none of these.
    """
    if not row["comparable"]:
        return "not comparable"
    if row["n_pairs"] < 2:
        return "too few pairs"
    mid, diff, low, high = row["mid"], row["mean_diff"], row["diff_low"], row["diff_high"]
    if low == high == 0:
        return "no difference"
    p = row["p_t_holm"]
    resolved = bool(p < st.ALPHA) if np.isfinite(p) else bool(np.isfinite(diff) and diff != 0 and low == high)
    if resolved and abs(diff) >= mid:
        return "important"
    if -mid < low and high < mid:
        return "negligible"
    return "below MID" if resolved else "inconclusive"


def adequacy(differences: pd.DataFrame) -> pd.DataFrame:
    """Per paired difference: its CI half-width against half the MID, and the replications that would reach it.

    A half-width of at most MID/2 (an interval no wider than the MID) lets a zero difference be told
    from an important one; replications needed follow Law (2015) section 9.4.1 (absolute error).
    """
    rows = differences[differences["comparable"]]
    quantile = st.stats.t.ppf(0.5 + st.CONFIDENCE / 2, np.maximum(rows["n_pairs"] - 1, 1))
    half = quantile * rows["sd_diff"] / np.sqrt(rows["n_pairs"])
    target = ADEQUATE_FRACTION * rows["mid"]
    needed = [
        st.replications_for(sd, n, t) if np.isfinite(t) else None
        for sd, n, t in zip(rows["sd_diff"], rows["n_pairs"], target, strict=True)
    ]
    out = rows[["point", "arm", "outcome", "n_pairs", "sd_diff", "mid"]].assign(half_width=half, target=target)
    out["adequate"] = (half <= target) | (rows["sd_diff"] == 0)
    out["replications_needed"] = pd.array(needed, dtype="Int64")
    return out.reset_index(drop=True)


# --- notes and warnings ----------------------------------------------------------------------


def test_notes(differences: pd.DataFrame) -> list[str]:
    """Sentences wherever the number of pairs is too small for a test the tables show."""
    notes: list[str] = []
    if differences.empty:
        return notes
    for family, rows in differences.groupby("family", sort=False):
        tested = rows[rows["p_wilcoxon"].notna() | rows["p_t"].notna()]
        if tested.empty:
            continue
        n = int(tested["n_pairs"].max())
        smallest = st.wilcoxon_smallest_p(n)
        m = int(tested["p_wilcoxon"].notna().sum())
        if smallest * m >= st.ALPHA:
            notes.append(
                f"{family.capitalize()} table: with {n} pairs the signed-rank test cannot give p below "
                f"{smallest:.3g} (2/2^n), so after Holm's adjustment over {m} tests its p cannot fall below "
                f"{min(1.0, smallest * m):.3g}: the Wilcoxon column cannot show an effect at this n; read the "
                "paired differences and their intervals instead."
            )
    if (differences["n_pairs"] < 2).any():
        notes.append("Differences with fewer than two pairs have no interval and no test.")
    notes.append(
        "d_z divides the mean difference by the spread of the paired differences, which common random numbers make "
        "small: a large d_z is a precisely estimated difference, not a large one; whether it matters is the "
        "verdict against the minimum important difference."
    )
    return notes


def _crn_warning(values: pd.DataFrame, reference: str) -> list[str]:
    if "seed" not in values:
        return []
    seeds = values.groupby(["point", "replication"])["seed"].nunique()
    if (seeds > 1).any():
        return [
            f"Some arms do not share seeds with {reference}: differences are paired by replication but not under "
            "common random numbers."
        ]
    return []


def _not_reached(summary: pd.DataFrame, names: Sequence[str]) -> list[str]:
    rows = summary[summary["outcome"].isin(names) & (summary["missing"] > 0)]
    lines = []
    for name, group in rows.groupby("outcome", sort=False):
        what = "not reached" if describe(name).kind == "duration" else "undefined"
        worst = group.loc[group["missing"].idxmax()]
        lines.append(
            f"{describe(name).label} is {what} in {int(worst['missing'])} of {int(worst['missing'] + worst['n'])} "
            f"runs of arm {worst['arm']}; its mean is over the other runs and pairs with a missing value are left out."
        )
    return lines
