# C for the compiled modules that make issues (conflict_sim/compiled.py): a new issue made without the
# dataclass's `__init__`, which is Python, its fields written at their offsets (`Issue`'s layout,
# layouts.py).
from conflict_sim.layouts cimport Issue

cdef extern from *:
    """
    /* A new object of `blank`'s class holding `blank`'s fields (each a new reference): what the dataclass's
       __init__ leaves in the fields its caller does not give. */
    static PyObject *conflict_sim_issue_copy(PyObject *blank) {
        PyTypeObject *type = Py_TYPE(blank);
        PyObject *issue = type->tp_alloc(type, 0);
        if (!issue) return NULL;
        PyObject **from = (PyObject **)((char *)blank + sizeof(PyObject));
        PyObject **to = (PyObject **)((char *)issue + sizeof(PyObject));
        Py_ssize_t n = (sizeof(conflict_sim_IssueObject) - sizeof(PyObject)) / sizeof(PyObject *);
        for (Py_ssize_t i = 0; i < n; i++) {
            Py_XINCREF(from[i]);
            to[i] = from[i];
        }
        return issue;
    }
    """
    object issue_copy "conflict_sim_issue_copy"(object blank)


cdef inline Issue made_issue(Issue blank, object uid, object household, object category, object severity, object merit,
                             object level_needed, object litigable, object mediable, object born, object strategic):
    """`Issue(uid, household, ..., strategic)`, its other fields `blank`'s (an issue made with the defaults)."""
    cdef Issue issue = <Issue> issue_copy(blank)
    issue.uid, issue.household, issue.category, issue.severity, issue.merit = uid, household, category, severity, merit
    issue.level_needed, issue.litigable, issue.mediable, issue.born, issue.strategic = (
        level_needed, litigable, mediable, born, strategic)
    return issue
