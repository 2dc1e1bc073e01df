"""Draw: the figures of a report, from the analysis tables, in one versioned style.

Each function takes tables made by the analysis modules and returns a matplotlib `Figure` (no
pyplot, no global state); `save` writes it as a PDF with embedded TrueType (Type 42) fonts and a
300-dpi PNG. Widths match journal columns: `SINGLE` (3.5 in) and `DOUBLE` (7.2 in). Every arm has
a colour from the Okabe–Ito palette, a line style and a marker, so that it is told apart without
colour; no text is smaller than `MIN_FONT`; value axes are fitted to the data they show.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from conflict_sim.analysis import statistics as st
from conflict_sim.analysis.catalogue import LEVELS, axis_label, describe, label, tracker

STYLE = Path(__file__).with_name("conflict_sim.mplstyle")
STYLE_VERSION = 2
SINGLE, DOUBLE = 3.5, 7.2  # inches
PANEL_HEIGHT = 1.9  # inches per row of small multiples
MIN_FONT = 7  # points: the smallest text a printed figure can carry
LINESTYLES = ("-", "--", ":", "-.", (0, (5, 1, 1, 1)), (0, (1, 1)), (0, (8, 2)), (0, (3, 1, 1, 1, 1, 1)))
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
# S1 and ST in the colours of `conflict-sim sensitivity` (matplotlib's first two: blue, then orange),
# taken from the Okabe–Ito palette.
SOBOL_COLOURS = {"S1": "#0072B2", "ST": "#E69F00"}


def style_settings() -> dict[str, Any]:
    """The style file's settings, each converted by matplotlib's own validator.

    rcParams converts a value as it is set, but Solara's server (the browser app draws these figures
    in its results explorer) swaps in a per-session rcParams that stores values as given, as text;
    converted here, the style means the same in a report and in the app.
    """
    settings = mpl.rc_params_from_file(str(STYLE), use_default_template=False)
    return {key: mpl.RcParams.validate[key](value) for key, value in settings.items()}


@contextmanager
def styled():
    """The project style, for drawing and saving alike (rcParams are read at both moments)."""
    with mpl.rc_context(style_settings()):  # type: ignore[arg-type]  # keys are the style file's, all valid
        yield


@dataclass(frozen=True)
class ArmStyle:
    """How one arm is drawn: colour, line style and marker."""

    colour: str
    linestyle: str | tuple
    marker: str


def arm_styles(arms: Sequence[str]) -> dict[str, ArmStyle]:
    """A fixed style per arm, in the experiment's order; the first (the reference) is solid black circles."""
    with styled():
        cycle = mpl.rcParams["axes.prop_cycle"].by_key()["color"]
    return {
        arm: ArmStyle(
            f"#{cycle[i % len(cycle)].lstrip('#')}", LINESTYLES[i % len(LINESTYLES)], MARKERS[i % len(MARKERS)]
        )
        for i, arm in enumerate(arms)
    }


def _wrapped(name: str, prefix: str = "", width: int = 36) -> str:
    """An axis label with its unit, wrapped to fit its panel (36 characters: a third of a double column)."""
    return textwrap.fill(prefix + axis_label(name), width)


def _errors(centre: float, low: float, high: float) -> list[list[float]]:
    """Error-bar lengths below and above `centre`; a missing or one-sided bound draws no bar there."""
    return [[np.nan_to_num(max(centre - low, 0.0))], [np.nan_to_num(max(high - centre, 0.0))]]


def _fit(
    ax, values: Sequence[float] | np.ndarray, axis: str = "y", support: st.Support = (None, None), pad: float = 0.08
) -> None:
    """Set an axis to the range of `values` with a margin, never beyond the quantity's support."""
    v = np.asarray([x for x in values if x is not None and np.isfinite(x)], dtype=float)
    if not len(v):
        return
    low, high = float(v.min()), float(v.max())
    margin = (high - low) * pad or (abs(high) * 0.05 or 0.5)
    low, high = low - margin, high + margin
    if support[0] is not None:
        low = max(low, support[0] - margin * 0.25) if v.min() >= support[0] else low
    if support[1] is not None:
        high = min(high, support[1] + margin * 0.25) if v.max() <= support[1] else high
    (ax.set_ylim if axis == "y" else ax.set_xlim)(low, high)


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


