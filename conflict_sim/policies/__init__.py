"""Countermeasures as first-class policies: the explicit registry, and policies to and from TOML.

Adding a countermeasure: write `policies/<name>.py` (a subclass of `ParameterPolicy`, or any class
following the `Policy` protocol of `policies/base.py`), add its class to `REGISTRY` below, and use it
in a scenario as `[[policies]] kind = "<name>"`.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from conflict_sim.errors import ConflictSimError
from conflict_sim.policies.base import ParameterPolicy, Policy, PolicyTarget, setting, settings
from conflict_sim.policies.classification_by_law import ClassificationByLaw
from conflict_sim.policies.evaluation_reform import EvaluationReform
from conflict_sim.policies.fast_handling import FastHandling
from conflict_sim.policies.fengqiao_mediation import FengqiaoMediation
from conflict_sim.policies.grid_detection import GridDetection
from conflict_sim.policies.leader_ownership import LeaderOwnership
from conflict_sim.policies.less_coercion import LessCoercion
from conflict_sim.policies.no_merit_blind_buyoffs import NoMeritBlindBuyoffs
from conflict_sim.policies.open_channels import OpenChannels
from conflict_sim.policies.procedural_justice import ProceduralJustice
from conflict_sim.policies.representatives import Representatives
from conflict_sim.policies.social_organisations import SocialOrganisations
from conflict_sim.policies.source_governance import SourceGovernance
from conflict_sim.policies.standard_procedure import StandardProcedure

__all__ = ["REGISTRY", "ParameterPolicy", "Policy", "PolicyTarget", "build", "setting", "settings", "to_spec"]

# The registry is explicit: a module in this folder that is not listed here fails a test.
REGISTRY: dict[str, type[ParameterPolicy]] = {
    cls.name: cls
    for cls in (
        OpenChannels,
        FengqiaoMediation,
        GridDetection,
        FastHandling,
        ProceduralJustice,
        LeaderOwnership,
        ClassificationByLaw,
        StandardProcedure,
        SourceGovernance,
        Representatives,
        EvaluationReform,
        NoMeritBlindBuyoffs,
        LessCoercion,
        SocialOrganisations,
    )
}


def build(spec: dict[str, Any]) -> Policy:
    """A policy from its TOML form `{kind = "name", start_day = 0, ...}`; errors are one line."""
    spec = dict(spec)
    kind = spec.pop("kind", None)
    if kind not in REGISTRY:
        known = ", ".join(sorted(REGISTRY)) or "none registered"
        raise ConflictSimError(f"policy kind={kind!r}: unknown (known: {known})")
    cls = REGISTRY[kind]
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    for key in spec:
        if key not in names:
            raise ConflictSimError(f"policy {kind}: unknown field {key!r} (fields: {', '.join(sorted(names))})")
    return cls(**spec)


def to_spec(policy: Policy) -> dict[str, Any]:
    """The TOML form of a policy, readable by `build`."""
    return {"kind": policy.name, **dataclasses.asdict(policy)}  # type: ignore[call-overload]
