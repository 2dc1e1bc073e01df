# C declarations of streams.py for Cython (conflict_sim/compiled.py), and NumPy's seeding of its default
# generator in C: `SeedSequence`'s mixing of the entropy into its pool, the pool's expansion into PCG64's
# seed, and PCG64 itself (numpy/random/bit_generator.pyx, numpy/random/src/pcg64/pcg64.h; after O'Neill's
# `seed_seq` and PCG). NumPy promises these streams stay the same across its versions (NEP 19);
# tests/test_compiled.py holds the draws to NumPy's.
from cpython.pycapsule cimport PyCapsule_GetPointer
from libc.math cimport log as c_log
from libc.stdint cimport int64_t, uint32_t, uint64_t
from numpy.random cimport bitgen_t

cdef extern from "numpy/random/distributions.h":
    double random_gamma(bitgen_t* state, double shape, double scale) nogil
    double random_beta(bitgen_t* state, double a, double b) nogil
    double random_standard_normal(bitgen_t* state) nogil
    int64_t random_poisson(bitgen_t* state, double lam) nogil
    void random_standard_uniform_fill(bitgen_t* state, Py_ssize_t count, double* out) nogil
    void random_standard_normal_fill(bitgen_t* state, Py_ssize_t count, double* out) nogil
    void random_bounded_uint64_fill(bitgen_t* state, uint64_t offset, uint64_t span, Py_ssize_t count,
                                    bint masked, uint64_t* out) nogil

cdef extern from *:
    """
    typedef struct {
        unsigned __int128 state, inc;
        int has_uint32;
        uint32_t uinteger;
    } conflict_sim_pcg64;

    static inline uint64_t conflict_sim_pcg64_next64(void *st) {
        conflict_sim_pcg64 *g = (conflict_sim_pcg64 *)st;
        const unsigned __int128 multiplier =
            ((unsigned __int128)2549297995355413924ULL << 64) + 4865540595714422341ULL;
        g->state = g->state * multiplier + g->inc;
        uint64_t value = (uint64_t)(g->state >> 64) ^ (uint64_t)g->state;
        unsigned rot = (unsigned)(g->state >> 122);
        return (value >> rot) | (value << ((-rot) & 63));
    }

    static inline uint32_t conflict_sim_pcg64_next32(void *st) {  /* half a 64-bit draw, the other half kept */
        conflict_sim_pcg64 *g = (conflict_sim_pcg64 *)st;
        if (g->has_uint32) {
            g->has_uint32 = 0;
            return g->uinteger;
        }
        uint64_t next = conflict_sim_pcg64_next64(st);
        g->has_uint32 = 1;
        g->uinteger = (uint32_t)(next >> 32);
        return (uint32_t)(next & 0xffffffffULL);
    }

    static double conflict_sim_pcg64_double(void *st) {
        return (double)(conflict_sim_pcg64_next64(st) >> 11) * (1.0 / 9007199254740992.0);
    }

    static uint64_t conflict_sim_pcg64_raw(void *st) { return conflict_sim_pcg64_next64(st); }

    /* NumPy's random_interval (a uniform integer in [0, most], by masked rejection) on PCG64 inlined */
    static inline uint64_t conflict_sim_pcg64_interval(conflict_sim_pcg64 *g, uint64_t most) {
        uint64_t mask = most, value;
        if (most == 0) return 0;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        mask |= mask >> 16;
        mask |= mask >> 32;
        if (most <= 0xffffffffULL) {
            while ((value = (conflict_sim_pcg64_next32(g) & mask)) > most);
        } else {
            while ((value = (conflict_sim_pcg64_next64(g) & mask)) > most);
        }
        return value;
    }

    /* SeedSequence's hash of one word, its constant moved on */
    static inline uint32_t conflict_sim_hashmix(uint32_t value, uint32_t *hash_const) {
        value ^= *hash_const;
        *hash_const *= 0x931e8875U;
        value *= *hash_const;
        value ^= value >> 16;
        return value;
    }

    static inline uint32_t conflict_sim_mix(uint32_t x, uint32_t y) {
        uint32_t result = 0xca01f9ddU * x - 0x4973f715U * y;
        return result ^ (result >> 16);
    }

    /* SeedSequence.mix_entropy into a pool of 4 words, then PCG64's seed from generate_state(4, uint64) */
    static void conflict_sim_pcg64_seed(conflict_sim_pcg64 *g, bitgen_t *bitgen, const uint32_t *entropy,
                                        Py_ssize_t n) {
        uint32_t pool[4], hash_const = 0x43b0d7e5U, words[8];
        for (int i = 0; i < 4; i++)
            pool[i] = conflict_sim_hashmix(i < n ? entropy[i] : 0, &hash_const);
        for (int from = 0; from < 4; from++)
            for (int to = 0; to < 4; to++)
                if (from != to)
                    pool[to] = conflict_sim_mix(pool[to], conflict_sim_hashmix(pool[from], &hash_const));
        for (Py_ssize_t from = 4; from < n; from++)
            for (int to = 0; to < 4; to++)
                pool[to] = conflict_sim_mix(pool[to], conflict_sim_hashmix(entropy[from], &hash_const));
        hash_const = 0x8b51f9ddU;
        for (int i = 0; i < 8; i++) {
            uint32_t value = pool[i % 4] ^ hash_const;
            hash_const *= 0x58f38dedU;
            value *= hash_const;
            words[i] = value ^ (value >> 16);
        }
        uint64_t seed[4];  /* the words read as little-endian uint64s */
        for (int i = 0; i < 4; i++)
            seed[i] = (uint64_t)words[2 * i] | ((uint64_t)words[2 * i + 1] << 32);
        unsigned __int128 initstate = ((unsigned __int128)seed[0] << 64) + seed[1];
        unsigned __int128 initseq = ((unsigned __int128)seed[2] << 64) + seed[3];
        g->state = 0;
        g->inc = (initseq << 1) | 1;
        conflict_sim_pcg64_next64(g);
        g->state += initstate;
        conflict_sim_pcg64_next64(g);
        g->has_uint32 = 0;
        g->uinteger = 0;
        bitgen->state = g;
        bitgen->next_uint64 = conflict_sim_pcg64_raw;
        bitgen->next_uint32 = conflict_sim_pcg64_next32;
        bitgen->next_double = conflict_sim_pcg64_double;
        bitgen->next_raw = conflict_sim_pcg64_raw;
    }
    """
    ctypedef struct pcg64_t "conflict_sim_pcg64":
        pass
    void seed_pcg64 "conflict_sim_pcg64_seed"(pcg64_t* generator, bitgen_t* bitgen, const uint32_t* entropy,
                                              Py_ssize_t n)
    uint64_t pcg64_interval "conflict_sim_pcg64_interval"(pcg64_t* generator, uint64_t most) nogil


