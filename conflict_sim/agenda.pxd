# C declarations of agenda.py for Cython (conflict_sim/compiled.py): the day buckets as a dict of lists, a
# bound method taken apart by Python's C macros (`isinstance(callback, MethodType)`, `__func__`, `__self__`).
cimport cython
from cpython.method cimport PyMethod_Check, PyMethod_GET_FUNCTION, PyMethod_GET_SELF


cdef class Agenda:
    cdef dict _days
    cdef public Py_ssize_t scheduled
    cdef public long last_run

    @cython.locals(target=long, bucket=list)
    cpdef void at(self, long day, object callback, object argument)
    @cython.locals(bucket=list, done=Py_ssize_t, i=Py_ssize_t)
    cpdef long run(self, long day)
