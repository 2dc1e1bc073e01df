# C declarations of model.py for Cython (conflict_sim/compiled.py): the model's day and lookups read its state
# at their fields' offsets (layouts.py) and keep its books of issues through `books` as C calls.
from conflict_sim cimport books
from conflict_sim.layouts cimport (Params as ParamsLayout, Streams as StreamsLayout, WorldState as WorldLayout,
                                   check_layouts)
from conflict_sim.streams cimport Stream

# the module globals its functions read, as C variables (compiled.py says why)
cdef object np, routing, IssueState, Level, Channel, Context

