"""Social organisations and social workers (社会组织参与, 社工): mediators, a fairer manner."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from conflict_sim.params import PARAM_FIELDS, Params
from conflict_sim.policies.base import ParameterPolicy, setting


@dataclass(frozen=True, slots=True)
class SocialOrganisations(ParameterPolicy):
    """Social workers add mediators in every community and raise the procedural justice of contacts.

    Third parties outside the state widen mediation (Dahrendorf 1959) and bring a respectful, listening
    manner (Tyler 1990). Both are added to the current values, so this composes with other policies.
    The values are assumptions [A]: one social-work mediator per community, +0.05 procedural justice.
    """

    name: ClassVar[str] = "social_organisations"
    theory: ClassVar[str] = "Dahrendorf (third parties); Tyler (respectful treatment)"
    label_zh: ClassVar[str] = "社会组织参与 / 社工介入"

    extra_mediators: float = setting(1.0, 0.0, 20.0, doc="Social-work mediators per community")
    justice_gain: float = setting(0.05, 0.0, 0.5, doc="Added procedural justice of contacts")

    @classmethod
    def levers(cls) -> tuple[str, ...]:
        return ("mediators_per_community", "procedural_justice")

    def changes(self, params: Params) -> dict[str, Any]:
        ceiling = PARAM_FIELDS["mediators_per_community"].metadata["max"]
        mediators = min(ceiling, params.mediators_per_community + self.extra_mediators)
        return {
            "mediators_per_community": mediators,
            "procedural_justice": min(1.0, params.procedural_justice + self.justice_gain),
        }
