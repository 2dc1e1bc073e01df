"""One figure per stylized fact, drawn from the numbers the fact computed (PDF + PNG)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from matplotlib.figure import Figure

from conflict_sim.analysis.figures import SINGLE, styled
from experiments.validation.facts import SF6_OUTCOMES, Fact


def _bars(ax, labels: list[str], samples: list[np.ndarray], ylabel: str) -> None:
    """Mean with ±1.96 SE over seeds, and each seed as a dot."""
    for i, values in enumerate(samples):
        se = values.std(ddof=1) / np.sqrt(len(values))
        ax.bar(i, values.mean(), yerr=1.96 * se, color=f"C{i}", alpha=0.6, capsize=3)
        ax.plot(np.full(len(values), i), values, "k.", markersize=3)
    ax.set_xticks(range(len(labels)), labels)
    ax.set_ylabel(ylabel)


def sf1(fact: Fact, fig: Figure) -> None:
    left, right = fig.subplots(1, 2)
    _bars(left, fact.data["arms"], fact.data["local"], "share ended ≤ subdistrict")
    left.axhline(0.8, color="k", linestyle=":", linewidth=0.8)
    _bars(right, fact.data["arms"], fact.data["upper"], "share ended at district or city+")


def sf2(fact: Fact, fig: Figure) -> None:
    left, right = fig.subplots(1, 2)
    left.bar(range(len(fact.data["monthly"])), fact.data["monthly"], color="C0")
    left.set_xlabel("month (first seed)")
    left.set_ylabel("collective visits")
    right.loglog(fact.data["sizes"], fact.data["ccdf"], ".", markersize=3)
    slope, intercept = fact.data["fit"]
    xs = np.array([fact.data["sizes"].min(), fact.data["sizes"].max()])
    right.loglog(xs, 10**intercept * xs**slope, "k--", linewidth=0.8)
    right.set_xlabel("people in a collective visit")
    right.set_ylabel("P(size ≥ x)")


def sf5(fact: Fact, fig: Figure) -> None:
    left, right = fig.subplots(1, 2)
    labels = [f"κ_buy {k:.2f}" for k in fact.data["kappa"]]
    _bars(left, labels, fact.data["disruptive"], "share of disruptive choices")
    _bars(right, labels, fact.data["compensation"], "compensation paid")


def sf6(fact: Fact, fig: Figure) -> None:
    axes = fig.subplots(1, len(SF6_OUTCOMES))
    for ax, key in zip(axes, SF6_OUTCOMES, strict=True):
        values = fact.data[key]
        means = [v.mean() for v in values]
        errors = [1.96 * v.std(ddof=1) / np.sqrt(len(v)) for v in values]
        ax.errorbar(fact.data["levels"], means, yerr=errors, marker="o", capsize=2)
        ax.set_xlabel("reform step (μ, q, π)")
        ax.set_title(key.replace("_", " "), fontsize="small")


def sf7(fact: Fact, fig: Figure) -> None:
    left, right = fig.subplots(1, 2)
    _bars(left, fact.data["arms"], fact.data["online"], "online share of petitions")
    left.axhspan(0.4, 0.6, color="0.9")
    _bars(right, fact.data["arms"], fact.data["visits"], "visit share of petitions")


def sf9(fact: Fact, fig: Figure) -> None:
    ax = fig.subplots()
    ax.plot(fact.data["sigmas"], fact.data["participation"], marker="o")
    ax.axvspan(0.10, 0.12, color="0.9")
    ax.set_xlabel(f"threshold SD σ_θ (mean {fact.data['mean']})")
    ax.set_ylabel("mean share of the group taking part")


def sf11(fact: Fact, fig: Figure) -> None:
    left, right = fig.subplots(1, 2)
    _bars(left, fact.data["arms"], fact.data["on_time"], "formal on-time closure")
    _bars(right, fact.data["arms"], fact.data["solved"], "substantive resolution")


def sf12(fact: Fact, fig: Figure) -> None:
    _bars(fig.subplots(), fact.data["arms"], fact.data["petitions"], "formal petitions per year")


def sf14(fact: Fact, fig: Figure) -> None:
    _bars(fig.subplots(), fact.data["arms"], fact.data["gap"], "isolated minus copy acceptance")


PLOTS: dict[str, Callable[[Fact, Figure], None]] = {
    "SF-1": sf1,
    "SF-2": sf2,
    "SF-5": sf5,
    "SF-6": sf6,
    "SF-7": sf7,
    "SF-9": sf9,
    "SF-11": sf11,
    "SF-12": sf12,
    "SF-14": sf14,
}


def draw(fact: Fact) -> Figure:
    """The fact's figure, titled with its pattern and how many criteria it met."""
    met = sum(c.passed for c in fact.checks)
    with styled():
        wide = fact.id in ("SF-6",)
        fig = Figure(figsize=(2 * SINGLE if not wide else 3 * SINGLE, 2.4), layout="constrained")
        PLOTS[fact.id](fact, fig)
        fig.suptitle(f"{fact.id} {fact.pattern}: {met}/{len(fact.checks)} criteria met", fontsize="small")
    return fig