cdef class Stream:
    cdef public object generator
    cdef double[::1] _uniforms
    cdef double[::1] _normals
    cdef Py_ssize_t _ui, _ni
    cdef object _bits_of  # the generator whose bits `_bits` points to (`bits_of`)
    cdef bitgen_t* _bits

    cpdef double random(self) except? -1
    cpdef double normal(self) except? -1
    cpdef bint chance(self, double p) except? -1
    cpdef long integer(self, long low, long high) except? -1
    cpdef double uniform(self, double low, double high) except? -1
    cpdef long geometric(self, double p) except? -1
    cpdef double gamma_mean(self, double mean, double cv) except? -1


cdef class SeededGenerator:
    cdef pcg64_t _pcg
    cdef bitgen_t bitgen
    cdef object _numpy  # the sources' NumPy generator

    cpdef long poisson(self, double lam) except? -1
    cpdef double beta(self, double a, double b) except? -1
    cpdef object standard_normal(self, object size=*)
    cpdef object random(self, Py_ssize_t size)
    cpdef object integers(self, object low, object high, Py_ssize_t size)
    cpdef object permutation(self, Py_ssize_t n)


cdef object np  # the module's, for the functions below
cdef Py_ssize_t BLOCK, POOL_SIZE  # C constants of the module (a module global would be a dict lookup a draw)


cdef inline bitgen_t* bitgen_of(object generator):
    """A NumPy generator's bits, for NumPy's C distributions."""
    return <bitgen_t*> PyCapsule_GetPointer(generator.bit_generator.capsule, "BitGenerator")


cdef inline bitgen_t* bits_of(Stream stream):
    """The stream's generator's bits, looked up again only when the generator is replaced."""
    if stream._bits_of is not stream.generator:
        stream._bits = bitgen_of(stream.generator)
        stream._bits_of = stream.generator
    return stream._bits


cdef inline void seed_from_words(SeededGenerator generator, list words):
    """PCG64 seeded as NumPy seeds it from a SeedSequence with these words of entropy."""
    cdef Py_ssize_t i, n = len(words)
    cdef uint32_t[16] few
    cdef uint32_t[::1] many
    cdef uint32_t* entropy = few
    if n > 16:
        many = np.array(words, dtype=np.uint32)
        entropy = &many[0]
    else:
        for i in range(n):
            few[i] = words[i]
    seed_pcg64(&generator._pcg, &generator.bitgen, entropy, n)


ctypedef void (*fill_t)(bitgen_t* bitgen, Py_ssize_t count, double* out) noexcept nogil


cdef inline object filled(bitgen_t* bitgen, Py_ssize_t size, fill_t fill):
    """`size` doubles from one of NumPy's fill functions: Generator.random(size), .standard_normal(size)."""
    out = np.empty(size)
    cdef double[::1] view = out
    if size:
        fill(bitgen, size, &view[0])
    return out


cdef inline object bounded(bitgen_t* bitgen, object low, object high, Py_ssize_t size):
    """Generator.integers(low, high, size) of int64s: NumPy's checks, then its draws."""
    out = np.empty(size, np.int64)
    if size == 0:
        return out
    if high - 1 < low:
        raise ValueError("low >= high")
    cdef int64_t[::1] view = out
    cdef int64_t offset = low
    cdef uint64_t span = high - 1 - low
    random_bounded_uint64_fill(bitgen, <uint64_t> offset, span, size, False, <uint64_t*> &view[0])
    return out


cdef inline object shuffled(pcg64_t* generator, Py_ssize_t n):
    """Generator.permutation(n): Generator.shuffle's swaps of 0, ..., n - 1, top down (its `random_interval`
    on PCG64 inlined)."""
    out = np.arange(n)
    cdef int64_t[::1] view = out
    cdef Py_ssize_t i, j
    cdef int64_t swap
    for i in range(n - 1, 0, -1):
        j = pcg64_interval(generator, i)
        swap = view[i]
        view[i] = view[j]
        view[j] = swap
    return out