def _legend(fig: Figure, arms: Sequence[str], style: dict[str, ArmStyle], line: bool = True) -> None:
    handles: list[Any] = [
        mpl.lines.Line2D(
            [],
            [],
            color=style[a].colour,
            linestyle=style[a].linestyle if line else "none",  # type: ignore[arg-type]  # dash tuples are valid
            marker=style[a].marker,
            markersize=4,
        )
        for a in arms
    ]
    fig.legend(handles, list(arms), loc="outside lower center", ncols=min(len(arms), 4))


def trajectories(
    bands: dict[str, pd.DataFrame], arms: Sequence[str], warmup_days: int = 0, recommended_days: int | None = None
) -> Figure:
    """30-day values of the tracked outcomes per arm with 95 % CI ribbons; grey: the warm-up used."""
    style = arm_styles(arms)
    with styled():
        fig, axes = _grid(len(bands), 3)
        for ax, (name, band) in zip(axes, bands.items(), strict=True):
            shown = []
            for arm in arms:
                b = band[band["arm"] == arm]
                s = style[arm]
                ax.plot(b["day"], b["mean"], color=s.colour, linestyle=s.linestyle, lw=1.0)
                ax.fill_between(b["day"], b["low"], b["high"], color=s.colour, alpha=0.15, lw=0)
                shown += [*b["low"], *b["high"], *b["mean"]]
            if warmup_days:
                ax.axvspan(0, warmup_days, color="0.9", zorder=0, lw=0)
            if recommended_days:
                ax.axvline(recommended_days, color="0.35", lw=0.8, ls=":")
            _fit(ax, shown, support=describe(name).support)
            ax.set_xlabel("Simulated day [days]")
            ax.set_ylabel(_wrapped(_course_of(name), width=30))
        _legend(fig, arms, style)
    return fig


def _course_of(name: str) -> str:
    """What a trajectory panel shows: the daily level itself, or the outcome's rate or flow per 30 days."""
    follow = tracker(name)
    return follow.series[0][0] if follow is not None and follow.kind == "level" else name


def distributions(values: pd.DataFrame, names: Sequence[str], arms: Sequence[str], *, seed: int = 0) -> Figure:
    """Per-replication outcomes per arm: a box (median, quartiles) over the jittered points."""
    style, rng = arm_styles(arms), np.random.default_rng(seed)
    with styled():
        fig, axes = _grid(len(names), 3, height=2.2)
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
                s = style[arm]
                ax.scatter(
                    i + rng.uniform(-0.18, 0.18, len(x)), x, s=8, color=s.colour, marker=s.marker, alpha=0.8, lw=0
                )
            ax.set_xticks(range(len(arms)), arms, rotation=35, ha="right")
            _fit(ax, np.concatenate(samples) if samples else np.zeros(0), support=describe(name).support)
            ax.set_ylabel(_wrapped(name, width=30))
    return fig


def forest(differences: pd.DataFrame, names: Sequence[str], arms: Sequence[str]) -> Figure:
    """Paired differences (arm − reference) with 95 % CIs, one panel per outcome; grey band: ±MID."""
    style = arm_styles(arms)
    treated = [a for a in arms if a in set(differences["arm"])]
    with styled():
        fig, axes = _grid(len(names), 3, height=0.28 * len(treated) + 1.0, sharey=True)
        for ax, name in zip(axes, names, strict=True):
            rows = differences[differences["outcome"] == name].set_index("arm").reindex(treated)
            y = np.arange(len(treated))[::-1]
            for yi, (arm, r) in zip(y, rows.iterrows(), strict=True):
                s = style[arm]
                ax.errorbar(
                    r["mean_diff"],
                    yi,
                    xerr=_errors(r["mean_diff"], r["diff_low"], r["diff_high"]),
                    fmt=s.marker,
                    color=s.colour,
                    ms=4,
                )
            mid = float(rows["mid"].max()) if rows["mid"].notna().any() else math.nan
            if np.isfinite(mid) and mid > 0:
                ax.axvspan(-mid, mid, color="0.9", zorder=0, lw=0)
            ax.axvline(0, color="0.4", lw=0.8, ls="--")
            _fit(ax, [*rows["diff_low"], *rows["diff_high"], *rows["mean_diff"], 0.0, -mid, mid], axis="x")
            ax.set_yticks(y, treated)
            ax.set_ylim(-0.6, len(treated) - 0.4)
            ax.set_xlabel(_wrapped(name, "Δ ", width=30))
    return fig


