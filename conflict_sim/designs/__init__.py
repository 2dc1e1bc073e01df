"""Designs as a registry: one small module per method.

Each module declares its keys, its builder and the analyses it supports (as SALib keeps one file per
method). Adding a design: write `designs/<name>.py` with a `METHOD`, and list it here.
"""

from __future__ import annotations

from conflict_sim.designs import factorial, lhs, listed, morris, sobol
from conflict_sim.designs.base import Design, Method

REGISTRY: dict[str, Method] = {
    m.name: m for m in (factorial.METHOD, listed.METHOD, lhs.METHOD, sobol.METHOD, morris.METHOD)
}
METHODS = tuple(REGISTRY)

__all__ = ["METHODS", "REGISTRY", "Design", "Method"]
