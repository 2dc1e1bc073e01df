# C declarations of routing.py for Cython (conflict_sim/compiled.py): a submission's issue and the model's
# hot state read at their fields' offsets (layouts.py), the households' arrays as their C class.
from conflict_sim cimport books
from conflict_sim.events cimport EventLog
from conflict_sim.households cimport Households
from conflict_sim.layouts cimport Issue as IssueLayout, WorldState as WorldLayout, check_layouts

# module globals that the functions read, held as C variables (docs/performance.md, 6 December 2026,
# morning): Python 3.12's dicts carry no version for Cython to cache a lookup by, so each read of a
# module global would be a dict lookup
cdef object residents, Channel, IssueState, CaseKind, Case, Refusal, Context, ROUTES, PRESSING, SKIP_CHANNELS
cdef object FORMAL_PETITION_CHANNELS
