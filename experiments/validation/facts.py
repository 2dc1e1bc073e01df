"""The stylized facts of docs/validation.md, each as a function from a `Bench` to a `Fact`.

A fact runs its arms on one fixed seed set, compares them on common seeds, and states every
criterion with its margin. Criteria the model does not meet are reported as such, never forced.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from conflict_sim import rules
from conflict_sim.catalogue import Window, monthly_dispersion
from conflict_sim.params import Params
from conflict_sim.policies import REGISTRY
from conflict_sim.run import simulate
from experiments.validation.seedsets import Arm, Paired, outcome, run_arms, seed_set

DISRUPTIVE = (
    "share_collective_visit",
    "share_skip_city",
    "share_skip_province",
    "share_skip_national",
    "share_nonnormal",
)


@dataclass(frozen=True)
class Check:
    """One criterion of a fact: what was measured, the margin it had to clear, and whether it did."""

    name: str
    measured: str
    margin: str
    passed: bool


@dataclass(frozen=True)
class Fact:
    """A stylized fact's result: its criteria and the numbers its figure draws."""

    id: str
    pattern: str
    checks: tuple[Check, ...]
    data: dict[str, Any] = field(default_factory=dict, repr=False)

    def check(self, name: str) -> Check:
        return next(c for c in self.checks if c.name == name)


class Bench:
    """Runs arms on one seed set and horizon, each distinct arm only once."""

    def __init__(self, params: Params, seeds: list[int], days: int, workers: int = 2, warmup_days: int = 0) -> None:
        self.params, self.seeds, self.days, self.workers, self.warmup_days = params, seeds, days, workers, warmup_days
        self._cache: dict[Arm, list] = {}

    def arm(self, *policies: Any, **changes: Any) -> Arm:
        return Arm(self.params.replace(**changes), tuple(policies))

    def run(self, *arms: Arm) -> list[list]:
        todo = [a for a in dict.fromkeys(arms) if a not in self._cache]
        if todo:
            found = run_arms(todo, self.seeds, self.days, workers=self.workers, warmup_days=self.warmup_days)
            self._cache |= dict(zip(todo, found, strict=True))
        return [self._cache[a] for a in arms]


def _beyond(effect: Paired, sign: int, k: float = 3.0) -> bool:
    return sign * effect.mean > k * effect.se


def _disruptive(results: list) -> np.ndarray:
    return sum(outcome(results, key) for key in DISRUPTIVE)


