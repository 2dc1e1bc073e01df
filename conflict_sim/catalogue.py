"""The metric catalogue: every outcome of a run and every daily series, declared once.

Each outcome says what it is (label, unit, one-sentence definition with numerator, denominator and
window), the published definition it follows, the kind of quantity it is (which interval a report
should draw), its support, the minimum difference that matters (`mid`) and the margin within which two
samples of the district count as the same (`margin`, for the scale-invariance test). Outcomes are
computed from the run's event log and daily series over the window after warm-up, never from counters
of their own; the CLI, the model's DataCollector, the report, the app and the ODD all read this module.

Counts are in real households: rows of the log (sampled households) times `households_per_agent`.
Definitions keep administrative statistics apart from resolution, as Minzner (2006) and the
Regulations do; docs/model.md §9 explains the definitions of note and CHANGELOG.md the changed ones.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from conflict_sim.cases import CaseKind, Refusal
from conflict_sim.events import GRID_KINDS, EventTables
from conflict_sim.issues import (
    CHANNEL_NAMES,
    FORMAL_PETITION_CHANNELS,
    LEVEL_NAMES,
    Channel,
    IssueState,
    Pathway,
)
from conflict_sim.params import Params

REPLY_COST, MEDIATION_COST, COURT_COST, INTERCEPTION_COST = 1.0, 0.3, 2.0, 0.5  # cost units per case [A]
CHRONIC_SUBMISSIONS, CHRONIC_DAYS = 5, 365  # >= 5 submissions on one issue within a year [A]
TRAILING_DAYS = 90  # daily rates are over the trailing 90 days
FORMAL = np.array(sorted(FORMAL_PETITION_CHANNELS))
VISITS = np.array([Channel.VISIT_SUBDISTRICT, Channel.VISIT_DISTRICT, Channel.COLLECTIVE_VISIT])


# --- what an outcome is computed from --------------------------------------------------------------
@dataclass(frozen=True)
class Window:
    """The days an outcome counts: from `start` to `end`, both included (after warm-up)."""

    start: int
    end: int

    @property
    def years(self) -> float:
        return (self.end - self.start + 1) / 365.0

    def holds(self, days: pd.Series) -> pd.Series:
        return (days >= self.start) & (days <= self.end)


@dataclass(frozen=True)
class Record:
    """A finished run as outcomes see it: its events, its daily series, its parameters and window."""

    events: EventTables
    daily: pd.DataFrame
    params: Params
    window: Window

    @property
    def k(self) -> int:
        return self.params.households_per_agent

    @cached_property
    def household_of_issue(self) -> pd.Series:
        """Each issue's household, by issue id (built once per record)."""
        return self.events.issues.set_index("issue")["household"]

    def households_of(self, issues: pd.Series | np.ndarray) -> np.ndarray:
        """The household of each issue id, as floats (NaN for an issue the issues table does not hold)."""
        return self.household_of_issue.reindex(issues).to_numpy(dtype=float)

    @cached_property
    def resolution_incidence(self) -> pd.Series:
        """The cumulative incidence of resolution of the window's cohort (estimated once per record)."""
        return cumulative_incidence(*resolution_times(self))

    @cached_property
    def chronic(self) -> pd.DataFrame:
        """The submission at which each issue became chronic (`chronic_rows`, found once per record)."""
        return chronic_rows(self.events)

    @cached_property
    def _in_window(self) -> dict[tuple[str, str], pd.DataFrame]:
        return {}

    def rows(self, table: str, day: str = "day") -> pd.DataFrame:
        """Rows of an event table that fall in the window (selected once per record: do not modify)."""
        key = (table, day)
        if key not in self._in_window:
            frame = getattr(self.events, table)
            self._in_window[key] = frame[self.window.holds(frame[day])]
        return self._in_window[key]

    def per_year(self, count: float) -> float:
        """A count of sampled events in the window, as real events a year."""
        return float(count) * self.k / self.window.years

    @cached_property
    def ended(self) -> pd.DataFrame:
        """Issues that ended in the window (selected once per record: do not modify)."""
        issues = self.events.issues
        return issues[(issues["ended"] >= 0) & self.window.holds(issues["ended"])]

    @cached_property
    def replies(self) -> pd.DataFrame:
        """Written replies to households' own cases (campaign copies excluded) in the window (once per record)."""
        replies = self.rows("replies")
        return replies[~replies["copy"].astype(bool)]

    @cached_property
    def daily_in_window(self) -> pd.DataFrame:
        """The daily series' rows in the window (selected once per record: do not modify)."""
        return self.daily.loc[self.window.holds(self.daily.index.to_series())]

    @cached_property
    def submission_columns(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The window's submissions as NumPy columns: channel, repeat, people (about 40 outcomes read them)."""
        rows = self.rows("submissions")
        return rows["channel"].to_numpy(), rows["repeat"].to_numpy().astype(bool), rows["people"].to_numpy()


@dataclass(frozen=True)
class Margin:
    """The largest difference between two samples of the district that still counts as none."""

    absolute: float = 0.0
    relative: float = 0.0

    def at(self, reference: float) -> float:
        return max(self.absolute, self.relative * abs(reference))


@dataclass(frozen=True)
class Tracker:
    """How an outcome is followed through the daily series, bin by bin (steady-state and warm-up checks).

    `level`: the bin mean of `series`; `flow`: the growth of the cumulative counts `series` over the
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


def level(series: str) -> Tracker:
    return Tracker("level", ((series, 1.0),))


def flow(series: str, per_100_residents: bool = False) -> Tracker:
    return Tracker("flow", ((series, 1.0),), per_100_residents=per_100_residents)


def ratio(numerator: str, denominator: str) -> Tracker:
    return Tracker("ratio", ((numerator, 1.0),), denominator)


@dataclass(frozen=True)
class Metric:
    """One outcome of a run, declared once.

    Besides its definition, an outcome says which daily series follows it (`tracker`), which settings
    change how it is measured rather than what happens (`measured_by`: arms that differ in them cannot
    be compared on it), and what a reader might mistake it for (`caution`).
    """

    name: str
    label: str
    unit: str
    definition: str
    kind: str  # share | rate | count_per_year | level | duration | score | cost | count
    compute: Callable[[Record], float] = field(repr=False)
    mid: Margin = field(default_factory=Margin)  # minimum important difference: in `unit`, or relative
    margin: Margin = field(default_factory=Margin)
    key: bool = False  # shown in the main table of a report by default
    source: str = ""
    tracker: Tracker | None = None
    measured_by: tuple[str, ...] = ()
    caution: str = ""

    @property
    def support(self) -> tuple[float | None, float | None]:
        """The values the outcome can take: shares in [0, 1], counts and durations non-negative."""
        return {
            "share": (0.0, 1.0),
            "rate": (0.0, 1.0),
            "level": (0.0, 1.0),
            "count_per_year": (0.0, None),
            "count": (0.0, None),
            "duration": (0.0, None),
            "cost": (0.0, None),
        }.get(self.kind, (None, None))


def _share(num: float, den: float) -> float:
    return float(num) / float(den) if den else float("nan")


def _mean(series: pd.Series) -> float:
    return float(series.mean()) if len(series) else float("nan")


# --- margins and minimum important differences (declared by the team; see docs/model.md, "Sampling") ---
SHARE = Margin(absolute=0.02)  # two percentage points: below the precision of the published statistics
SHARE_MID = Margin(absolute=0.05)
LEVEL = Margin(absolute=0.01)  # a hundredth of the 0-1 trust scale
LEVEL_MID = Margin(absolute=0.02)
COUNT = Margin(relative=0.10, absolute=1.0)  # ten per cent, or one event a year for rare events
COUNT_MID = Margin(relative=0.2)  # a fifth of the reference arm's value
DURATION = Margin(relative=0.10, absolute=2.0)  # ten per cent, or two days


def _count_metric(name, label, definition, compute, *, key=False, source="", unit="per year", mid=None, margin=COUNT):
    return Metric(
        name,
        label,
        unit,
        definition,
        "count_per_year",
        compute,
        mid if mid is not None else COUNT_MID,
        margin,
        key,
        source,
    )


def _share_metric(name, label, unit, definition, compute, *, key=False, source="", kind="share"):
    return Metric(name, label, unit, definition, kind, compute, SHARE_MID, SHARE, key, source)


# --- the computations ----------------------------------------------------------------------------
def _submissions(r: Record, channels=None, *, repeat: bool | None = None) -> float:
    channel, repeated, people = r.submission_columns
    keep = np.ones(len(people), dtype=bool)
    if channels is not None:
        keep &= np.isin(channel, channels)
    if repeat is not None:
        keep &= repeated == repeat
    return float(people[keep].sum())  # the kept rows in their order, summed as pandas sums them (NumPy)


def _tie_channel(r: Record) -> tuple[float, float]:
    own = r.rows("submissions")
    own = own[~own["copy"].astype(bool)]
    return float(own.loc[own["tie_used"].astype(bool), "people"].sum()), float(own["people"].sum())


AFTER_BLOCKED_DAYS = 90  # how long after blocked voice the household's further voice is counted


def blocked_days(r: Record) -> tuple[np.ndarray, np.ndarray]:
    """Each household's first day in the window on which its voice was blocked, its follow-up in the window.

    Blocked: refused (other than sent to court), intercepted, arrested, or turned away by a court; the
    occasions on which `hostility_gain` or `intercept_grievance` accumulate (Coser). Returns the
    households (sorted) and their first such days.
    """
    refusals, skips, acts, courts = r.rows("refusals"), r.rows("skips"), r.rows("nonnormal"), r.rows("courts")
    sources = (
        (refusals, (refusals["reason"].to_numpy() != Refusal.LITIGABLE) & ~refusals["copy"].to_numpy().astype(bool)),
        (skips, skips["intercepted"].to_numpy().astype(bool)),
        (acts, acts["arrested"].to_numpy().astype(bool)),
        (courts, ~courts["accepted"].to_numpy().astype(bool)),
    )
    day = np.concatenate([rows["day"].to_numpy(np.int64)[keep] for rows, keep in sources])
    issue = np.concatenate([rows["issue"].to_numpy(np.int64)[keep] for rows, keep in sources])
    followed = day <= r.window.end - AFTER_BLOCKED_DAYS
    household = r.households_of(issue[followed])
    day, known = day[followed], ~np.isnan(household)
    household, day = household[known].astype(np.int64), day[known]
    order = np.lexsort((day, household))  # by household, then day: each household's first row is its first day
    household, day = household[order], day[order]
    first = np.r_[True, household[1:] != household[:-1]] if len(household) else np.zeros(0, bool)
    return household[first], day[first]


def _voice_after_blocked(r: Record) -> float:
    blocked, first_day = blocked_days(r)
    if not len(blocked):
        return float("nan")
    subs = r.events.submissions
    subs = subs[~subs["copy"].to_numpy().astype(bool)]
    household = r.households_of(subs["issue"])
    at = np.minimum(np.searchsorted(blocked, household), len(blocked) - 1)
    mine = blocked[at] == household
    since = subs["day"].to_numpy()[mine] - first_day[at[mine]]
    return float(((since > 0) & (since <= AFTER_BLOCKED_DAYS)).sum()) / len(blocked)


def _petitions(r: Record) -> float:
    return _submissions(r, FORMAL)


def _population(r: Record) -> float:
    return float(r.params.population)


def _collective(r: Record) -> pd.DataFrame:
    return r.rows("collective", "start")


def _ended_by(r: Record, pathway: Pathway) -> float:
    ended = r.ended
    return _share((ended["pathway"] == pathway).sum(), len(ended))


def _resolution_rate(r: Record) -> float:
    ended = r.ended
    return _share((ended["state"] == IssueState.RESOLVED).sum(), len(ended))


def _on_time(r: Record) -> float:
    replies = r.replies
    return _share(replies["on_time"].sum(), len(replies))


def _first_contact(r: Record) -> float:
    ended = r.ended
    voiced = ended[ended["submissions"] >= 1]
    first = (voiced["state"] == IssueState.RESOLVED) & (voiced["submissions"] == 1) & (voiced["reviews"] == 0)
    return _share(first.sum(), len(voiced))


def _escalation(r: Record) -> float:
    ended = r.ended
    replied = ended[ended["replies"] >= 1]
    return _share((replied["reviews"] >= 1).sum(), len(replied))


def chronic_rows(events: EventTables) -> pd.DataFrame:
    """The submission at which each issue became chronic: its 5th within 365 days (non-copy rows)."""
    subs = events.submissions
    subs = subs[~subs["copy"].astype(bool)].sort_values(["issue", "day"], kind="stable")
    earlier = subs.groupby("issue")["day"].shift(CHRONIC_SUBMISSIONS - 1)
    hits = subs[(subs["day"] - earlier) <= CHRONIC_DAYS]
    return hits.drop_duplicates("issue")


def _chronic(r: Record) -> float:
    hits = r.chronic
    return float(r.window.holds(hits["day"]).sum() * r.k)


def _chronic_share(r: Record) -> float:
    chronic = set(r.chronic["issue"])
    rows = r.rows("submissions")
    return _share(rows.loc[rows["issue"].isin(chronic), "people"].sum(), rows["people"].sum())


def resolution_times(r: Record) -> tuple[np.ndarray, np.ndarray]:
    """Days from birth to the end, and how it ended, for the issues born in the window.

    Endings are 1 resolved, 2 any other ending, 0 still open (censored at the window's end).
    """
    issues = r.events.issues
    cohort = issues[r.window.holds(issues["born"])]
    ended = (cohort["ended"] >= 0) & (cohort["ended"] <= r.window.end)
    end = np.where(ended, cohort["ended"], r.window.end)
    durations = (end - cohort["born"]).to_numpy(dtype=float)
    outcome = np.where(~ended, 0, np.where(cohort["state"] == IssueState.RESOLVED, 1, 2))
    return durations, outcome


def cumulative_incidence(durations: np.ndarray, outcome: np.ndarray) -> pd.Series:
    """Aalen-Johansen cumulative incidence of resolution (Aalen & Johansen 1978), on each whole day since birth.

    Other endings compete and open issues are censored. Days are whole numbers: within a day, resolutions are
    counted before other endings (offsets of a quarter day), so no two kinds of ending are tied. With
    S the Kaplan-Meier survival from every ending, n the issues at risk and d1 the resolutions at each
    time, the incidence is the running sum of S(t-) d1 / n. The arithmetic is lifelines'
    `AalenJohansenFitter` (0.30), operation for operation, so the figures are the same to the last bit
    (tests/test_fast_paths.py holds the two side by side); here it is a few array operations instead of
    pandas tables, and a worker does not import lifelines (half a second) to run it.
    """
    if len(durations) == 0 or not (outcome == 1).any():
        return pd.Series(dtype=float)
    t = durations + np.where(outcome == 1, -0.25, np.where(outcome == 2, 0.25, 0.49)) + 0.5
    times, row = np.unique(np.r_[0.0, t], return_inverse=True)  # time 0 opens the table (everyone enters)
    row = row[1:]
    removed = np.bincount(row, minlength=len(times)).astype(float)
    ended = np.bincount(row, weights=outcome != 0, minlength=len(times))
    resolved = np.bincount(row, weights=outcome == 1, minlength=len(times))
    at_risk = len(t) - np.r_[0.0, np.cumsum(removed)[:-1]]
    with np.errstate(divide="ignore", invalid="ignore"):
        survival = np.exp(np.cumsum(np.log(at_risk - ended) - np.log(at_risk)))
    incidence = np.r_[0.0, np.cumsum(resolved[1:] / at_risk[1:] * survival[:-1])]
    # back to whole days: the incidence never falls, so a day's value is its last time's
    day = np.floor(times)
    last = np.r_[day[1:] != day[:-1], True]
    days = np.arange(int(durations.max()) + 1)
    return pd.Series(incidence[last][np.searchsorted(day[last], days, side="right") - 1], index=days)


def incidence_quantile(r: Record, q: float) -> float:
    """Days by which a share q of the cohort is resolved; NaN ("not reached") if it never is."""
    cif = r.resolution_incidence
    reached = cif[cif >= q]
    return float(reached.index[0]) if len(reached) else float("nan")


def _acceptance(r: Record, *, copies: bool) -> float:
    subs = r.rows("submissions")
    subs = subs[(subs["channel"] == Channel.ONLINE) & (subs["copy"].astype(bool) == copies)]
    refused = r.rows("refusals")
    refused = refused[(refused["channel"] == Channel.ONLINE) & (refused["copy"].astype(bool) == copies)]
    return 1.0 - _share(len(refused), len(subs)) if len(subs) else float("nan")


def _cost(r: Record) -> float:
    skips = r.rows("skips")
    total = (
        len(r.rows("replies")) * REPLY_COST
        + len(r.rows("mediations")) * MEDIATION_COST
        + len(r.rows("courts")) * COURT_COST
        + skips["intercepted"].astype(bool).sum() * INTERCEPTION_COST
        + r.rows("buyoffs")["amount"].sum()
    )
    return float(total * r.k)


def _after(r: Record, column: str) -> float:
    return _mean(r.daily_in_window[column])


def _last(column: str) -> Callable[[Record], float]:
    return lambda r: float(r.daily[column].iloc[-1])


def _mean_after(column: str) -> Callable[[Record], float]:
    return lambda r: _after(r, column)


def _channel_share(channel: Channel) -> Callable[[Record], float]:
    return lambda r: _share(_submissions(r, [channel]), _submissions(r))


def _level_share(level: int) -> Callable[[Record], float]:
    def compute(r: Record) -> float:
        handled = r.ended
        handled = handled[handled["end_level"] >= 0]
        return _share((handled["end_level"] == level).sum(), len(handled))

    return compute


def _collective_count(
    predicate: Callable[[pd.DataFrame, Params], pd.Series] | None = None,
) -> Callable[[Record], float]:
    def compute(r: Record) -> float:
        events = _collective(r)
        if predicate is not None:
            events = events[predicate(events, r.params)]
        return r.per_year(len(events))

    return compute


def _rows_per_year(
    table: str, predicate: Callable[[pd.DataFrame], pd.Series] | None = None
) -> Callable[[Record], float]:
    def compute(r: Record) -> float:
        rows = r.rows(table)
        if predicate is not None:
            rows = rows[predicate(rows)]
        return r.per_year(len(rows))

    return compute


def _compensation(predicate: Callable[[pd.DataFrame], pd.Series] | None = None) -> Callable[[Record], float]:
    """Buy-off payments in the window (of the rows `predicate` keeps), in real units."""

    def compute(r: Record) -> float:
        buyoffs = r.rows("buyoffs")
        if predicate is not None:
            buyoffs = buyoffs[predicate(buyoffs)]
        return float(buyoffs["amount"].sum() * r.k)

    return compute


def monthly_dispersion(days: np.ndarray | pd.Series, window: Window) -> float:
    """Variance over mean of the monthly counts of events on `days` in the window (NaN with no event).

    The sample's own ratio: under sampling a count keeps some of its clustering and loses some (demonstration
    cascades among sampled groups keep their branching, while a project's burst of groups is thinned), so no
    one correction gives the district's ratio (docs/model.md section 8).
    """
    months = int((window.end - window.start + 1) // 30)
    if months < 2:
        return float("nan")
    month = (np.asarray(days, dtype=float) - window.start) // 30
    counts = np.bincount(np.minimum(month, months - 1).astype(int), minlength=months)
    return float(counts.var(ddof=1) / counts.mean()) if counts.mean() > 0 else float("nan")


def _kind_resolved(r: Record, kind: CaseKind) -> tuple[float, float]:
    replies = r.replies
    replies = replies[replies["kind"] == kind]
    return float(replies["resolved"].sum()), float(len(replies))


def _terminated_acceptance(r: Record) -> float:
    ended = r.ended
    terminated = ended[ended["terminated"].astype(bool)]
    return _share((terminated["pathway"] == Pathway.ACCEPTED).sum(), len(terminated))


_DECLARED: tuple[Metric, ...] = (
    Metric(
        "days",
        "Days simulated",
        "days",
        "Length of the run, warm-up included.",
        "count",
        lambda r: float(len(r.daily)),
        Margin(),
        Margin(),
    ),
    # --- resolution and closure ------------------------------------------------------------------
    _share_metric(
        "substantive_resolution_rate",
        "Substantive resolution",
        "share of issues ended",
        "Issues resolved by any pathway (office, review, mediation, grid fix, court) / issues ended in "
        "the window (resolved, closed, given up, bought off); buy-offs are not resolutions.",
        _resolution_rate,
        key=True,
        source="案结事了: substantive resolution, as opposed to formal closure",
    ),
    _share_metric(
        "formal_on_time_rate",
        "Formal on-time closure",
        "share of replies",
        "Written replies issued by their due date / replies issued in the window.",
        _on_time,
        key=True,
        source="Administrative on-time closure rate (按期办结率)",
    ),
    Metric(
        "closure_gap",
        "Closure gap, formal − substantive",
        "share",
        "formal_on_time_rate − substantive_resolution_rate: the diagnostic of paper closure.",
        "score",
        lambda r: _on_time(r) - _resolution_rate(r),
        SHARE_MID,
        SHARE,
        True,
    ),
    _share_metric(
        "reply_support_rate",
        "Replies that support the request",
        "share of replies",
        "Replies that solve the matter (support) / replies in the window (the former, per-reply "
        "'substantive_resolution_rate').",
        lambda r: _share(r.replies["resolved"].sum(), len(r.replies)),
    ),
    _share_metric(
        "satisfaction_rate",
        "Recorded satisfaction",
        "share of replies",
        "Replies recorded as satisfying (revisit calls or the household's own judgement, by the "
        "satisfaction mode) / replies in the window.",
        lambda r: _share(r.replies["satisfied"].sum(), len(r.replies)),
    ),
    _share_metric(
        "first_contact_resolution_rate",
        "First-contact resolution",
        "share of voiced issues ended",
        "Issues resolved after a single submission and no review / issues ended in the window that had "
        "any submission (初信初访一次性化解率).",
        _first_contact,
    ),
    _share_metric(
        "buyoff_share",
        "Ended by buy-off",
        "share of issues ended",
        "Issues ended by a payment / issues ended in the window.",
        lambda r: _ended_by(r, Pathway.BUYOFF),
    ),
    _share_metric(
        "exit_share",
        "Given up",
        "share of issues ended",
        "Issues given up (exit, grievance kept latent) / issues ended in the window.",
        lambda r: _ended_by(r, Pathway.EXIT),
    ),
    _share_metric(
        "escalation_rate",
        "Escalation to review",
        "share of replied issues",
        "Issues with at least one review request / issues ended in the window that had a reply.",
        _escalation,
    ),
    _share_metric(
        "skip_level_rate",
        "Skip-level attempts per petition",
        "per formal petition",
        "Skip-level attempts / formal petitions in the window.",
        lambda r: _share(len(r.rows("skips")), _petitions(r)),
        kind="rate",
    ),
    _share_metric(
        "intercepted_share",
        "Intercepted",
        "share of skip-level attempts",
        "Skip-level attempts intercepted / skip-level attempts in the window.",
        lambda r: _share(r.rows("skips")["intercepted"].astype(bool).sum(), len(r.rows("skips"))),
        key=True,
    ),
    _share_metric(
        "repeat_rate",
        "Repeat submissions",
        "share of submissions",
        "Submissions on an issue already submitted (重复访; reviews are not repeats) / all submissions in the window.",
        lambda r: _share(_submissions(r, repeat=True), _submissions(r)),
    ),
    Metric(
        "voice_after_blocked",
        "Voice after blocked voice",
        "submissions per household",
        f"Own submissions (campaign copies excluded) a household makes in the {AFTER_BLOCKED_DAYS} days after "
        "the first day in the window its voice was blocked (refused other than to court, intercepted, "
        f"arrested, turned away by a court; blocked at least {AFTER_BLOCKED_DAYS} days before the window ends) "
        "/ such households: whether suppression quiets voice or, through accumulated hostility, raises it.",
        "count",
        _voice_after_blocked,
        Margin(relative=0.2),
        Margin(relative=0.10, absolute=0.05),
        source="blocked voice accumulates as hostility that returns (Coser 1956)",
    ),
    _share_metric(
        "tie_channel_share",
        "Choices that follow a tie",
        "share of submissions",
        "Households' own submissions (campaign copies excluded) through the channel one of their ties used "
        "last, within the 30 days before / own submissions in the window: the choices that match what "
        "imitation can copy.",
        lambda r: _share(*_tie_channel(r)),
        source="social learning of repertoires from network ties (Tarrow 1998; Chen 2012)",
    ),
    Metric(
        "chronic_petitioners",
        "Chronic petitioners",
        "households",
        "Issues that reached five submissions within a year, the fifth in the window (real households).",
        "count",
        _chronic,
        COUNT_MID,
        COUNT,
    ),
    _share_metric(
        "chronic_share_of_submissions",
        "Submissions by chronic petitioners",
        "share of submissions",
        "Submissions on issues that ever became chronic / all submissions in the window.",
        _chronic_share,
    ),
    _share_metric(
        "mediation_success_rate",
        "Mediation success",
        "share of mediations",
        "Mediations ending in an agreement / mediations concluded in the window.",
        lambda r: _share(r.rows("mediations")["success"].sum(), len(r.rows("mediations"))),
        source="Xining community mediation 2023: 96.13 % (1,987 of 2,067)",
    ),
    _share_metric(
        "copy_acceptance_rate",
        "Campaign copies accepted",
        "share of copies",
        "Online campaign copies not refused / campaign copies submitted in the window.",
        lambda r: _acceptance(r, copies=True),
        source="Online mass petitions (Li, Duke Kunshan talk)",
    ),
    _share_metric(
        "isolated_online_acceptance_rate",
        "Isolated online petitions accepted",
        "share of petitions",
        "Online petitions (not campaign copies) not refused / such petitions submitted in the window.",
        lambda r: _acceptance(r, copies=False),
    ),
    Metric(
        "median_days_to_resolution",
        "Median time to resolution",
        "days",
        "Days from birth until half the issues born in the window are resolved: Aalen-Johansen cumulative "
        "incidence, other endings competing, open issues censored; NaN when never reached.",
        "duration",
        lambda r: incidence_quantile(r, 0.5),
        Margin(absolute=5.0),
        DURATION,
        True,
    ),
    Metric(
        "p90_days_to_resolution",
        "90th-percentile time to resolution",
        "days",
        "As median_days_to_resolution, for nine tenths of the cohort; NaN when never reached.",
        "duration",
        lambda r: incidence_quantile(r, 0.9),
        Margin(absolute=10.0),
        DURATION,
    ),
    Metric(
        "resolution_by_180_days",
        "Resolved within 180 days",
        "share of issues",
        "Cumulative incidence of resolution 180 days after birth, for issues born in the window.",
        "share",
        lambda r: _incidence_at(r, 180),
        SHARE_MID,
        SHARE,
    ),
    # --- flows ---------------------------------------------------------------------------------
    _count_metric(
        "issues_per_year",
        "New issues",
        "Issues (disputes) arising in the window, per year.",
        lambda r: r.per_year(r.window.holds(r.events.issues["born"]).sum()),
    ),
    _count_metric(
        "submissions_per_year",
        "Submissions",
        "Every submission through any channel (campaign copies counted per person), per year.",
        lambda r: _submissions(r) * r.k / r.window.years,
    ),
    _count_metric(
        "petitions_per_year",
        "Formal petitions",
        "Letters, online petitions and visits to petition offices at any level (collective, skip-level "
        "and non-normal included, repeats included; reviews, 12345 calls, mediation and courts "
        "excluded), per year.",
        lambda r: _petitions(r) * r.k / r.window.years,
        key=True,
        source="National petition statistics (信访 letters and visits; China Daily 2013-11-28)",
    ),
    _count_metric(
        "petitions_per_100_residents_year",
        "Formal petitions per 100 residents",
        "Formal petitions a year per 100 residents (see petitions_per_year).",
        lambda r: _petitions(r) * r.k / r.window.years / _population(r) * 100,
        key=True,
        unit="per 100 residents per year",
        margin=Margin(relative=0.10, absolute=0.05),
        source="National petitions 2013: about 0.53 per 100 people a year",
    ),
    _count_metric(
        "hotline_orders_per_year",
        "12345 work orders",
        "Calls to the 12345 hotline, per year.",
        lambda r: _submissions(r, [Channel.HOTLINE]) * r.k / r.window.years,
    ),
    _count_metric(
        "hotline_per_100_residents_year",
        "12345 contacts per 100 residents",
        "Calls to the 12345 hotline a year per 100 residents.",
        lambda r: _submissions(r, [Channel.HOTLINE]) * r.k / r.window.years / _population(r) * 100,
        unit="per 100 residents per year",
        margin=Margin(relative=0.10, absolute=0.05),
        source="Chengzhong District: 1,164 work orders in March 2023 (xncz.gov.cn)",
    ),
    _count_metric(
        "skip_attempts_per_year",
        "Skip-level attempts",
        "Skip-level petitions set out for the city, province or Beijing (intercepted or not), per year.",
        _rows_per_year("skips"),
        key=True,
    ),
    _count_metric(
        "terminated_skip_attempts_per_year",
        "Skip-level attempts on terminated matters",
        "Skip-level petitions on matters terminated after re-review, per year: recorded by the higher level"
        " and refused (不再受理) or returned, the persistence finality is meant to end.",
        _rows_per_year("skips", lambda rows: rows["terminated"].astype(bool)),
    ),
    _count_metric(
        "intercepted_per_year",
        "Interceptions",
        "Skip-level petitioners stopped on the way (截访), per year.",
        _rows_per_year("skips", lambda s: s["intercepted"].astype(bool)),
    ),
    _count_metric(
        "collective_visits_per_year",
        "Collective visits",
        "Collective events begun (five or more people active on one day), per year.",
        _collective_count(),
        key=True,
        source="Collective petition: five or more people (2005 Regulations)",
    ),
    _count_metric(
        "large_collective_per_year",
        "Large collective incidents",
        "Collective events that reached 50 or more people, per year.",
        _collective_count(lambda e, p: e["peak_people"] >= p.collective_large_people),
        source="National reporting of petitions by more than 50 people (China Daily 2013-11-28)",
    ),
    _count_metric(
        "mass_incidents_per_year",
        "Mass incidents",
        "Collective events in which a member turned disruptive (群体性事件), per year.",
        _collective_count(lambda e, p: e["mass_incident"].astype(bool)),
        key=True,
    ),
    _count_metric(
        "nonnormal_per_year",
        "Non-normal actions",
        "Non-normal petitions (非正常上访) by individuals, and mass incidents, per year.",
        _rows_per_year("nonnormal"),
        key=True,
    ),
    _count_metric(
        "nonnormal_national_per_year",
        "Non-normal actions in Beijing",
        "Non-normal acts staged in Beijing, which feed the one-vote veto, per year.",
        _rows_per_year("nonnormal", lambda n: n["national"].astype(bool)),
    ),
    _count_metric(
        "detentions_per_year",
        "Detentions",
        "Petitioners detained after non-normal acts or at mass incidents, per year.",
        lambda r: r.per_year(r.rows("nonnormal")["arrested"].astype(bool).sum() + _collective(r)["arrests"].sum()),
    ),
    _count_metric(
        "buyoffs_per_year",
        "Buy-offs",
        "Petitions ended by a payment (花钱买平安), per year.",
        _rows_per_year("buyoffs"),
        key=True,
    ),
    _count_metric(
        "review_requests_per_year",
        "Review requests",
        "Requests for review or re-review, per year.",
        _rows_per_year("reviews"),
    ),
    _count_metric(
        "terminations_per_year",
        "Terminations",
        "Re-review decisions, after which the matter is not accepted again (art. 35), per year.",
        lambda r: r.per_year((r.replies["kind"] == CaseKind.REREVIEW).sum()),
    ),
    _count_metric(
        "reactivations_per_year",
        "Revived grievances",
        "Issues given up whose grievance returned as a new issue, per year.",
        _rows_per_year("reactivations"),
    ),
    _count_metric(
        "grid_detections_per_year",
        "Grid detections",
        "Issues found by a grid worker's visit, per year.",
        _rows_per_year("grid", lambda g: g["kind"] == GRID_KINDS.index("detected")),
    ),
    _count_metric("mediations_per_year", "Mediations", "Mediations concluded, per year.", _rows_per_year("mediations")),
    Metric(
        "veto_months_per_year",
        "Vetoed months",
        "months per year",
        "Months in which the one-vote veto voided the district's score, per year.",
        "count_per_year",
        lambda r: float(r.rows("evaluations")["veto"].astype(bool).sum()) / r.window.years,
        Margin(absolute=0.5),
        Margin(relative=0.25, absolute=0.5),
    ),
    # --- collective events --------------------------------------------------------------------------
    Metric(
        "mean_collective_size",
        "Collective event size",
        "people",
        "Mean of the largest daily turnout of collective events begun in the window.",
        "count",
        lambda r: _mean(_collective(r)["peak_people"]),
        Margin(absolute=2.0),
        DURATION,
    ),
    Metric(
        "mean_collective_days",
        "Collective event duration",
        "days",
        "Mean number of days with five or more people active, of collective events begun in the window.",
        "duration",
        lambda r: _mean(_collective(r)["event_days"]),
        Margin(absolute=1.0),
        Margin(relative=0.10, absolute=0.5),
    ),
    Metric(
        "collective_monthly_dispersion",
        "Burstiness of collective events",
        "variance / mean",
        "Variance over mean of the monthly counts of collective events begun in the window (1 for a "
        "Poisson process; above 1 when events cluster, as in Epstein's punctuated equilibrium); the "
        "sample's counts, so compare it at one sample.",
        "score",
        lambda r: monthly_dispersion(_collective(r)["start"], r.window),
        Margin(absolute=0.2),
        Margin(relative=0.15, absolute=0.1),
    ),
    Metric(
        "returned_resolution_rate",
        "Returned matters resolved",
        "share of replies",
        "Replies to matters a higher level returned to the district (交办) that solve them / such replies in "
        "the window.",
        "share",
        lambda r: _share(*_kind_resolved(r, CaseKind.RETURNED)),
        SHARE_MID,
        SHARE,
    ),
    Metric(
        "terminated_acceptance_rate",
        "Terminated matters accepted",
        "share of terminated issues ended",
        "Issues that ended after re-review (terminated) by the household accepting the reply / "
        "terminated issues ended in the window.",
        "share",
        _terminated_acceptance,
        SHARE_MID,
        SHARE,
    ),
    # --- trust, grievance, load -------------------------------------------------------------------
    Metric(
        "legitimacy_local_end",
        "Local legitimacy at the end",
        "0–1 scale",
        "Mean legitimacy of local organs on the last day.",
        "level",
        _last("legitimacy_local"),
        LEVEL_MID,
        LEVEL,
    ),
    Metric(
        "legitimacy_center_end",
        "Trust in the centre at the end",
        "0–1 scale",
        "Mean trust in the centre on the last day.",
        "level",
        _last("legitimacy_center"),
        LEVEL_MID,
        LEVEL,
    ),
    Metric(
        "legitimacy_local_mean",
        "Local legitimacy after warm-up",
        "0–1 scale",
        "Mean over the window of the daily mean legitimacy of local organs.",
        "level",
        _mean_after("legitimacy_local"),
        LEVEL_MID,
        LEVEL,
        True,
    ),
    Metric(
        "legitimacy_center_mean",
        "Trust in the centre after warm-up",
        "0–1 scale",
        "Mean over the window of the daily mean trust in the centre.",
        "level",
        _mean_after("legitimacy_center"),
        LEVEL_MID,
        LEVEL,
        True,
    ),
    Metric(
        "hierarchical_trust_share_end",
        "Hierarchical trust",
        "share of households",
        "Households trusting the centre more than local organs (by 0.05) on the last day.",
        "share",
        _last("hierarchical_trust_share"),
        SHARE_MID,
        SHARE,
        source="Li 2016: one to two thirds",
    ),
    Metric(
        "hostility_mean",
        "Accumulated hostility after warm-up",
        "grievance units",
        "Mean over the window of households' accumulated suppressed hostility (Coser), taken monthly.",
        "level",
        _mean_after("hostility"),
        Margin(absolute=0.005),
        Margin(relative=0.10, absolute=0.002),
    ),
    Metric(
        "detained_mean",
        "Petitioners in detention",
        "households",
        "Mean over the window of households detained after non-normal acts (real households).",
        "count",
        _mean_after("detained"),
        COUNT_MID,
        COUNT,
    ),
    Metric(
        "control_share_travel",
        "Moves of the manager's effort",
        "share of budget",
        "Sum of the changes of the manager's share of effort on control over the window (0 when it never moves).",
        "score",
        lambda r: float(r.daily_in_window["control_share"].diff().abs().sum()),
        Margin(absolute=0.1),
        Margin(absolute=0.1),
    ),
    Metric(
        "expectation_end",
        "Expected entitlement at the end",
        "× the published standard",
        "Mean entitlement expectation of households on the last day (Gurr; 1 = the published standard).",
        "level",
        _last("expectation"),
        Margin(absolute=0.01),
        Margin(absolute=0.005),
    ),
    Metric(
        "deprivation_mean",
        "Relative deprivation after warm-up",
        "0–1 scale",
        "Mean over the window of the households' mean relative deprivation max(0, E − V)/E (Gurr), the part of "
        "grievance that expectations raise: unequal payouts seen by ties raise E.",
        "level",
        _mean_after("deprivation"),
        Margin(absolute=0.01),
        Margin(absolute=0.005),
    ),
    Metric(
        "grievance_stock_mean",
        "Grievance stock after warm-up",
        "grievance × households",
        "Mean over the window of the summed grievance of households with an open issue.",
        "count",
        _mean_after("grievance_stock"),
        COUNT_MID,
        COUNT,
    ),
    Metric(
        "latent_grievance_end",
        "Latent grievance at the end",
        "grievance × households",
        "Grievance of issues given up, not yet revived, on the last day.",
        "count",
        _last("latent_grievance"),
        COUNT_MID,
        COUNT,
    ),
    Metric(
        "backlog_mean",
        "Petition backlog after warm-up",
        "cases",
        "Mean over the window of cases accepted and not yet answered, all offices.",
        "count",
        lambda r: _after(r, "backlog_total"),
        COUNT_MID,
        COUNT,
    ),
    Metric(
        "overdue_mean",
        "Overdue cases after warm-up",
        "cases",
        "Mean over the window of cases past their due date without a reply.",
        "count",
        lambda r: _after(r, "overdue_total"),
        COUNT_MID,
        COUNT,
    ),
    Metric(
        "instability_index_mean",
        "Instability index after warm-up",
        "index",
        "Mean over the window of voiced demand over capacity times quality (Huntington 1968).",
        "score",
        _mean_after("instability_index"),
        Margin(absolute=0.05),
        Margin(relative=0.10),
        True,
    ),
    Metric(
        "evaluation_score_mean",
        "Evaluation score after warm-up",
        "points",
        "Mean over the window of the district's monthly score.",
        "score",
        _mean_after("evaluation_score"),
        Margin(absolute=0.5),
        Margin(relative=0.10, absolute=0.5),
    ),
    Metric(
        "control_share_end",
        "Effort on control at the end",
        "share of budget",
        "The manager's share of effort on control on the last day.",
        "share",
        _last("control_share"),
        Margin(absolute=0.1),
        Margin(absolute=0.1),
    ),
    Metric(
        "cost_total",
        "Cost in the window",
        "cost units",
        "Replies, mediations, court cases, interceptions and compensation in the window (real units).",
        "cost",
        _cost,
        Margin(),
        Margin(relative=0.10),
        True,
    ),
    Metric(
        "compensation_total",
        "Compensation paid in the window",
        "cost units",
        "Buy-off payments in the window (real units).",
        "cost",
        _compensation(),
        Margin(),
        Margin(relative=0.15, absolute=1.0),
    ),
    Metric(
        "compensation_without_merit",
        "Compensation paid on claims without merit",
        "cost units",
        "Buy-off payments in the window on claims without merit (merit 0), real units: what merit-blind"
        " buy-offs cost (the stability paradox, Chen 2012).",
        "cost",
        _compensation(lambda b: b["merit"] == 0),
        Margin(),
        Margin(relative=0.15, absolute=1.0),
    ),
    *(
        _share_metric(
            f"share_{name}",
            f"{name.replace('_', ' ').capitalize()} share",
            "share of submissions",
            f"Submissions through {name.replace('_', ' ')} / all submissions in the window.",
            _channel_share(channel),
        )
        for name, channel in zip(CHANNEL_NAMES, Channel, strict=True)
    ),
    _share_metric(
        "online_share_of_petitions",
        "Online share of petitions",
        "share of formal petitions",
        "Online petitions / formal petitions in the window.",
        lambda r: _share(_submissions(r, [Channel.ONLINE]), _petitions(r)),
        source="National: 40.1 % online in 2015, over 50 % in H1 2018 (Xinhua)",
    ),
    _share_metric(
        "visit_share_of_petitions",
        "Visit share of petitions",
        "share of formal petitions",
        "Visits (subdistrict, district, collective) / formal petitions in the window.",
        lambda r: _share(_submissions(r, VISITS), _petitions(r)),
    ),
    *(
        _share_metric(
            f"ended_share_{name}",
            f"Handled at {name}",
            "share of issues handled",
            f"Issues whose end was handled at the {name} level / issues ended in the window and handled "
            "at some level (given-up issues excluded).",
            _level_share(level),
        )
        for level, name in enumerate(LEVEL_NAMES)
    ),
)


# The daily series that follow each outcome (see `Tracker`).
TRACKED: dict[str, Tracker] = {
    "substantive_resolution_rate": ratio("issues_resolved", "issues_ended"),
    "formal_on_time_rate": ratio("replies_on_time", "replies"),
    "reply_support_rate": ratio("replies_resolved", "replies"),
    "satisfaction_rate": ratio("replies_satisfied", "replies"),
    "intercepted_share": ratio("intercepted", "skip_attempts"),
    "skip_level_rate": ratio("skip_attempts", "petitions"),
    "repeat_rate": ratio("repeat_submissions", "submissions"),
    "petitions_per_100_residents_year": flow("petitions", per_100_residents=True),
    "hotline_per_100_residents_year": flow("hotline_orders", per_100_residents=True),
    **{
        f"{count}_per_year": flow(count)
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
            "review_requests",
            "grid_detections",
            "mediations",
            "reactivations",
        )
    },
    "legitimacy_local_end": level("legitimacy_local"),
    "legitimacy_local_mean": level("legitimacy_local"),
    "legitimacy_center_end": level("legitimacy_center"),
    "legitimacy_center_mean": level("legitimacy_center"),
    "hierarchical_trust_share_end": level("hierarchical_trust_share"),
    "grievance_stock_mean": level("grievance_stock"),
    "deprivation_mean": level("deprivation"),
    "latent_grievance_end": level("latent_grievance"),
    "backlog_mean": level("backlog_total"),
    "overdue_mean": level("overdue_total"),
    "instability_index_mean": level("instability_index"),
    "evaluation_score_mean": level("evaluation_score"),
    "control_share_end": level("control_share"),
    "hostility_mean": level("hostility"),
    "detained_mean": level("detained"),
}
# Settings that change how an outcome is measured, not what happens.
MEASURED_BY: dict[str, tuple[str, ...]] = {"satisfaction_rate": ("satisfaction_mode",)}
CAUTIONS: dict[str, str] = {
    "repeat_rate": "a share of submissions; chronic_petitioners counts issues (households) that reached five "
    "submissions within a year, so a modest repeat rate can sit beside many chronic petitioners",
    "satisfaction_rate": "revisit calls record most replies as satisfying whatever their outcome; compare arms "
    "only under the same satisfaction_mode",
    "substantive_resolution_rate": "per issue ended, over every pathway (the per-reply figure is reply_support_rate)",
}

OUTCOMES: tuple[Metric, ...] = tuple(
    dataclasses.replace(
        m, tracker=TRACKED.get(m.name), measured_by=MEASURED_BY.get(m.name, ()), caution=CAUTIONS.get(m.name, "")
    )
    for m in _DECLARED
)

# Daily series as a reader sees them: label, unit, kind (outcomes describe themselves above).
SERIES: dict[str, tuple[str, str, str]] = {
    "legitimacy_local": ("Local legitimacy", "0–1 scale", "level"),
    "legitimacy_center": ("Trust in the centre", "0–1 scale", "level"),
    "hierarchical_trust_share": ("Hierarchical trust", "share of households", "share"),
    "instability_index": ("Instability index", "index", "score"),
    "grievance_stock": ("Grievance stock", "grievance × households", "count"),
    "latent_grievance": ("Latent grievance", "grievance × households", "count"),
    "deprivation": ("Relative deprivation", "0–1 scale", "level"),
    "petition_cases": ("Open petition cases", "cases", "count"),
    "open_issues": ("Open issues", "issues", "count"),
    "control_share": ("Effort on control", "share of budget", "share"),
    "evaluation_score": ("Evaluation score", "points", "score"),
    "backlog_total": ("Petition backlog", "cases", "count"),
    "overdue_total": ("Overdue cases", "cases", "count"),
    "backlog_subdistrict": ("Subdistrict backlog", "cases", "count"),
    "backlog_district": ("District backlog", "cases", "count"),
    "formal_on_time_rate": ("Formal on-time closure (trailing 90 days)", "share of replies", "share"),
    "substantive_resolution_rate": ("Substantive resolution (trailing 90 days)", "share of issues ended", "share"),
    "satisfaction_rate": ("Recorded satisfaction (trailing 90 days)", "share of replies", "share"),
    "petitions": ("Formal petitions (cumulative)", "petitions", "count"),
    "submissions": ("Submissions (cumulative)", "submissions", "count"),
    "skip_attempts": ("Skip-level attempts (cumulative)", "attempts", "count"),
    "collective_visits": ("Collective visits (cumulative)", "events", "count"),
    "nonnormal": ("Non-normal actions (cumulative)", "events", "count"),
}


def _incidence_at(r: Record, days: int) -> float:
    cif = r.resolution_incidence
    before = cif[cif.index <= days]
    return float(before.iloc[-1]) if len(before) else 0.0


CATALOGUE: dict[str, Metric] = {m.name: m for m in OUTCOMES}


def metric(name: str) -> Metric:
    """The catalogue entry of an outcome (KeyError for an unknown name)."""
    return CATALOGUE[name]


def outcomes(events: EventTables, daily: pd.DataFrame, params: Params, warmup_days: int = 0) -> dict[str, float]:
    """Every outcome of the catalogue over the days after warm-up."""
    last = int(daily.index[-1]) if len(daily) else 0
    start = warmup_days + 1 if warmup_days < last else 1
    record = Record(events, daily, params, Window(start, last))
    return {m.name: m.compute(record) for m in OUTCOMES}


# --- the daily series --------------------------------------------------------------------------------
class _ByDay:
    """One event table's rows, counted (or summed) cumulatively up to each day of the daily series.

    The rows to count are chosen by boolean masks over the table's columns as NumPy arrays: the daily
    series counts about 40 subsets of a run's tables, and selecting each as a DataFrame (with the new
    columns inserted one by one) took 22 ms of the 57 ms of outputs of a 450-day run at 1:4; now 12.
    """

    def __init__(self, frame: pd.DataFrame, days: pd.Index, day: str = "day") -> None:
        self.frame, self.days, self.wanted = frame, days, days.to_numpy()
        self.when = frame[day].to_numpy(np.int64) if len(frame) else np.zeros(0, np.int64)

    def flag(self, name: str) -> np.ndarray:
        return self.frame[name].to_numpy().astype(bool) if len(self.frame) else np.zeros(0, bool)

    def values(self, name: str) -> np.ndarray:
        return self.frame[name].to_numpy() if len(self.frame) else np.zeros(0)

    def count(self, where: np.ndarray | None = None) -> np.ndarray:
        """Rows (where `where` holds) up to each day: bincount gives groupby's integers without building groups."""
        when = self.when if where is None else self.when[where]
        return self._cumulative(when).astype(float)

    def _cumulative(self, when: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        """Rows on each day of the series (or their summed weights), cumulated; nothing: zeros."""
        if len(when) == 0 or len(self.wanted) == 0:
            return np.zeros(len(self.wanted))
        return np.bincount(when, weights=weights, minlength=int(self.wanted[-1]) + 1)[self.wanted].cumsum()

    def total(self, weights: str, where: np.ndarray | None = None) -> np.ndarray:
        """The sum of a column over the rows up to each day (pandas' compensated sum, for the same last bits).

        Whole numbers (people at most samples) add exactly in any order, so there `bincount` gives the
        same sums without building groups.
        """
        when, values = self.when, self.values(weights)
        if where is not None:
            when, values = when[where], values[where]
        if np.array_equal(values, np.floor(values)) and np.abs(values).sum() < 2**53:
            return self._cumulative(when, values)
        if len(when) == 0 or len(self.wanted) == 0:
            return np.zeros(len(self.wanted))
        per_day = pd.Series(values).groupby(when).sum()
        return per_day.reindex(self.days, fill_value=0).cumsum().to_numpy(dtype=float)


def _trailing(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """Ratio of two cumulative counts over the trailing TRAILING_DAYS (NaN where nothing happened)."""
    n = np.r_[np.zeros(TRAILING_DAYS), num]
    d = np.r_[np.zeros(TRAILING_DAYS), den]
    dn, dd = n[TRAILING_DAYS:] - n[:-TRAILING_DAYS], d[TRAILING_DAYS:] - d[:-TRAILING_DAYS]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(dd > 0, dn / np.where(dd > 0, dd, 1), np.nan)


def daily(events: EventTables, stocks_frame: pd.DataFrame, params: Params) -> pd.DataFrame:
    """The daily series: the collected state, the flows counted from the event log, and trailing rates.

    Flows are cumulative counts in real units; rates are over the trailing 90 days.
    """
    k, days = params.households_per_agent, stocks_frame.index
    out: dict[str, np.ndarray] = {}  # the new columns, joined to the collected state at once
    subs, replies = _ByDay(events.submissions, days), _ByDay(events.replies, days)
    skips, collective = _ByDay(events.skips, days), _ByDay(events.collective, days, day="start")
    ended = _ByDay(events.issues[events.issues["ended"] >= 0], days, day="ended")
    grid, buyoffs = _ByDay(events.grid, days), _ByDay(events.buyoffs, days)
    channel, own_reply, intercepted = subs.values("channel"), ~replies.flag("copy"), skips.flag("intercepted")
    flows = {
        "issues": _ByDay(events.issues, days, day="born").count(),
        "submissions": subs.total("people"),
        "petitions": subs.total("people", np.isin(channel, FORMAL)),
        "replies": replies.count(own_reply),
        "skip_attempts": skips.count(),
        "intercepted": skips.count(intercepted),
        "collective_visits": collective.count(),
        "large_collective": collective.count(collective.values("peak_people") >= params.collective_large_people),
        "mass_incidents": collective.count(collective.flag("mass_incident")),
        "nonnormal": _ByDay(events.nonnormal, days).count(),
        "buyoffs": buyoffs.count(),
        "review_requests": _ByDay(events.reviews, days).count(),
        "grid_detections": grid.count(grid.values("kind") == GRID_KINDS.index("detected")),
        "mediations": _ByDay(events.mediations, days).count(),
        "reactivations": _ByDay(events.reactivations, days).count(),
        "hotline_orders": subs.total("people", channel == Channel.HOTLINE),
    }
    for name, code in zip(CHANNEL_NAMES, Channel, strict=True):
        flows[f"channel_{name}"] = subs.total("people", channel == code)
    end_level = ended.values("end_level")
    for level, name in enumerate(LEVEL_NAMES):
        flows[f"ended_{name}"] = ended.count(end_level == level)
    for name, counts in flows.items():
        out[name] = counts * k
    resolved = ended.count(ended.values("state") == IssueState.RESOLVED)
    ended_all, own_replies = ended.count(), flows["replies"]
    on_time = replies.count(own_reply & replies.flag("on_time"))
    satisfied = replies.count(own_reply & replies.flag("satisfied"))
    out["issues_ended"] = ended_all * k
    out["issues_resolved"] = resolved * k
    out["replies_on_time"] = on_time * k
    out["replies_resolved"] = replies.count(own_reply & replies.flag("resolved")) * k
    out["replies_satisfied"] = satisfied * k
    out["repeat_submissions"] = subs.total("people", subs.flag("repeat")) * k
    out["formal_on_time_rate"] = _trailing(on_time, own_replies)
    out["substantive_resolution_rate"] = _trailing(resolved, ended_all)
    out["satisfaction_rate"] = _trailing(satisfied, own_replies)
    out["cost"] = k * (
        replies.count() * REPLY_COST
        + flows["mediations"] * MEDIATION_COST
        + _ByDay(events.courts, days).count() * COURT_COST
        + flows["intercepted"] * INTERCEPTION_COST
        + buyoffs.total("amount")
    )
    refusals = _ByDay(events.refusals, days)
    out["refusals"] = refusals.count(refusals.values("reason") != Refusal.DUPLICATE) * k
    return pd.concat([stocks_frame, pd.DataFrame(out, index=days)], axis=1)
