# C declarations of issues.py for Cython (conflict_sim/compiled.py): an issue's fields as C numbers.
cdef class Issue:
    cdef public long uid, household, category
    cdef public double severity, merit
    cdef public object level_needed
    cdef public bint litigable, mediable
    cdef public long born
    cdef public bint strategic
    cdef public object group
    cdef public long reactivated_from
    cdef public object state
    cdef public long epoch, submissions, first_channel, replies, reviews
    cdef public bint terminated
    cdef public long reconsiderations, skip_attempts, window_until
    cdef public object last_office, case, event
    cdef public long overdue_since, ended, end_level, pathway
