"""The Mesa agents of the petition system: residents, grass-roots organs, offices and sinks."""

from conflict_sim.agents.fengqiao import GridWorker, MediationCommittee
from conflict_sim.agents.manager import DistrictManager
from conflict_sim.agents.offices import Court, HigherLevel, Hotline, PetitionOffice
from conflict_sim.agents.residents import Resident

__all__ = [
    "Court",
    "DistrictManager",
    "GridWorker",
    "HigherLevel",
    "Hotline",
    "MediationCommittee",
    "PetitionOffice",
    "Resident",
]
