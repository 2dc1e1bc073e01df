"""Figures of a policy comparison, drawn from the statistics tables in one versioned style.

Each function takes tables made by `statistics` and returns a matplotlib `Figure` (no pyplot, no
global state); `save` writes it as a PDF with embedded TrueType (Type 42) fonts and a 300-dpi PNG.
Widths match journal columns: `SINGLE` (3.5 in) and `DOUBLE` (7.2 in).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path

import matplotlib as mpl
import matplotlib.style
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from conflict_sim.analysis.catalogue import LEVELS, axis_label, label, unit

STYLE = Path(__file__).with_name("conflict_sim.mplstyle")
STYLE_VERSION = 1
SINGLE, DOUBLE = 3.5, 7.2  # inches
PANEL_HEIGHT = 1.9  # inches per row of small multiples


@contextmanager
def styled():
    """The project style, for drawing and saving alike (rcParams are read at both moments)."""
    with mpl.style.context(STYLE):
        yield


def colours(arms: Sequence[str]) -> dict[str, str]:
    """A fixed colour per arm, in the style's Okabe–Ito order (baseline black)."""
    with styled():
        cycle = mpl.rcParams["axes.prop_cycle"].by_key()["color"]
    return {arm: f"#{cycle[i % len(cycle)].lstrip('#')}" for i, arm in enumerate(arms)}


def _wrapped(name: str, prefix: str = "", width: int = 36) -> str:
    """An axis label with its unit, wrapped to fit its panel (36 characters: a third of a double column)."""
    return textwrap.fill(prefix + axis_label(name), width)


def _bounded(name: str) -> bool:
    """Whether a metric is a share or a 0–1 score, so its CI ribbon can be clipped to [0, 1]."""
    return unit(name).startswith("share") or unit(name) == "0–1 scale"


def _errors(centre: float, low: float, high: float) -> list[list[float]]:
    """Error-bar lengths below and above `centre`; a missing or one-sided bound draws no bar there."""
    return [[np.nan_to_num(max(centre - low, 0.0))], [np.nan_to_num(max(high - centre, 0.0))]]


def _grid(
    n: int, ncols: int, width: float = DOUBLE, height: float = PANEL_HEIGHT, sharey: bool = False
) -> tuple[Figure, list]:
    ncols = max(1, min(ncols, n))
    nrows = math.ceil(n / ncols)
    fig = Figure(figsize=(width, height * nrows))
    axes = fig.subplots(nrows, ncols, squeeze=False, sharey=sharey).ravel()
    for ax in axes[n:]:
        ax.set_visible(False)
    return fig, list(axes[:n])


def trajectories(bands: dict[str, pd.DataFrame], arms: Sequence[str], warmup_days: int = 0) -> Figure:
    """Mean daily trajectory per arm with its 95 % CI ribbon, one panel per metric."""
    colour = colours(arms)
    with styled():
        fig, axes = _grid(len(bands), 3)
        for ax, (metric, band) in zip(axes, bands.items(), strict=True):
            for arm in arms:
                b = band[band["arm"] == arm]
                ax.plot(b["day"], b["mean"], color=colour[arm], label=arm, lw=1.0)
                low, high = (b["low"].clip(0, 1), b["high"].clip(0, 1)) if _bounded(metric) else (b["low"], b["high"])
                ax.fill_between(b["day"], low, high, color=colour[arm], alpha=0.2, lw=0)
            if warmup_days:
                ax.axvspan(0, warmup_days, color="0.92", zorder=0, lw=0)
            ax.set_xlabel("Simulated day [days]")
            ax.set_ylabel(_wrapped(metric), fontsize=7)
        fig.legend(
            *axes[0].get_legend_handles_labels(),
            loc="outside lower center",
            ncols=min(len(arms), 6),
        )
    return fig


def distributions(values: pd.DataFrame, names: Sequence[str], arms: Sequence[str], *, seed: int = 0) -> Figure:
    """Per-replication outcomes per arm: a box (median, quartiles) over the jittered points."""
    colour, rng = colours(arms), np.random.default_rng(seed)
    with styled():
        fig, axes = _grid(len(names), 3, height=2.1)
        for ax, name in zip(axes, names, strict=True):
            samples = [values.loc[values["arm"] == arm, name].dropna().to_numpy() for arm in arms]
            ax.boxplot(
                samples,
                positions=range(len(arms)),
                widths=0.55,
                showfliers=False,
                medianprops={"color": "0.2"},
                boxprops={"color": "0.5"},
                whiskerprops={"color": "0.5"},
                capprops={"color": "0.5"},
            )
            for i, (arm, x) in enumerate(zip(arms, samples, strict=True)):
                ax.scatter(i + rng.uniform(-0.18, 0.18, len(x)), x, s=6, color=colour[arm], alpha=0.8, lw=0)
            ax.set_xticks(range(len(arms)), arms, rotation=35, ha="right")
            ax.set_ylabel(_wrapped(name), fontsize=7)
    return fig


