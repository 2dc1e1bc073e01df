"""The `conflict-sim` command: each subcommand parses its arguments and makes one library call.

Bad input (unknown names, values out of range, malformed files) is one line on stderr and exit
code 2, with no traceback and no half-written output.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import fields
from pathlib import Path

from conflict_sim import scenarios
from conflict_sim.errors import ConflictSimError
from conflict_sim.params import Params, allowed, parse_assignment

DEFAULT_DAYS = 3 * 365


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


def _run(args: argparse.Namespace) -> int:
    from conflict_sim.output import write_run
    from conflict_sim.provenance import environment
    from conflict_sim.run import simulate

    scenario = scenarios.load(args.scenario)
    changes = dict(parse_assignment(a) for a in args.set)
    params = scenario.params.replace(**changes)
    if args.days < 1:
        raise ConflictSimError(f"--days {args.days}: must be at least 1")
    out = Path(args.out or f"results/runs/{scenario.name}-seed{args.seed}")
    print(f"running {scenario.name}: {params.agents:,} household agents "
          f"({params.households_per_agent} households each), {args.days} days, seed {args.seed}",
          file=sys.stderr)
    started = time.time()
    output = simulate(params, seed=args.seed, days=args.days, policies=scenario.policies, progress=True)
    manifest = {"scenario": scenario.name, "description": scenario.description,
                "seed": args.seed, "days": args.days, "overrides": changes,
                "policies": list(scenario.policy_specs), "params": params.to_dict(),
                "started": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started)),
                "seconds": round(output.seconds, 3), **environment()}
    write_run(out, output, manifest, extra=lambda folder: params.to_toml(folder / "params.toml"))
    o = output.outcomes
    print(f"wrote {out}/ in {output.seconds:.1f} s: formal on-time closure {o['formal_on_time_rate']:.1%}, "
          f"substantive resolution {o['substantive_resolution_rate']:.1%}, "
          f"{o['collective_visits_per_year']:.0f} collective visits/year")
    return 0


def _list(args: argparse.Namespace) -> int:
    if args.what == "scenarios":
        for name in scenarios.names():
            first = scenarios.load(name).description.strip().splitlines()[0]
            print(f"{name:24} {first}")
    elif args.what == "params":
        group = None
        for f in fields(Params):
            m = f.metadata
            if m["group"] != group:
                group = m["group"]
                print(f"\n[{group}]")
            print(f"  {f.name:32} = {f.default!r:<16} [{m['source']}] {allowed(f)}  # {m['doc']}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="conflict-sim", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    run = sub.add_parser("run", help="simulate one scenario and write its outputs")
    run.add_argument("scenario", help="a bundled scenario name or a scenario TOML file")
    run.add_argument("--days", type=int, default=DEFAULT_DAYS, help="simulated days (default 3 years)")
    run.add_argument("--seed", type=int, default=1, help="the run's seed (default 1)")
    run.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                     help="override a parameter (repeatable)")
    run.add_argument("--out", help="output folder (default results/runs/SCENARIO-seedS)")
    run.set_defaults(handler=_run)

    listing = sub.add_parser("list", help="list scenarios or parameters")
    listing.add_argument("what", choices=["scenarios", "params"])
    listing.set_defaults(handler=_list)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except ConflictSimError as exc:
        print(f"conflict-sim: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        return 0
    except KeyboardInterrupt:
        print("conflict-sim: interrupted; nothing half-written was kept", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
