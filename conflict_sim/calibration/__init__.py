"""Pattern-oriented calibration to observed aggregates: Morris screen, history matching, confirmation.

`load(path)` reads a calibration file; `calibrate(calibration, out, backend)` runs it through the
engine (resumable) and writes the calibrated scenario and its report. See docs/calibration.md.
"""

from conflict_sim.calibration.config import Calibration, load
from conflict_sim.calibration.pipeline import Outcome, calibrate

__all__ = ["Calibration", "Outcome", "calibrate", "load"]
