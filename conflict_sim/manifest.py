"""The manifest of a results folder, typed: written by `write` and read by `read`, nowhere else.

It holds the experiment's resolved definition (enough to rebuild every run), its identity (what a
resume or a growth must match), provenance (versions, git, model revision, input files), the sessions
that ran it, its growth, and the per-run status written at the end of each session. The JSON also
carries flat copies of the definition's fields (arms, design, seeds, days, ...) for readers of the file.
"""

from __future__ import annotations

import json
import platform
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from conflict_sim.errors import ResultsError
from conflict_sim.output import write_json
from conflict_sim.spec import (
    PER_SCENARIO,
    SEED_SCHEME,
    SEED_SCHEME_PER_SCENARIO,
    SHARED,
    Experiment,
    Identity,
    design_seed,
    scenario_seeds,
    spawn_seeds,
)

FORMAT = "conflict-sim sweep results, version 2"


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


@dataclass(frozen=True)
class Session:
    """One invocation that worked on the folder.

    Attributes:
        kind: "new", "resume", "grow" or "retry-failed".
        runs_to_do: runs this session set out to run.
        runs_executed: runs it finished (None while it runs).
        interrupted: it was stopped by SIGINT or SIGTERM.
    """

    started: str
    kind: str
    backend: str
    workers: int
    host: str
    runs_to_do: int
    package_version: str
    model_revision: str
    git: Mapping[str, Any] = field(default_factory=dict)
    address: str | None = None
    ended: str | None = None
    runs_executed: int | None = None
    interrupted: bool = False


@dataclass(frozen=True)
class Manifest:
    """Everything a reader needs to know about how the results were made."""

    definition: Mapping[str, Any]
    identity: Identity
    text: str | None
    scenario_files: Mapping[str, str]
    environment: Mapping[str, Any]
    created: str
    sessions: tuple[Session, ...] = ()
    growth: tuple[Mapping[str, Any], ...] = ()
    status: Mapping[str, int] = field(default_factory=dict)
    runs: Mapping[str, list[Any]] = field(default_factory=dict)
    failures: tuple[Mapping[str, Any], ...] = ()

    @classmethod
    def new(cls, experiment: Experiment, identity: Identity, environment: Mapping[str, Any]) -> Manifest:
        from conflict_sim.provenance import file_digest

        files = {str(p): file_digest(p) for s in experiment.scenarios for p in s.files if p.is_file()}
        return cls(experiment.definition(), identity, experiment.text, files, dict(environment), now())

    def experiment(self) -> Experiment:
        """The experiment the folder holds, rebuilt from its resolved definition."""
        return Experiment.from_definition(self.definition)

    def with_session(self, session: Session) -> Manifest:
        return replace(self, sessions=(*self.sessions, session))

    def ended(self, facts: Mapping[str, Any], status: Mapping[str, Any]) -> Manifest:
        """The last session closed with `facts`, and the status table of the folder."""
        last = replace(self.sessions[-1], ended=now(), **facts)
        return replace(self, sessions=(*self.sessions[:-1], last), **status)

    def grown(self, experiment: Experiment, identity: Identity, text: str) -> Manifest:
        """The manifest of a larger experiment of the same core (more replications or arms), whose file is `text`."""
        old = self.definition
        step = {
            "at": now(),
            "replications": [old["replications"], experiment.replications],
            "arms_added": [a.name for a in experiment.arms[len(old["arms"]) :]],
        }
        definition = experiment.definition()
        return replace(self, definition=definition, identity=identity, text=text, growth=(*self.growth, step))

    def to_json(self) -> dict[str, Any]:
        d = self.definition
        runs_total = len(d["scenarios"]) * len(d["design"]["points"]) * len(d["arms"]) * d["replications"]
        sampled = d["design"]["samples"] is not None
        per_scenario = d.get("seed_sets", SHARED) == PER_SCENARIO
        seeds: list[int] | dict[str, list[int]] = (
            {
                s["name"]: list(scenario_seeds(d["root_seed"], d["replications"], k))
                for k, s in enumerate(d["scenarios"])
            }
            if per_scenario
            else list(spawn_seeds(d["root_seed"], d["replications"]))
        )
        return {
            "format": FORMAT,
            "experiment": {
                "name": d["name"],
                "description": d["description"],
                "identity": self.identity.full,
                "text": self.text,
            },
            "identity": asdict(self.identity),
            "definition": dict(d),
            "scenario_files": dict(self.scenario_files),
            # flat copies for readers of the file; `read` rebuilds them from the definition
            "root_seed": d["root_seed"],
            "seed_scheme": SEED_SCHEME_PER_SCENARIO if per_scenario else SEED_SCHEME,
            "seed_sets": PER_SCENARIO if per_scenario else SHARED,
            "seeds": seeds,  # per scenario (by name) with per-scenario seed sets
            "replications": d["replications"],
            "days": d["days"],
            "warmup_days": d["warmup_days"],
            "outcomes": d["outcomes"] if d["outcomes"] is not None else "all",
            "daily": d["daily"] if d["daily"] is not None else "all",
            "reference": d["reference"],
            "scenarios": {s["name"]: {"params": s["params"], "policies": s["policies"]} for s in d["scenarios"]},
            "overrides": d["overrides"],
            "arms": d["arms"],
            "design": {
                **{k: d["design"][k] for k in ("method", "parameters", "bounds", "options")},
                "seed": design_seed(d["root_seed"]) if sampled else None,
                "points": len(d["scenarios"]) * len(d["design"]["points"]),
            },
            "runs_total": runs_total,
            "created": self.created,
            **self.environment,
            "sessions": [asdict(s) for s in self.sessions],
            "growth": list(self.growth),
            "status": dict(self.status),
            "runs": dict(self.runs),
            "failures": list(self.failures),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Manifest:
        kept = ("versions", "git", "model_revision", "platform", "machine", "compiled")
        environment = {k: data[k] for k in kept if k in data}
        return cls(
            definition=data["definition"],
            identity=Identity(**data["identity"]),
            text=data["experiment"].get("text"),
            scenario_files=data.get("scenario_files", {}),
            environment=environment,
            created=data["created"],
            sessions=tuple(Session(**s) for s in data.get("sessions", ())),
            growth=tuple(data.get("growth", ())),
            status=data.get("status", {}),
            runs=data.get("runs", {}),
            failures=tuple(data.get("failures", ())),
        )


def environment() -> dict[str, Any]:
    """The provenance recorded once per folder (sessions record their own versions too)."""
    from conflict_sim.provenance import environment as provenance

    return {**provenance(), "platform": platform.platform()}


def write(path: Path, manifest: Manifest) -> None:
    """The manifest as JSON, appearing whole (scratch file and rename)."""
    write_json(path, manifest.to_json())


def read(path: Path) -> Manifest:
    """The manifest at `path`; a missing, truncated or foreign file is one `ResultsError` line."""
    folder = Path(path).parent
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ResultsError(f"{folder}: not a results folder (no manifest.json)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ResultsError(f"{folder}: manifest.json is unreadable or truncated ({type(exc).__name__})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        found = data.get("format") if isinstance(data, dict) else None
        raise ResultsError(f"{folder}: manifest.json is not of this version ({found!r}, expected {FORMAT!r})")
    try:
        return Manifest.from_json(data)
    except (KeyError, TypeError, AttributeError) as exc:
        raise ResultsError(f"{folder}: manifest.json is incomplete (missing {exc})") from None
