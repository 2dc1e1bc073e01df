"""What a calibration writes: the tables, the calibrated scenario file, one figure per target, the report.

Verdict of a target on the confirmation seed set: "inside" if the mean over the seeds lies in the
observed range and at least `seed_share` of the seeds do (the issue's criterion: the mean over at
least 20 seeds inside, and at least 90 % of seeds inside), else "outside". Identifiability of a
calibrated parameter: the width of the 5-95 % interval of the non-implausible region over the width
of its prior; below 0.5 it is "constrained", below 0.9 "partly constrained", else "not constrained"
(a convention of this report, stated with it).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import tomli_w

from conflict_sim import scenarios
from conflict_sim.analysis.figures import SINGLE, save, styled
from conflict_sim.calibration import matching
from conflict_sim.calibration.config import Calibration, Target
from conflict_sim.params import PARAM_FIELDS

CONSTRAINED, PARTLY = 0.5, 0.9
COLUMNS = ["scenario_before", "calibrated", "prior_low", "prior_high", "q05", "median", "q95"]
COLUMNS += ["width_ratio", "identifiability"]
REGION_ROWS = 5000  # rows of the non-implausible region kept in region.csv


def atomic_text(path: Path, text: str) -> None:
    """Write a text file by an atomic rename, so it is whole or absent."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, scratch = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(scratch, path)


def verdicts(cal: Calibration, confirmation: pd.DataFrame) -> pd.DataFrame:
    """Each target on the confirmation seeds: mean, spread, share of seeds inside, verdict."""
    rows = []
    for t in cal.targets:
        values = confirmation[t.name].dropna().to_numpy()
        share = float(((values >= t.low) & (values <= t.high)).mean()) if len(values) else float("nan")
        mean = float(values.mean()) if len(values) else float("nan")
        ok = t.low <= mean <= t.high and share >= cal.confirmation.seed_share
        rows.append(
            {
                "target": t.name,
                "role": t.role,
                "arm": t.arm,
                "low": t.low,
                "high": t.high,
                "mean": mean,
                "sd": float(values.std(ddof=1)) if len(values) > 1 else float("nan"),
                "min": float(values.min()) if len(values) else float("nan"),
                "max": float(values.max()) if len(values) else float("nan"),
                "seeds": len(values),
                "share_inside": share,
                "verdict": "inside" if ok else "outside",
            }
        )
    return pd.DataFrame(rows)


def identifiability(cal: Calibration, matched: matching.Matching) -> pd.DataFrame:
    """How much of each calibrated parameter's prior the non-implausible region leaves."""
    region = matched.cloud[matched.cloud["non_implausible"]]
    rows = []
    for n in matched.names:
        lo, hi = cal.prior(n)
        if len(region):
            q5, q50, q95 = np.quantile(region[n], [0.05, 0.5, 0.95])
            ratio = (q95 - q5) / (hi - lo)
            verdict = (
                "constrained" if ratio < CONSTRAINED else "partly constrained" if ratio < PARTLY else "not constrained"
            )
        else:
            q5 = q50 = q95 = ratio = float("nan")
            verdict = "no non-implausible region"
        rows.append(
            {"parameter": n, "prior_low": lo, "prior_high": hi, "q05": q5, "median": q50, "q95": q95}
            | {"width_ratio": ratio, "identifiability": verdict}
        )
    return pd.DataFrame(rows)


def scenario_text(cal: Calibration, calibrated: dict[str, float | int]) -> str:
    """The calibrated scenario: the calibrated values as changes against the scenario calibrated."""
    base = cal.scenario.name if cal.scenario.name in scenarios.names() else str(cal.scenario.files[-1])
    names = ", ".join(calibrated)
    document = {
        "description": (
            f"{base} calibrated by `conflict-sim calibrate` ({cal.name}): {names} set by history matching "
            "to the observed aggregates (formal petitions, 12345 contacts, on-time closure, level of "
            "ending); see docs/calibration/report.md."
        ),
        "theory": cal.scenario.theory,
        "sources": "Pattern-oriented calibration (Grimm et al. 2005) to the targets of docs/calibration/report.md",
        "base": base,
        "params": dict(calibrated),
    }
    return tomli_w.dumps(document)


