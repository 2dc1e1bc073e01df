"""What each kind of kernel would make of one event: a household's response to a written reply, four ways.

The response is the model's own code (`residents.belief`, `update_trust`, `learn`, `heard` and the
acceptance probability of `residents.on_reply`, without the issue's bookkeeping): trust moves and its
ties hear of it, the household and its ties learn, hostility is vented. On the full district (1:1,
124,356 households) it is timed

1. as the model runs it now: plain Python on NumPy scalars, one call chain a reply;
2. as batched NumPy, a day's replies at once, at the day's count at 1:4 and at 1:1 (14 and 53 replies a
   day in the calibrated district, `bench_day.py`);
3. compiled by numba, one call a reply from Python;
4. compiled by numba, the day's replies in one call (what a kernel with the day's loop compiled does).

Before the timing, each way runs the same replies as the model's code and prints the largest difference
in the arrays they leave and in the acceptance probabilities: zero when it does the same arithmetic in
the same order (numba's `exp` is the C library's, NumPy's its own: they can differ in the last bit);
batched NumPy reads the state of the day's start for all of a day's replies, so it differs a little.
numba is not a dependency of the project: when it cannot be imported, the script makes a scratch
virtualenv with the project and numba (installed by uv, as `bench_compiled.py` does) and runs itself
there.

    python benchmarks/bench_event_kernel.py               # 5 rounds of 20,000 replies
    python benchmarks/bench_event_kernel.py --rounds 9
"""

from __future__ import annotations

import argparse
import math
import time
from pathlib import Path
from statistics import median

import numpy as np
from bench_compiled import numba_or_rerun

ROOT = Path(__file__).resolve().parent.parent
REPLIES = 20_000
DAILY = {"1:4": 14, "1:1": 53}  # replies a day, calibrated Chengzhong (bench_day.py: 10,231 in 2 years, 19,301 in 1)


def model_world():
    """A built full-scale Chengzhong model: the households' arrays and the parameters the response reads."""
    from conflict_sim.model import PetitionModel
    from conflict_sim.scenarios import load

    return PetitionModel(load("chengzhong").params.replace(households_per_agent=1), rng=1)


def replies(world, n: int, seed: int = 7) -> tuple[np.ndarray, ...]:
    """`n` replies: household, channel answered, resolved or not, procedural justice, the issue's severity."""
    rng = np.random.default_rng(seed)
    households = rng.integers(0, world.households.n, n)
    channels = rng.choice([0, 1, 2, 3, 4, 5], n)  # the channels written replies answer
    return households, channels, rng.uniform(0, 1, n) < 0.4, rng.uniform(0.3, 0.9, n), rng.uniform(0.2, 1.0, n)


def respond_python(world, h: int, channel: int, resolved: bool, justice: float, severity: float) -> float:
    """The model's own response to one reply (residents.on_reply without the issue's bookkeeping)."""
    from conflict_sim import rules
    from conflict_sim.agents import residents

    p = world.params
    residents.update_trust(world, h, justice, float(resolved), residents.belief(world, h, channel))
    residents.learn(world, h, channel, resolved)
    residents.heard(world, h, justice)
    return float(
        rules.acceptance_probability(
            justice,
            float(world.households.legitimacy_local[h]),
            severity,
            b0=p.acceptance_intercept,
            b1=p.acceptance_justice,
            b2=p.acceptance_legitimacy,
            b3=p.acceptance_severity,
        )
    )


def writable_trust(hh) -> tuple[np.ndarray, np.ndarray]:
    """The households' trust arrays as written (read-only views elsewhere): these prototypes stand for code of
    `Households` itself, which would also mark the blocks of households it changes (`district_figures`)."""
    return hh._local_array, hh._centre_array


