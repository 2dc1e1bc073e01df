# C declarations of households.py for Cython (conflict_sim/compiled.py): the arrays that one household's
# events read and write, as typed views of the same memory, and the methods of one household.
cimport cython

# the module globals its functions read, as C variables (compiled.py says why)
cdef object np, rules


cdef class Households:
    cdef public Py_ssize_t n
    cdef public object hardship, risk_aversion, legitimacy_local, legitimacy_center, baseline_local
    cdef public object baseline_center, budget, ties, hostility, hostility_day, latent_grievance
    cdef public object open_severity, settled, successes, failures, last_channel, last_channel_day
    cdef public object peer_payout_sum, peer_payout_count, grid_of, expectation
    cdef public double expectation_mean, deprivation_mean
    cdef object _deprivation, _local_array, _centre_array, _severity_array, _latent_array, _figures_of
    cdef double[::1] _local
    cdef double[::1] _center
    cdef double[::1] _latent
    cdef Py_ssize_t[::1] _leaves
    cdef int[::1] _leaf_of
    cdef double[:, ::1] _leaf_sums
    cdef long[::1] _leaf_trusting
    cdef unsigned char[::1] _changed
    cdef double[::1] _hostility
    cdef int[::1] _hostility_day
    cdef int[:, ::1] _ties
    cdef Py_ssize_t _k
    cdef float[:, ::1] _successes
    cdef float[:, ::1] _failures
    cdef signed char[::1] _last_channel
    cdef int[::1] _last_channel_day
    cdef unsigned char[::1] _settled
    cdef double[::1] _open_severity
    cdef const double[::1] _deprivation_view
    cdef const double[::1] _expectation_view
    cdef const double[::1] _hardship
    cdef double[::1] _peer_payout_sum
    cdef int[::1] _peer_payout_count

    cpdef void shift_one(self, Py_ssize_t who, double change, bint centre)
    cpdef double local(self, Py_ssize_t who) except? -1
    cpdef double center(self, Py_ssize_t who) except? -1
    cpdef void set_local(self, Py_ssize_t who, double value)
    cpdef void set_open_severity(self, Py_ssize_t who, double severity)
    cpdef void settle(self, Py_ssize_t who)
    cpdef void note_channel(self, Py_ssize_t who, long channel, long day)
    @cython.locals(i=Py_ssize_t)
    cpdef list ties_of(self, Py_ssize_t who)
    cpdef void set_latent(self, Py_ssize_t who, double grievance)
    cpdef void add_latent(self, Py_ssize_t who, double grievance)
    cdef inline void _touch(self, Py_ssize_t who, unsigned char what) noexcept
    cdef void _touch_all(self)
    cpdef void diffuse(self, Py_ssize_t household, double change, double weight, bint centre=*)
    @cython.locals(i=Py_ssize_t, j=Py_ssize_t, tie=Py_ssize_t)
    cdef void _spread(self, double[::1] array, Py_ssize_t household, double delta, unsigned char what)
    @cython.locals(days=long)
    cpdef double hostility_of(self, Py_ssize_t who, long day, double half_life) except? -1
    cpdef void add_hostility(self, Py_ssize_t who, double amount, long day, double half_life)
    cpdef void vent(self, Py_ssize_t who, double share, long day, double half_life)
    cpdef void learn(self, Py_ssize_t household, Py_ssize_t channel, bint success, double own, double social)
    @cython.locals(own32=float, i=Py_ssize_t, tie=Py_ssize_t)
    cdef void _count(self, float[:, ::1] counts, Py_ssize_t household, Py_ssize_t channel, double own, double social)
    @cython.locals(successes=float, failures=float, strength32=float)
    cpdef double belief(self, Py_ssize_t who, Py_ssize_t channel, double prior, double strength) except? -1
    @cython.locals(since=long, i=Py_ssize_t, tie=Py_ssize_t)
    cpdef bint tie_used_lately(self, Py_ssize_t household, long channel, long day) except? -1
    cpdef object district_figures(self, double gap, double deprivation_weight)
    @cython.locals(old="const double[::1]", hardship="const double[::1]", i=Py_ssize_t, count=int, peers=double,
                   e=double, gap=double)
    cdef void _expect(self, double adjustment, double[::1] expectation, double[::1] deprivation)


@cython.locals(x=double)
cdef void _clamped_add(double[::1] array, Py_ssize_t who, double change)


cdef Py_ssize_t PAIRWISE_BLOCK
cdef unsigned char LOCAL_CHANGED, CENTRE_CHANGED, SEVERITY_CHANGED, LATENT_CHANGED, ALL_CHANGED

@cython.locals(count=Py_ssize_t)
cpdef tuple district_sums(const double[::1] local, const double[::1] centre, const double[::1] severity,
                          const double[::1] deprivation, const double[::1] latent, double gap, double weight,
                          const Py_ssize_t[::1] leaves=*, unsigned char[::1] changed=*, double[:, ::1] kept=*,
                          long[::1] kept_trusting=*)

@cython.locals(n=Py_ssize_t, k=Py_ssize_t, start=Py_ssize_t, size=Py_ssize_t, leaf=Py_ssize_t, trusting=Py_ssize_t,
               what="unsigned char")
cdef tuple _tree_sums(const double[::1] local, const double[::1] centre, const double[::1] severity,
                      const double[::1] deprivation, const double[::1] latent, double gap, double weight,
                      const Py_ssize_t[::1] leaves, unsigned char[::1] changed, double[:, ::1] kept,
                      long[::1] kept_trusting)

@cython.locals(k=Py_ssize_t, j=Py_ssize_t, half=Py_ssize_t, left_count=Py_ssize_t, right_count=Py_ssize_t)
cdef void _combine(const double* kept, const long* kept_trusting, Py_ssize_t n, Py_ssize_t* leaf, double* sums,
                   Py_ssize_t* trusting) noexcept nogil

@cython.locals(i=Py_ssize_t, total=double,
               r0=double, r1=double, r2=double, r3=double, r4=double, r5=double, r6=double, r7=double)
cdef double _block_sum(const double* values, Py_ssize_t n) noexcept nogil

@cython.locals(half=Py_ssize_t)
cdef double _pairwise_sum(const double* values, Py_ssize_t n) noexcept nogil

@cython.locals(i=Py_ssize_t, count=Py_ssize_t)
cdef Py_ssize_t _count_above(const double* centre, const double* local, double gap, Py_ssize_t n) noexcept nogil

@cython.locals(i=Py_ssize_t)
cdef double _stock_block(const double* severity, const double* local, const double* deprivation, double weight,
                         Py_ssize_t n) noexcept nogil
