"""`Params`: the frozen, validated description of one simulated district, with its TOML form.

Every field carries its bounds, unit, source tag and a one-line meaning in its metadata, so that
validation, the CLI listing, the browser sliders and the ODD parameter table all read one source.
Source tags: [S] sourced, [D] derived from sourced figures, [A] assumption (docs/model.md).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any

import tomli_w

from conflict_sim.errors import ConflictSimError, ParameterError
from conflict_sim.tomlfile import read_toml


@dataclass(frozen=True)
class Effect:
    """What moving a parameter across its range should do: no parameter may be dead.

    Moving the parameter from the low to the high end of `span` (default: its allowed range, or its
    first to its last choice, or false to true) should move `outcome` up (`sign` +1), down (-1), or
    either way (0), in a district where `world` gives the mechanism room to act (for example more
    shared issues for a crowd parameter). `experiments/dead_parameters.py` tests every declaration.
    """

    outcome: str
    sign: int
    span: tuple[Any, Any] | None = None
    world: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Role:
    """A parameter that is not expected to move an outcome: a label, or the structure of the sample."""

    kind: str  # "label" or "structure"
    why: str


def param(
    default: Any,
    lo: float | None = None,
    hi: float | None = None,
    *,
    unit: str = "",
    source: str = "A",
    doc: str,
    choices: tuple[str, ...] = (),
    group: str = "",
    effect: Effect | Role,
) -> Any:
    """A dataclass field with its allowed range (or choices), unit, source tag, meaning and declared effect."""
    meta = {
        "min": lo,
        "max": hi,
        "unit": unit,
        "source": source,
        "doc": doc,
        "choices": choices,
        "group": group,
        "effect": effect,
    }
    return field(default=default, metadata=meta)


def _group(name: str):
    def make(*args: Any, **kwargs: Any) -> Any:
        return param(*args, group=name, **kwargs)

    return make


district = _group("district")
law = _group("law")
issues = _group("issues")
residents = _group("residents")
channels = _group("channels")
offices = _group("offices")
fengqiao = _group("grid and mediation")
courts = _group("courts and hotline")
manager = _group("district manager and evaluation")
shocks = _group("shocks")


# A district whose residents turn to non-normal action: the three pulls toward it (grievance, hostility,
# distrust of the centre) at the top of their declared spans. What acts once per non-normal act is measured there.
RADICAL: Mapping[str, float] = MappingProxyType(
    {"nonnormal_grievance_weight": 1.0, "nonnormal_hostility_weight": 1.0, "nonnormal_distrust_weight": 1.0}
)
# Every non-normal act staged in Beijing (the top of nonnormal_national_share): where the one-vote veto is measured.
IN_BEIJING: Mapping[str, float] = MappingProxyType({"nonnormal_national_share": 1.0})


@dataclass(frozen=True, slots=True, kw_only=True)
class Params:
    """Everything that defines one simulated district, except the seed.

    Defaults are the Chengzhong baseline (pre-reform, pressure-type evaluation).
    Each field's metadata gives its unit, allowed range, source tag and meaning; run
    `conflict-sim list params` for the table.
    """

    # --- district and scale -------------------------------------------------------------
    population: int = district(
        325_813,
        1_000,
        5_000_000,
        unit="persons",
        source="S",
        doc="Resident population (2020 census, Qinghai yearbook 2022)",
        effect=Effect("issues_per_year", 1, span=(100000, 400000)),
    )
    household_size: float = district(
        2.62,
        1.0,
        6.0,
        unit="persons/household",
        source="S",
        doc="Mean household size (Xining), turns people into households",
        effect=Effect("issues_per_year", -1, span=(2.0, 4.0)),
    )
    households_per_agent: int = district(
        1,
        1,
        2_000,
        unit="households",
        doc="Real households represented by one Resident agent",
        effect=Role("structure", "the sample; the invariance test shows outcomes do not depend on it"),
    )
    grid_households: int = district(
        400,
        50,
        2_000,
        unit="households",
        source="S",
        doc="Real households per grid (网格) served by one grid worker",
        effect=Effect("grid_detections_per_year", -1, span=(100, 1500), world={"grid_visits_per_month": 2.0}),
    )
    network_degree: int = district(
        6,
        2,
        30,
        unit="ties",
        doc="Social ties per household (Watts-Strogatz k)",
        effect=Effect("legitimacy_local_mean", -1, span=(2, 20)),
    )
    network_rewiring: float = district(
        0.05,
        0.0,
        1.0,
        unit="probability",
        doc="Share of ties rewired to a random household (W-S p)",
        effect=Role(
            "structure",
            "who influences whom (Watts-Strogatz p), not how much; district aggregates are not expected to move",
        ),
    )
    district: str = param(  # `param`, not `district(...)`: this field's name shadows the group helper below it
        "chengzhong",
        group="district",
        source="S",
        doc="The district: a bundled one (chengzhong, chengdong) or a district .toml file (docs/districts.md)",
        effect=Role("label", "names the district file (the district's own figures are separate parameters)"),
    )

    # --- the statutory clock (fixed by law; exposed for counterfactuals) ----------------
    forward_limit_days: int = law(
        15,
        1,
        120,
        unit="days",
        source="S",
        doc="Register and forward/assign a petition (2005 Art. 21)",
        effect=Effect("resolution_by_180_days", -1),
    )
    accept_limit_days: int = law(
        15,
        1,
        120,
        unit="days",
        source="S",
        doc="Decide acceptance and tell the petitioner (2005 Art. 21-22)",
        effect=Effect("resolution_by_180_days", -1),
    )
    handle_limit_days: int = law(
        60,
        1,
        365,
        unit="days",
        source="S",
        doc="Handle and reply in writing (2005 Art. 33)",
        effect=Effect("reply_support_rate", 1, span=(10, 365)),
    )
    extension_limit_days: int = law(
        30,
        0,
        365,
        unit="days",
        source="S",
        doc="Longest extension of handling with approval (2005 Art. 33)",
        effect=Effect("reply_support_rate", 1, world={"extension_probability": 1.0}),
    )
    review_window_days: int = law(
        30,
        1,
        365,
        unit="days",
        source="S",
        doc="Window to request review (复查) after a reply (Art. 34)",
        effect=Effect("review_requests_per_year", 1, span=(3, 365)),
    )
    review_limit_days: int = law(
        30,
        1,
        365,
        unit="days",
        source="S",
        doc="Review decision limit (Art. 34)",
        # A review is handled in a time proportional to its limit, which delays the answer to reviewed issues;
        # terminations, at the end of the ladder, are too few in a 300-day window (about 40 sampled) to show it.
        effect=Effect("resolution_by_180_days", -1, span=(10, 365)),
    )
    rereview_window_days: int = law(
        30,
        1,
        365,
        unit="days",
        source="S",
        doc="Window to request re-review (复核) (Art. 35)",
        # The household weighs a review reply the next day, inside any window; the window decides only for
        # those who wait and think again. With the default 30-day pause they come back on day 31, after a
        # 30-day window has closed; where households think again every week it keeps re-review open to them.
        effect=Effect("terminations_per_year", 1, span=(3, 365), world={"reconsider_days": 7}),
    )
    rereview_limit_days: int = law(
        30,
        1,
        365,
        unit="days",
        source="S",
        doc="Re-review decision limit; afterwards the matter is closed (Art. 35)",
        effect=Effect("terminations_per_year", -1, span=(10, 365)),
    )
    hotline_limit_days: int = law(
        15,
        1,
        60,
        unit="days",
        doc="Deadline of a 12345 work order at the subdistrict",
        # A work order is handled in a time proportional to its deadline (offices._start_handling); quality
        # changes only when a late office rushes the reply, so the deadline sets the speed of the answer.
        effect=Effect("median_days_to_resolution", 1),
    )
    collective_min_people: int = law(
        5,
        2,
        100,
        unit="persons",
        source="S",
        doc="People acting together that make a collective petition",
        effect=Effect("collective_visits_per_year", -1, span=(3, 30), world={"collective_issue_multiplier": 4.0}),
    )
    collective_large_people: int = law(
        50,
        5,
        10_000,
        unit="persons",
        source="S",
        doc="People that make a large collective incident",
        effect=Effect("large_collective_per_year", -1, span=(10, 200), world={"collective_issue_multiplier": 4.0}),
    )
    working_days_per_week: int = law(
        5,
        1,
        7,
        unit="days",
        doc="Days a week on which offices work",
        effect=Effect("overdue_mean", -1, span=(3, 7), world={"cases_per_staff_day": 0.3}),
    )
    # Effect: limits counted in working days fall later in calendar days, so first of all more replies are on time
    # (+0.008, z +8.9 on 6 seeds; the support rate, which the extra time helps only where handling is cut
    # short, moved z +0.6 to +3.8 between model versions).
    clock_mode: str = law(
        "calendar",
        unit="",
        choices=("calendar", "working"),
        doc="Statutory limits counted in calendar or in working days",
        effect=Effect("formal_on_time_rate", 1),
    )

    # --- issues (disputes) ---------------------------------------------------------------
    issue_rate: float = issues(
        0.20,
        0.0,
        3.0,
        unit="issues/household/year",
        source="D",
        doc="Arrival rate of new disputes (12345 load 0.11 + petitions + unreported)",
        effect=Effect("issues_per_year", 1, span=(0.1, 0.6)),
    )
    land_housing_rate_multiplier: float = issues(
        1.0,
        0.0,
        5.0,
        unit="x",
        doc="Multiplier on housing/land/demolition arrivals",
        effect=Effect("issues_per_year", 1, span=(0.5, 2.0)),
    )
    labour_rate_multiplier: float = issues(
        1.0,
        0.0,
        5.0,
        unit="x",
        doc="Multiplier on labour, wage and social-security arrivals",
        effect=Effect("issues_per_year", 1, span=(0.5, 2.0)),
    )
    reasonable_share: float = issues(
        0.80,
        0.0,
        1.0,
        unit="share",
        source="S",
        doc="Share of issues with full merit (有理)",
        effect=Effect("substantive_resolution_rate", 1, span=(0.4, 0.88)),
    )
    partly_reasonable_share: float = issues(
        0.12,
        0.0,
        1.0,
        unit="share",
        source="S",
        doc="Share of issues with partial merit",
        effect=Effect("substantive_resolution_rate", 1, span=(0.0, 0.2)),
    )
    # Effect: only the grid workers' level rule tells a community matter from a subdistrict one (offices are all at
    # least a subdistrict); without it, moving issues between the two changes nothing.
    level_needed_community: float = issues(
        0.35,
        0.0,
        1.0,
        unit="share",
        doc="Share of issues a community organ (grid, mediation) can settle",
        effect=Effect("ended_share_community", 1, span=(0.1, 0.45), world={"grid_level_rule": True}),
    )
    level_needed_subdistrict: float = issues(
        0.30,
        0.0,
        1.0,
        unit="share",
        doc="Share of issues that need the subdistrict or town government",
        effect=Effect("ended_share_subdistrict", 1, span=(0.1, 0.4)),
    )
    level_needed_district: float = issues(
        0.25,
        0.0,
        1.0,
        unit="share",
        doc="Share that need the district; the rest need the city or above",
        effect=Effect("ended_share_district", 1, span=(0.1, 0.35)),
    )
    collective_issue_multiplier: float = issues(
        1.0,
        0.0,
        10.0,
        unit="x",
        doc="Multiplier on the share of issues shared by a group",
        effect=Effect("collective_visits_per_year", 1, span=(0.5, 4.0)),
    )
    project_extra_groups: float = issues(
        1.0,
        0.0,
        20.0,
        unit="groups",
        doc="Extra groups one collective project (demolition, closure) hits (Poisson)",
        # Groups of one project arise on one day in one subdistrict, so their crowds bunch in time. The
        # monthly dispersion is dominated by rare large bursts and varies a lot between seeds: the span is
        # the wider one in which larger projects (1 + 10 groups on average) have room to show.
        effect=Effect("collective_monthly_dispersion", 1, span=(0.0, 10.0), world={"collective_issue_multiplier": 4.0}),
    )
    demonstration_probability: float = issues(
        0.3,
        0.0,
        1.0,
        unit="probability",
        doc="Open groups mobilise after a nearby collective visit (示范效应)",
        effect=Effect("collective_visits_per_year", 1, world={"collective_issue_multiplier": 8.0}),
    )
    group_size_median: float = issues(
        12.0,
        5.0,
        500.0,
        unit="persons",
        doc="Median size of a group sharing an issue (lognormal)",
        effect=Effect("mean_collective_size", 1, span=(8.0, 60.0), world={"collective_issue_multiplier": 4.0}),
    )
    group_size_sigma: float = issues(
        0.8,
        0.0,
        3.0,
        unit="log-sd",
        doc="Log standard deviation of group sizes",
        effect=Effect("mean_collective_size", 1, span=(0.2, 1.5), world={"collective_issue_multiplier": 4.0}),
    )
    # Effect: a strategic petitioner perceives a stake of at least 0.6 whatever the merit, so voices and keeps
    # pressing where others give up; at most a fifth of issues, too few to move total submissions beyond noise.
    strategic_share: float = issues(
        0.03,
        0.0,
        0.2,
        unit="share",
        source="S",
        doc="Profit-seeking petitioners whose stake ignores merit (Gui et al.)",
        effect=Effect("exit_share", -1),
    )
    # Effect: unequal payouts seen by ties raise expectations and with them relative deprivation, the part of
    # grievance they act on (+0.0007 on the 0-1 scale, z +18 on 6 seeds; the grievance stock, dominated by how
    # many issues are open, does not show it: z -0.3).
    compensation_dispersion: float = issues(
        0.3,
        0.0,
        1.0,
        unit="cv",
        doc="Spread of compensation between like cases (Gurr: peers' payouts)",
        effect=Effect("deprivation_mean", 1, world={"buyoff_probability": 0.9}),
    )
    compensation_disclosure: float = issues(
        0.0,
        0.0,
        1.0,
        unit="share",
        doc="Peers see the published standard, not the actual payout (Gurr)",
        effect=Effect("expectation_end", -1, world={"buyoff_probability": 0.9, "compensation_dispersion": 0.6}),
    )
    expectation_adjustment: float = issues(
        0.2,
        0.0,
        1.0,
        unit="share/month",
        doc="lambda: monthly pull of expectations toward peers' payouts",
        effect=Effect("expectation_end", 1, world={"buyoff_probability": 0.9}),
    )

    # --- residents: grievance, voice, trust -----------------------------------------------
    legitimacy_mean: float = residents(
        0.70,
        0.05,
        0.95,
        unit="[0,1]",
        doc="Mean initial legitimacy of local organs (Epstein uses 0.8)",
        effect=Effect("submissions_per_year", -1, span=(0.5, 0.9)),
    )
    legitimacy_sd: float = residents(
        0.15,
        0.01,
        0.3,
        unit="[0,1]",
        doc="Standard deviation of initial local legitimacy (Beta)",
        # Down, not up: at the mean of 0.7 the voice rule s(1 - L) + l(L - 0.5) > T silences the typical issue
        # (median stake 0.33) above L = 0.6, so spreading trust puts more households above that cut than below
        # it (Beta(0.7, sd 0.3): 40 % above 0.9); first decisions that voice 0.56 at sd 0.01, 0.36 at sd 0.3.
        effect=Effect("submissions_per_year", -1),
    )
    hierarchical_trust_share: float = residents(
        0.5,
        0.0,
        1.0,
        unit="share",
        source="S",
        doc="Share trusting the centre more than local organs (Li 2016)",
        effect=Effect("skip_attempts_per_year", 1),
    )
    hierarchical_trust_gap: float = residents(
        0.3,
        0.0,
        0.6,
        unit="[0,1]",
        doc="Largest extra trust in the centre, U(0, gap)",
        effect=Effect("skip_attempts_per_year", 1),
    )
    voice_threshold: float = residents(
        0.10,
        0.0,
        1.0,
        unit="grievance",
        source="S",
        doc="Epstein threshold T: voice when net grievance exceeds it",
        effect=Effect("submissions_per_year", -1, span=(0.05, 0.3)),
    )
    loyalty_weight: float = residents(
        0.05,
        0.0,
        1.0,
        unit="grievance",
        doc="Hirschman loyalty: trust above 0.5 favours voice over exit",
        effect=Effect("submissions_per_year", 1, span=(0.0, 0.5)),
    )
    deprivation_weight: float = residents(
        0.2,
        0.0,
        1.0,
        unit="grievance",
        doc="phi: weight of relative deprivation (Gurr) in grievance",
        effect=Effect("submissions_per_year", 1),
    )
    overdue_weight: float = residents(
        0.3,
        0.0,
        1.0,
        unit="grievance",
        doc="psi: weight of overdue waiting in grievance",
        # A household waiting on a late reply has already voiced, so grievance no longer gates its voice;
        # it acts through the grievance term of non-normal action (when participation outruns institutions,
        # waiting raises grievance and non-institutional participation follows: Huntington 1968, the
        # rule an assumption [A]), measured where offices are overloaded and residents turn to non-normal
        # action (RADICAL).
        effect=Effect("nonnormal_per_year", 1, world={"cases_per_staff_day": 0.3, **RADICAL}),
    )
    hostility_gain: float = residents(
        0.1,
        0.0,
        1.0,
        unit="grievance",
        doc="Coser: hostility added when voice is blocked or repressed",
        effect=Effect("nonnormal_per_year", 1),
    )
    hostility_half_life_days: float = residents(
        180.0,
        1.0,
        3650.0,
        unit="days",
        doc="Half-life of accumulated suppressed hostility",
        effect=Effect("hostility_mean", 1, span=(30.0, 1000.0)),
    )
    threshold_mean: float = residents(
        0.25,
        0.0,
        1.0,
        unit="share of group",
        source="S",
        doc="Granovetter threshold mean for collective action",
        effect=Effect("collective_visits_per_year", -1, span=(0.1, 0.5), world={"collective_issue_multiplier": 4.0}),
    )
    threshold_sd: float = residents(
        0.12,
        0.0,
        0.5,
        unit="share of group",
        source="S",
        doc="Granovetter threshold standard deviation",
        effect=Effect("collective_visits_per_year", 1, span=(0.02, 0.3), world={"collective_issue_multiplier": 4.0}),
    )
    instigator_share: float = residents(
        0.05,
        0.0,
        0.5,
        unit="share",
        doc="Group members with threshold 0 (关键少数)",
        effect=Effect("collective_visits_per_year", 1, world={"collective_issue_multiplier": 4.0}),
    )
    # Effect: k sets the arrest risk every lone act weighs (sanction weight: skip-level 0.3, non-normal 1.0);
    # skip-level visits are thousands a year, individual non-normal acts a handful, and nonnormal_per_year is
    # mostly mass incidents, whose crowd ratio rounds to 0 at the default control (k barely acts there).
    arrest_constant: float = residents(
        2.3,
        0.1,
        10.0,
        unit="1",
        source="S",
        doc="Epstein k in P = 1 - exp(-k C/A)",
        effect=Effect("skip_attempts_per_year", -1, span=(0.5, 10.0)),
    )
    # Effect: at a crowd event C/A is the control staff (3 at the default control) over 6 or more people, which
    # round takes to 0: no arrests at mass incidents, where raw keeps P = 1 - exp(-2.3 C/A) near 0.3. The
    # collective-visit utility's sanction weight is 0.1, so the choice to rally barely moves.
    arrest_ratio_mode: str = residents(
        "round",
        choices=("raw", "floor", "round"),
        source="S",
        doc="How C/A enters the sanction risk (Mesa round, NetLogo floor)",
        effect=Effect("detentions_per_year", -1, world={"collective_issue_multiplier": 4.0}),
    )
    control_vision: float = residents(
        2.0,
        0.0,
        50.0,
        unit="staff",
        doc="Control staff a petitioner sees at full control effort",
        effect=Effect("nonnormal_per_year", -1, span=(0.0, 5.0)),
    )
    event_control_staff: float = residents(
        10.0,
        0.0,
        500.0,
        unit="staff",
        doc="Control staff sent to a collective event at full control effort",
        effect=Effect("collective_visits_per_year", -1, span=(0.0, 50.0), world={"collective_issue_multiplier": 4.0}),
    )
    logit_beta: float = residents(
        8.0,
        0.1,
        50.0,
        unit="1/utility",
        doc="Sensitivity of channel choice to utility (multinomial logit)",
        effect=Effect("nonnormal_per_year", -1, span=(2.0, 20.0)),
    )
    # Effect: B scales the expected gain of every channel against giving up (utility 0, Hirschman's exit), so
    # households press on instead of exiting; total submissions mix that with faster endings and escalation.
    stake_weight: float = residents(
        1.0,
        0.0,
        5.0,
        unit="utility",
        doc="B: value of winning an issue of severity 1",
        effect=Effect("exit_share", -1, span=(0.5, 2.0)),
    )
    # Effect: imitation redistributes choices toward the channels ties used lately and adds no voice, so total
    # submissions do not show it (z +0.3 and -0.7 on 8 seeds); the share of choices that match a tie's channel does.
    peer_imitation: float = residents(
        0.1,
        0.0,
        1.0,
        unit="utility",
        doc="gamma: pull of channels neighbours used in the last 30 days",
        effect=Effect("tie_channel_share", 1),
    )
    # Effect: the own outcome a household reuses at once is a failed review, before asking for re-review on the
    # same channel; a heavier lesson makes re-review (and so termination) rarer. Exit moves only weakly.
    belief_learning_weight: float = residents(
        1.0,
        0.0,
        5.0,
        unit="observations",
        doc="Weight of one's own outcome in channel beliefs",
        effect=Effect("terminations_per_year", -1),
    )
    # Effect: ties' outcomes pull beliefs toward the success each channel has in the neighbourhood; people's
    # mediation succeeds most often (about 0.6, against under half of written replies), so it gains. Skip-level
    # visits teach failure (interceptions, returns) about as often as buy-offs teach "disruption pays", even at
    # buyoff_probability 0.6, so skip-level attempts do not move.
    social_learning_weight: float = residents(
        0.3,
        0.0,
        5.0,
        unit="observations",
        doc="Weight of a neighbour's outcome in channel beliefs",
        effect=Effect("share_mediation", 1, span=(0.0, 2.0)),
    )
    # Effect: the mirror of belief_learning_weight: a strong prior keeps the belief in review up after a failed
    # review, so more households ask for re-review and reach termination.
    belief_prior_strength: float = residents(
        2.0,
        0.1,
        50.0,
        unit="observations",
        doc="Strength of the prior belief in a channel",
        effect=Effect("terminations_per_year", 1, span=(0.5, 20.0)),
    )
    legitimacy_step_procedural: float = residents(
        0.10,
        0.0,
        1.0,
        unit="1",
        doc="Tyler eta_pi: pull of legitimacy to procedural justice",
        effect=Effect("legitimacy_local_mean", -1, span=(0.0, 0.3)),
    )
    legitimacy_step_outcome: float = residents(
        0.05,
        0.0,
        1.0,
        unit="1",
        doc="Tyler eta_o: effect of outcome surprise on legitimacy",
        effect=Effect("legitimacy_local_mean", -1, span=(0.0, 0.3)),
    )
    legitimacy_diffusion: float = residents(
        0.1,
        0.0,
        1.0,
        unit="share",
        doc="Share of a legitimacy change passed to each social tie",
        effect=Effect("legitimacy_local_mean", -1, span=(0.0, 0.5)),
    )
    acceptance_intercept: float = residents(
        -1.0,
        -10.0,
        10.0,
        unit="logit",
        doc="b0 of acceptance of an unfavourable reply",
        effect=Effect("review_requests_per_year", -1, span=(-3.0, 1.0)),
    )
    acceptance_justice: float = residents(
        3.0,
        0.0,
        10.0,
        unit="logit",
        doc="b1: procedural justice raises acceptance (Tyler)",
        effect=Effect("review_requests_per_year", -1, span=(0.0, 6.0)),
    )
    acceptance_legitimacy: float = residents(
        2.0,
        0.0,
        10.0,
        unit="logit",
        doc="b2: legitimacy raises acceptance",
        effect=Effect("review_requests_per_year", -1, span=(0.0, 4.0)),
    )
    acceptance_severity: float = residents(
        2.0,
        0.0,
        10.0,
        unit="logit",
        doc="b3: higher stakes lower acceptance",
        effect=Effect("review_requests_per_year", 1, span=(0.0, 4.0)),
    )
    decision_delay_days: int = residents(
        14,
        1,
        120,
        unit="days",
        doc="Longest time between an issue arising and the first decision",
        # It postpones every first step; the share resolved by 180 days is not monotone in it, because grid
        # patrols find the issues that wait (still new) and settle many of them in the community.
        effect=Effect("median_days_to_resolution", 1),
    )
    reconsider_days: int = residents(
        30,
        1,
        365,
        unit="days",
        doc="A silent resident reconsiders an open issue after this long",
        effect=Effect("submissions_per_year", -1, span=(5, 120)),
    )
    max_reconsiderations: int = residents(
        3,
        0,
        50,
        unit="times",
        doc="Reconsiderations before the issue is given up (exit)",
        effect=Effect("exit_share", -1, span=(0, 10)),
    )
    disruption_intercept: float = residents(
        -4.0,
        -20.0,
        5.0,
        unit="logit",
        doc="a0 of a crowd member's disruption (Coser)",
        effect=Effect("mass_incidents_per_year", 1, span=(-6.0, -2.0), world={"collective_issue_multiplier": 4.0}),
    )
    disruption_slope: float = residents(
        4.0,
        0.0,
        20.0,
        unit="logit",
        doc="a1: accumulated hostility plus grievance raise disruption",
        effect=Effect("mass_incidents_per_year", 1, span=(0.0, 8.0), world={"collective_issue_multiplier": 4.0}),
    )
    nonnormal_grievance_weight: float = residents(
        0.2,
        0.0,
        10.0,
        unit="utility/grievance",
        doc="Pull of grievance toward non-normal action",
        effect=Effect("nonnormal_per_year", 1, span=(0.0, 1.0)),
    )
    # Effect: mean hostility in the default district is ~0.001 (few households are ever suppressed), so the pull
    # moves ~20 of ~60 acts a year, against a spread of ~30 between seeds (z +1.5 on 6 seeds); where residents turn
    # to non-normal action, and are arrested for it, it has room: +805 a year, z +17.9 (3 December 2026, 6 seeds,
    # 450 days, 1:4).
    nonnormal_hostility_weight: float = residents(
        0.2,
        0.0,
        10.0,
        unit="utility/grievance",
        doc="Pull of accumulated hostility toward non-normal action",
        effect=Effect("nonnormal_per_year", 1, span=(0.0, 1.0), world=RADICAL),
    )
    nonnormal_distrust_weight: float = residents(
        0.1,
        0.0,
        10.0,
        unit="utility",
        doc="Pull of distrust of the centre (1 - trust) toward non-normal action",
        effect=Effect("nonnormal_per_year", 1, span=(0.0, 1.0)),
    )
    venting: float = residents(
        0.5,
        0.0,
        1.0,
        unit="share",
        doc="Coser's safety valve: hostility released by voice that is heard",
        effect=Effect("hostility_mean", -1),
    )
    reactivation_probability: float = residents(
        0.05,
        0.0,
        1.0,
        unit="probability",
        doc="A latent grievance returns after a trigger (payout, shock, grid)",
        effect=Effect("reactivations_per_year", 1, span=(0.0, 0.5)),
    )
    trust_half_life_days: float = residents(
        365.0,
        10.0,
        100_000.0,
        unit="days",
        doc="Half-life of the pull of trust toward each household's baseline",
        effect=Effect("legitimacy_local_mean", -1, span=(60.0, 3650.0)),
    )

    # --- channels: costs, sanctions, norms (model.md §7.2) -----------------------------
    cost_online: float = channels(
        0.05,
        0.0,
        2.0,
        unit="budget",
        doc="Cost of an online petition",
        effect=Effect("share_online", -1, span=(0.0, 0.3)),
    )
    cost_hotline: float = channels(
        0.005, 0.0, 2.0, unit="budget", doc="Cost of a 12345 call", effect=Effect("share_hotline", -1, span=(0.0, 0.3))
    )
    cost_letter: float = channels(
        0.08,
        0.0,
        2.0,
        unit="budget",
        doc="Cost of a letter/fax/e-mail",
        effect=Effect("share_letter", -1, span=(0.0, 0.3)),
    )
    cost_visit_subdistrict: float = channels(
        0.10,
        0.0,
        2.0,
        unit="budget",
        doc="Cost of a visit to the subdistrict office",
        effect=Effect("share_visit_subdistrict", -1, span=(0.0, 0.3)),
    )
    cost_visit_district: float = channels(
        0.15,
        0.0,
        2.0,
        unit="budget",
        doc="Cost of a visit to the district bureau",
        effect=Effect("share_visit_district", -1, span=(0.0, 0.4)),
    )
    cost_review: float = channels(
        0.03,
        0.0,
        2.0,
        unit="budget",
        doc="Cost of a review request",
        effect=Effect("review_requests_per_year", -1, span=(0.0, 0.5)),
    )
    cost_court: float = channels(
        0.30, 0.0, 2.0, unit="budget", doc="Cost of going to court", effect=Effect("share_court", -1, span=(0.0, 1.0))
    )
    cost_mediation: float = channels(
        0.02,
        0.0,
        2.0,
        unit="budget",
        doc="Cost of asking for mediation",
        effect=Effect("share_mediation", -1, span=(0.0, 0.3)),
    )
    cost_grid: float = channels(
        0.0,
        0.0,
        2.0,
        unit="budget",
        doc="Cost of telling the grid worker",
        effect=Effect("share_grid_worker", -1, span=(0.0, 0.3)),
    )
    cost_collective: float = channels(
        0.05,
        0.0,
        2.0,
        unit="budget",
        doc="Cost of organising a collective visit",
        effect=Effect("collective_visits_per_year", -1, span=(0.0, 0.5), world={"collective_issue_multiplier": 4.0}),
    )
    cost_skip_city: float = channels(
        0.12,
        0.0,
        2.0,
        unit="budget",
        doc="Cost of a skip-level visit to the city",
        effect=Effect("share_skip_city", -1, span=(0.0, 0.5)),
    )
    cost_skip_province: float = channels(
        0.25,
        0.0,
        2.0,
        unit="budget",
        doc="Cost of a skip-level visit to the province",
        effect=Effect("share_skip_province", -1, span=(0.0, 0.8)),
    )
    cost_skip_national: float = channels(
        0.50,
        0.0,
        5.0,
        unit="budget",
        doc="Cost of a visit to Beijing (进京访)",
        effect=Effect("share_skip_national", -1, span=(0.0, 1.5)),
    )
    cost_nonnormal: float = channels(
        0.30,
        0.0,
        5.0,
        unit="budget",
        doc="Cost of non-normal action",
        effect=Effect("nonnormal_per_year", -1, span=(0.0, 1.5)),
    )
    # Most grievances never reach the petition system: people climb a "dispute pyramid" (Felstiner, Abel &
    # Sarat 1980) and in China turn first to the hotline, the grid, mediation or nothing, petitioning as a
    # last resort (Michelson 2007; Minzner 2006). What the utility leaves out of that reluctance (the
    # label of petitioner, time lost, the office's reputation) is, as in discrete-choice practice
    # (Ben-Akiva & Lerman 1985; Train 2009, section 2.8), one alternative-specific constant subtracted
    # from every formal petition channel alike, so it moves voice between the petition system and the rest
    # and leaves the shares within each unchanged; calibrated to the observed petitions against 12345
    # contacts; 0 leaves it out.
    petition_reluctance: float = channels(
        0.0,
        0.0,
        3.0,
        unit="utility",
        doc="Alternative-specific constant against every formal petition channel: the reluctance to petition",
        effect=Effect("petitions_per_100_residents_year", -1, span=(0.0, 0.5)),
    )
    sanction_skip: float = channels(
        0.3,
        0.0,
        5.0,
        unit="utility",
        doc="Severity of interception and return for skip-level visits",
        effect=Effect("skip_attempts_per_year", -1, span=(0.0, 2.0)),
    )
    sanction_collective: float = channels(
        0.1,
        0.0,
        5.0,
        unit="utility",
        doc="Severity of sanctions for an orderly collective visit",
        effect=Effect("collective_visits_per_year", -1, span=(0.0, 2.0), world={"collective_issue_multiplier": 4.0}),
    )
    sanction_nonnormal: float = channels(
        1.0,
        0.0,
        5.0,
        unit="utility",
        doc="Severity of detention for non-normal action",
        effect=Effect("nonnormal_per_year", -1, span=(0.0, 3.0)),
    )
    norm_skip: float = channels(
        -0.2,
        -2.0,
        0.0,
        unit="utility",
        doc="Legality norm against skip-level visits, scaled by legitimacy",
        effect=Effect("skip_attempts_per_year", 1, span=(-1.0, 0.0)),
    )
    norm_nonnormal: float = channels(
        -0.6,
        -2.0,
        0.0,
        unit="utility",
        doc="Legality norm against non-normal action, scaled by legitimacy",
        effect=Effect("nonnormal_per_year", 1, span=(-1.5, 0.0)),
    )
    skip_trust_weight: float = channels(
        0.5,
        0.0,
        5.0,
        unit="utility",
        doc="Pull of trust in the centre over local trust on skip-level visits",
        effect=Effect("skip_attempts_per_year", 1, span=(0.0, 2.0)),
    )
    concession_prior: float = channels(
        0.2,
        0.0,
        1.0,
        unit="probability",
        doc="Prior belief that disruptive action wins concessions",
        effect=Effect("nonnormal_per_year", 1),
    )

    # --- petition offices (subdistrict, district, city) ------------------------------------
    subdistrict_staff: int = offices(
        6,
        1,
        200,
        unit="staff",
        doc="Petition staff per subdistrict/town office",
        effect=Effect("backlog_mean", -1, span=(1, 12)),
    )
    district_staff: int = offices(
        20,
        1,
        500,
        unit="staff",
        doc="Staff of the district bureau (with departments)",
        effect=Effect("backlog_mean", -1, span=(1, 40)),
    )
    city_staff: int = offices(
        10,
        1,
        500,
        unit="staff",
        doc="City bureau staff deciding reviews",
        effect=Effect("backlog_mean", -1, span=(1, 20)),
    )
    cases_per_staff_day: float = offices(
        2.0,
        0.05,
        20.0,
        unit="cases/staff/working day",
        doc="Cases one staff member can take on per working day",
        effect=Effect("backlog_mean", -1, span=(0.2, 4.0)),
    )
    handling_mean_days: float = offices(
        45.0,
        1.0,
        120.0,
        unit="days",
        doc="mu: mean investigation time of a case",
        effect=Effect("resolution_by_180_days", -1, span=(10.0, 90.0)),
    )
    handling_cv: float = offices(
        0.6,
        0.0,
        3.0,
        unit="cv",
        doc="Coefficient of variation of handling time",
        effect=Effect("reply_support_rate", -1, span=(0.0, 1.5)),
    )
    office_quality: float = offices(
        0.6,
        0.0,
        1.0,
        unit="probability",
        doc="q: chance a meritorious case is really solved",
        effect=Effect("substantive_resolution_rate", 1, span=(0.3, 0.9)),
    )
    subdistrict_quality_factor: float = offices(
        1.0,
        0.0,
        2.0,
        unit="x",
        doc="Quality of subdistrict offices relative to office_quality",
        effect=Effect("substantive_resolution_rate", 1, span=(0.5, 1.5)),
    )
    procedural_justice: float = offices(
        0.5,
        0.0,
        1.0,
        unit="[0,1]",
        doc="pi: voice, neutrality, respect and explanation in contacts",
        effect=Effect("legitimacy_local_mean", 1, span=(0.2, 0.9)),
    )
    recognition: float = offices(
        0.8,
        0.0,
        1.0,
        unit="probability",
        doc="r: a submission is registered and acknowledged (Dahrendorf)",
        # A brush-off is blocked voice (offices.refuse -> on_setback, blocked): it adds hostility (Coser), the
        # first thing recognition changes. Substantive resolution is not: a brushed-off household often turns
        # to mediation or the grid worker, which settle more often than a written reply.
        effect=Effect("hostility_mean", -1, span=(0.5, 1.0)),
    )
    routing_accuracy: float = offices(
        0.6,
        0.0,
        1.0,
        unit="probability",
        doc="Litigable matters correctly sent to court (诉访分离)",
        effect=Effect("share_court", 1),
    )
    extension_probability: float = offices(
        0.1,
        0.0,
        1.0,
        unit="probability",
        doc="A late case is extended (+30 days) with approval",
        effect=Effect("reply_support_rate", 1),
    )
    formal_reply_probability: float = offices(
        0.95,
        0.0,
        1.0,
        unit="probability",
        doc="A saturated office still replies formally on time",
        effect=Effect("formal_on_time_rate", 1, span=(0.5, 1.0)),
    )
    load_quality_penalty: float = offices(
        0.5,
        0.0,
        5.0,
        unit="1",
        doc="eta_load: loss of quality per unit of overload",
        effect=Effect("reply_support_rate", -1, span=(0.0, 2.0)),
    )
    leader_days_per_month: float = offices(
        4.0,
        0.0,
        22.0,
        unit="days/month",
        doc="Leaders' reception days (领导接访)",
        effect=Effect("legitimacy_local_mean", 1, span=(0.0, 15.0)),
    )
    baoan_probability: float = offices(
        0.1,
        0.0,
        1.0,
        unit="probability",
        doc="A returned or collective case gets a leader owner (包案)",
        # It acts on the replies to returned (交办) and collective cases, about 1 reply in 20.
        effect=Effect("returned_resolution_rate", 1),
    )
    leader_bonus: float = offices(
        0.2,
        0.0,
        1.0,
        unit="[0,1]",
        doc="Added quality and procedural justice of leader-owned cases",
        # It acts only on leader-owned replies: 1 in 35 in the default district (reception days, 包案), too few
        # for any district rate; where every returned (交办) case has a leader owner, their replies show it.
        # (Its added justice also makes unfavourable replies accepted more often: closure, not resolution.)
        effect=Effect("returned_resolution_rate", 1, span=(0.0, 0.5), world={"baoan_probability": 1.0}),
    )
    hearing_rate: float = offices(
        0.0,
        0.0,
        1.0,
        unit="share",
        doc="Share of re-reviews with a hearing (听证)",
        effect=Effect("terminated_acceptance_rate", 1, world={"cost_review": 0.0, "acceptance_intercept": -3.0}),
    )
    written_reasons: float = offices(
        0.5,
        0.0,
        1.0,
        unit="share",
        doc="Share of replies with written reasons (adds explanation)",
        effect=Effect("legitimacy_local_mean", 1),
    )
    first_contact_priority: float = offices(
        0.0,
        0.0,
        1.0,
        unit="probability",
        doc="First submissions handled with priority (首办责任, 初信初访)",
        effect=Effect("resolution_by_180_days", 1, world={"cases_per_staff_day": 0.3}),
    )
    finality: float = offices(
        0.8,
        0.0,
        1.0,
        unit="probability",
        doc="A terminated matter is refused by higher levels (不再受理、交办)",
        # Refused (sinks.HigherLevel -> on_setback, blocked), the household has only court and escalation
        # left and tries again; returned, the matter is in process at the district. Terminated matters are
        # under 1 % of issues ended, too few to move the exit share, and their extra tries are lost among all
        # skip-level attempts: the outcome counts the tries on terminated matters, where households think
        # again weekly and more of them reach termination (see rereview_window_days).
        effect=Effect("terminated_skip_attempts_per_year", 1, world={"reconsider_days": 7}),
    )
    copy_deduplication: float = offices(
        0.5,
        0.0,
        1.0,
        unit="probability",
        doc="An office merges the copies of an online petition campaign",
        effect=Effect("copy_acceptance_rate", -1, world={"collective_issue_multiplier": 4.0}),
    )
    campaign_rejection: float = offices(
        0.3,
        0.0,
        1.0,
        unit="probability",
        doc="A de-duplicated campaign is rejected as a mass petition",
        effect=Effect(
            "isolated_online_acceptance_rate", -1, world={"collective_issue_multiplier": 4.0, "copy_deduplication": 1.0}
        ),
    )

    # --- grid workers and mediation (Fengqiao) ----------------------------------------------
    grid_visits_per_month: float = fengqiao(
        0.5,
        0.0,
        30.0,
        unit="visits/household/month",
        doc="f: grid-worker visits to each household",
        effect=Effect("grid_detections_per_year", 1, span=(0.0, 2.0)),
    )
    grid_detection: float = fengqiao(
        0.4,
        0.0,
        1.0,
        unit="probability",
        doc="d: a visit finds an open issue",
        effect=Effect("grid_detections_per_year", 1),
    )
    grid_quick_fix: float = fengqiao(
        0.3,
        0.0,
        1.0,
        unit="probability",
        doc="A minor detected issue is fixed on the spot",
        effect=Effect("ended_share_community", 1),
    )
    # Off by default: the level an issue needs is drawn independently of its category, so with the rule on most
    # mediable civil disputes would "need" more than the community (ended in the community 0.25 -> 0.16 at 1:4).
    grid_level_rule: bool = fengqiao(
        False,
        doc="Grid workers settle only what the community can (level needed) and report the rest "
        "(小事不出社区，大事不出街办); off: any matter they can fix or refer",
        effect=Effect("ended_share_community", -1),
    )
    grid_capacity: float = fengqiao(
        3.0,
        0.1,
        100.0,
        unit="cases/day",
        doc="Detected cases a grid worker can take a day",
        effect=Effect("grid_detections_per_year", 1, span=(0.1, 5.0)),
    )
    grid_visit_capacity: float = fengqiao(
        20.0,
        0.1,
        200.0,
        unit="households/day",
        doc="Households a grid worker can visit in a day",
        effect=Effect("grid_detections_per_year", 1, span=(2.0, 40.0), world={"grid_visits_per_month": 2.0}),
    )
    mediators_per_community: float = fengqiao(
        4.7,
        0.0,
        50.0,
        unit="mediators",
        source="S",
        doc=">=3 by law plus 1.7 五老 per community in Xining",
        effect=Effect("resolution_by_180_days", 1, span=(0.5, 8.0)),
    )
    mediation_cases_per_mediator_day: float = fengqiao(
        0.3,
        0.01,
        5.0,
        unit="cases/day",
        doc="Mediation capacity of one mediator",
        effect=Effect("resolution_by_180_days", 1, span=(0.02, 1.0)),
    )
    mediation_success: float = fengqiao(
        0.85,
        0.0,
        1.0,
        unit="probability",
        source="S",
        doc="p_med for civil (mediable) disputes",
        effect=Effect("mediation_success_rate", 1, span=(0.5, 1.0)),
    )
    mediation_success_other: float = fengqiao(
        0.3,
        0.0,
        1.0,
        unit="probability",
        doc="Mediation success for administrative matters",
        effect=Effect("mediation_success_rate", 1),
    )
    mediation_days: float = fengqiao(
        11.0,
        1.0,
        90.0,
        unit="days",
        doc="Mean duration of a mediation",
        # Even 60-day mediations end well within 180 days: the length moves when issues are resolved, not how many.
        effect=Effect("median_days_to_resolution", 1, span=(5.0, 60.0)),
    )
    representative_organisation: float = fengqiao(
        0.2,
        0.0,
        1.0,
        unit="probability",
        doc="o: a group acts through <=5 representatives",
        effect=Effect("mean_collective_size", -1, world={"collective_issue_multiplier": 4.0}),
    )
    dialogue_threshold_shift: float = fengqiao(
        0.1,
        0.0,
        1.0,
        unit="share of group",
        doc="Thresholds rise after an early dialogue with a group",
        effect=Effect(
            "mean_collective_days",
            -1,
            span=(0.0, 0.5),
            world={"collective_issue_multiplier": 8.0, "representative_organisation": 0.5},
        ),
    )
    # Effect: more of the willing come each day, so more call-outs reach five people; at 1 (every willing member
    # comes every day, Granovetter's rule as stated) turnout is the same every day that nothing else changes.
    attendance_probability: float = fengqiao(
        1.0,
        0.1,
        1.0,
        unit="probability",
        doc="A willing member of a collective event comes on a given day (work, family, fatigue)",
        effect=Effect("collective_visits_per_year", 1, span=(0.5, 1.0), world={"collective_issue_multiplier": 4.0}),
    )
    # Effect: an event that dips below five can come back inside the quiet window only when daily turnout varies:
    # at full attendance, turnout changes only with grievance, trust and control, and a dip is the end.
    event_quiet_days: int = fengqiao(
        3,
        1,
        60,
        unit="days",
        doc="A collective event ends after this many days with fewer than 5 active",
        effect=Effect(
            "mean_collective_days",
            1,
            span=(1, 10),
            world={"collective_issue_multiplier": 4.0, "attendance_probability": 0.7},
        ),
    )

    # --- courts and the 12345 hotline -----------------------------------------------------
    court_acceptance: float = courts(
        0.5,
        0.0,
        1.0,
        unit="probability",
        source="S",
        doc="p_court: a litigable case is accepted (Yu 2004)",
        effect=Effect("ended_share_court", 1, world={"routing_accuracy": 1.0, "cost_court": 0.05}),
    )
    court_success: float = courts(
        0.8,
        0.0,
        1.0,
        unit="probability",
        doc="A meritorious accepted case is won",
        effect=Effect("ended_share_court", 1, world={"routing_accuracy": 1.0, "cost_court": 0.05}),
    )
    court_days_min: int = courts(
        90,
        1,
        1000,
        unit="days",
        doc="Shortest court procedure",
        effect=Effect("ended_share_court", -1, span=(30, 180), world={"routing_accuracy": 1.0, "cost_court": 0.05}),
    )
    court_days_max: int = courts(
        180,
        1,
        2000,
        unit="days",
        doc="Longest court procedure",
        effect=Effect("ended_share_court", -1, span=(180, 720), world={"routing_accuracy": 1.0, "cost_court": 0.05}),
    )
    hotline_dispatch_accuracy: float = courts(
        0.85,
        0.0,
        1.0,
        unit="probability",
        doc="A 12345 work order reaches the competent office first time",
        # A misdirected order only reaches the office 4-10 days late instead of the next day (sinks.Hotline):
        # issues stay open longer, so the grievance held in open issues is larger. The median time to
        # resolution, counted in whole days over all issues, does not show a few days on one channel.
        effect=Effect("grievance_stock_mean", -1),
    )

    # --- district manager, evaluation, control --------------------------------------------
    control_share: float = manager(
        0.4,
        0.0,
        1.0,
        unit="share of budget",
        doc="x_ctrl: initial share of effort on control (维稳) not resolution",
        effect=Effect("intercepted_share", 1, world={"adaptive_manager": False}),
    )
    adaptive_manager: bool = manager(
        True,
        doc="The manager re-splits effort each quarter to raise its score",
        effect=Effect("control_share_travel", 1),
    )
    manager_step: float = manager(
        0.1,
        0.0,
        0.5,
        unit="share of budget",
        doc="Hill-climbing step of the split",
        effect=Effect("control_share_travel", 1),
    )
    resolution_quality_gain: float = manager(
        0.2,
        0.0,
        1.0,
        unit="probability",
        doc="Added office quality at full resolution effort",
        effect=Effect("substantive_resolution_rate", 1, world={"control_share": 0.1, "adaptive_manager": False}),
    )
    interception_enabled: bool = manager(
        True, doc="The district intercepts skip-level petitioners (截访)", effect=Effect("intercepted_share", 1)
    )
    interception_base: float = manager(
        0.4,
        0.0,
        1.0,
        unit="probability",
        doc="iota_0: interception chance at the initial control share",
        effect=Effect("intercepted_share", 1),
    )
    buyoffs_enabled: bool = manager(
        True, doc="The district pays off skip-level and collective petitioners", effect=Effect("buyoffs_per_year", 1)
    )
    buyoff_probability: float = manager(
        0.3,
        0.0,
        1.0,
        unit="probability",
        doc="kappa_buy: a disruptive event is paid off",
        effect=Effect("buyoffs_per_year", 1),
    )
    buyoff_merit_blind: bool = manager(
        True,
        doc="Buy-offs ignore merit (stability paradox)",
        # Claims without merit are 8 % of issues: the buy-offs they add are lost in the seed-to-seed spread
        # of all buy-offs (+55 ± 38 a year on 12 seeds), so the outcome is what is paid on them.
        effect=Effect("compensation_without_merit", 1),
    )
    repression_legitimacy_loss: float = manager(
        0.10,
        0.0,
        1.0,
        unit="[0,1]",
        doc="delta_rep: local legitimacy lost when intercepted",
        effect=Effect("legitimacy_local_mean", -1, span=(0.0, 0.3)),
    )
    intercept_grievance: float = manager(
        0.10,
        0.0,
        1.0,
        unit="grievance",
        doc="Hostility added to an intercepted petitioner",
        effect=Effect("nonnormal_per_year", 1, span=(0.0, 0.5)),
    )
    center_trust_loss: float = manager(
        0.05,
        0.0,
        1.0,
        unit="[0,1]",
        source="S",
        doc="delta_C: trust in the centre lost when turned back (Li 2004)",
        effect=Effect("legitimacy_center_mean", -1, span=(0.0, 0.2)),
    )
    center_trust_gain: float = manager(
        0.05,
        0.0,
        1.0,
        unit="[0,1]",
        doc="Trust in the centre gained when a returned case is resolved",
        effect=Effect("legitimacy_center_mean", 1, span=(0.0, 0.2)),
    )
    center_fix_probability: float = manager(
        0.1,
        0.0,
        1.0,
        unit="probability",
        doc="A returned skip-level case is ordered fixed with priority",
        effect=Effect("returned_resolution_rate", 1),
    )
    # Effect: longer detention keeps more people detained, and also keeps them from acting again (0 -> 60 days cuts
    # non-normal acts by ~440 a year, z -11.7 on 6 seeds, with only the grievance pull raised), which offsets the
    # stock (+4.6, z +1.0); where residents turn to non-normal action it has room: +90 detained, z +8.1
    # (3 December 2026, `python -m experiments.dead_parameters --only detention_max_days --seeds 6 --days 450`).
    detention_max_days: int = manager(
        15,
        0,
        365,
        unit="days",
        doc="Longest administrative detention",
        effect=Effect("detained_mean", 1, span=(0, 60), world={**RADICAL, "legitimacy_mean": 0.55}),
    )
    nonnormal_national_share: float = manager(
        0.3,
        0.0,
        1.0,
        unit="share",
        doc="Non-normal acts staged in Beijing (进京), which count toward the veto",
        effect=Effect("nonnormal_national_per_year", 1),
    )
    # Effect: one loss per non-normal act; the default district has about 15 a year, which moves mean local trust
    # by ~1e-4, below the spread between seeds; it has room where residents turn to non-normal action.
    nonnormal_neighbour_loss: float = manager(
        0.02,
        0.0,
        1.0,
        unit="[0,1]",
        doc="delta_nn: local legitimacy ties lose after a non-normal act",
        effect=Effect("legitimacy_local_mean", -1, span=(0.0, 0.2), world=RADICAL),
    )
    # Effect (and veto_enabled's): the veto reads national non-normal acts, about 3 a year in the default
    # district, so most seeds never see one; with every non-normal act staged in Beijing it has room.
    veto_threshold: int = manager(
        1,
        1,
        1000,
        unit="events/month",
        doc="National non-normal events in a month that trigger the veto",
        effect=Effect("veto_months_per_year", -1, span=(1, 20), world=IN_BEIJING),
    )
    weight_on_time: float = manager(
        1.0, 0.0, 10.0, unit="points", doc="Score weight of on-time closure", effect=Effect("evaluation_score_mean", 1)
    )
    weight_satisfaction: float = manager(
        1.0, 0.0, 10.0, unit="points", doc="Score weight of satisfaction", effect=Effect("evaluation_score_mean", 1)
    )
    weight_substantive: float = manager(
        0.0,
        0.0,
        10.0,
        unit="points",
        doc="Score weight of independently verified resolution",
        effect=Effect("evaluation_score_mean", 1),
    )
    weight_skip: float = manager(
        0.05,
        0.0,
        5.0,
        unit="points/event",
        doc="Penalty per skip-level visit",
        effect=Effect("evaluation_score_mean", -1, span=(0.0, 1.0), world={"veto_enabled": False}),
    )
    weight_collective: float = manager(
        0.1,
        0.0,
        5.0,
        unit="points/event",
        doc="Penalty per collective visit",
        effect=Effect("evaluation_score_mean", -1, span=(0.0, 1.0), world={"veto_enabled": False}),
    )
    weight_nonnormal: float = manager(
        0.3,
        0.0,
        5.0,
        unit="points/event",
        doc="Penalty per non-normal event",
        effect=Effect("evaluation_score_mean", -1, span=(0.0, 1.0), world={"veto_enabled": False}),
    )
    weight_overdue: float = manager(
        0.01,
        0.0,
        5.0,
        unit="points/case",
        doc="Penalty per overdue case",
        effect=Effect("evaluation_score_mean", -1, span=(0.0, 1.0), world={"veto_enabled": False}),
    )
    veto_enabled: bool = manager(
        True,
        doc="One-vote veto: a national non-normal event voids the month",
        effect=Effect("veto_months_per_year", 1, world=IN_BEIJING),
    )
    satisfaction_mode: str = manager(
        "revisit_formal",
        choices=("revisit_formal", "independent"),
        doc="Satisfaction as recorded by revisit calls or measured independently",
        effect=Effect("satisfaction_rate", -1),
    )
    compensation_unit: float = manager(
        1.0,
        0.0,
        100.0,
        unit="cost units/severity",
        doc="Compensation paid per unit of severity",
        effect=Effect("compensation_total", 1, span=(0.5, 5.0)),
    )

    # --- shocks -----------------------------------------------------------------------------
    shock_mode: str = shocks(
        "none",
        choices=("none", "sudden", "gradual"),
        doc="Legitimacy shock: none, one drop, or the same drop spread out",
        effect=Effect("legitimacy_local_mean", -1),
    )
    shock_day: int = shocks(
        365,
        0,
        10_000,
        unit="day",
        doc="Day the legitimacy shock starts",
        effect=Effect("legitimacy_local_mean", 1, span=(100, 600), world={"shock_mode": "sudden"}),
    )
    shock_size: float = shocks(
        0.2,
        0.0,
        1.0,
        unit="[0,1]",
        doc="Total drop in local legitimacy",
        effect=Effect("legitimacy_local_mean", -1, span=(0.0, 0.4), world={"shock_mode": "sudden"}),
    )
    shock_days: int = shocks(
        200,
        1,
        5_000,
        unit="days",
        doc="Days over which a gradual shock spreads",
        effect=Effect("legitimacy_local_mean", 1, span=(30, 600), world={"shock_mode": "gradual"}),
    )
    wave_category: str = shocks(
        "none",
        choices=(
            "none",
            "land_housing",
            "labour",
            "social_services",
            "law_related",
            "market",
            "neighbourhood",
            "environment",
            "other",
        ),
        doc="Category of an issue wave",
        effect=Effect("issues_per_year", 1, world={"wave_multiplier": 5.0, "wave_day": 400}),
    )
    wave_day: int = shocks(
        365,
        0,
        10_000,
        unit="day",
        doc="First day of the issue wave",
        effect=Effect("issues_per_year", 1, span=(100, 400), world={"wave_category": "land_housing"}),
    )
    wave_days: int = shocks(
        90,
        1,
        5_000,
        unit="days",
        doc="Length of the issue wave",
        effect=Effect("issues_per_year", 1, span=(10, 200), world={"wave_category": "land_housing", "wave_day": 400}),
    )
    wave_multiplier: float = shocks(
        3.0,
        1.0,
        50.0,
        unit="x",
        doc="Arrival multiplier during the wave",
        effect=Effect("issues_per_year", 1, span=(1.0, 5.0), world={"wave_category": "land_housing", "wave_day": 400}),
    )

    def __new__(cls, *args: Any, **kwargs: Any) -> Params:
        # Runs before the generated __init__, so an unknown name is a ParameterError, not a TypeError.
        _check_call(args, kwargs)
        return object.__new__(cls)

    def __post_init__(self) -> None:
        for f in fields(self):
            _check(f, getattr(self, f.name))
        _check_district(self)
        if self.reasonable_share + self.partly_reasonable_share > 1:
            raise ParameterError(
                "partly_reasonable_share",
                self.partly_reasonable_share,
                "reasonable_share + partly_reasonable_share must not exceed 1",
            )
        if self.court_days_min > self.court_days_max:
            raise ParameterError(
                "court_days_min", self.court_days_min, f"must not exceed court_days_max={self.court_days_max}"
            )
        if self.level_needed_community + self.level_needed_subdistrict + self.level_needed_district > 1:
            raise ParameterError(
                "level_needed_district",
                self.level_needed_district,
                "level_needed_community + level_needed_subdistrict + level_needed_district must not exceed 1",
            )
        if self.collective_large_people < self.collective_min_people:
            raise ParameterError(
                "collective_large_people",
                self.collective_large_people,
                f"must be at least collective_min_people={self.collective_min_people}",
            )

    @property
    def households(self) -> int:
        """Real households in the district."""
        return round(self.population / self.household_size)

    @property
    def agents(self) -> int:
        """Resident agents simulated (one per `households_per_agent` real households)."""
        return max(1, round(self.households / self.households_per_agent))

    def replace(self, **changes: Any) -> Params:
        """A copy with some fields changed; unknown names and bad values raise `ParameterError`.

        Changing `district` also brings the district file's figures (population, household size, grid
        size) unless `changes` sets them too.
        """
        _check_names(changes)
        return dataclasses.replace(self, **_with_district_figures(changes))

    @classmethod
    def from_mapping(cls, values: dict[str, Any]) -> Params:
        """Build from a mapping (TOML table, CLI); unknown names raise `ParameterError`.

        A `district` brings its file's figures, as in `replace`, where the mapping does not set them.
        """
        _check_names(values)
        return cls(**_with_district_figures(values))

    @classmethod
    def from_toml(cls, path: Path) -> Params:
        """Read parameters from a flat TOML file; unknown keys are an error."""
        return cls.from_mapping(read_toml(path))

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def to_toml(self, path: Path) -> None:
        """Write these parameters as TOML, readable by `from_toml`."""
        path.write_text(tomli_w.dumps(self.to_dict()))

    def changed(self, other: Params) -> dict[str, tuple[Any, Any]]:
        """Fields whose values differ from `other`, as name -> (other's value, this value)."""
        return {
            f.name: (getattr(other, f.name), getattr(self, f.name))
            for f in fields(self)
            if getattr(other, f.name) != getattr(self, f.name)
        }


PARAM_FIELDS = {f.name: f for f in fields(Params)}


def allowed(f: dataclasses.Field) -> str:
    """The allowed values of a field, as users read them."""
    m = f.metadata
    if m["choices"]:
        return "one of " + ", ".join(m["choices"])
    if isinstance(f.default, bool):
        return "true or false"
    if isinstance(f.default, str):
        return "a bundled name or a .toml file"
    kind = "an integer" if isinstance(f.default, int) else "a number"
    unit = f" {m['unit']}" if m["unit"] else ""
    return f"{kind} in [{m['min']}, {m['max']}]{unit}"


def _check(f: dataclasses.Field, value: Any) -> None:
    expected = type(f.default)
    ok_type = (
        isinstance(value, bool)
        if expected is bool
        else isinstance(value, int) and not isinstance(value, bool)
        if expected is int
        else isinstance(value, int | float) and not isinstance(value, bool)
        if expected is float
        else isinstance(value, str)
    )
    if not ok_type:
        raise ParameterError(f.name, value, f"must be {allowed(f)}")
    m = f.metadata
    if m["choices"] and value not in m["choices"]:
        raise ParameterError(f.name, value, f"must be {allowed(f)}")
    if m["min"] is not None and not (m["min"] <= value <= m["max"]):
        raise ParameterError(f.name, value, f"must be {allowed(f)}")


def _check_district(params: Params) -> None:
    """The district must be a bundled one or a readable district file; a file is kept by its absolute path."""
    from conflict_sim import districts  # here, not at the top: reading a district file is not a light import

    name = params.district
    if not districts.is_file_name(name) and name not in districts.names():
        raise ParameterError(
            "district", name, f"must be a bundled district ({', '.join(districts.names())}) or a district .toml file"
        )
    if districts.is_file_name(name):
        object.__setattr__(params, "district", str(Path(name).resolve()))  # the same file from any working folder
    districts.load(params.district)


def _with_district_figures(values: dict[str, Any]) -> dict[str, Any]:
    """`values` with the figures of the district it names, where it does not set them itself.

    The district file's figures are checked here against these parameters' ranges, naming the file.
    """
    name = values.get("district")
    if not isinstance(name, str):
        return values
    from conflict_sim import districts

    if not districts.is_file_name(name) and name not in districts.names():
        return values  # construction reports the unknown name as a parameter error
    data = districts.load(name)
    for key, value in data.figures.items():
        try:
            _check(PARAM_FIELDS[key], value)
        except ParameterError as exc:
            raise districts.DistrictError(f"district {data.path}: field {key}: {exc.allowed} (got {value!r})") from None
    return {**data.figures, **values}


def _check_call(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    if args:
        raise ParameterError("Params", args[0], "takes keyword arguments only, e.g. Params(office_quality=0.7)")
    _check_names(kwargs)


def _check_names(values: dict[str, Any]) -> None:
    for name in values:
        if name not in PARAM_FIELDS:
            raise ParameterError(name, values[name], "unknown parameter (see `conflict-sim list params`)")


def parse_assignment(text: str) -> tuple[str, Any]:
    """Parse a CLI `name=value` into a typed pair, using the field's type."""
    name, sep, raw = text.partition("=")
    name = name.strip()
    if not sep:
        raise ConflictSimError(f"--set {text!r}: expected name=value")
    if name not in PARAM_FIELDS:
        raise ParameterError(name, raw, "unknown parameter (see `conflict-sim list params`)")
    f = PARAM_FIELDS[name]
    kind: Any = type(f.default)
    raw = raw.strip()
    try:
        if kind is bool:
            if raw.lower() not in ("true", "false", "1", "0"):
                raise ValueError
            return name, raw.lower() in ("true", "1")
        return name, kind(raw) if kind is not int else int(raw)
    except ValueError:
        raise ParameterError(name, raw, f"must be {allowed(f)}") from None


def parse_assignments(texts: list[str]) -> dict[str, Any]:
    """Repeated `--set name=value` pairs; the same name twice is an error rather than a silent last-one-wins."""
    changes: dict[str, Any] = {}
    for text in texts:
        name, value = parse_assignment(text)
        if name in changes:
            raise ParameterError(name, value, f"set twice (--set {name}={changes[name]!r} already given)")
        changes[name] = value
    return changes
