# C declarations of streams.py for Cython (conflict_sim/compiled.py).
cdef class Stream:
    cdef public object generator
    cdef double[::1] _uniforms
    cdef double[::1] _normals
    cdef Py_ssize_t _ui, _ni

    cpdef double random(self)
    cpdef double normal(self)
    cpdef bint chance(self, double p)
    cpdef long integer(self, long low, long high)
    cpdef double uniform(self, double low, double high)
    cpdef long geometric(self, double p)
