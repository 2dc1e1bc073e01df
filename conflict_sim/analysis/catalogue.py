"""What an outcome means to a reader: the one place the analysis asks (`describe`).

Figures, tables and the report read an outcome's label, unit, kind, support, minimum important
difference (MID), definition and source from `describe(name)`, never from lists of their own. The
model's metric catalogue is the authority; until it is on main, `describe` answers from the
interim table below, and anything it does not know falls back to rules by unit (a share lies in
[0, 1], a count per year is >= 0). Switching to the model's catalogue changes `describe` only.

Outcomes are computed by the model over the window after warm-up; the analysis never computes
them again. It does read a few daily series (`Tracker`) to check that the run reached a steady
state (warm-up and trend checks), which is a diagnostic, not an outcome.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("share", "rate", "count_per_year", "level", "duration", "score", "cost")
RELATIVE_MID = 0.05  # without a declared MID, 5 % of the reference arm's mean counts as important

# name: (label, unit, kind, definition). Interim: the model's catalogue replaces this table.
_TABLE: dict[str, tuple[str, str, str, str]] = {
    "substantive_resolution_rate": (
        "Substantive resolution",
        "share of replies",
        "share",
        "Replies that solve the matter / all replies.",
    ),
    "formal_on_time_rate": (
        "Formal on-time closure",
        "share of replies",
        "share",
        "Replies given within the statutory time limit / all replies.",
    ),
    "closure_gap": (
        "Closure gap, formal − substantive",
        "share of replies",
        "score",
        "Formal on-time closure minus substantive resolution.",
    ),
    "satisfaction_rate": (
        "Recorded satisfaction",
        "share of replies",
        "share",
        "Replies recorded as satisfactory / all replies; how satisfaction is recorded depends on "
        "`satisfaction_mode` (revisit calls or an independent measure).",
    ),
    "first_contact_resolution_rate": (
        "First-contact resolution",
        "share of first submissions",
        "share",
        "Issues solved at their first submission / first submissions.",
    ),
    "escalation_rate": ("Review requests", "per reply", "rate", "Requests for review / replies."),
    "skip_level_rate": (
        "Skip-level attempts",
        "share of submissions",
        "share",
        "Skip-level attempts / all submissions.",
    ),
    "intercepted_share": (
        "Intercepted",
        "share of skip-level attempts",
        "share",
        "Skip-level attempts stopped by interception / skip-level attempts.",
    ),
    "repeat_rate": (
        "Repeat submissions",
        "share of submissions",
        "share",
        "Submissions on an issue whose case is still running or was terminated / all submissions.",
    ),
    "chronic_petitioners": (
        "Chronic petitioners",
        "households",
        "level",
        "Households that submitted 5 or more times on one issue within a year.",
    ),
    "petitions_per_100_residents_year": (
        "Petitions",
        "per 100 residents per year",
        "count_per_year",
        "Letters-and-visits petitions (online, letter, visits, review, skip-level, non-normal) per "
        "100 residents per year.",
    ),
    "petitions_per_year": ("Petitions", "per year", "count_per_year", "Petitions per year."),
    "issues_per_year": ("New issues", "per year", "count_per_year", "Grievance-bearing issues arising per year."),
    "submissions_per_year": ("Submissions", "per year", "count_per_year", "Submissions through any channel per year."),
    "skip_attempts_per_year": ("Skip-level attempts", "per year", "count_per_year", "Skip-level attempts per year."),
    "intercepted_per_year": (
        "Interceptions",
        "per year",
        "count_per_year",
        "Intercepted skip-level attempts per year.",
    ),
    "collective_visits_per_year": (
        "Collective visits",
        "per year",
        "count_per_year",
        "Collective visits (five or more people) per year.",
    ),
    "large_collective_per_year": (
        "Large collective incidents",
        "per year",
        "count_per_year",
        "Collective actions above the large-incident size per year.",
    ),
    "mass_incidents_per_year": ("Mass incidents", "per year", "count_per_year", "Mass incidents per year."),
    "nonnormal_per_year": (
        "Non-normal actions",
        "per year",
        "count_per_year",
        "Non-normal petitions (disruptive actions outside the channels) per year.",
    ),
    "buyoffs_per_year": ("Buy-offs", "per year", "count_per_year", "Payments to end petitioning per year."),
    "hotline_orders_per_year": ("Hotline orders", "per year", "count_per_year", "12345 hotline work orders per year."),
    "median_days_to_resolution": (
        "Median time to resolution",
        "days",
        "duration",
        "Days by which half of the issues are resolved (open issues censored); not reached if fewer are.",
    ),
    "p90_days_to_resolution": (
        "90th-percentile time to resolution",
        "days",
        "duration",
        "Days by which 90 % of the issues are resolved (open issues censored); not reached if fewer are.",
    ),
    "mean_collective_size": ("Collective action size", "people", "level", "Mean size of a collective action."),
    "legitimacy_local_end": (
        "Local legitimacy at the end",
        "0–1 scale",
        "score",
        "Mean trust of households in local organs on the last day.",
    ),
    "legitimacy_center_end": (
        "Trust in the centre at the end",
        "0–1 scale",
        "score",
        "Mean trust of households in the central government on the last day.",
    ),
    "legitimacy_local_mean": (
        "Local legitimacy after warm-up",
        "0–1 scale",
        "score",
        "Mean trust in local organs, averaged over the days after warm-up.",
    ),
    "grievance_stock_mean": (
        "Grievance stock after warm-up",
        "households",
        "level",
        "Households holding an unresolved grievance, averaged after warm-up.",
    ),
    "latent_grievance_end": ("Latent grievance at the end", "households", "level", ""),
    "backlog_mean": ("Petition backlog after warm-up", "cases", "level", "Open cases at all offices, averaged."),
    "overdue_mean": ("Overdue cases after warm-up", "cases", "level", "Cases past their time limit, averaged."),
    "instability_index_mean": (
        "Instability index after warm-up",
        "index",
        "score",
        "The district's instability index, averaged over the days after warm-up.",
    ),
    "evaluation_score_mean": ("Evaluation score after warm-up", "points", "score", "Monthly score, averaged."),
    "control_share_end": ("Effort on control at the end", "share of budget", "share", ""),
    "cost_total": ("Total cost", "cost units", "cost", "Cost of handling, control and compensation over the run."),
    "compensation_total": ("Compensation paid", "cost units", "cost", "Compensation paid over the run."),
    # daily series
    "legitimacy_local": ("Local legitimacy", "0–1 scale", "score", ""),
    "legitimacy_center": ("Trust in the centre", "0–1 scale", "score", ""),
    "instability_index": ("Instability index", "index", "score", ""),
    "grievance_stock": ("Grievance stock", "households", "level", ""),
    "petition_cases": ("Open petition cases", "cases", "level", ""),
    "open_issues": ("Open issues", "issues", "level", ""),
    "control_share": ("Effort on control", "share of budget", "share", ""),
    "evaluation_score": ("Evaluation score", "points", "score", ""),
    "backlog_subdistrict": ("Subdistrict backlog", "cases", "level", ""),
    "backlog_district": ("District backlog", "cases", "level", ""),
}

LEVELS: tuple[str, ...] = ("community", "subdistrict", "district", "city", "court")

# The report's main table by default (an experiment's own `outcomes` list replaces it): resolution
# and closure, the volume and the forms of petitioning (collective, non-normal, skip-level and its
# interception), trust in local organs and in the centre, buy-offs, time and cost.
KEY_OUTCOMES: tuple[str, ...] = (
    "substantive_resolution_rate",
    "formal_on_time_rate",
    "closure_gap",
    "petitions_per_100_residents_year",
    "skip_attempts_per_year",
    "intercepted_share",
    "collective_visits_per_year",
    "large_collective_per_year",
    "mass_incidents_per_year",
    "nonnormal_per_year",
    "buyoffs_per_year",
    "median_days_to_resolution",
    "legitimacy_local_end",
    "legitimacy_center_end",
    "instability_index_mean",
    "cost_total",
)

# Parameters that change how an outcome is *measured* (not what happens): arms that differ in them
# cannot be compared on that outcome.
MEASURED_BY: dict[str, tuple[str, ...]] = {"satisfaction_rate": ("satisfaction_mode",)}

# Outcomes a reader may take for two views of one thing although their definitions differ.
CAUTIONS: dict[tuple[str, str], str] = {
    ("repeat_rate", "chronic_petitioners"): (
        "repeat submissions count only submissions on an issue whose case is still running or was "
        "terminated, while a chronic petitioner is a household with 5 or more submissions on one issue "
        "within a year, whatever their cases: a small repeat rate beside many chronic petitioners is "
        "not a contradiction"
    ),
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
        mid: minimum important difference, absolute, in `unit`; None when not declared (the
            report then uses `RELATIVE_MID` of the reference arm's mean, and says so).
        key: shown in the report's main table by default.
        definition: numerator / denominator / window in one sentence ('' if not yet written).
        source: the published definition it follows ('' if none).
    """

    name: str
    label: str
    unit: str
    kind: str
    support: tuple[float | None, float | None]
    mid: float | None
    key: bool
    definition: str = ""
    source: str = ""

    @property
    def axis_label(self) -> str:
        """'Label [unit]', for axes and table rows."""
        return f"{self.label} [{self.unit}]" if self.unit else self.label


