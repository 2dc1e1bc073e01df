"""conflict-sim: grass-roots petition work (letters and visits, 信访) as a social-conflict system, on Mesa.

The package face is lazy: `import conflict_sim.params` (or scenarios, store, experiment) loads
neither Mesa nor Solara nor Dask; `conflict_sim.PetitionModel` and `conflict_sim.simulate` import the
model on first use. Importing the package puts the compiled build of the model's hot modules, when
there is one matching their sources, in front of them (`compiled.py`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from conflict_sim import compiled
from conflict_sim.errors import ConflictSimError, ParameterError

if TYPE_CHECKING:
    from conflict_sim.model import PetitionModel
    from conflict_sim.params import Params
    from conflict_sim.run import RunOutput, simulate

__all__ = ["ConflictSimError", "ParameterError", "Params", "PetitionModel", "RunOutput", "simulate"]

compiled.install()  # the model's hot modules as compiled C, when a build of their sources is there

_LAZY = {"PetitionModel": "model", "Params": "params", "RunOutput": "run", "simulate": "run"}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from conflict_sim.provenance import version

        return version()
    if name in _LAZY:
        return getattr(importlib.import_module(f"conflict_sim.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'conflict_sim' has no attribute {name!r}")
