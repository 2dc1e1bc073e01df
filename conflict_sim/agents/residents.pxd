# C declarations of residents.py for Cython (conflict_sim/compiled.py): what a household does when an
# organ answers, with its arrays as the compiled `Households`.
cimport cython

from conflict_sim cimport books
from conflict_sim cimport households
from conflict_sim.households cimport Households
from conflict_sim.layouts cimport Issue as IssueLayout, Params as ParamsLayout, WorldState as WorldLayout, check_layouts

# the module globals its functions read, as C variables (compiled.py says why)
cdef object np, rules, IssueState, Pathway, Context, OPEN_STATES, Level


@cython.locals(hh=Households, p=ParamsLayout)
cpdef void learn(WorldLayout world, Py_ssize_t household, Py_ssize_t channel, bint success, bint neighbours=*)
@cython.locals(hh=Households, p=ParamsLayout, old=double, new=double, change=double)
cpdef void update_trust(WorldLayout world, Py_ssize_t household, double justice, double outcome, double expected, object members=*)
@cython.locals(hh=Households, p=ParamsLayout)
cpdef void heard(WorldLayout world, Py_ssize_t household, double justice)
@cython.locals(hh=Households, strength=double, prior=double)
cpdef double belief(WorldLayout world, Py_ssize_t household, Py_ssize_t channel) except? -1
@cython.locals(hh=Households, p=ParamsLayout, h=Py_ssize_t)
cpdef void on_reply(WorldLayout world, IssueLayout issue, object office, bint resolved, double justice, object channel)
@cython.locals(hh=Households, p=ParamsLayout)
cpdef void on_setback(WorldLayout world, IssueLayout issue, object channel, bint blocked)
@cython.locals(hh=Households, p=ParamsLayout)
cpdef void suffer_repression(WorldLayout world, Py_ssize_t household, double hostility, object channel)
@cython.locals(n=Py_ssize_t, i=Py_ssize_t, value=double, old="double[::1]", moved="double[::1]")
cdef double _update_members(Households hh, const long[::1] members, double justice, double procedural,
                            double surprise)