def describe(name: str) -> Description:
    """What `name` means; names nobody declared get a readable label and rules by unit."""
    if name in _TABLE:
        label, unit, kind, definition = _TABLE[name]
    else:
        label, unit, kind, definition = _guess(name)
    return Description(
        name=name,
        label=label,
        unit=unit,
        kind=kind,
        support=_support(kind, unit),
        mid=_mid(unit),
        key=name in KEY_OUTCOMES,
        definition=definition,
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


def _mid(unit: str) -> float | None:
    """Interim MID: one point (0.01) on a share or a 0–1 scale; otherwise not declared."""
    return 0.01 if unit.startswith("share") or unit == "0–1 scale" else None


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


@dataclass(frozen=True)
class Tracker:
    """How to follow an outcome through the daily table, bin by bin.

    `level`: the bin mean of `series`; `flow`: the growth of cumulative counts `series` over the
    bin, per year (per 100 residents when `per_100_residents`); `ratio`: the growth of the weighted
    cumulative counts `series` over the growth of the cumulative `denominator`.
    """

    kind: str
    series: tuple[tuple[str, float], ...]
    denominator: str | None = None
    per_100_residents: bool = False

    @property
    def columns(self) -> tuple[str, ...]:
        """Daily columns this tracker reads."""
        return (*(name for name, _ in self.series), *((self.denominator,) if self.denominator else ()))


def _level(series: str) -> Tracker:
    return Tracker("level", ((series, 1.0),))


def _flow(series: str, per_100_residents: bool = False) -> Tracker:
    return Tracker("flow", ((series, 1.0),), per_100_residents=per_100_residents)


def _ratio(*terms: tuple[str, float], over: str) -> Tracker:
    return Tracker("ratio", terms, over)


# Interim, like `_TABLE`: the model's catalogue will say which daily series follows each outcome.
TRACKERS: dict[str, Tracker] = {
    "substantive_resolution_rate": _ratio(("replies_resolved", 1.0), over="replies"),
    "formal_on_time_rate": _ratio(("replies_on_time", 1.0), over="replies"),
    "closure_gap": _ratio(("replies_on_time", 1.0), ("replies_resolved", -1.0), over="replies"),
    "satisfaction_rate": _ratio(("replies_satisfied", 1.0), over="replies"),
    "intercepted_share": _ratio(("intercepted", 1.0), over="skip_attempts"),
    "skip_level_rate": _ratio(("skip_attempts", 1.0), over="submissions"),
    "repeat_rate": _ratio(("repeat_submissions", 1.0), over="submissions"),
    "escalation_rate": _ratio(("review_requests", 1.0), over="replies"),
    "petitions_per_100_residents_year": _flow("petitions", per_100_residents=True),
    **{
        f"{count}_per_year": _flow(count)
        for count in (
            "issues",
            "submissions",
            "petitions",
            "skip_attempts",
            "intercepted",
            "collective_visits",
            "large_collective",
            "mass_incidents",
            "nonnormal",
            "buyoffs",
            "hotline_orders",
        )
    },
    "legitimacy_local_end": _level("legitimacy_local"),
    "legitimacy_local_mean": _level("legitimacy_local"),
    "legitimacy_center_end": _level("legitimacy_center"),
    "grievance_stock_mean": _level("grievance_stock"),
    "instability_index_mean": _level("instability_index"),
    "evaluation_score_mean": _level("evaluation_score"),
    "control_share_end": _level("control_share"),
}

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