def transfer(
    effects: pd.DataFrame,
    differences: pd.DataFrame,
    names: Sequence[str],
    arms: Sequence[str],
    scenarios: Sequence[str],
) -> Figure:
    """Each arm's paired effect per scenario with 95 % CIs, then (black) the Welch CI of each difference of effects.

    Grey band: ±MID. An arm keeps its colour; scenarios are told apart by marker (the first, the home
    scenario, filled); a difference of effects (other − home) is filled black with the other scenario's marker.
    """
    style = arm_styles(arms)
    treated = [a for a in arms if a in set(effects["arm"])]
    slots = 2 * len(scenarios) - 1  # each scenario's effect, then each other scenario's difference from home
    offsets = np.linspace(0.3, -0.3, slots) if slots > 1 else np.zeros(1)
    with styled():
        fig, axes = _grid(len(names), 3, height=0.14 * len(treated) * slots + 1.1, sharey=True)
        for ax, name in zip(axes, names, strict=True):
            rows = effects[effects["outcome"] == name]
            between = differences[differences["outcome"] == name]
            y = np.arange(len(treated))[::-1]
            shown: list[float] = [0.0]
            for yi, arm in zip(y, treated, strict=True):
                marks = [
                    (rows[(rows["arm"] == arm) & (rows["scenario"] == scenario)], k, style[arm].colour, k == 0)
                    for k, scenario in enumerate(scenarios)
                ]
                marks += [
                    (between[(between["arm"] == arm) & (between["scenario"] == scenario)], k, "black", True)
                    for k, scenario in enumerate(scenarios)
                    if k > 0
                ]
                for (found, k, colour, filled), offset in zip(marks, offsets, strict=True):
                    if found.empty:
                        continue
                    r = found.iloc[0]
                    ax.errorbar(
                        r["mean_diff"],
                        yi + offset,
                        xerr=_errors(r["mean_diff"], r["diff_low"], r["diff_high"]),
                        fmt=MARKERS[k % len(MARKERS)],
                        color=colour,
                        mfc=colour if filled else "white",
                        ms=4,
                    )
                    shown += [r["mean_diff"], r["diff_low"], r["diff_high"]]
            home = rows[rows["scenario"] == scenarios[0]]["mid"]
            mid = float(home.max()) if home.notna().any() else math.nan
            if np.isfinite(mid) and mid > 0:
                ax.axvspan(-mid, mid, color="0.9", zorder=0, lw=0)
                shown += [-mid, mid]
            ax.axvline(0, color="0.4", lw=0.8, ls="--")
            _fit(ax, shown, axis="x")
            ax.set_yticks(y, treated)
            ax.set_ylim(-0.6, len(treated) - 0.4)
            ax.set_xlabel(_wrapped(name, "Δ ", width=30))
        keys = [(k, "0.55", k == 0, scenario) for k, scenario in enumerate(scenarios)]  # grey: any arm's colour
        keys += [(k, "black", True, f"{s} − {scenarios[0]} (Welch)") for k, s in enumerate(scenarios) if k > 0]
        handles: list[Any] = [
            mpl.lines.Line2D(
                [],
                [],
                color=colour,
                linestyle="none",
                marker=MARKERS[k % len(MARKERS)],
                mfc=colour if filled else "white",
            )
            for k, colour, filled, _ in keys
        ]
        fig.legend(handles, [label for *_, label in keys], loc="outside lower center", ncols=min(len(keys), 4))
    return fig