def respond_batch(world, h, channel, resolved, justice, severity) -> np.ndarray:
    """The same arithmetic for a day's replies at once, in NumPy (a tie listed twice moves once)."""
    from conflict_sim import rules

    p, hh, day = world.params, world.households, world.day
    rows = np.arange(len(h))
    local, center = hh.legitimacy_local[h], hh.legitimacy_center[h]
    prior = world.channels.priors(local, center)[rows, channel]
    s, f = hh.successes[h, channel], hh.failures[h, channel]
    expected = (p.belief_prior_strength * prior + s) / (p.belief_prior_strength + s + f)
    new = rules.legitimacy_update(
        local,
        justice,
        resolved.astype(float),
        expected,
        eta_pi=p.legitimacy_step_procedural,
        eta_o=p.legitimacy_step_outcome,
    )
    local_array = writable_trust(hh)[0]
    local_array[h] = new
    ties = hh.ties[h]
    ordered = np.sort(ties, axis=1)
    first = np.ones(ordered.shape, dtype=bool)
    first[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    moved = ordered[first]
    np.add.at(local_array, moved, np.repeat(p.legitimacy_diffusion * (new - local), ties.shape[1])[first.ravel()])
    local_array[moved] = np.clip(local_array[moved], 0.0, 1.0)
    for target, mask in ((hh.successes, resolved), (hh.failures, ~resolved)):
        np.add.at(target, (h[mask], channel[mask]), p.belief_learning_weight)
        np.add.at(target, (ties[mask].ravel(), np.repeat(channel[mask], ties.shape[1])), p.social_learning_weight)
    kept = rules.decayed(hh.hostility[h], day - hh.hostility_day[h], p.hostility_half_life_days)
    hh.hostility[h] = kept * (1.0 - p.venting * justice)
    hh.hostility_day[h] = day
    return rules.acceptance_probability(
        justice,
        hh.legitimacy_local[h],
        severity,
        b0=p.acceptance_intercept,
        b1=p.acceptance_justice,
        b2=p.acceptance_legitimacy,
        b3=p.acceptance_severity,
    )


def numba_kernels(world):
    """The response compiled by numba: one reply a call, and a day's replies in one call."""
    import numba

    p = world.params
    strength, eta_pi, eta_o = p.belief_prior_strength, p.legitimacy_step_procedural, p.legitimacy_step_outcome
    weight, own, social = p.legitimacy_diffusion, np.float32(p.belief_learning_weight), p.social_learning_weight
    venting, half_life = p.venting, p.hostility_half_life_days
    b0, b1, b2, b3 = p.acceptance_intercept, p.acceptance_justice, p.acceptance_legitimacy, p.acceptance_severity
    priors = world.channels.priors(np.array([-1.0]), np.array([-2.0]))[0]  # -1: local trust, -2: trust in the centre

    @numba.njit(cache=False)
    def one(local, center, succ, fail, host, host_day, ties, day, h, channel, resolved, justice, severity):
        old = local[h]
        prior = old if priors[channel] == -1.0 else (center[h] if priors[channel] == -2.0 else priors[channel])
        s, f = succ[h, channel], fail[h, channel]
        expected = (strength * prior + s) / (np.float32(strength) + s + f)  # float32 sum, as NumPy does it
        new = min(1.0, max(0.0, old + eta_pi * (justice - old) + eta_o * ((1.0 if resolved else 0.0) - expected)))
        local[h] = new
        delta = weight * (new - old)
        row = ties[h]
        if delta != 0.0:
            for a in range(row.shape[0]):
                repeated = False
                for b in range(a):
                    repeated = repeated or row[b] == row[a]
                if not repeated:
                    local[row[a]] = min(1.0, max(0.0, local[row[a]] + delta))
        target = succ if resolved else fail
        target[h, channel] = target[h, channel] + own  # float32 arithmetic, as NumPy's in-place add
        for a in range(row.shape[0]):
            target[row[a], channel] = np.float64(target[row[a], channel]) + social
        host[h] = host[h] * 0.5 ** ((day - host_day[h]) / half_life) * (1.0 - venting * justice)
        host_day[h] = day
        return 1.0 / (1.0 + math.exp(-(b0 + b1 * justice + b2 * new - b3 * severity)))

    @numba.njit(cache=False)
    def day_of(local, center, succ, fail, host, host_day, ties, day, hs, channels, resolved, justice, severity):
        out = np.empty(hs.shape[0])
        for i in range(hs.shape[0]):
            out[i] = one(
                local,
                center,
                succ,
                fail,
                host,
                host_day,
                ties,
                day,
                hs[i],
                channels[i],
                resolved[i],
                justice[i],
                severity[i],
            )
        return out

    return one, day_of


def same_draws_compiled(n: int = 10_000) -> bool:
    """Do numba's draws from a NumPy generator equal NumPy's own, the generator left in the same state?

    The draws the model makes (uniforms, normals, Gamma, integers), interleaved; what a compiled kernel
    drawing from the model's streams in the model's order needs to give the same runs.
    """
    import numba

    @numba.njit(cache=False)
    def compiled(generator, n):
        out = np.empty(4 * n)
        for i in range(n):
            out[4 * i] = generator.random()
            out[4 * i + 1] = generator.standard_normal()
            out[4 * i + 2] = generator.gamma(2.5, 3.0)
            out[4 * i + 3] = generator.integers(0, 10)
        return out

    ours, theirs = np.random.default_rng(5), np.random.default_rng(5)
    plain = np.array(
        [[ours.random(), ours.standard_normal(), ours.gamma(2.5, 3.0), ours.integers(0, 10)] for _ in range(n)]
    ).ravel()
    same = bool(np.array_equal(compiled(theirs, n), plain))
    return same and ours.bit_generator.state == theirs.bit_generator.state


def state(world) -> tuple[np.ndarray, ...]:
    hh = world.households
    return writable_trust(hh)[0], hh.successes, hh.failures, hh.hostility, hh.hostility_day


def snapshot(world) -> tuple[np.ndarray, ...]:
    return tuple(a.copy() for a in state(world))


def restore(world, saved) -> None:
    for array, kept in zip(state(world), saved, strict=True):
        array[...] = kept
    world.households.restore()  # every block's kept sums taken again when next asked for


def largest_difference(world, saved) -> float:
    return max(
        float(np.max(np.abs(a.astype(float) - b.astype(float)))) for a, b in zip(state(world), saved, strict=True)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if args.rounds < 1:
        raise SystemExit(f"--rounds: must be at least 1 (got {args.rounds})")
    numba = numba_or_rerun(__file__)

    world = model_world()
    world.day = 400
    h, ch, res, jus, sev = replies(world, REPLIES)
    hl, chl, resl, jusl, sevl = h.tolist(), ch.tolist(), res.tolist(), jus.tolist(), sev.tolist()
    hh = world.households
    one, day_of = numba_kernels(world)
    arrays = (
        *writable_trust(hh),
        hh.successes,
        hh.failures,
        hh.hostility,
        hh.hostility_day,
        hh.ties,
    )

    def python_way() -> np.ndarray:
        return np.array([respond_python(world, hl[i], chl[i], resl[i], jusl[i], sevl[i]) for i in range(REPLIES)])

    def batched(size: int):
        def run() -> np.ndarray:
            return np.concatenate(
                [
                    respond_batch(world, h[part], ch[part], res[part], jus[part], sev[part])
                    for part in (slice(start, start + size) for start in range(0, REPLIES, size))
                ]
            )

        return run

    def numba_each() -> np.ndarray:
        return np.array([one(*arrays, world.day, hl[i], chl[i], resl[i], jusl[i], sevl[i]) for i in range(REPLIES)])

    def numba_days(size: int):
        def run() -> np.ndarray:
            return np.concatenate(
                [
                    day_of(*arrays, world.day, h[part], ch[part], res[part], jus[part], sev[part])
                    for part in (slice(start, start + size) for start in range(0, REPLIES, size))
                ]
            )

        return run

    ways = {
        "the model's code, one reply a call (Python)": python_way,
        **{f"NumPy, a day's replies at once at {k} ({n} a day)": batched(n) for k, n in DAILY.items()},
        "numba, one reply a call": numba_each,
        **{f"numba, a day's replies in one call at {k}": numba_days(n) for k, n in DAILY.items()},
    }
    start = snapshot(world)
    accepting = python_way()
    reference = snapshot(world)
    print(f"numba {numba.__version__}, NumPy {np.__version__}; {REPLIES:,} replies on 1:1 Chengzhong, day {world.day}")
    print(f"numba's draws from a NumPy generator are NumPy's, state and all: {same_draws_compiled()}")
    print("agreement with the model's code, largest difference: in any array after all replies; in acceptance")
    for label, way in list(ways.items())[1:]:
        restore(world, start)
        found = way()  # the first call also compiles
        apart = float(np.max(np.abs(found - accepting)))
        print(f"  {label:48s} {largest_difference(world, reference):.1e}; {apart:.1e}")
    times: dict[str, list[float]] = {label: [] for label in ways}
    for _ in range(args.rounds):
        for label, way in ways.items():  # alternating, so drift of the machine falls on every way alike
            restore(world, start)
            begin = time.perf_counter()
            way()
            times[label].append(1e6 * (time.perf_counter() - begin) / REPLIES)
    base = times["the model's code, one reply a call (Python)"]
    print(
        f"\n  {'way':48s} {'µs a reply':>11s}  ratio to the model's code (median, min, max over {args.rounds} rounds)"
    )
    for label, found in times.items():
        ratios = [a / b for a, b in zip(found, base, strict=True)]
        print(f"  {label:48s} {median(found):11.2f}  {median(ratios):.3f} ({min(ratios):.3f}, {max(ratios):.3f})")


if __name__ == "__main__":
    main()
