"""The hot state of the model and of its organs, held in slots: bases of `PetitionModel` and the organs.

The organs read a few fields of the model (today, the parameters, the streams, the log, the agenda) and
of their own (counters, clocks) on every event. In slots, the interpreter reads them fastest, and the
compiled modules read them at their offsets in the object (layouts.py), where an attribute of Mesa's
instance dictionary costs a lookup. Mesa's `Model` and `Agent` hold no slots of their own, so
`PetitionModel(WorldState, mesa.Model)` and `PetitionOffice(OfficeState, mesa.Agent)` (and the grid
workers and mediation committees likewise) lay out as these;
the classes live here, away from the modules that import the organs, because a compiled module imports
the module of every class it declares when it is itself imported.
"""

from __future__ import annotations


class WorldState:
    """What every organ reads of the model on every event, and the model's books of its issues (the model sets them)."""

    __slots__ = (
        "_grid_worker_at",
        "_issues_of",
        "_latent",
        "_mediation_at",
        "_office_at",
        "_open_groups",
        "_pending",
        "_state_counts",
        "agenda",
        "day",
        "district",
        "households",
        "log",
        "manager",
        "params",
        "streams",
    )


class OfficeState:
    """A petition office's own state and its model (Mesa's `Agent.__init__` sets `model`)."""

    __slots__ = ("_terms", "_terms_of", "backlog", "level", "model", "overdue", "received", "reviewer", "server")


class GridWorkerState:
    """A grid worker's own state and its model."""

    __slots__ = ("_chance", "_chance_of", "agents", "grid", "handled", "model", "server")


class CommitteeState:
    """A mediation committee's own state and its model."""

    __slots__ = ("backlog", "cases", "model", "neighbourhood", "server")
