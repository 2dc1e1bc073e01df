# C declarations of routing.py for Cython (conflict_sim/compiled.py): a submission's issue and the model's
# hot state read at their fields' offsets (layouts.py), the households' arrays as their C class.
from conflict_sim cimport books
from conflict_sim.events cimport EventLog
from conflict_sim.households cimport Households
from conflict_sim.layouts cimport Issue as IssueLayout, WorldState as WorldLayout, check_layouts

# the module globals its functions read, as C variables (compiled.py says why)
cdef object residents, Channel, IssueState, CaseKind, Case, Refusal, Context, ROUTES, PRESSING, SKIP_CHANNELS
cdef object FORMAL_PETITION_CHANNELS
