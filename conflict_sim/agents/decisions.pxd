# C declarations of decisions.py for Cython (conflict_sim/compiled.py): the channels' utilities, cell by cell.
cimport cython

from conflict_sim.households cimport Households


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
