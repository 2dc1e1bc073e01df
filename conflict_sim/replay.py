"""Replay: one stored run run again from its key, exactly as the sweep ran it, compared with what was stored."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from conflict_sim.batches import Output
from conflict_sim.spec import Experiment, Run, RunConfiguration, run_by_key
from conflict_sim.store import Store


@dataclass(frozen=True)
class Replay:
    """One stored run run again, with the outcomes the sweep stored for it (None if it failed)."""

    run: Run
    config: RunConfiguration
    output: Output
    stored: dict[str, float] | None
    same_model: bool

    def differences(self) -> dict[str, tuple[float, float]]:
        """Kept outcomes whose replayed value is not exactly the stored one: name -> (stored, now)."""
        if self.stored is None:
            return {}
        now_values = {k: float(self.output.outcomes[k]) for k in self.stored}
        return {
            k: (v, now_values[k])
            for k, v in self.stored.items()
            if not (v == now_values[k] or (math.isnan(v) and math.isnan(now_values[k])))
        }


def stored_experiment(folder: str | Path) -> Experiment:
    """The experiment of a results folder, rebuilt from the resolved definition in its manifest."""
    return Store(folder).manifest().experiment()


def replay(folder: str | Path, key: str) -> Replay:
    """Re-run one run of a results folder from its key, exactly as the sweep ran it."""
    from conflict_sim.provenance import model_revision
    from conflict_sim.run import simulate

    store = Store(folder)
    manifest = store.manifest()
    experiment = manifest.experiment()
    run = run_by_key(experiment, key)
    output = simulate(
        run.params,
        seed=run.seed,
        days=experiment.config.days,
        policies=run.policies,
        warmup_days=experiment.config.warmup_days,
    )
    same = manifest.identity.model_revision == model_revision()
    return Replay(run, experiment.config, output, store.outcomes_of(key), same)
