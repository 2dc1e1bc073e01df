# C declarations of offices.py for Cython (conflict_sim/compiled.py): the handlers read the office's and the
# model's hot state, cases, issues and parameters at their fields' offsets (layouts.py), and call the
# handling stream, the agenda and the household's answers as C.
cimport cython

from conflict_sim cimport books
from conflict_sim.agenda cimport Agenda
from conflict_sim.events cimport EventLog
from conflict_sim.agents cimport residents
from conflict_sim.layouts cimport (Case as CaseLayout, Issue as IssueLayout, OfficeState as OfficeLayout,
                                   Params as ParamsLayout, Streams as StreamsLayout, WorldState as WorldLayout,
                                   check_layouts)
from conflict_sim.queues cimport FluidServer
from conflict_sim.streams cimport Stream

# the module globals its functions read, as C variables (compiled.py says why)
cdef object CaseKind, Level, Refusal, OPEN_STATES, Channel, Context, FIRST_KINDS, LITIGABLE_QUALITY, VISIT_CHANNELS


@cython.locals(w=WorldLayout, p=ParamsLayout)
cdef object _terms(OfficeLayout office)
@cython.locals(w=WorldLayout, p=ParamsLayout)
cdef double _quality(OfficeLayout office) except? -1