def closure_vs_resolution(summary: pd.DataFrame, arms: Sequence[str]) -> Figure:
    """Formal on-time closure against substantive resolution per arm (95 % CIs), zoomed to the arms."""
    style = arm_styles(arms)
    rows = summary.set_index(["outcome", "arm"])
    with styled():
        fig = Figure(figsize=(SINGLE, SINGLE))
        ax = fig.subplots()
        xs, ys = [], []
        for order, arm in enumerate(arms):
            x, y = rows.loc[("formal_on_time_rate", arm)], rows.loc[("substantive_resolution_rate", arm)]
            s = style[arm]
            ax.errorbar(
                x["mean"],
                y["mean"],
                xerr=_errors(x["mean"], x["ci_low"], x["ci_high"]),
                yerr=_errors(y["mean"], y["ci_low"], y["ci_high"]),
                fmt=s.marker,
                color=s.colour,
                mfc="none" if order == 0 else s.colour,  # the reference hollow and on top: never hidden
                zorder=3 if order == 0 else 2,
                label=arm,
            )
            xs += [x["mean"], x["ci_low"], x["ci_high"]]
            ys += [y["mean"], y["ci_low"], y["ci_high"]]
        _fit(ax, xs, axis="x", support=(0, 1), pad=0.15)
        _fit(ax, ys, axis="y", support=(0, 1), pad=0.15)
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        diagonal = [max(x0, y0), min(x1, y1)]
        if diagonal[0] < diagonal[1]:
            ax.plot(diagonal, diagonal, color="0.6", lw=0.8, ls="--", label="no closure gap")
        ax.set_xlabel(textwrap.fill(axis_label("formal_on_time_rate"), 40))
        ax.set_ylabel(textwrap.fill(axis_label("substantive_resolution_rate"), 40))
        ax.legend(loc="best")
    return fig


def level_pyramid(summary: pd.DataFrame, arms: Sequence[str]) -> Figure:
    """Where issues end, by level (community at the base), one centred-bar pyramid per arm, with 95 % CIs."""
    style = arm_styles(arms)
    rows = summary.set_index(["outcome", "arm"])
    with styled():
        fig, axes = _grid(len(arms), min(len(arms), 3), height=2.1, sharey=True)
        for ax, arm in zip(axes, arms, strict=True):
            cells = [rows.loc[(f"ended_share_{lv}", arm)] for lv in LEVELS]
            shares = np.array([c["mean"] for c in cells])
            whisker = "0.6" if style[arm].colour == "#000000" else "0.15"  # visible on a black bar too
            ax.barh(range(len(LEVELS)), shares, left=-shares / 2, color=style[arm].colour, height=0.75, alpha=0.85)
            for i, c in enumerate(cells):
                half = np.asarray(_errors(c["mean"], c["ci_low"], c["ci_high"])) / 2  # the bar's edge is at share / 2
                ax.errorbar(c["mean"] / 2, i, xerr=half, fmt="none", color=whisker, lw=0.8)
                ax.text(max(c["ci_high"], c["mean"]) / 2 + 0.03, i, f"{c['mean']:.0%}", va="center", fontsize=MIN_FONT)
            ax.set_yticks(range(len(LEVELS)), LEVELS)
            ax.set_xlim(-0.55, 0.7)
            ax.set_xticks([-0.25, 0, 0.25], ["50%", "0", "50%"])  # a bar of share 0.5 spans -0.25 to 0.25
            ax.grid(False)
            ax.set_title(arm)
            ax.set_xlabel("Issues ended here [share]")
    return fig