def forest(comparison: pd.DataFrame, names: Sequence[str], arms: Sequence[str]) -> Figure:
    """Paired differences (arm − baseline) with 95 % CIs, one panel per outcome; 0 = no effect."""
    colour = colours(arms)
    treated = [a for a in arms if a in set(comparison["arm"])]
    with styled():
        fig, axes = _grid(len(names), 4, height=0.25 * len(treated) + 0.9, sharey=True)
        for ax, name in zip(axes, names, strict=True):
            rows = comparison[comparison["outcome"] == name].set_index("arm").reindex(treated)
            y = np.arange(len(treated))[::-1]
            for yi, (arm, r) in zip(y, rows.iterrows(), strict=True):
                ax.errorbar(
                    r["mean_diff"],
                    yi,
                    xerr=_errors(r["mean_diff"], r["diff_low"], r["diff_high"]),
                    fmt="o",
                    color=colour[arm],
                    ms=3.5,
                )
            ax.axvline(0, color="0.4", lw=0.8, ls="--")
            ax.set_yticks(y, treated)
            ax.set_xlabel(_wrapped(name, "Δ ", width=28), fontsize=6.5)
    return fig


def closure_vs_resolution(summary: pd.DataFrame, arms: Sequence[str]) -> Figure:
    """Formal on-time closure against substantive resolution per arm (95 % CIs)."""
    colour = colours(arms)
    rows = summary.set_index(["outcome", "arm"])
    with styled():
        fig = Figure(figsize=(SINGLE, SINGLE))
        ax = fig.subplots()
        for arm in arms:
            x, y = (
                rows.loc[("formal_on_time_rate", arm)],
                rows.loc[("substantive_resolution_rate", arm)],
            )
            ax.errorbar(
                x["mean"],
                y["mean"],
                xerr=_errors(x["mean"], x["ci_low"], x["ci_high"]),
                yerr=_errors(y["mean"], y["ci_low"], y["ci_high"]),
                fmt="o",
                color=colour[arm],
                label=arm,
            )
        ax.plot([0, 1], [0, 1], color="0.6", lw=0.8, ls="--", label="no closure gap")
        ax.set_xlim(0, 1.02)
        ax.set_ylim(0, 1.02)
        ax.set_aspect("equal")
        ax.set_xlabel(axis_label("formal_on_time_rate"))
        ax.set_ylabel(axis_label("substantive_resolution_rate"))
        ax.legend(loc="upper left")
    return fig


def level_pyramid(summary: pd.DataFrame, arms: Sequence[str]) -> Figure:
    """Where issues end, by level (community at the base), one centred-bar pyramid per arm."""
    colour = colours(arms)
    rows = summary.set_index(["outcome", "arm"])
    with styled():
        fig, axes = _grid(len(arms), min(len(arms), 4), height=2.0, sharey=True)
        for ax, arm in zip(axes, arms, strict=True):
            shares = np.array([rows.loc[(f"ended_share_{lv}", arm), "mean"] for lv in LEVELS])
            ax.barh(range(len(LEVELS)), shares, left=-shares / 2, color=colour[arm], height=0.8)
            for i, s in enumerate(shares):
                ax.text(s / 2 + 0.02, i, f"{s:.0%}", va="center", fontsize=6)
            ax.set_yticks(range(len(LEVELS)), LEVELS)
            ax.set_xlim(-0.6, 0.75)
            ax.set_xticks([-0.5, 0, 0.5], ["50%", "0", "50%"])
            ax.grid(False)
            ax.set_title(arm)
            ax.set_xlabel("Issues ended here [share]", fontsize=7)
    return fig


def sobol_indices(indices: pd.DataFrame, top: int = 10) -> Figure:
    """First-order (S1) and total (ST) Sobol indices with CIs, `top` parameters per outcome."""
    names = list(dict.fromkeys(indices["outcome"]))
    with styled():
        shown = min(top, int(indices.groupby("outcome").size().max()))
        fig, axes = _grid(len(names), 3, height=0.25 * shown + 1.0)
        for ax, name in zip(axes, names, strict=True):
            rows = indices[indices["outcome"] == name].nlargest(top, "ST")[::-1]
            y = np.arange(len(rows))
            ax.barh(
                y + 0.2,
                rows["ST"],
                0.4,
                xerr=rows.get("ST_conf"),
                label="total (ST)",
                color="#0072B2",
            )
            ax.barh(
                y - 0.2,
                rows["S1"],
                0.4,
                xerr=rows.get("S1_conf"),
                label="first order (S1)",
                color="#E69F00",
            )
            ax.set_yticks(y, rows["parameter"])
            ax.set_xlabel("Sobol index [share of variance]", fontsize=7)
            ax.set_title(textwrap.fill(label(name), 30))
        fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=2)
    return fig


def save(fig: Figure, folder: Path, stem: str) -> list[Path]:
    """Write `stem.pdf` (Type 42 fonts, no timestamp) and `stem.png` (300 dpi), reproducibly."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{stem}.pdf", folder / f"{stem}.png"]
    with styled():
        fig.savefig(
            paths[0],
            metadata={"CreationDate": None, "Creator": f"conflict-sim style {STYLE_VERSION}"},
        )
        fig.savefig(paths[1], metadata={"Software": f"conflict-sim style {STYLE_VERSION}"})
    return paths
