# C declarations of events.py for Cython (conflict_sim/compiled.py): a table's rows as a buffer of C doubles.
cimport cython


cdef class Rows:
    cdef object _buffer
    cdef double[::1] _data
    cdef public Py_ssize_t length

    @cython.locals(n=Py_ssize_t, i=Py_ssize_t)
    cpdef void extend(self, object row)
    cdef void _grow(self, Py_ssize_t needed)
