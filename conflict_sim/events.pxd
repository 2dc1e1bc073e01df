# C declarations of events.py for Cython (conflict_sim/compiled.py): a table's rows as buffers of C integers
# (its integer and flag columns) and C doubles (its float columns).
cimport cython

from conflict_sim.layouts cimport Issue as IssueLayout, check_layouts

# the module globals its functions read, as C variables (compiled.py says why)
cdef object np


cdef class Rows:
    cdef public Py_ssize_t width, length
    cdef object _is_float, _int_buffer, _float_buffer, _int_values, _float_values
    cdef Py_ssize_t _int_width, _float_width
    cdef unsigned char[::1] _flags
    cdef int[::1] _ints
    cdef double[::1] _floats

    @cython.locals(i=Py_ssize_t, f=Py_ssize_t, j=Py_ssize_t)
    cpdef void append(self, tuple row)
    cdef void _grow(self)


cdef class EventLog:
    cdef dict _rows
    cdef public dict open_issues
    cdef public Py_ssize_t issue_count

    @cython.locals(rows=Rows)
    cpdef void add(self, str table, tuple row)
    cpdef void open(self, IssueLayout issue)
    cpdef void close(self, IssueLayout issue)


@cython.locals(group=object)
cpdef tuple issue_row(IssueLayout issue)
