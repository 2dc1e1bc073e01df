"""What an outcome means to a reader: the one place the analysis asks (`describe`).

Figures, tables and the report read an outcome's label, unit, kind, support, minimum important
difference (MID), definition and source from `describe(name)`, never from lists of their own. The
model's metric catalogue (`conflict_sim.catalogue`) is the authority for outcomes and daily series;
names it does not declare (derived columns) fall back to rules by unit (a share lies in [0, 1], a
count per year is >= 0).

Outcomes are computed by the model over the window after warm-up; the analysis never computes
them again. It does read the daily series that follow an outcome (`Tracker`, declared in the
catalogue) to check that the run reached a steady state (warm-up and trend checks), which is a
diagnostic, not an outcome.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from conflict_sim.catalogue import CATALOGUE, SERIES, Margin, Tracker
from conflict_sim.issues import LEVEL_NAMES

KINDS = ("share", "rate", "count_per_year", "level", "duration", "score", "cost", "count")
RELATIVE_MID = 0.05  # without a declared MID, 5 % of the reference arm's mean counts as important
LEVELS: tuple[str, ...] = LEVEL_NAMES

# The report's main table by default (an experiment's own `outcomes` list replaces it): the outcomes
# the catalogue marks as key (resolution and closure, the volume and forms of petitioning, trust in
# local organs and in the centre, buy-offs, time and cost).
KEY_OUTCOMES: tuple[str, ...] = tuple(name for name, m in CATALOGUE.items() if m.key)
MEASURED_BY: dict[str, tuple[str, ...]] = {name: m.measured_by for name, m in CATALOGUE.items() if m.measured_by}
CAUTIONS: dict[tuple[str, str], str] = {
    ("repeat_rate", "chronic_petitioners"): CATALOGUE["repeat_rate"].caution,
}


@dataclass(frozen=True)
class Description:
    """An outcome (or daily series) as a reader needs it.

    Attributes:
        name: column name in the outcomes (or daily) table.
        label: for figures and tables.
        unit: the unit of its values.
        kind: one of `KINDS`; tells which interval and which trend series fit.
        support: (lowest, highest) possible value, None where unbounded.
        mid: minimum important difference, absolute (in `unit`) or a share of the reference arm's
            value; None when not declared (the report then uses `RELATIVE_MID` of the reference
            arm's mean, and says so). `mid_at` gives its value for a reference.
        key: shown in the report's main table by default.
        definition: numerator / denominator / window in one sentence ('' if not yet written).
        source: the published definition it follows ('' if none).
    """

    name: str
    label: str
    unit: str
    kind: str
    support: tuple[float | None, float | None]
    mid: Margin | None
    key: bool
    definition: str = ""
    source: str = ""

    @property
    def axis_label(self) -> str:
        """'Label [unit]', for axes and table rows."""
        return f"{self.label} [{self.unit}]" if self.unit else self.label

    @property
    def mid_source(self) -> str:
        """'declared' when the catalogue gives a MID, 'relative' when `RELATIVE_MID` stands in."""
        return "declared" if self.mid is not None else "relative"

    def mid_at(self, reference: float) -> float:
        """The minimum important difference against a reference arm's mean (nan if that is unknown and needed)."""
        margin = self.mid or Margin(relative=RELATIVE_MID)
        if margin.relative and not math.isfinite(reference):
            return math.nan
        return margin.at(reference)


def describe(name: str) -> Description:
    """What `name` means; names nobody declared get a readable label and rules by unit."""
    metric = CATALOGUE.get(name)
    if metric is not None:
        return Description(
            name=name,
            label=metric.label,
            unit=metric.unit,
            kind=metric.kind,
            support=metric.support,
            mid=metric.mid if metric.mid.absolute > 0 or metric.mid.relative > 0 else None,
            key=metric.key,
            definition=metric.definition,
            source=metric.source,
        )
    label, unit, kind = SERIES[name] if name in SERIES else _guess(name)[:3]
    return Description(
        name=name, label=label, unit=unit, kind=kind, support=_support(kind, unit), mid=_mid(unit), key=False
    )


def _guess(name: str) -> tuple[str, str, str, str]:
    """Label, unit and kind from the naming conventions of the outcome table."""
    for prefix, unit in (("ended_share_", "share of ended issues"), ("share_", "share of submissions")):
        if name.startswith(prefix):
            what = name.removeprefix(prefix).replace("_", " ")
            return f"{'Ended at' if prefix == 'ended_share_' else 'Channel:'} {what}", unit, "share", ""
    if name.endswith("_share_of_petitions"):
        return name.replace("_", " ").capitalize(), "share of petitions", "share", ""
    if name.endswith("_per_year"):
        return name.removesuffix("_per_year").replace("_", " ").capitalize(), "per year", "count_per_year", ""
    return name.replace("_", " ").capitalize(), "", "level", ""


def _mid(unit: str) -> Margin | None:
    """Interim MID: one point (0.01) on a share or a 0–1 scale; otherwise not declared."""
    return Margin(absolute=0.01) if unit.startswith("share") or unit == "0–1 scale" else None


def _support(kind: str, unit: str) -> tuple[float | None, float | None]:
    if kind == "share" or unit == "0–1 scale":
        return 0.0, 1.0
    if kind in ("count_per_year", "duration", "cost", "rate") or unit in ("households", "cases", "issues", "people"):
        return 0.0, None
    if kind == "score" and unit.startswith("share"):
        return -1.0, 1.0  # a difference of two shares (the closure gap)
    return None, None


def label(name: str) -> str:
    """A readable label for an outcome or a daily series."""
    return describe(name).label


def unit(name: str) -> str:
    """The unit of an outcome or daily series ('' when unknown)."""
    return describe(name).unit


def axis_label(name: str) -> str:
    """'Label [unit]', for axes and table rows."""
    return describe(name).axis_label


# --- daily series that follow an outcome (for warm-up and steady-state checks) ----------------
TRACKERS: dict[str, Tracker] = {name: m.tracker for name, m in CATALOGUE.items() if m.tracker is not None}

# Outcomes whose monthly course the report draws (each through its tracker).
TRAJECTORIES: tuple[str, ...] = (
    "substantive_resolution_rate",
    "intercepted_share",
    "petitions_per_100_residents_year",
    "collective_visits_per_year",
    "nonnormal_per_year",
    "legitimacy_local_end",
    "legitimacy_center_end",
    "instability_index_mean",
    "grievance_stock_mean",
)

# Every daily column the report reads: the trackers of the key outcomes and of the drawn ones.
REPORT_DAILY: tuple[str, ...] = tuple(
    dict.fromkeys(c for name in (*KEY_OUTCOMES, *TRAJECTORIES) if name in TRACKERS for c in TRACKERS[name].columns)
)
# analysis/arms.py builds a comparison's daily list as KEY_TRAJECTORIES plus a few series of its own
# (listed here so that the union has no duplicate); it reads REPORT_DAILY once it moves.
_ADDED_BY_ARMS = ("petitions", "skip_attempts", "collective_visits", "legitimacy_center")
KEY_TRAJECTORIES: tuple[str, ...] = tuple(c for c in REPORT_DAILY if c not in _ADDED_BY_ARMS)


def tracker(name: str) -> Tracker | None:
    """The daily series that follows outcome `name`, or None (e.g. a quantile, a run total)."""
    return TRACKERS.get(name)
