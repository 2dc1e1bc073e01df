# C declarations of cases.py for Cython (conflict_sim/compiled.py).
cdef class Case:
    cdef public object issue, channel, kind
    cdef public long received
    cdef public bint priority, leader
    cdef public long accepted, due, extended
    cdef public bint overdue
    cdef public double rushed, justice_bonus
    cdef public bint copy, campaign
    cdef public object office