def sf1_pyramid(bench: Bench) -> Fact:
    """SF-1: pyramid vs inverted pyramid.

    Adequate local organs keep >= 80 % of issues at or below the subdistrict; weakening them (half the
    quality, half the subdistrict staff) moves issues up and raises skip-level petitions.
    """
    adequate = bench.arm(REGISTRY["fast_handling"](), REGISTRY["fengqiao_mediation"](), REGISTRY["grid_detection"]())
    weak = bench.arm(
        office_quality=bench.params.office_quality / 2, subdistrict_staff=max(1, bench.params.subdistrict_staff // 2)
    )
    base, good, bad = bench.run(bench.arm(), adequate, weak)

    def local(r: list) -> np.ndarray:
        return outcome(r, "ended_share_community") + outcome(r, "ended_share_subdistrict")

    def upper(r: list) -> np.ndarray:
        return outcome(r, "ended_share_district") + outcome(r, "ended_share_city")

    up, skip = (
        Paired.of(upper(base), upper(bad)),
        Paired.of(outcome(base, "skip_level_rate"), outcome(bad, "skip_level_rate")),
    )
    share = local(good)
    checks = (
        Check(
            "adequate_local_share",
            f"{share.mean():.3f} (seed range {share.min():.3f}-{share.max():.3f})",
            "every seed >= 0.80",
            bool((share >= 0.80).all()),
        ),
        Check("weak_local_moves_up", f"district+city share {up}", "> 3 SE", _beyond(up, +1)),
        Check("weak_local_more_skips", f"skip-level rate {skip}", "> 3 SE", _beyond(skip, +1)),
    )
    data = {
        "arms": ["adequate", "baseline", "weak local"],
        "local": [local(good), local(base), local(bad)],
        "upper": [upper(good), upper(base), upper(bad)],
    }
    return Fact("SF-1", "Pyramid vs inverted pyramid", checks, data)


def collective_events(params: Params, seeds: list[int], days: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Days and sizes of every collective event of each run (from the run's event log)."""
    found = []
    for seed in seeds:
        events = simulate(params, seed=seed, days=days).events.collective
        found.append((events["start"].to_numpy(), events["peak_people"].to_numpy()))
    return found


def sf2_bursts(params: Params, seeds: list[int], days: int) -> Fact:
    """SF-2: bursty collective incidents.

    Monthly collective-visit counts are overdispersed, inter-event times have CV > 1, and the
    event-size CCDF is roughly straight on log-log axes over at least a decade (the dispersion is the
    catalogue's `monthly_dispersion`, of the sample's counts).
    """
    events = collective_events(params, seeds, days)
    whole_run = Window(0, days - 1)
    dispersion = np.array([monthly_dispersion(d, whole_run) for d, _ in events])
    cv = np.array([np.diff(np.sort(d)).std() / np.diff(np.sort(d)).mean() for d, _ in events if len(d) > 2])
    sizes = np.sort(np.concatenate([s for _, s in events]))
    ccdf = 1.0 - np.arange(len(sizes)) / len(sizes)
    decades = float(np.log10(sizes.max() / sizes.min())) if len(sizes) else 0.0
    fit = np.polyfit(np.log10(sizes), np.log10(ccdf), 1)
    residual = np.log10(ccdf) - np.polyval(fit, np.log10(sizes))
    r2 = 1 - residual.var() / np.log10(ccdf).var()

    def spread(x: np.ndarray) -> str:
        return f"{x.mean():.2f} ± {x.std(ddof=1) / np.sqrt(len(x)):.2f} SE over {len(x)} seeds"

    se = lambda x: x.std(ddof=1) / np.sqrt(len(x))  # noqa: E731
    checks = (
        Check(
            "overdispersed_months",
            f"variance/mean {spread(dispersion)}",
            "mean - 3 SE > 1.5",
            bool(dispersion.mean() - 3 * se(dispersion) > 1.5),
        ),
        Check("interevent_cv", f"CV {spread(cv)}", "mean - 3 SE > 1", bool(cv.mean() - 3 * se(cv) > 1)),
        Check(
            "size_ccdf_power_law",
            f"{decades:.2f} decades, log-log R² {r2:.3f}, slope {fit[0]:.2f}",
            ">= 1 decade and R² >= 0.9",
            bool(decades >= 1 and r2 >= 0.9),
        ),
    )
    data = {
        "dispersion": dispersion,
        "cv": cv,
        "sizes": sizes,
        "ccdf": ccdf,
        "fit": fit,
        "monthly": np.bincount(events[0][0] // 30, minlength=days // 30)[: days // 30],
    }
    return Fact("SF-2", "Bursty collective incidents", checks, data)


def sf5_concessions(bench: Bench) -> Fact:
    """SF-5: concessions teach disruption.

    Doubling the buy-off probability raises the share of disruptive channel choices (collective,
    skip-level, non-normal) over the run, and the compensation bill.
    """
    p = bench.params
    raised = bench.arm(buyoff_probability=min(1.0, 2 * p.buyoff_probability))
    base, more = bench.run(bench.arm(), raised)
    disruption = Paired.of(_disruptive(base), _disruptive(more))
    cost = Paired.of(outcome(base, "compensation_total"), outcome(more, "compensation_total"))
    checks = (
        Check("more_disruptive_choices", f"disruptive channel share {disruption}", "> 3 SE", _beyond(disruption, +1)),
        Check("more_compensation", f"compensation {cost}", "> 3 SE", _beyond(cost, +1)),
    )
    data = {
        "kappa": [p.buyoff_probability, min(1.0, 2 * p.buyoff_probability)],
        "disruptive": [_disruptive(base), _disruptive(more)],
        "compensation": [outcome(base, "compensation_total"), outcome(more, "compensation_total")],
    }
    return Fact("SF-5", "Concessions teach disruption", checks, data)


SF6_LEVELS = (0.0, 1 / 3, 2 / 3, 1.0)
SF6_OUTCOMES = {"substantive_resolution_rate": +1, "satisfaction_rate": +1, "repeat_rate": -1, "escalation_rate": -1}


def sf6_fast_fair(bench: Bench) -> Fact:
    """SF-6: fast, fair response pays.

    From μ 45 d, q 0.6, π 0.5 to μ 15 d, q 0.85, π 0.8 in equal steps, resolution and satisfaction
    rise and repeat and escalation fall monotonically, with diminishing returns.
    """
    p = bench.params
    arms = [
        bench.arm(
            handling_mean_days=p.handling_mean_days - 30 * t,
            office_quality=p.office_quality + 0.25 * t,
            procedural_justice=p.procedural_justice + 0.3 * t,
        )
        for t in SF6_LEVELS
    ]
    results = bench.run(*arms)
    checks, data = [], {"levels": SF6_LEVELS}
    for key, sign in SF6_OUTCOMES.items():
        values = [outcome(r, key) for r in results]
        steps = [Paired.of(a, b) for a, b in itertools.pairwise(values)]
        whole = Paired.of(values[0], values[-1])
        checks.append(Check(f"{key}_moves", f"whole range {whole}", "> 3 SE", _beyond(whole, +sign)))
        checks.append(
            Check(
                f"{key}_monotone",
                "steps " + ", ".join(f"{s.mean:+.4f} ± {s.se:.4f}" for s in steps),
                "no step against the direction by > 2 SE",
                all(not _beyond(s, -sign, 2.0) for s in steps),
            )
        )
        data[key] = values
        if key == "substantive_resolution_rate":
            first, last = values[1] - values[0], values[-1] - values[-2]
            slowing = Paired.of(last, first)
            checks.append(
                Check("diminishing_returns", f"first step gain minus last {slowing}", "> 3 SE", _beyond(slowing, +1))
            )
    return Fact("SF-6", "Fast, fair response pays", tuple(checks), data)


def sf7_channels(bench: Bench) -> Fact:
    """SF-7: channel substitution.

    Cheaper online petitions raise the online share of 信访 petitions (to 40-60 %) and lower the visit
    share; total voiced demand may rise (reported, not required).
    """
    base, low = bench.run(bench.arm(), bench.arm(cost_online=0.0))
    online = Paired.of(outcome(base, "online_share_of_petitions"), outcome(low, "online_share_of_petitions"))
    visit = Paired.of(outcome(base, "visit_share_of_petitions"), outcome(low, "visit_share_of_petitions"))
    volume = Paired.of(outcome(base, "petitions_per_year"), outcome(low, "petitions_per_year"))
    level = outcome(low, "online_share_of_petitions")
    checks = (
        Check("online_share_rises", f"online share of petitions {online}", "> 3 SE", _beyond(online, +1)),
        Check("visit_share_falls", f"visit share of petitions {visit}", "< -3 SE", _beyond(visit, -1)),
        Check(
            "online_share_level",
            f"{level.mean():.3f} (seed range {level.min():.3f}-{level.max():.3f})",
            "every seed in [0.40, 0.60]",
            bool(((level >= 0.4) & (level <= 0.6)).all()),
        ),
    )
    data = {
        "arms": ["baseline", "online free"],
        "online": [outcome(base, "online_share_of_petitions"), level],
        "visits": [outcome(base, "visit_share_of_petitions"), outcome(low, "visit_share_of_petitions")],
        "volume": volume,
    }
    return Fact("SF-7", "Channel substitution", checks, data)


SF9_SIGMAS = (0.04, 0.06, 0.08, 0.10, 0.11, 0.12, 0.13, 0.14, 0.16, 0.20)


def sf9_thresholds(params: Params, groups: int = 400, size: int = 100, root: int = 9) -> Fact:
    """SF-9: threshold sensitivity.

    With threshold mean 0.25 the collective module's cascade flips from a few participants to nearly
    everyone as the threshold SD crosses about 0.10-0.12 (Granovetter).
    """
    rng = np.random.default_rng(root)
    participation = []
    for sigma in SF9_SIGMAS:
        shares = []
        for _ in range(groups):  # thresholds drawn as the model draws a group's (model._new_group)
            thresholds = np.clip(rng.normal(params.threshold_mean, sigma, size), 0.0, 1.0)
            thresholds[rng.random(size) < params.instigator_share] = 0.0
            thresholds[0] = 0.0
            shares.append(rules.granovetter_cascade(thresholds, np.ones(size, bool)).mean())
        participation.append(float(np.mean(shares)))
    by_sigma = dict(zip(SF9_SIGMAS, participation, strict=True))
    flip = float(np.interp(0.5, participation, SF9_SIGMAS))  # participation rises with σ
    checks = (
        Check("few_below", f"participation at σ 0.06: {by_sigma[0.06]:.2f}", "< 0.2", by_sigma[0.06] < 0.2),
        Check("nearly_all_above", f"participation at σ 0.16: {by_sigma[0.16]:.2f}", "> 0.8", by_sigma[0.16] > 0.8),
        Check(
            "flip_near_0_1",
            f"half the group takes part at σ {flip:.3f} (interpolated)",
            "within [0.08, 0.14]",
            0.08 <= flip <= 0.14,
        ),
    )
    return Fact(
        "SF-9",
        "Threshold sensitivity",
        checks,
        {
            "sigmas": SF9_SIGMAS,
            "participation": participation,
            "mean": params.threshold_mean,
            "instigators": params.instigator_share,
        },
    )


def sf11_paper_closure(bench: Bench) -> Fact:
    """SF-11: paper closure.

    Under pressure-type evaluation formal on-time closure is >= 95 % while substantive resolution is
    much lower; evaluation reform shrinks the gap.
    """
    base, reformed = bench.run(bench.arm(), bench.arm(REGISTRY["evaluation_reform"]()))
    on_time, solved = outcome(base, "formal_on_time_rate"), outcome(base, "substantive_resolution_rate")
    gap = Paired.of(outcome(base, "closure_gap"), outcome(reformed, "closure_gap"))
    checks = (
        Check(
            "formal_closure_high",
            f"{on_time.mean():.3f} (min {on_time.min():.3f})",
            "every seed >= 0.95",
            bool((on_time >= 0.95).all()),
        ),
        Check(
            "substantive_much_lower",
            f"gap {(on_time - solved).mean():.3f} (min {(on_time - solved).min():.3f})",
            "every seed's gap >= 0.30",
            bool((on_time - solved >= 0.30).all()),
        ),
        Check("reform_shrinks_gap", f"gap change {gap}", "< -3 SE", _beyond(gap, -1)),
    )
    data = {
        "arms": ["pressure-type", "reformed"],
        "on_time": [on_time, outcome(reformed, "formal_on_time_rate")],
        "solved": [solved, outcome(reformed, "substantive_resolution_rate")],
    }
    return Fact("SF-11", "Paper closure", checks, data)


def sf12_mediation(bench: Bench) -> Fact:
    """SF-12: mediation effectiveness.

    Mediation that settles civil disputes (p_med 0.85) cuts formal petitions compared with mediation
    that rarely settles them (p_med 0.3, like administrative matters).
    """
    weak = bench.arm(mediation_success=bench.params.mediation_success_other)
    base, poor = bench.run(bench.arm(), weak)
    petitions = Paired.of(outcome(poor, "petitions_per_year"), outcome(base, "petitions_per_year"))
    community = Paired.of(outcome(poor, "ended_share_community"), outcome(base, "ended_share_community"))
    checks = (
        Check(
            "fewer_formal_petitions",
            f"petitions/year, effective minus poor mediation {petitions}",
            "< -3 SE",
            _beyond(petitions, -1),
        ),
        Check("more_settled_locally", f"share ended in the community {community}", "> 3 SE", _beyond(community, +1)),
    )
    data = {
        "arms": ["poor mediation", "effective mediation"],
        "petitions": [outcome(poor, "petitions_per_year"), outcome(base, "petitions_per_year")],
    }
    return Fact("SF-12", "Mediation effectiveness", checks, data)


def sf14_copy_campaigns(bench: Bench) -> Fact:
    """SF-14: online mass petitions.

    Copy-campaign online submissions get less acceptance than isolated online petitions when offices
    de-duplicate, and about the same when they do not (paired over the seed set).
    """
    dedup, plain = bench.run(bench.arm(copy_deduplication=1.0), bench.arm(copy_deduplication=0.0))

    def gap(results: list) -> np.ndarray:
        return outcome(results, "isolated_online_acceptance_rate") - outcome(results, "copy_acceptance_rate")

    zero = np.zeros(len(bench.seeds))
    with_dedup, without = Paired.of(zero, gap(dedup)), Paired.of(zero, gap(plain))
    checks = (
        Check(
            "copies_accepted_less",
            f"isolated minus copy acceptance, de-duplicating {with_dedup}",
            "> 3 SE",
            _beyond(with_dedup, +1),
        ),
        Check(
            "no_gap_without_dedup",
            f"isolated minus copy acceptance, not de-duplicating {without}",
            "|mean| < 0.05",
            abs(without.mean) < 0.05,
        ),
    )
    data = {"arms": ["de-duplicating", "not de-duplicating"], "gap": [gap(dedup), gap(plain)]}
    return Fact("SF-14", "Online mass petitions", checks, data)


FAITHFUL_SAMPLE = 4  # docs/model.md section 8: the sample at which every outcome matches 1:2
SEEDS, BURST_SEEDS = 514, 2  # roots of the fixed seed sets


@dataclass(frozen=True)
class Suite:
    """Where and how long the facts run: one seed set, one horizon, one sample of the district."""

    params: Params
    seeds: list[int]
    days: int
    warmup_days: int
    burst_params: Params
    burst_seeds: list[int]
    workers: int = 2

    @classmethod
    def standard(cls, params: Params, *, n: int = 8, workers: int = 2) -> Suite:
        """The fixed seed sets of the validation suite at the faithful sample (tests and docs use the same)."""
        faithful = params.replace(households_per_agent=FAITHFUL_SAMPLE)
        # SF-2 needs events to count: five times the shared issues (dispersion and CV are rate-free)
        burst = faithful.replace(collective_issue_multiplier=5.0)
        return cls(faithful, seed_set(SEEDS, n), 3 * 365, 365, burst, seed_set(BURST_SEEDS, n), workers)

    def settings(self) -> dict[str, str]:
        """Each fact's world, horizon and seed set, as the validation report states them."""
        n = len(self.seeds)
        common = (
            f"1:{self.params.households_per_agent}, {self.days} days (outcomes after day {self.warmup_days}), "
            f"seed_set({SEEDS}, {n})"
        )
        return {
            "SF-1": common,
            "SF-2": f"x5 shared issues, 1:{self.burst_params.households_per_agent}, {self.days} days, "
            f"seed_set({BURST_SEEDS}, {n})",
            "SF-5": common,
            "SF-6": common,
            "SF-7": common,
            "SF-9": "the collective module's cascade rule: 400 groups of 100, default_rng(9)",
            "SF-11": common,
            "SF-12": common,
            "SF-14": f"x5 shared issues, 1:{self.params.households_per_agent}, 365 days, seed_set({SEEDS}, {n})",
        }

    def facts(self) -> dict[str, Callable[[], Fact]]:
        bench = Bench(self.params, self.seeds, self.days, self.workers, self.warmup_days)
        campaigns = Bench(self.params.replace(collective_issue_multiplier=5.0), self.seeds, 365, self.workers)
        return {
            "SF-1": lambda: sf1_pyramid(bench),
            "SF-2": lambda: sf2_bursts(self.burst_params, self.burst_seeds, self.days),
            "SF-5": lambda: sf5_concessions(bench),
            "SF-6": lambda: sf6_fast_fair(bench),
            "SF-7": lambda: sf7_channels(bench),
            "SF-9": lambda: sf9_thresholds(self.params),
            "SF-11": lambda: sf11_paper_closure(bench),
            "SF-12": lambda: sf12_mediation(bench),
            "SF-14": lambda: sf14_copy_campaigns(campaigns),
        }
