"""The memory layouts of the slotted classes that compiled modules read at their offsets, declared for Cython.

    python -m conflict_sim.layouts      # prints the declarations (layouts.pxd) for the classes as they are

CPython lays a slotted class's fields out as one object pointer each after the object's header, in the
order of their sorted names. Declared so to Cython, a compiled module's variable typed with a layout
reads and writes a field with a C load at its offset, where an untyped one goes through Python's
attribute lookup; the class stays Python, whose own slot reads the interpreter makes fastest. The build
(compile.py) writes the declarations as layouts.pxd beside the sources it compiles, from the classes as
they are, so a field added, removed or renamed needs nothing more than the rebuild that the changed
source's key calls for; and each compiled module that uses them checks them against the classes' member
descriptors when it is imported (`check_layouts`), so a class changed or replaced since the build fails
the import instead of reading the wrong memory.
"""

from __future__ import annotations

import importlib

# (module, class, the name Cython knows its layout by)
CLASSES = (
    ("conflict_sim.issues", "Issue", "Issue"),
    ("conflict_sim.cases", "Case", "Case"),
    ("conflict_sim.params", "Params", "Params"),
    ("conflict_sim.streams", "Streams", "Streams"),
    ("conflict_sim.state", "WorldState", "WorldState"),
    ("conflict_sim.state", "OfficeState", "OfficeState"),
    ("conflict_sim.state", "GridWorkerState", "GridWorkerState"),
    ("conflict_sim.state", "CommitteeState", "CommitteeState"),
)
C_KEYWORDS = frozenset({"case", "default", "register", "signed", "unsigned", "static", "union", "volatile"})

HEAD = '''# Written by conflict_sim/layouts.py for the build, from the classes as they were (layouts.py says why).

cdef extern from *:
    """
    #define CONFLICT_SIM_MEMBER(field, name) PyObject *field;

    typedef struct {
        const char *name;
        Py_ssize_t offset;
    } conflict_sim_slot;

    /* Whether `cls` has exactly the `n` object slots of `slots`, each at its offset, and is `size` bytes
       (so no field beyond them): every declared read and write then lands on the field it names. */
    static int conflict_sim_slots_match(PyObject *cls, const conflict_sim_slot *slots, Py_ssize_t n,
                                        Py_ssize_t size) {
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *descriptor = PyObject_GetAttrString(cls, slots[i].name);
            int ok = descriptor && Py_IS_TYPE(descriptor, &PyMemberDescr_Type)
                     && ((PyMemberDescrObject *)descriptor)->d_member->offset == slots[i].offset
                     && ((PyMemberDescrObject *)descriptor)->d_member->type == Py_T_OBJECT_EX;
            Py_XDECREF(descriptor);
            PyErr_Clear();
            if (!ok) return 0;
        }
        return ((PyTypeObject *)cls)->tp_basicsize == size;
    }

    /* A new object of `blank`'s class holding `blank`'s fields (each a new reference): what a dataclass's
       __init__ leaves in the fields its caller does not give, made without that __init__, which is Python
       (issues.pxd, cases.pxd). A laid-out class is its object fields after the header, and nothing else. */
    static PyObject *conflict_sim_copy(PyObject *blank) {
        PyTypeObject *type = Py_TYPE(blank);
        PyObject *copy = type->tp_alloc(type, 0);
        if (!copy) return NULL;
        PyObject **from = (PyObject **)((char *)blank + sizeof(PyObject));
        PyObject **to = (PyObject **)((char *)copy + sizeof(PyObject));
        Py_ssize_t n = (type->tp_basicsize - (Py_ssize_t)sizeof(PyObject)) / (Py_ssize_t)sizeof(PyObject *);
        for (Py_ssize_t i = 0; i < n; i++) {
            Py_XINCREF(from[i]);
            to[i] = from[i];
        }
        return copy;
    }
    """
    object copied "conflict_sim_copy"(object blank)
'''


def _c_name(field: str) -> str:
    return field + "_" if field in C_KEYWORDS else field


def _layout(module: str, cls: type, name: str) -> str:
    fields = sorted(cls.__slots__)  # type: ignore[attr-defined]
    entries = " \\\n".join(f'        X({_c_name(f)}, "{f}")' for f in fields)
    members = "\n".join(f"        cdef object {f}" + (f' "{_c_name(f)}"' if _c_name(f) != f else "") for f in fields)
    return f'''

cdef extern from *:
    """
    #define CONFLICT_SIM_{name.upper()}_FIELDS(X) \\
{entries}

    typedef struct {{
        PyObject_HEAD
        CONFLICT_SIM_{name.upper()}_FIELDS(CONFLICT_SIM_MEMBER)
    }} conflict_sim_{name}Object;

    #define CONFLICT_SIM_{name.upper()}_SLOT(field, name) {{name, offsetof(conflict_sim_{name}Object, field)}},
    static const conflict_sim_slot conflict_sim_{name}_slots[] = {{
        CONFLICT_SIM_{name.upper()}_FIELDS(CONFLICT_SIM_{name.upper()}_SLOT)
    }};

    static int conflict_sim_{name}_matches(PyObject *cls) {{
        return conflict_sim_slots_match(cls, conflict_sim_{name}_slots,
                                        sizeof(conflict_sim_{name}_slots) / sizeof(conflict_sim_slot),
                                        sizeof(conflict_sim_{name}Object));
    }}
    """
    bint _{name}_matches "conflict_sim_{name}_matches"(object cls)

    ctypedef class {module}.{cls.__name__} [object conflict_sim_{name}Object, check_size ignore]:
{members}
'''


def declaration() -> str:
    """The declarations (layouts.pxd) for the classes as they are."""
    classes = [(module, getattr(importlib.import_module(module), cls), name) for module, cls, name in CLASSES]
    checks = ", ".join(f'("{module}.{cls.__name__}", _{name}_matches({name}))' for module, cls, name in classes)
    return (
        HEAD
        + "".join(_layout(module, cls, name) for module, cls, name in classes)
        + f'''

cdef inline void check_layouts() except *:
    """Raise ImportError if a class is not laid out as declared here."""
    for name, matches in ({checks}):
        if not matches:
            raise ImportError(f"{{name}} is not laid out as the compiled build of the model declares it (changed "
                              "or replaced since the build): rebuild it (make, or python -m conflict_sim.compile)")
'''
    )


def main() -> int:
    print(declaration(), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