def write(
    cal: Calibration,
    out: Path,
    indices: pd.DataFrame,
    matched: matching.Matching,
    calibrated: dict[str, float | int],
    confirmation: pd.DataFrame,
    verdict: pd.DataFrame,
) -> None:
    """Every file of the calibration's top level, each atomically."""
    ident = identifiability(cal, matched)
    region = matched.cloud[matched.cloud["non_implausible"]].head(REGION_ROWS)
    atomic_text(out / "screening.csv", indices.to_csv(index=False))
    atomic_text(out / "accepted.csv", matched.simulated.to_csv(index=False))
    atomic_text(out / "region.csv", region.to_csv(index=False))
    atomic_text(out / "confirmation.csv", confirmation.to_csv(index=False))
    atomic_text(out / "calibrated.toml", scenario_text(cal, calibrated))
    figures = out / "figures"
    for t in cal.targets:
        save(_target_figure(t, matched.simulated, confirmation), figures, f"target-{t.name}")
    save(_posterior_figure(cal, matched, calibrated), figures, "posterior")
    save(_screening_figure(indices), figures, "screening")
    atomic_text(out / "report.md", _markdown(cal, indices, matched, calibrated, verdict, ident))


def _target_figure(t: Target, simulated: pd.DataFrame, confirmation: pd.DataFrame):
    from matplotlib.figure import Figure

    with styled():
        fig = Figure(figsize=(SINGLE, 2.2), layout="constrained")
        ax = fig.subplots()
        ax.axvspan(t.low, t.high, color="0.85", label="observed range")
        groups = []
        if t.name in simulated:
            first = simulated.loc[simulated["wave"] == simulated["wave"].min(), t.name].dropna()
            last = simulated.loc[simulated["wave"] == simulated["wave"].max(), t.name].dropna()
            groups += [(first, "wave 1 (prior)", "C0"), (last, "last wave", "C1")]
        groups.append((confirmation[t.name].dropna(), "calibrated, each seed", "C2"))
        values = pd.concat([g for g, _, _ in groups])
        edges = np.histogram_bin_edges(np.concatenate([values, [t.low, t.high]]), bins=30)
        for data, label, colour in groups:
            if len(data):
                ax.hist(data, bins=edges.tolist(), histtype="step", color=colour, label=label, density=True)
        ax.set_xlabel(f"{t.name} ({t.role})")
        ax.set_ylabel("density")
        ax.legend(fontsize="small")
    return fig


def _posterior_figure(cal: Calibration, matched: matching.Matching, calibrated: dict[str, float | int]):
    from matplotlib.figure import Figure

    n = len(matched.names)
    columns = min(3, n)
    rows = int(np.ceil(n / columns))
    region = matched.cloud[matched.cloud["non_implausible"]]
    accepted = matched.simulated[matched.simulated["accepted"]]
    with styled():
        fig = Figure(figsize=(2.4 * columns, 1.9 * rows), layout="constrained")
        axes = np.atleast_1d(fig.subplots(rows, columns)).ravel()
        for ax, name in zip(axes, matched.names, strict=False):
            lo, hi = cal.prior(name)
            ax.hlines(1 / (hi - lo), lo, hi, colors="0.5", linestyles=":", label="prior")
            if len(region):
                ax.hist(
                    region[name], bins=25, range=(lo, hi), density=True, color="C0", alpha=0.6, label="non-implausible"
                )
            last = matched.simulated[matched.simulated["wave"] == matched.simulated["wave"].max()]
            ax.hist(last[name], bins=25, range=(lo, hi), density=True, histtype="step", color="C1", label="last wave")
            ax.plot(accepted[name], np.zeros(len(accepted)), "|", color="C2", markersize=8, label="accepted runs")
            ax.axvline(calibrated[name], color="C3", linewidth=1, label="calibrated")
            ax.set_xlabel(name, fontsize="small")
        for ax in axes[n:]:
            ax.set_visible(False)
        axes[0].legend(fontsize="x-small")
    return fig


def _screening_figure(indices: pd.DataFrame, top: int = 20):
    from matplotlib.figure import Figure

    ranked = indices.drop_duplicates("parameter").head(top)[::-1]
    with styled():
        fig = Figure(figsize=(SINGLE, 0.16 * len(ranked) + 0.8), layout="constrained")
        ax = fig.subplots()
        ax.barh(ranked["parameter"], ranked["score"], color="C0")
        ax.set_xlabel("largest mu* / target's largest mu*")
        ax.tick_params(axis="y", labelsize=6)
    return fig


