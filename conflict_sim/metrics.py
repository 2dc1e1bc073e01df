"""What we measure (section 5.13): running tallies, the daily reporters and a run's outcomes.

Counts are kept in agent units and reported in real-world units (times `households_per_agent`).
Formal on-time closure and substantive resolution are always separate columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from conflict_sim.issues import CHANNEL_NAMES, PETITION_CHANNELS, Channel, IssueState

PETITION_INDEX = sorted((PETITION_CHANNELS - {Channel.HOTLINE}) | {Channel.NONNORMAL})  # 信访 proper

if TYPE_CHECKING:
    from conflict_sim.model import PetitionModel

LEVEL_NAMES = ("community", "subdistrict", "district", "city", "court")


@dataclass(slots=True)
class Tally:
    """Cumulative event counts of a run (agent units). Never decrease."""

    issues: int = 0
    submissions: int = 0
    first_submissions: int = 0
    repeat_submissions: int = 0
    not_accepted: int = 0
    replies: int = 0
    replies_on_time: int = 0
    replies_resolved: int = 0  # "support": the matter is solved
    replies_explain: int = 0  # reasonable but not solved: explained
    replies_not_support: int = 0  # no merit: not supported
    replies_satisfied: int = 0
    first_contact_resolutions: int = 0
    review_requests: int = 0
    extensions: int = 0
    skip_attempts: int = 0
    intercepted: int = 0
    skip_registered: int = 0
    skip_national: int = 0
    collective_visits: int = 0
    collective_people: int = 0
    large_collective: int = 0
    mass_incidents: int = 0
    nonnormal: int = 0
    nonnormal_national: int = 0
    buyoffs: int = 0
    buyoffs_without_merit: int = 0
    compensation_merit: float = 0.0
    compensation_no_merit: float = 0.0
    interception_cost: float = 0.0
    court_cases: int = 0
    mediations: int = 0
    mediation_successes: int = 0
    grid_detections: int = 0
    grid_fixes: int = 0
    hotline_orders: int = 0
    resolved: int = 0
    closed_unresolved: int = 0
    exited: int = 0
    terminated: int = 0
    veto_months: int = 0
    chronic_petitioners: int = 0
    by_channel: np.ndarray = field(default_factory=lambda: np.zeros(len(CHANNEL_NAMES), dtype=np.int64))
    end_level: np.ndarray = field(default_factory=lambda: np.zeros(len(LEVEL_NAMES), dtype=np.int64))
    resolution_days: list[int] = field(default_factory=list)
    collective_sizes: list[int] = field(default_factory=list)
    collective_days: list[int] = field(default_factory=list)


COUNTS = tuple(f.name for f in fields(Tally) if f.type in ("int", "float"))


def _ratio(num: float, den: float) -> float:
    return num / den if den else float("nan")


def reporters(model: PetitionModel) -> dict[str, float]:
    """One row of the daily time series: every metric of section 5.13 at the end of a day."""
    t, hpa, hh = model.tally, model.params.households_per_agent, model.households
    row: dict[str, float] = {name: getattr(t, name) * hpa for name in COUNTS}
    row |= {f"channel_{name}": int(n) * hpa for name, n in zip(CHANNEL_NAMES, t.by_channel, strict=True)}
    row["petitions"] = int(t.by_channel[PETITION_INDEX].sum()) * hpa
    row |= {f"ended_{name}": int(n) * hpa for name, n in zip(LEVEL_NAMES, t.end_level, strict=True)}
    states = model.state_counts
    row |= {
        "open_issues": len(model.open_issues) * hpa,
        "silent_issues": int(states[IssueState.SILENT]) * hpa,
        "petition_cases": int(states[IssueState.PETITION]) * hpa,
        "formal_on_time_rate": _ratio(t.replies_on_time, t.replies),
        "substantive_resolution_rate": _ratio(t.replies_resolved, t.replies),
        "satisfaction_rate": _ratio(t.replies_satisfied, t.replies),
        "first_contact_resolution_rate": _ratio(t.first_contact_resolutions, t.first_submissions),
        "legitimacy_local": float(hh.legitimacy_local.mean()),
        "legitimacy_center": float(hh.legitimacy_center.mean()),
        "hierarchical_trust_share": float((hh.legitimacy_center > hh.legitimacy_local + 0.05).mean()),
        "grievance_stock": hh.grievance_stock(model.params) * hpa,
        "latent_grievance": float(hh.latent_grievance.sum()) * hpa,
        "evaluation_score": model.manager.last_score,
        "control_share": model.manager.control_share,
        "instability_index": model.instability_index(),
        "cost": model.cost() * hpa,
    }
    for office in model.subdistrict_offices:
        row[f"backlog_office_{office.unit}"] = office.backlog * hpa
    for level, offices in model.offices_by_level().items():
        row[f"backlog_{level}"] = sum(o.backlog for o in offices) * hpa
        row[f"overdue_{level}"] = sum(o.overdue for o in offices) * hpa
        row[f"utilisation_{level}"] = float(np.mean([o.utilisation(model.day) for o in offices]))
    return row


def kaplan_meier_quantile(durations: np.ndarray, observed: np.ndarray, q: float) -> float:
    """Time by which a share `q` of issues is resolved, by the product-limit estimator with censoring."""
    if len(durations) == 0:
        return float("nan")
    order = np.argsort(durations, kind="stable")
    d, e = durations[order], observed[order]
    times = np.unique(d[e])
    survival = 1.0
    at_risk_base = len(d)
    for time in times:
        at_risk = at_risk_base - np.searchsorted(d, time, side="left")
        events = np.count_nonzero((d == time) & e)
        survival *= 1.0 - events / at_risk
        if 1.0 - survival >= q:
            return float(time)
    return float("nan")


def outcomes(model: PetitionModel, daily: pd.DataFrame, warmup_days: int = 0) -> dict[str, float]:
    """Scalar outcomes of one run: final rates, per-year flows and means after warm-up."""
    t, hpa = model.tally, model.params.households_per_agent
    last = daily.iloc[-1]
    warm = daily[daily.index <= warmup_days]
    after = daily[daily.index > warmup_days] if len(warm) < len(daily) else daily.tail(1)
    start = warm.iloc[-1] if len(warm) else daily.iloc[0] * 0  # cumulative counts at the warm-up's end
    years = len(after) / 365.0
    flows = {
        name: (last[name] - start[name]) / years
        for name in (
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
    }
    submissions = max(t.submissions, 1)
    channel_shares = {
        f"share_{name}": int(n) / submissions for name, n in zip(CHANNEL_NAMES, t.by_channel, strict=True)
    }
    petitions = max(int(t.by_channel[PETITION_INDEX].sum()), 1)
    petition_mix = {  # SF-7 reads the online share among 信访 petitions proper
        "online_share_of_petitions": int(t.by_channel[Channel.ONLINE]) / petitions,
        "visit_share_of_petitions": int(
            t.by_channel[[Channel.VISIT_SUBDISTRICT, Channel.VISIT_DISTRICT, Channel.COLLECTIVE_VISIT]].sum()
        )
        / petitions,
    }
    ended = max(int(t.end_level.sum()), 1)
    level_shares = {f"ended_share_{name}": int(n) / ended for name, n in zip(LEVEL_NAMES, t.end_level, strict=True)}
    open_ages = np.array([model.day - i.born for i in model.open_issues.values()], dtype=float)
    durations = np.r_[np.array(t.resolution_days, dtype=float), open_ages]
    observed = np.r_[np.ones(len(t.resolution_days), bool), np.zeros(len(open_ages), bool)]
    population = model.params.population
    return {
        "days": float(len(daily)),
        **{f"{k}_per_year": v for k, v in flows.items()},
        "petitions_per_100_residents_year": flows["petitions"] / population * 100,
        "formal_on_time_rate": float(last["formal_on_time_rate"]),
        "substantive_resolution_rate": float(last["substantive_resolution_rate"]),
        "closure_gap": float(last["formal_on_time_rate"] - last["substantive_resolution_rate"]),
        "satisfaction_rate": float(last["satisfaction_rate"]),
        "first_contact_resolution_rate": float(last["first_contact_resolution_rate"]),
        "escalation_rate": _ratio(t.review_requests, t.replies),
        "skip_level_rate": _ratio(t.skip_attempts, t.submissions),
        "intercepted_share": _ratio(t.intercepted, t.skip_attempts),
        "repeat_rate": _ratio(t.repeat_submissions, t.submissions),
        "chronic_petitioners": float(t.chronic_petitioners * hpa),
        "median_days_to_resolution": kaplan_meier_quantile(durations, observed, 0.5),
        "p90_days_to_resolution": kaplan_meier_quantile(durations, observed, 0.9),
        "mean_collective_size": float(np.mean(t.collective_sizes)) if t.collective_sizes else 0.0,
        "legitimacy_local_end": float(last["legitimacy_local"]),
        "legitimacy_center_end": float(last["legitimacy_center"]),
        "legitimacy_local_mean": float(after["legitimacy_local"].mean()),
        "grievance_stock_mean": float(after["grievance_stock"].mean()),
        "latent_grievance_end": float(last["latent_grievance"]),
        "backlog_mean": float(after[[c for c in daily if c.startswith("backlog_")]].sum(axis=1).mean()),
        "overdue_mean": float(after[[c for c in daily if c.startswith("overdue_")]].sum(axis=1).mean()),
        "instability_index_mean": float(after["instability_index"].mean()),
        "evaluation_score_mean": float(after["evaluation_score"].mean()),
        "control_share_end": float(last["control_share"]),
        "cost_total": float(last["cost"]),
        "compensation_total": float((t.compensation_merit + t.compensation_no_merit) * hpa),
        **channel_shares,
        **petition_mix,
        **level_shares,
    }
