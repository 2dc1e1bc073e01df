"""conflict-sim: grass-roots petition work (letters and visits, 信访) as a social-conflict system, on Mesa.

The package face is lazy: importing a light module (parameters, scenarios, results) does not load
Mesa; `conflict_sim.PetitionModel` and `conflict_sim.simulate` load the model when first used.
"""

from __future__ import annotations

import importlib
from typing import Any

from conflict_sim.errors import ConflictSimError, ParameterError
from conflict_sim.params import Params

__version__ = "0.1.0"
__all__ = ["ConflictSimError", "ParameterError", "Params", "PetitionModel", "RunOutput", "simulate"]

_LAZY = {"PetitionModel": "conflict_sim.model", "RunOutput": "conflict_sim.run", "simulate": "conflict_sim.run"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'conflict_sim' has no attribute {name!r}")