def _markdown(
    cal: Calibration,
    indices: pd.DataFrame,
    matched: matching.Matching,
    calibrated: dict[str, float | int],
    verdict: pd.DataFrame,
    ident: pd.DataFrame,
) -> str:
    s, hm, c = cal.screening, cal.history_matching, cal.confirmation
    runs = len(indices.drop_duplicates("parameter")) + 1
    lines = [
        f"# Calibration {cal.name}",
        "",
        cal.description,
        "",
        f"Scenario calibrated: `{cal.scenario.name}`; root seed {cal.root_seed}. Written by "
        f"`conflict-sim calibrate` from `calibration.toml` (beside this report).",
        "",
        "## Targets",
        "",
        "| target | outcome(s) | arm | observed range | role | source |",
        "|---|---|---|---|---|---|",
        *(
            f"| {t.name} | {' + '.join(t.outcomes)} | {t.arm} | [{t.low:g}, {t.high:g}] | {t.role} | {t.source} |"
            for t in cal.targets
        ),
        "",
        "## Budget",
        "",
        f"- Screen: Morris, {s.trajectories} trajectories x {runs} points each over {len(s.parameters)} parameters, "
        f"{len(cal.arms_for('calibrate'))} arm(s), 1 seed, at 1:{s.horizon.sample}, {s.horizon.days} days "
        f"(warm-up {s.horizon.warmup_days}).",
        f"- History matching: {hm.waves} waves x {hm.points} points x {hm.replications} seed(s) x "
        f"{len(cal.arms_for('calibrate'))} arm(s), at 1:{cal.horizon.sample}, {cal.horizon.days} days "
        f"(warm-up {cal.horizon.warmup_days}); {hm.candidates} candidates per emulator cut, cut-off {hm.cutoff:g}.",
        f"- Confirmation: the calibrated point on {c.replications} seeds x {len(cal.arms)} arm(s), at "
        f"1:{c.horizon.sample}, {c.horizon.days} days (warm-up {c.horizon.warmup_days}).",
        "",
        "## Screening (Morris mu*, SALib)",
        "",
        "Score: the parameter's largest mu* over the targets, each divided by that target's largest mu*. "
        f"Calibrated: the {s.keep} highest. Figure: `figures/screening.png`.",
        "",
        _table(
            indices.pivot_table(index="parameter", columns="target", values="mu_star")
            .join(indices.drop_duplicates("parameter").set_index("parameter")["score"])
            .sort_values("score", ascending=False)
            .head(15)
        ),
        "",
        "## History matching",
        "",
        _table(matched.waves.set_index("wave")),
        "",
        f"Accepted runs (non-implausible under the last emulators): {int(matched.simulated['accepted'].sum())} of "
        f"{len(matched.simulated)}; every run with its implausibility per target and its distance outside the "
        "ranges is in `accepted.csv`, the non-implausible region in `region.csv`.",
        "",
        "## Calibrated parameters and their identifiability",
        "",
        "Posterior marginals: `figures/posterior.png` (the non-implausible region against the uniform prior).",
        "",
        _table(
            ident.assign(
                before=[PARAM_FIELDS[n].default for n in ident["parameter"]],
                scenario_before=[getattr(cal.scenario.params, n) for n in ident["parameter"]],
                calibrated=[calibrated[n] for n in ident["parameter"]],
            ).set_index("parameter")[COLUMNS]
        ),
        "",
        "## Confirmation: the calibrated scenario on a fixed seed set",
        "",
        f"Verdict `inside`: the mean over the seeds is in the range and at least {c.seed_share:.0%} of the "
        "seeds are. Hold-out targets were not used to calibrate: they are the out-of-sample check. Checks "
        "compare an input-driven outcome with its observation. One figure per target: `figures/target-NAME.png`.",
        "",
        _table(verdict.set_index("target")),
        "",
    ]
    return "\n".join(str(line) for line in lines)


def _table(frame: pd.DataFrame) -> str:
    return frame.to_markdown(floatfmt=".4g")
