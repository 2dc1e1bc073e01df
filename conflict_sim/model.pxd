# C declarations of model.py for Cython (conflict_sim/compiled.py): the model's books of its issues read at
# their fields' offsets (layouts.py).
cimport cython

from conflict_sim cimport books
from conflict_sim.events cimport EventLog
from conflict_sim.households cimport Households
from conflict_sim.layouts cimport (Issue as IssueLayout, Params as ParamsLayout, Streams as StreamsLayout,
                                   WorldState as WorldLayout, check_layouts)
from conflict_sim.streams cimport Stream

# module globals that the functions read, held as C variables (docs/performance.md, 6 December 2026,
# morning): Python 3.12's dicts carry no version for Cython to cache a lookup by, so each read of a
# module global would be a dict lookup
cdef object np, routing, IssueState, Level, Channel, Context, Pathway, DETECTABLE_STATES

