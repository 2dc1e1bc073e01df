"""What a sweep's design lets one say.

Factorial effects and interactions, sensitivity indices that state their own precision, and how much
of the spread over a design is replication noise.

- **Factorial designs.** The arms are one more factor. Main effects (each level against the first,
  averaged over the other factors) and two-way interaction contrasts
  y(f, g) - y(f, g0) - y(f0, g) + y(f0, g0) are computed within each replication, whose runs share
  a seed, and carry t-intervals across replications (Montgomery 2017, ch. 5-6, with replications
  as blocks).
- **Sobol and Morris designs.** Indices come from `conflict_sim.sensitivity` (SALib) with bootstrap
  confidence intervals; they have converged when the widest 95 % interval is at most 0.05 wide
  (Sarrazin, Pianosi & Wagener 2016; for Morris, relative to the largest mu*). Indices outside
  [0, 1] or a first-order index above its total index are signs of too small a sample.
- **Sampled designs.** The share of an outcome's variation over the design that is replication
  noise: the within-point sum of squares over the total sum of squares (one-way ANOVA).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from conflict_sim.analysis import statistics as st
from conflict_sim.analysis.catalogue import describe
from conflict_sim.analysis.comparison import Comparison, verdict
from conflict_sim.analysis.study import Study
from conflict_sim.errors import ConflictSimError

CONVERGED_WIDTH = 0.05  # widest 95 % CI of an index (Sarrazin, Pianosi & Wagener 2016)
NOISE_LIMIT = 0.5  # warn when replication noise is more than half of the variance over the design
INDEX_PANELS = 6  # outcomes given sensitivity indices (a double-column figure of two rows)


@dataclass(frozen=True)
class DesignAnalysis:
    """The design-specific part of a report (each table empty when the design has no such part).

    Attributes:
        effects: factorial designs: one row per outcome and term (main effect or two-way
            interaction) with the estimate, its CI, Holm-adjusted p, MID and verdict.
        indices: Sobol or Morris designs: one row per outcome and parameter (reference arm).
        convergence: one row per outcome: the widest index interval, and whether it converged.
        spread: sampled designs: per arm and outcome, the point means' quartiles and the noise share.
        warnings: sentences for the report.
    """

    method: str
    effects: pd.DataFrame
    indices: pd.DataFrame
    convergence: pd.DataFrame
    spread: pd.DataFrame
    warnings: list[str]


def analyse(study: Study, comparison: Comparison) -> DesignAnalysis:
    """The design-aware tables of `study`, for the main outcomes of `comparison`."""
    empty = pd.DataFrame()
    effects = factorial_effects(study, comparison) if study.method == "factorial" else empty
    indices, convergence, warnings = (
        sensitivity_indices(study, comparison) if study.method in ("sobol", "morris") else (empty, empty, [])
    )
    spread = design_spread(study, comparison.main) if study.sampled else empty
    if not spread.empty:
        noisy = spread[spread["noise_share"] > NOISE_LIMIT]
        for name, rows in noisy.groupby("outcome", sort=False):
            worst = rows["noise_share"].max()
            warnings.append(
                f"{describe(name).label}: replication noise is {worst:.0%} of its variance over the design "
                f"(more than {NOISE_LIMIT:.0%}); indices and fits describe noise as much as parameters: "
                "more replications per point would help."
            )
    return DesignAnalysis(study.method, effects, indices, convergence, spread, warnings)


# --- factorial designs -------------------------------------------------------------------------


def factorial_effects(study: Study, comparison: Comparison) -> pd.DataFrame:
    """Main effects and two-way interactions of the design's factors and the arms, per main outcome."""
    factors = [p for p in study.parameters if p in study.finished] + ["arm"]
    values = comparison.values.merge(
        study.finished.drop_duplicates("point")[["point", *factors[:-1]]], on="point", how="left"
    )
    levels = {f: list(dict.fromkeys(values[f])) for f in factors}
    levels["arm"] = [comparison.reference, *comparison.treated]
    rows = []
    for name in comparison.main:
        cube = values.pivot_table(index="replication", columns=factors, values=name, aggfunc="mean", dropna=False)
        for term, effect in _contrasts(cube, factors, levels):
            rows.append({"outcome": name, "term": term, **_one_sample(effect.to_numpy(float), name, values)})
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    table["p_t_holm"] = st.holm(table["p_t"])
    table["comparable"] = True
    table["verdict"] = [verdict(r) for r in table.to_dict("records")]
    return table


def _contrasts(cube: pd.DataFrame, factors: Sequence[str], levels: dict[str, list]) -> list[tuple[str, pd.Series]]:
    """(term, per-replication contrast) for every main effect and two-way interaction."""

    def cell(fixed: dict[str, object]) -> pd.Series:
        """The per-replication mean over every cell with the `fixed` levels (nan if a cell is missing)."""
        mask = np.ones(cube.shape[1], dtype=bool)
        for f, level in fixed.items():
            mask &= cube.columns.get_level_values(f) == level
        return cube.loc[:, mask].mean(axis=1, skipna=False)

    found = []
    for f in factors:
        base = levels[f][0]
        for level in levels[f][1:]:
            found.append((f"{_name(f)}: {level} vs {base}", cell({f: level}) - cell({f: base})))
    for f, g in itertools.combinations(factors, 2):
        f0, g0 = levels[f][0], levels[g][0]
        for fl, gl in itertools.product(levels[f][1:], levels[g][1:]):
            contrast = cell({f: fl, g: gl}) - cell({f: fl, g: g0}) - cell({f: f0, g: gl}) + cell({f: f0, g: g0})
            found.append((f"{_name(f)} × {_name(g)}: ({fl} vs {f0}) × ({gl} vs {g0})", contrast))
    return found


