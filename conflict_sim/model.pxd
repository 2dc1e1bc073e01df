# C declarations of model.py for Cython (conflict_sim/compiled.py): the model's day and lookups read its state
# at their fields' offsets (layouts.py) and keep its books of issues through `books` as C calls.
from conflict_sim cimport books
from conflict_sim.layouts cimport (Params as ParamsLayout, Streams as StreamsLayout, WorldState as WorldLayout,
                                   check_layouts)
from conflict_sim.streams cimport Stream

# module globals that the functions read, held as C variables (docs/performance.md, 6 December 2026,
# morning): Python 3.12's dicts carry no version for Cython to cache a lookup by, so each read of a
# module global would be a dict lookup
cdef object np, routing, IssueState, Level, Channel, Context

