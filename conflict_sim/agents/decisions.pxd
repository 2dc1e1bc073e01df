# C declarations of decisions.py for Cython (conflict_sim/compiled.py): a day's decisions, row by row and cell by cell.
cimport cython

from conflict_sim cimport books
from conflict_sim cimport households
from conflict_sim.households cimport Households
from conflict_sim.layouts cimport (Issue as IssueLayout, Params as ParamsLayout, WorldState as WorldLayout,
                                   check_layouts)

# the module globals its functions read, as C variables (compiled.py says why)
cdef object np, rules, math, Channel, Context, IssueState, OPEN_STATES, _MASKS, PROMPTED, CHANNELS, keep_silent
cdef object EXPECTED_CHANNELS, SKIP_INDEX, SKIP_CHANNELS, AFTER_REPLY_CHANNELS, PRIOR_SOURCE, IMITATION_DAYS

cdef Py_ssize_t N_CHANNELS, COLLECTIVE, NONNORMAL


@cython.locals(r=Py_ssize_t, h=Py_ssize_t, i=Py_ssize_t, c=Py_ssize_t, k=Py_ssize_t, tie=Py_ssize_t, used=int,
               collective=Py_ssize_t, nonnormal=Py_ssize_t,
               since=long, counts=long[::1], local=double, center=double, scaled_stake=double, prior=double,
               successes=float, failures=float, belief=double, risk=double, gap=double, skip=double,
               stake_weight=double, strength=double, strength32=float, imitation=double, skip_weight=double,
               grievance_weight=double, hostility_weight=double, distrust_weight=double,
               cost="double[::1]", sanction="double[::1]", norm="double[::1]", constant="double[::1]",
               fixed_prior="double[::1]", source="signed char[::1]", budget="double[::1]",
               risk_aversion="double[::1]")
cdef void _utility_rows(double[:, ::1] u, Households hh, object p, object table, long[::1] who, double[::1] stake,
                        double[::1] grievance, double[::1] hostility, double[::1] crowd, double alone, long day)


@cython.locals(hh=Households, issue=IssueLayout, n=Py_ssize_t, r=Py_ssize_t, c=Py_ssize_t, h=Py_ssize_t,
               context=int, since=long, waited=double, severity=double, local=double, day=long, alone=double,
               phi=double, psi=double, threshold=double,
               loyalty=double, first=int, overdue_context=int, emboldened_context=int, review=Py_ssize_t,
               court=Py_ssize_t, collective=Py_ssize_t, nonnormal=Py_ssize_t, household="long[::1]",
               hostility="double[::1]", deprivation="double[::1]", risk_aversion="double[::1]",
               stake="double[::1]", crowd="double[::1]", g="double[::1]", loud="unsigned char[::1]",
               ok="unsigned char[:, ::1]", mask="unsigned char[::1]", after_reply="unsigned char[::1]",
               before_reply="unsigned char[::1]", overdue_mask="unsigned char[::1]",
               emboldened_mask="unsigned char[::1]", u="double[:, ::1]")
cpdef tuple _weigh_rows(object world, list issues, list contexts)
@cython.locals(r=Py_ssize_t, c=Py_ssize_t, infinity=double, top=double, value=double, shift=double,
               z="double[:, ::1]")
cdef object _logit_exponents(double[:, ::1] u, unsigned char[:, ::1] ok, double beta)
@cython.locals(r=Py_ssize_t, c=Py_ssize_t)
cdef void _mask_rows(double[:, ::1] weights, unsigned char[:, ::1] ok)
@cython.locals(n=Py_ssize_t, columns=Py_ssize_t, r=Py_ssize_t, c=Py_ssize_t, pick=Py_ssize_t, total=double,
               bar=double, picks="long[::1]", running="double[::1]")
cpdef object _choice_rows(double[:, ::1] weights, double[::1] draws)
@cython.locals(n=Py_ssize_t, width=Py_ssize_t, channels=Py_ssize_t, acting=Py_ssize_t, r=Py_ssize_t, e=Py_ssize_t,
               total=double, column="double[:, ::1]")
cpdef dict _expected_sums(const double[:, ::1] weights, const unsigned char[::1] loud, list issues)
@cython.locals(issue=IssueLayout, seen=set, due=list, stands=bint)
cpdef list still_due(list bucket)
