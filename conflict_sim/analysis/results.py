"""Where the CLI finds `report_folder` today; the report lives in `analysis.report` (import it from there)."""

from conflict_sim.analysis.report import report_folder

__all__ = ["report_folder"]
