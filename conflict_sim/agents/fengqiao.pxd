# C declarations of fengqiao.py for Cython (conflict_sim/compiled.py): the handlers read the organ's and the
# model's hot state, issues and parameters at their fields' offsets (layouts.py), and call the grid
# stream, the agenda, the fluid server and the household's answers as C.
cimport cython

from conflict_sim cimport books
from conflict_sim.agenda cimport Agenda
from conflict_sim.events cimport EventLog
from conflict_sim.agents cimport residents
from conflict_sim.layouts cimport (CommitteeState as CommitteeLayout, GridWorkerState as GridWorkerLayout,
                                   Issue as IssueLayout, Params as ParamsLayout, Streams as StreamsLayout,
                                   WorldState as WorldLayout, check_layouts)
from conflict_sim.queues cimport FluidServer
from conflict_sim.streams cimport Stream

# the module globals its functions read, as C variables (compiled.py says why)
cdef object KIND, IssueState, Channel, Level, Pathway, OPEN_STATES, CaseKind, CATEGORIES, MINOR_SEVERITY
cdef object GRID_JUSTICE_BONUS


@cython.locals(w=WorldLayout, p=ParamsLayout)
cdef double _visit_chance(GridWorkerLayout worker) except? -1
