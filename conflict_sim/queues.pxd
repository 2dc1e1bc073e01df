# C declarations of queues.py for Cython (conflict_sim/compiled.py).
cimport cython


cdef class FluidServer:
    cdef public double capacity, backlog, rate
    cdef long _day
    cdef double _inflow_today

    @cython.locals(alpha=double, rate=double, backlog=double, capacity=double, inflow=double)
    cdef void _advance(self, long day)
    cpdef double book(self, long day, double real_cases) except? -1
    cpdef double wait(self, long day) except? -1
    cpdef double utilisation(self, long day) except? -1
