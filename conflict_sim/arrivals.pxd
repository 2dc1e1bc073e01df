# C declarations of arrivals.py for Cython (conflict_sim/compiled.py): a day's candidates read from typed
# arrays, and their draws made by NumPy's own C functions on the day's generator, the ones that
# `Generator.poisson`, `.integers`, `.beta` and `.random` call, in the same order on the same bits; a
# group's members made in C. The issues are those of the sources, bit for bit (tests/test_compiled.py),
# without the NumPy calls' fixed costs (about 18 µs a day at 1:4; docs/performance.md, 6 December 2026).
# The generators themselves are `SeededGenerator`s, seeded in C (streams.pxd).
cimport cython
from libc.stdint cimport int64_t, uint64_t
from numpy.random cimport bitgen_t

from conflict_sim.issues cimport made_issue
from conflict_sim.layouts cimport Params as ParamsLayout, check_layouts
from conflict_sim.streams cimport (SeededGenerator, random_beta, random_bounded_uint64_fill, random_poisson,
                                   random_standard_uniform_fill)

# the module globals its functions read, as C variables (compiled.py says why)
cdef object math, bisect, CATEGORIES, CATEGORY_INDEX, LEVELS, LITIGABLE_SHARE, MEDIABLE_SHARE, Level

cdef Py_ssize_t KEEP, MERIT, LEVEL, LITIGATE, MEDIATE, STRATEGIC, PROJECT, UNIFORMS
cdef object np, SEVERITY_A, SEVERITY_B  # the module's, for `_bitgen_block`
cdef object _BLANK


cpdef object level_needed(double u, list edges)


cdef class Arrivals:
    cdef public Py_ssize_t n
    cdef public object district, _hood_start, _hood_end, _unit_start, _unit_end, _cached_rates

    @cython.locals(layer=Py_ssize_t, i=Py_ssize_t, category="const int64_t[::1]", household="const int64_t[::1]",
                   severity="const double[::1]", u="const double[:, ::1]", seeds="const int64_t[::1]")
    cpdef list draw(self, SeededGenerator generator, ParamsLayout params, long day)
    @cython.locals(shared=double, rng=SeededGenerator)
    cdef void _candidate(self, list issues, ParamsLayout params, long day, Py_ssize_t category, Py_ssize_t household,
                         double severity, const double[::1] u, int64_t seed, list edges)
    @cython.locals(merit=double, litigable=bint, mediable=bint, strategic=bint)
    cdef object _issue(self, ParamsLayout params, long day, Py_ssize_t category, Py_ssize_t household, double severity,
                       const double[::1] u, list edges)


cdef inline tuple _bitgen_block(SeededGenerator generator, const double[::1] base, Py_ssize_t agents):
    """`_numpy_block`'s draws, by the C functions its NumPy calls make, on the generator's own bits."""
    cdef bitgen_t* state = &generator.bitgen
    cdef Py_ssize_t categories = base.shape[0], n = 0, i = 0, j, k
    cdef int64_t[16] counts  # at most 16 categories (issues.CATEGORIES has 8)
    assert categories <= 16
    for j in range(categories):  # Generator.poisson(base)
        counts[j] = random_poisson(state, base[j])
        n += counts[j]
    category, household, seeds = np.empty(n, np.int64), np.empty(n, np.int64), np.empty(n, np.int64)
    severity, u = np.empty(n), np.empty((n, UNIFORMS))
    cdef int64_t[::1] category_v = category, household_v = household, seeds_v = seeds
    cdef double[::1] severity_v = severity
    cdef double[:, ::1] u_v = u
    cdef const double[::1] severity_a = SEVERITY_A, severity_b = SEVERITY_B
    for j in range(categories):  # np.repeat(CATEGORY_CODES, counts)
        for k in range(counts[j]):
            category_v[i] = j
            i += 1
    if n:  # NumPy draws nothing for an empty block
        random_bounded_uint64_fill(state, 0, agents - 1, n, False, <uint64_t*> &household_v[0])  # .integers(0, agents, n)
        for i in range(n):  # .beta(SEVERITY_A[category], SEVERITY_B[category])
            severity_v[i] = random_beta(state, severity_a[category_v[i]], severity_b[category_v[i]])
        random_standard_uniform_fill(state, n * UNIFORMS, &u_v[0, 0])  # .random((n, UNIFORMS))
        random_bounded_uint64_fill(state, 0, (<uint64_t> 1 << 63) - 1, n, False, <uint64_t*> &seeds_v[0])  # .integers(0, 2**63, n)
    return category, household, severity, u, seeds


cdef inline object _members_c(Py_ssize_t lead, Py_ssize_t start, object order, Py_ssize_t n):
    """`_members`' array, made in C."""
    members = np.empty(n, np.int64)
    cdef int64_t[::1] members_v = members
    cdef const int64_t[::1] order_v
    cdef Py_ssize_t i
    members_v[0] = lead
    if n > 1:
        order_v = order
        for i in range(n - 1):  # the lead skipped
            members_v[i + 1] = start + order_v[i] + (start + order_v[i] >= lead)
    return members
