"""The memory layouts of the slotted classes that compiled modules read at their offsets (layouts.pxd, written here).

    python -m conflict_sim.layouts      # after adding, removing or renaming a field of one of CLASSES

CPython lays a slotted class's fields out as one object pointer each after the object's header, in the
order of their sorted names. Declared so to Cython (layouts.pxd), a compiled module's variable typed with
a layout reads and writes a field with a C load at its offset, where an untyped one goes through
Python's attribute lookup; the class stays Python, whose own slot reads the interpreter makes fastest.
Each compiled module that uses the layouts checks them against the classes' member descriptors when it
is imported (`check_layouts`), so a layout out of date fails the import instead of reading the wrong
memory; `tests/test_compiled.py` checks that layouts.pxd is what this module writes.
"""

from __future__ import annotations

import importlib
from pathlib import Path

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
PXD = Path(__file__).with_suffix(".pxd")

HEAD = '''# Written by `python -m conflict_sim.layouts` (layouts.py says why): do not edit.

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
    """
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
    """The text of layouts.pxd for the classes as they are."""
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
            raise ImportError(f"conflict_sim/layouts.pxd does not declare the fields of {{name}} as they are: "
                              "run python -m conflict_sim.layouts, then make")
'''
    )


def main() -> int:
    PXD.write_text(declaration())
    print(f"wrote {PXD.name}: the layouts of {', '.join(c for _, c, _ in CLASSES)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
