"""conflict-sim: grass-roots petition work (letters and visits, 信访) as a social-conflict system, on Mesa."""

from conflict_sim.errors import ConflictSimError, ParameterError
from conflict_sim.model import PetitionModel
from conflict_sim.params import Params
from conflict_sim.run import RunOutput, simulate

__version__ = "0.1.0"
__all__ = ["ConflictSimError", "ParameterError", "Params", "PetitionModel", "RunOutput", "simulate"]