def _name(factor: str) -> str:
    return "arm" if factor == "arm" else factor


def _one_sample(e: np.ndarray, name: str, values: pd.DataFrame) -> dict[str, float]:
    """Mean of per-replication contrasts with its t-interval and one-sample t-test; MID as for differences."""
    e = e[np.isfinite(e)]
    low, high = st.t_interval(e)
    p = float(st.stats.ttest_1samp(e, 0.0).pvalue) if len(e) > 1 and not st.constant(e) else math.nan
    mid = describe(name).mid_at(float(values[name].mean()))
    return {
        "n_pairs": len(e),
        "mean_diff": float(e.mean()) if len(e) else math.nan,
        "diff_low": low,
        "diff_high": high,
        "p_t": p,
        "mid": mid,
    }


# --- sensitivity designs -----------------------------------------------------------------------


def sensitivity_indices(study: Study, comparison: Comparison) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """(indices, convergence, warnings) for the main outcomes, in the reference arm."""
    from conflict_sim import sensitivity
    from conflict_sim.store import Results

    results = Results(study.runs, study.outcomes, study.daily, study.design, dict(study.manifest))
    found, skipped = [], []
    for name in comparison.main:
        column = study.outcomes[name]
        if column.isna().any() or column.nunique() < 2:
            skipped.append(describe(name).label)
            continue
        try:
            table = sensitivity.analyse(results, name, study.method)
        except ConflictSimError as exc:
            skipped.append(f"{describe(name).label} ({exc})")
            continue
        table = table[table["arm"] == comparison.reference]
        found.append(table[table["scenario"] == table["scenario"].iloc[0]].assign(outcome=name))
        if len(found) == INDEX_PANELS:
            break
    warnings = (
        [f"No sensitivity indices for: {', '.join(skipped)} (undefined in some run, or constant)."] if skipped else []
    )
    if not found:
        return pd.DataFrame(), pd.DataFrame(), warnings
    indices = pd.concat(found, ignore_index=True)
    convergence = _convergence(indices, study.method)
    samples = study.manifest.get("design", {}).get("options", {}).get("samples")
    for row in convergence[~convergence["converged"]].to_dict("records"):
        warnings.append(
            f"{study.method.capitalize()} indices of {describe(row['outcome']).label} have not converged: "
            f"{row['problem']} (criterion: widest 95 % CI at most {CONVERGED_WIDTH}, Sarrazin et al. 2016); "
            f"increase design.samples (now {samples})."
        )
    return indices, convergence, warnings


def _convergence(indices: pd.DataFrame, method: str) -> pd.DataFrame:
    """Per outcome: the widest 95 % CI of its indices (relative to the largest mu* for Morris) and its verdict."""
    rows = []
    for name, t in indices.groupby("outcome", sort=False):
        problems = []
        if method == "sobol":
            width = float(2 * t[["S1_conf", "ST_conf"]].to_numpy().max())
            outside = t[(t["S1"] - t["S1_conf"] > 1) | (t["ST"] - t["ST_conf"] > 1) | (t["ST"] + t["ST_conf"] < 0)]
            problems += [
                f"{r['parameter']}: S1 = {r['S1']:.2f}, ST = {r['ST']:.2f} outside [0, 1]"
                for _, r in outside.iterrows()
            ]
            above = t[t["S1"] - t["S1_conf"] > t["ST"] + t["ST_conf"]]
            problems += [f"{r['parameter']}: S1 above ST" for _, r in above.iterrows()]
        else:
            top = float(t["mu_star"].max())
            width = float(2 * t["mu_star_conf"].max() / top) if top > 0 else math.nan
        if not width <= CONVERGED_WIDTH:
            problems.insert(0, f"the widest 95 % CI is {width:.2f} wide")
        rows.append({"outcome": name, "widest_ci": width, "converged": not problems, "problem": "; ".join(problems)})
    return pd.DataFrame(rows)


def design_spread(study: Study, names: Sequence[str]) -> pd.DataFrame:
    """Per arm and outcome: quartiles of the point means over the design, and the share that is replication noise."""
    meta = study.finished[["run_key", "point", "arm"]]
    values = meta.merge(study.outcomes, on="run_key")
    rows = []
    for arm, name in itertools.product(study.arms, names):
        x = values[values["arm"] == arm]
        if x.empty:
            continue
        means = x.groupby("point")[name].mean()
        within = float(((x[name] - x["point"].map(means)) ** 2).sum())  # sums of squares: a share in [0, 1]
        total = float(((x[name] - x[name].mean()) ** 2).sum())
        q = means.quantile([0, 0.25, 0.5, 0.75, 1]).to_numpy()
        rows.append(
            {
                "arm": arm,
                "outcome": name,
                "points": len(means),
                "min": q[0],
                "q25": q[1],
                "median": q[2],
                "q75": q[3],
                "max": q[4],
                "noise_share": float(within / total) if total > 0 and np.isfinite(within) else math.nan,
            }
        )
    return pd.DataFrame(rows)
