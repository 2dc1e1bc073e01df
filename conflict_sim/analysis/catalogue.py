"""What outcomes and daily metrics mean to a reader: labels, units, and the few a paper shows.

Figures and tables read labels from here so that every axis names its quantity and its unit.
Names not listed fall back to the column name and no unit, so new metrics still plot.
"""

from __future__ import annotations

# name: (label, unit)
LABELS: dict[str, tuple[str, str]] = {
    "substantive_resolution_rate": ("Substantive resolution", "share of replies"),
    "formal_on_time_rate": ("Formal on-time closure", "share of replies"),
    "closure_gap": ("Closure gap, formal − substantive", "share of replies"),
    "satisfaction_rate": ("Recorded satisfaction", "share of replies"),
    "first_contact_resolution_rate": ("First-contact resolution", "share of first submissions"),
    "escalation_rate": ("Review requests", "per reply"),
    "skip_level_rate": ("Skip-level attempts", "share of submissions"),
    "intercepted_share": ("Intercepted", "share of skip-level attempts"),
    "repeat_rate": ("Repeat submissions", "share of submissions"),
    "petitions_per_100_residents_year": ("Petitions", "per 100 residents per year"),
    "petitions_per_year": ("Petitions", "per year"),
    "submissions_per_year": ("Submissions", "per year"),
    "skip_attempts_per_year": ("Skip-level attempts", "per year"),
    "collective_visits_per_year": ("Collective visits", "per year"),
    "large_collective_per_year": ("Large collective incidents", "per year"),
    "nonnormal_per_year": ("Non-normal actions", "per year"),
    "buyoffs_per_year": ("Buy-offs", "per year"),
    "chronic_petitioners": ("Chronic petitioners", "households"),
    "median_days_to_resolution": ("Median time to resolution", "days"),
    "p90_days_to_resolution": ("90th-percentile time to resolution", "days"),
    "legitimacy_local_end": ("Local legitimacy at the end", "0–1 scale"),
    "legitimacy_center_end": ("Trust in the centre at the end", "0–1 scale"),
    "legitimacy_local_mean": ("Local legitimacy after warm-up", "0–1 scale"),
    "grievance_stock_mean": ("Grievance stock after warm-up", "households"),
    "backlog_mean": ("Petition backlog after warm-up", "cases"),
    "overdue_mean": ("Overdue cases after warm-up", "cases"),
    "instability_index_mean": ("Instability index after warm-up", "index"),
    "evaluation_score_mean": ("Evaluation score after warm-up", "points"),
    "control_share_end": ("Effort on control at the end", "share of budget"),
    "cost_total": ("Total cost", "cost units"),
    "compensation_total": ("Compensation paid", "cost units"),
    # daily metrics
    "legitimacy_local": ("Local legitimacy", "0–1 scale"),
    "legitimacy_center": ("Trust in the centre", "0–1 scale"),
    "instability_index": ("Instability index", "index"),
    "grievance_stock": ("Grievance stock", "households"),
    "petition_cases": ("Open petition cases", "cases"),
    "open_issues": ("Open issues", "issues"),
    "control_share": ("Effort on control", "share of budget"),
    "evaluation_score": ("Evaluation score", "points"),
    "backlog_subdistrict": ("Subdistrict backlog", "cases"),
    "backlog_district": ("District backlog", "cases"),
}

# The outcomes a paper's tables, distributions and forest plot show by default.
KEY_OUTCOMES: tuple[str, ...] = (
    "substantive_resolution_rate",
    "formal_on_time_rate",
    "closure_gap",
    "petitions_per_100_residents_year",
    "skip_attempts_per_year",
    "collective_visits_per_year",
    "median_days_to_resolution",
    "legitimacy_local_end",
    "instability_index_mean",
    "cost_total",
)

# Daily metrics drawn as trajectories; they are levels (not cumulative counts), so their
# values at a horizon and their averages after warm-up are meaningful outcomes too.
KEY_TRAJECTORIES: tuple[str, ...] = (
    "substantive_resolution_rate",
    "formal_on_time_rate",
    "legitimacy_local",
    "instability_index",
    "petition_cases",
    "grievance_stock",
)

LEVELS: tuple[str, ...] = ("community", "subdistrict", "district", "city", "court")


def label(name: str) -> str:
    """A readable label for an outcome, a daily metric or a derived outcome (`metric@day365`)."""
    base, _, suffix = name.partition("@")
    text = LABELS.get(base, (base.replace("_", " "), ""))[0]
    return f"{text} ({suffix.replace('day', 'day ').replace('avg', 'mean after warm-up')})" if suffix else text


def unit(name: str) -> str:
    """The unit of an outcome or metric ('' when unknown)."""
    return LABELS.get(name.partition("@")[0], ("", ""))[1]


def axis_label(name: str) -> str:
    """'Label (unit)', for axes and table rows."""
    u = unit(name)
    return f"{label(name)} [{u}]" if u else label(name)
