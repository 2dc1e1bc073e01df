# C declarations of books.py for Cython (conflict_sim/compiled.py): the model's books read at their offsets
# (layouts.py), as C functions that the compiled organs and the model call directly.
cimport cython

from conflict_sim.cases cimport made_case
from conflict_sim.events cimport EventLog
from conflict_sim.households cimport Households
from conflict_sim.layouts cimport (Case as CaseLayout, Issue as IssueLayout, Params as ParamsLayout,
                                   Streams as StreamsLayout, WorldState as WorldLayout, check_layouts)
from conflict_sim.streams cimport Stream

# the module globals its functions read, as C variables (compiled.py says why)
cdef object DETECTABLE_STATES, IssueState, Pathway, Case, _BLANK_CASE


cpdef CaseLayout open_case(object issue, object channel, object kind, object day)


cpdef void decide_later(WorldLayout world, IssueLayout issue, object context, long delay=*)
@cython.locals(counts=list, before=Py_ssize_t, after=Py_ssize_t, workers=list)
cpdef void set_state(WorldLayout world, IssueLayout issue, object state)
@cython.locals(log=EventLog, counts=list, household=Py_ssize_t, issues_of=dict, workers=list)
cpdef void open_issue(WorldLayout world, IssueLayout issue)
@cython.locals(log=EventLog, hh=Households, household=Py_ssize_t, issues_of=dict, issues=list, workers=list)
cpdef void end(WorldLayout world, IssueLayout issue, object state, object level, object pathway)
@cython.locals(hh=Households, issues_of=dict, issues=list, issue=IssueLayout, worst=double)
cdef void _keep_worst_severity(WorldLayout world, Py_ssize_t household)
@cython.locals(p=ParamsLayout, hh=Households, streams=StreamsLayout, decisions=Stream, latent=dict, chance=double)
cdef void _revive_neighbours(WorldLayout world, Py_ssize_t household)