def interactions(values: pd.DataFrame, parameter: str, names: Sequence[str], arms: Sequence[str]) -> Figure:
    """Mean outcome per level of `parameter` and arm, 95 % CIs over replications; non-parallel lines: interaction."""
    style = arm_styles(arms)
    levels = list(dict.fromkeys(values[parameter]))
    with styled():
        fig, axes = _grid(len(names), 3, height=2.1)
        for ax, name in zip(axes, names, strict=True):
            shown = []
            for offset, arm in enumerate(arms):
                at = values[values["arm"] == arm].groupby(["replication", parameter])[name].mean().unstack(parameter)
                means: list[float] = []
                errors: list[list[float]] = [[], []]
                for level in levels:
                    x = at[level].dropna().to_numpy(float) if level in at else np.array([])
                    low, high, _ = st.truncate(*st.t_interval(x), describe(name).support)
                    m = float(x.mean()) if len(x) else math.nan
                    means.append(m)
                    e = _errors(m, low, high)
                    errors[0] += e[0]
                    errors[1] += e[1]
                    shown += [m, low, high]
                s = style[arm]
                positions = np.arange(len(levels)) + 0.06 * (offset - (len(arms) - 1) / 2)
                ax.errorbar(positions, means, yerr=errors, color=s.colour, linestyle=s.linestyle, marker=s.marker)
            ax.set_xticks(range(len(levels)), [str(v) for v in levels])
            ax.set_xlabel(parameter)
            _fit(ax, shown, support=describe(name).support)
            ax.set_ylabel(_wrapped(name, width=30))
        _legend(fig, arms, style)
    return fig


def sobol_indices(indices: pd.DataFrame, top: int = 10) -> Figure:
    """First-order (S1) and total (ST) Sobol indices with CIs, `top` parameters per outcome."""
    names = list(dict.fromkeys(indices["outcome"]))
    with styled():
        shown = min(top, int(indices.groupby("outcome").size().max()))
        fig, axes = _grid(len(names), 3, height=0.28 * shown + 1.1)
        for ax, name in zip(axes, names, strict=True):
            rows = indices[indices["outcome"] == name].nlargest(top, "ST")[::-1]
            y = np.arange(len(rows))
            ax.barh(y + 0.2, rows["S1"], 0.4, xerr=rows["S1_conf"], label="first order (S1)", color=SOBOL_COLOURS["S1"])
            ax.barh(y - 0.2, rows["ST"], 0.4, xerr=rows["ST_conf"], label="total (ST)", color=SOBOL_COLOURS["ST"])
            ax.axvline(0, color="0.4", lw=0.6)
            ax.set_yticks(y, rows["parameter"])
            ax.set_xlabel("Sobol index [share of variance]")
            ax.set_title(textwrap.fill(label(name), 30))
        fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=2)
    return fig


def morris_indices(indices: pd.DataFrame) -> Figure:
    """Morris mu* (mean absolute elementary effect, 95 % CI) against sigma, one panel per outcome."""
    names = list(dict.fromkeys(indices["outcome"]))
    with styled():
        fig, axes = _grid(len(names), 3, height=2.3)
        for ax, name in zip(axes, names, strict=True):
            rows = indices[indices["outcome"] == name]
            ax.errorbar(rows["mu_star"], rows["sigma"], xerr=rows["mu_star_conf"], fmt="o", color=SOBOL_COLOURS["S1"])
            for _, r in rows.iterrows():
                ax.annotate(
                    r["parameter"],
                    (r["mu_star"], r["sigma"]),
                    fontsize=MIN_FONT,
                    xytext=(3, 3),
                    textcoords="offset points",
                )
            ax.set_xlabel(textwrap.fill(f"mu* of {label(name)}", 30))
            ax.set_ylabel("sigma")
    return fig


METADATA = {
    "pdf": {"CreationDate": None, "Creator": f"conflict-sim style {STYLE_VERSION}"},
    "png": {"Software": f"conflict-sim style {STYLE_VERSION}"},
}


def render(fig: Figure, fmt: str, *, dpi: float | None = None) -> bytes:
    """The figure as PDF (Type 42 fonts, no timestamp) or PNG (the style's 300 dpi unless `dpi`) bytes."""
    buffer = io.BytesIO()
    with styled():
        fig.savefig(buffer, format=fmt, metadata=METADATA[fmt], dpi=dpi)  # None: the style's savefig.dpi
    return buffer.getvalue()


def save(fig: Figure, folder: Path, stem: str) -> list[Path]:
    """Write `stem.pdf` and `stem.png` (`render`), reproducibly."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{stem}.pdf", folder / f"{stem}.png"]
    for path in paths:
        path.write_bytes(render(fig, path.suffix.lstrip(".")))
    return paths
