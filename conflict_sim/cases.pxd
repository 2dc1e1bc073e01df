# C for the compiled modules that make cases (conflict_sim/compiled.py): a new case made without the
# dataclass's `__init__`, which is Python, its fields written at their offsets (`Case`'s layout,
# layouts.py).
from conflict_sim.layouts cimport Case, copied


cdef inline Case made_case(Case blank, object issue, object channel, object kind, object received):
    """`Case(issue, channel, kind, received)`, its other fields `blank`'s (a case made with the defaults)."""
    cdef Case case = <Case> copied(blank)
    case.issue, case.channel, case.kind, case.received = issue, channel, kind, received
    return case
