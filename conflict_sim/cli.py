"""The `conflict-sim` command: each subcommand parses its arguments and makes one library call.

Bad input (unknown names, values out of range, malformed files, an output that would lose files) is
one line on stderr and exit code 2, with no traceback and nothing half-written. SIGINT and SIGTERM end
the process promptly with one line saying what was kept.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import textwrap
import threading
import time
from dataclasses import fields
from pathlib import Path
from types import FrameType
from typing import Any

from conflict_sim import districts, scenarios
from conflict_sim.errors import ConflictSimError, ExperimentError
from conflict_sim.params import Params, allowed, parse_assignments

DEFAULT_DAYS = 3 * 365


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


def _run(args: argparse.Namespace) -> int:
    from conflict_sim import budget
    from conflict_sim.output import check_space, check_writable, claim, write_run

    scenario = scenarios.load(args.scenario)
    changes = parse_assignments(args.set)
    params = scenario.params.replace(**changes)
    if args.days > budget.MAX_DAYS and not args.force:
        raise ExperimentError(f"--days {args.days}: more than {budget.MAX_DAYS} (100 years); add --force")
    out = Path(args.out or f"results/runs/{scenario.name}-seed{args.seed}")
    check_writable(out)
    claim(out, force=args.force)  # before the run, not after it
    check_space(out, args.days * budget.DAILY_SERIES_ALL * budget.BYTES_PER_VALUE, force=args.force)
    # the model's imports (Mesa, pandas, SciPy: about 0.7 s) only once the input has passed, so that bad
    # input is answered at once
    from conflict_sim.provenance import environment
    from conflict_sim.run import simulate

    print(
        f"running {scenario.name}: {params.agents:,} household agents "
        f"({params.households_per_agent} households each), {args.days} days, seed {args.seed}",
        file=sys.stderr,
    )
    started = time.time()
    output = simulate(params, seed=args.seed, days=args.days, policies=scenario.policies, progress=True)
    manifest = {
        "scenario": scenario.name,
        "description": scenario.description,
        "seed": args.seed,
        "days": args.days,
        "overrides": changes,
        "policies": list(scenario.policy_specs),
        "params": params.to_dict(),
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started)),
        "seconds": round(output.seconds, 3),
        **environment(),
    }
    claim(out, force=args.force)  # nothing appeared there meanwhile
    write_run(out, output, manifest, extra=lambda folder: params.to_toml(folder / "params.toml"))
    o = output.outcomes
    print(
        f"wrote {out}/ in {output.seconds:.1f} s: formal on-time closure {o['formal_on_time_rate']:.1%}, "
        f"substantive resolution {o['substantive_resolution_rate']:.1%}, "
        f"{o['collective_visits_per_year']:.0f} collective visits/year"
    )
    return 0


def first_sentence(text: str) -> str:
    """The first sentence of a description, whole (never cut mid-sentence)."""
    flat = " ".join(text.split())
    end = flat.find(". ")
    return flat if end < 0 else flat[: end + 1]


def _list(args: argparse.Namespace) -> int:
    if args.what == "scenarios":
        for name in scenarios.names():
            lines = textwrap.wrap(first_sentence(scenarios.load(name).description), 94, break_on_hyphens=False) or [""]
            print(f"{name:24} {lines[0]}")
            for line in lines[1:]:
                print(f"{'':24} {line}")
    elif args.what == "params":
        group = None
        for f in fields(Params):
            m = f.metadata
            if m["group"] != group:
                group = m["group"]
                print(f"\n[{group}]")
            print(f"  {f.name:32} = {f.default!r:<16} [{m['source']}] {allowed(f)}  # {m['doc']}")
    elif args.what == "districts":
        for name in districts.names():
            print(f"{name:24} {districts.load(name).english} ({districts.load(name).name})")
    elif args.what == "policies":
        from conflict_sim.policies import REGISTRY

        for name, policy in sorted(REGISTRY.items()):
            print(f"{name:24} {getattr(policy, 'label_zh', '')}  [{getattr(policy, 'theory', '')}]")
    return 0


def _describe(args: argparse.Namespace) -> int:
    from inspect import cleandoc

    from conflict_sim.policies import REGISTRY, settings

    if args.name in REGISTRY:
        cls: Any = REGISTRY[args.name]  # a policy class (the registry is typed by its constructors)
        print(f"{cls.name}  {cls.label_zh}\ntheory: {cls.theory}\n\n{cleandoc(cls.__doc__ or '')}\n")
        print(f'[[policies]] kind = "{cls.name}", with fields (and defaults):')
        for name, default, values, doc in settings(cls):
            print(f"  {name:28} = {default!r:<14} {values}  # {doc}")
        return 0
    if args.name not in scenarios.names() and districts.is_district_file(args.name):
        print(districts.describe(args.name))
        return 0
    if not args.name.endswith(".toml") and args.name not in scenarios.names():
        raise ConflictSimError(
            f"{args.name!r}: neither a policy (see `conflict-sim list policies`), a scenario "
            f"(`list scenarios`) nor a district (`list districts`)"
        )
    scenario = scenarios.load(args.name)
    print(
        f"{scenario.name}\n\n{scenario.description.strip()}\n\ntheory: {scenario.theory}\n"
        f"sources: {scenario.sources}\n\nparameters that differ from the defaults:"
    )
    changed = scenario.params.changed(Params())
    for name, (default, value) in changed.items():
        print(f"  {name:32} = {value!r}  (default {default!r})")
    if not changed:
        print("  none")
    print("policies, applied in order:" if scenario.policy_specs else "policies: none")
    for spec in scenario.policy_specs:
        print("  " + ", ".join(f"{k} = {v!r}" for k, v in spec.items()))
    print(f"\ndistrict: {districts.describe(scenario.params.district)}")
    return 0


def _engine(exp: Any, out: Path, backend: Any, args: argparse.Namespace, what: str) -> int:
    """Plan or run an experiment through the engine and print one summary line; exit 0, 1 or 130."""
    from conflict_sim import runner

    if args.plan:
        work = runner.plan(exp, out, backend, retry_failed=args.retry_failed)
        print(f"plan for {out}: {work.describe()}")
        return 0
    print(
        f"{what} {exp.name}: {len(exp)} runs ({exp.n_points} points x {len(exp.arms)} arms x "
        f"{exp.replications} replications, {exp.config.days} days) on {backend.name} "
        f"({backend.workers} workers) -> {out}",
        file=sys.stderr,
    )
    try:
        s = runner.run_experiment(
            exp,
            out,
            backend,
            resume=getattr(args, "resume", False),
            retry_failed=args.retry_failed,
            force=args.force,
            progress=True,
        )
    except KeyboardInterrupt:
        print(f"conflict-sim: interrupted; finished runs are kept in {out}: rerun to resume", file=sys.stderr)
        return 130
    notes = []
    if s.kind == "grow":
        notes.append("grew the stored experiment")
    if s.repaired:
        notes.append(f"reran {s.repaired} broken part(s)")
    if s.failed_waiting:
        notes.append(f"{s.failed_waiting} failed run(s) kept: add --retry-failed to run them again")
    print(
        f"wrote {s.folder}/ in {s.seconds:.1f} s: ran {s.executed} of {s.total} runs; "
        f"{s.succeeded} succeeded, {s.failed} failed, {s.pending} pending" + "".join(f"; {n}" for n in notes)
    )
    return 1 if s.failed or s.pending else 0


def _sweep(args: argparse.Namespace) -> int:
    from conflict_sim import experiment, replay, runner

    path = Path(args.experiment)
    if path.is_dir():  # `sweep RESULTS_DIR --resume`: the experiment stored in the folder
        args.out, exp = args.out or str(path), replay.stored_experiment(path)
    else:
        exp = experiment.load(path)
    backend = runner.backend_for(args.workers, args.scheduler, args.backend)
    return _engine(exp, Path(args.out or f"results/sweeps/{exp.name}"), backend, args, "sweep")


def _calibrate(args: argparse.Namespace) -> int:
    from conflict_sim import calibration, runner

    cal = calibration.load(args.calibration)
    backend = runner.backend_for(args.workers, args.scheduler, args.backend)
    out = Path(args.out or f"results/calibration/{cal.name}")
    try:
        calibration.calibrate(cal, out, backend, progress=True)
    except KeyboardInterrupt:
        print(f"conflict-sim: interrupted; finished runs are kept in {out}: rerun to resume", file=sys.stderr)
        return 130
    return 0


def _replay(args: argparse.Namespace) -> int:
    from conflict_sim.replay import replay

    r = replay(args.results, args.run_key)
    if args.out:
        from conflict_sim.output import claim, write_run

        claim(Path(args.out))
        manifest = {
            "replay_of": str(Path(args.results).resolve()),
            "run_key": r.run.key,
            "seed": r.run.seed,
            "arm": r.run.arm,
            "point": r.run.point,
            "scenario": r.run.scenario,
            "days": r.config.days,
            "warmup_days": r.config.warmup_days,
            "params": r.run.params.to_dict(),
        }
        write_run(Path(args.out), r.output, manifest, extra=lambda folder: r.run.params.to_toml(folder / "params.toml"))  # type: ignore[arg-type]
    what = f"{r.run.key} (seed {r.run.seed}, arm {r.run.arm!r}, point {r.run.point})"
    if not r.same_model:
        print("note: the model has changed since these results were made; outcomes may differ", file=sys.stderr)
    if r.stored is None:
        print(f"replayed {what}: no stored outcomes to compare (the run failed or has not run)")
        return 0
    diff = r.differences()
    for name, (then, now) in diff.items():
        print(f"  {name}: stored {then!r}, replayed {now!r}")
    print(
        f"replayed {what}: {len(r.stored) - len(diff)} of {len(r.stored)} stored outcomes "
        f"identical{'' if not diff else ' (see the differences above)'}"
    )
    return 1 if diff else 0


def _sensitivity(args: argparse.Namespace) -> int:
    from conflict_sim import sensitivity
    from conflict_sim.store import load

    results = load(args.results)
    table = sensitivity.analyse(results, args.outcome, args.method)
    method = args.method or results.manifest["design"]["method"]
    csv, png = sensitivity.write(table, args.out or Path(args.results) / "sensitivity", args.outcome, method)
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print(f"wrote {csv} and {png}")
    return 0


def _compare(args: argparse.Namespace) -> int:
    from conflict_sim import comparisons, experiment, runner
    from conflict_sim.analysis.arms import DAILY

    if args.target.endswith(".toml") and "," not in args.target:
        if args.arms:
            raise ConflictSimError("--arms: the experiment file's [[arms]] define the arms")
        exp = experiment.load(args.target)
    else:
        several = [s.strip() for s in args.target.split(",") if s.strip()]  # districts side by side
        exp = comparisons.comparison(
            several if "," in args.target else args.target,
            [a.strip() for a in (args.arms or "").split(",") if a.strip()],
            replications=args.replications,
            days=args.days,
            warmup_days=args.days // 3 if args.warmup_days is None else args.warmup_days,
            root_seed=args.seed,
            overrides=parse_assignments(args.set),
            reference=args.reference,
            daily=DAILY,
        )
    out = Path(args.out or f"results/compare/{exp.name}")
    code = _engine(exp, out, runner.backend_for(args.workers), args, "compare")
    if code in (0, 1) and not args.plan:
        print(f"report: {_write_report(out, exp.reference or args.reference)}")
    return code


def _report(args: argparse.Namespace) -> int:
    from conflict_sim.store import Store

    definition = Store(args.results).manifest().definition
    arms = [a["name"] for a in definition["arms"]]
    reference = args.reference or definition.get("reference") or arms[0]
    if reference not in arms:
        raise ConflictSimError(f"--reference {reference!r}: must be one of the arms ({', '.join(arms)})")
    print(f"report: {_write_report(Path(args.results), reference)}")
    return 0


def _warn_if_partial(folder: Path) -> None:
    """A report over unfinished results says so: how many runs are missing, and arms with none."""
    from conflict_sim.store import load

    results = load(folder)
    total = results.manifest["runs_total"]
    done = results.runs.loc[results.runs["status"] == "succeeded", "arm"]
    empty = [a["name"] for a in results.manifest["arms"] if a["name"] not in set(done)]
    if len(done) < total:
        print(
            f"conflict-sim: warning: the report covers {len(done)} of {total} runs"
            + (f"; arm(s) {', '.join(empty)} have no finished run" if empty else "")
            + f" (finish them with `conflict-sim sweep {folder} --resume`)",
            file=sys.stderr,
        )


def _write_report(folder: Path, reference: str) -> Path:
    """The report of a results folder, comparing every arm with `reference`."""
    import inspect

    from conflict_sim.analysis.results import report_folder

    _warn_if_partial(folder)
    # Until analysis/ takes `reference` (issue 16, analysis side), the report compares with the first
    # arm, which `comparisons` makes the reference; remove this check once it does.
    if "reference" not in inspect.signature(report_folder).parameters:
        return report_folder(folder)
    return report_folder(folder, reference=reference)  # type: ignore[call-arg]


def _viz(args: argparse.Namespace) -> int:
    from conflict_sim.viz.server import serve

    return serve(args.host, args.port, args.scenario, results=args.results)


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value}: must be in [1, 65535]")
    return value


def _at_least(lo: int) -> Any:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
        if value < lo:
            raise argparse.ArgumentTypeError(f"{value}: must be an integer >= {lo}")
        return value

    return parse


def _backend_options(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--workers", type=_at_least(1), help="local worker processes (default: all cores)")
    where.add_argument("--scheduler", metavar="ADDRESS", help="a Dask scheduler, e.g. tcp://host:8786")
    parser.add_argument(
        "--backend",
        choices=["processes", "dask", "sequential"],
        help="processes (default), dask (a LocalCluster unless --scheduler), sequential",
    )


def _engine_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--retry-failed", action="store_true", help="run failed runs of the folder again")
    parser.add_argument(
        "--force",
        action="store_true",
        help="run work beyond the bounds on time and storage; move a folder in the way aside to NAME.backup-DATE",
    )
    parser.add_argument("--plan", action="store_true", help="print the runs, estimated time and storage; run nothing")


def build_parser() -> argparse.ArgumentParser:
    from conflict_sim.provenance import version

    parser = _Parser(prog="conflict-sim", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--version", action="version", version=f"conflict-sim {version()}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    run = sub.add_parser("run", help="simulate one scenario and write its outputs")
    run.add_argument("scenario", help="a bundled scenario name or a scenario TOML file")
    run.add_argument("--days", type=_at_least(1), default=DEFAULT_DAYS, help="simulated days (default 3 years)")
    run.add_argument("--seed", type=_at_least(0), default=1, help="the run's seed, >= 0 (default 1)")
    run.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", help="override a parameter (repeatable)"
    )
    run.add_argument("--out", help="output folder (default results/runs/SCENARIO-seedS); must not exist")
    run.add_argument("--force", action="store_true", help="move an existing --out aside; allow over 100 years")
    run.set_defaults(handler=_run)

    listing = sub.add_parser("list", help="list scenarios, parameters, policies or districts")
    listing.add_argument("what", choices=["scenarios", "params", "policies", "districts"])
    listing.set_defaults(handler=_list)

    describe = sub.add_parser("describe", help="what a policy, a scenario or a district is, changes and cites")
    describe.add_argument("name", help="a policy kind, a scenario or a district (bundled, or a TOML file)")
    describe.set_defaults(handler=_describe)

    sweep = sub.add_parser("sweep", help="run an experiment file: designs x arms x replications")
    sweep.add_argument("experiment", help="experiment TOML file (or a results folder to resume)")
    sweep.add_argument(
        "--out", help="results folder (default results/sweeps/NAME); an existing one of the same experiment is resumed"
    )
    _backend_options(sweep)
    sweep.add_argument("--resume", action="store_true", help="finish a sweep; error if none exists")
    _engine_options(sweep)
    sweep.set_defaults(handler=_sweep)

    calibrate = sub.add_parser("calibrate", help="calibrate a scenario to observed aggregates (screen, history match)")
    calibrate.add_argument("calibration", help="calibration TOML file (docs/calibration.md)")
    calibrate.add_argument("--out", help="folder (default results/calibration/NAME); the same calibration resumes")
    _backend_options(calibrate)
    calibrate.set_defaults(handler=_calibrate)

    replay = sub.add_parser("replay", help="re-run one run of a sweep exactly and compare outcomes")
    replay.add_argument("results", help="a sweep's results folder")
    replay.add_argument("run_key", help="the run's key, e.g. p3-a1-r0 (column run_key)")
    replay.add_argument("--out", help="also write the run's folder (daily, outcomes, manifest)")
    replay.set_defaults(handler=_replay)

    sens = sub.add_parser("sensitivity", help="Sobol' or Morris indices from a sweep's stored runs")
    sens.add_argument("results", help="results folder of a sobol or morris design")
    sens.add_argument("--outcome", required=True, help="outcome to explain, e.g. petitions_per_year")
    sens.add_argument("--method", choices=["sobol", "morris"], help="default: the design's method")
    sens.add_argument("--out", help="folder for the table and figure (default RESULTS/sensitivity)")
    sens.set_defaults(handler=_sensitivity)

    compare = sub.add_parser(
        "compare", help="compare policy arms on a scenario, or on districts side by side: runs, statistics, report"
    )
    compare.add_argument(
        "target",
        nargs="?",
        default="chengzhong",
        help="a scenario (default chengzhong); district scenarios separated by commas, side by side "
        "(e.g. chengzhong,chengdong); or an experiment TOML file",
    )
    compare.add_argument(
        "--arms", help="arms: baseline, policy or preset scenario names, e.g. baseline,channels_open,fengqiao_grid"
    )
    compare.add_argument(
        "--reference", default="baseline", help="the arm the others are compared with (default baseline)"
    )
    compare.add_argument(
        "--replications", type=_at_least(1), default=10, help="runs per arm (default 10); more grow a stored comparison"
    )
    compare.add_argument("--days", type=_at_least(1), default=DEFAULT_DAYS, help="simulated days (default 3 years)")
    compare.add_argument("--warmup-days", type=_at_least(0), help="days left out of time averages (default days/3)")
    compare.add_argument("--seed", type=_at_least(0), default=1, help="root seed of the replications (default 1)")
    compare.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a parameter in every arm (repeatable)",
    )
    compare.add_argument("--workers", type=_at_least(1), help="local worker processes (default: all cores)")
    compare.add_argument("--out", help="results folder (default results/compare/NAME); rerun to resume or grow")
    _engine_options(compare)
    compare.set_defaults(handler=_compare)

    report = sub.add_parser("report", help="redraw a comparison's report from stored results")
    report.add_argument("results", help="a results folder of compare or sweep")
    report.add_argument("--reference", help="the arm the others are compared with (default: the folder's)")
    report.set_defaults(handler=_report)

    viz = sub.add_parser("viz", help="the interactive browser app (Solara), on 127.0.0.1 by default")
    viz.add_argument("--host", default="127.0.0.1", help="address to listen on; another exposes the app")
    viz.add_argument("--port", type=_port, default=8765, help="port in [1, 65535] (default 8765)")
    viz.add_argument(
        "--scenario",
        default="chengzhong",
        choices=scenarios.names(),
        metavar="NAME",
        help="bundled preset the page opens with (default chengzhong)",
    )
    viz.add_argument("--results", metavar="FOLDER", help="a results folder the results explorer opens with")
    viz.set_defaults(handler=_viz)
    return parser


def _terminated(signum: int, frame: FrameType | None) -> None:
    """SIGTERM ends the command like Ctrl-C: sessions are closed and the clean line is printed."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminated) if main_thread else None
    try:
        return args.handler(args)
    except ConflictSimError as exc:
        print(f"conflict-sim: error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        return 0
    except KeyboardInterrupt:
        print("conflict-sim: interrupted; nothing half-written was kept", file=sys.stderr)
        return 130
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
