# C declarations of issues.py's `Issue` for the compiled modules (conflict_sim/compiled.py). `Issue` stays a
# Python class, a slotted dataclass, which the interpreted organs read fastest. CPython lays a slotted
# class's fields out as one object pointer each after the object's header, in the order of their sorted
# names; declared so (an external type to Cython), a compiled module's variable typed `Issue` reads and
# writes a field at its offset, where an untyped one goes through Python's attribute lookup (about 25 ns
# a read). `check_issue_layout`, run when a module that uses it is imported, compares every offset with
# the class's own member descriptors, so a field added, removed or renamed in issues.py without this file
# fails the import instead of reading the wrong field.

cdef extern from *:
    """
    #define CONFLICT_SIM_ISSUE_FIELDS(X) \
        X(born, "born") \
        X(case_, "case") \
        X(category, "category") \
        X(end_level, "end_level") \
        X(ended, "ended") \
        X(epoch, "epoch") \
        X(event, "event") \
        X(first_channel, "first_channel") \
        X(group, "group") \
        X(household, "household") \
        X(last_office, "last_office") \
        X(level_needed, "level_needed") \
        X(litigable, "litigable") \
        X(mediable, "mediable") \
        X(merit, "merit") \
        X(overdue_since, "overdue_since") \
        X(pathway, "pathway") \
        X(reactivated_from, "reactivated_from") \
        X(reconsiderations, "reconsiderations") \
        X(replies, "replies") \
        X(reviews, "reviews") \
        X(severity, "severity") \
        X(skip_attempts, "skip_attempts") \
        X(state, "state") \
        X(strategic, "strategic") \
        X(submissions, "submissions") \
        X(terminated, "terminated") \
        X(uid, "uid") \
        X(window_until, "window_until")

    typedef struct {
        PyObject_HEAD
        #define X(field, name) PyObject *field;
        CONFLICT_SIM_ISSUE_FIELDS(X)
        #undef X
    } conflict_sim_IssueObject;

    /* A new object of `blank`'s class holding `blank`'s fields (each a new reference): what the dataclass's
       __init__ leaves in the fields its caller does not give, made without running its Python. */
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

    /* Whether a slot of `cls` named `name` is an object field at `offset` (Python's T_OBJECT_EX member). */
    static int conflict_sim_slot_at(PyObject *cls, const char *name, Py_ssize_t offset) {
        PyObject *descriptor = PyObject_GetAttrString(cls, name);
        int ok = descriptor && Py_IS_TYPE(descriptor, &PyMemberDescr_Type)
                 && ((PyMemberDescrObject *)descriptor)->d_member->offset == offset
                 && ((PyMemberDescrObject *)descriptor)->d_member->type == Py_T_OBJECT_EX;
        Py_XDECREF(descriptor);
        PyErr_Clear();
        return ok;
    }

    /* Whether `cls` (issues.Issue) has exactly the fields above, each where the struct has it. */
    static int conflict_sim_issue_layout_matches(PyObject *cls) {
        #define X(field, name) \
            if (!conflict_sim_slot_at(cls, name, offsetof(conflict_sim_IssueObject, field))) return 0;
        CONFLICT_SIM_ISSUE_FIELDS(X)
        #undef X
        return ((PyTypeObject *)cls)->tp_basicsize == (Py_ssize_t)sizeof(conflict_sim_IssueObject);
    }
    """
    bint issue_layout_matches "conflict_sim_issue_layout_matches"(object cls)
    object issue_copy "conflict_sim_issue_copy"(object blank)

    ctypedef class conflict_sim.issues.Issue [object conflict_sim_IssueObject, check_size ignore]:
        cdef object born
        cdef object case "case_"
        cdef object category
        cdef object end_level
        cdef object ended
        cdef object epoch
        cdef object event
        cdef object first_channel
        cdef object group
        cdef object household
        cdef object last_office
        cdef object level_needed
        cdef object litigable
        cdef object mediable
        cdef object merit
        cdef object overdue_since
        cdef object pathway
        cdef object reactivated_from
        cdef object reconsiderations
        cdef object replies
        cdef object reviews
        cdef object severity
        cdef object skip_attempts
        cdef object state
        cdef object strategic
        cdef object submissions
        cdef object terminated
        cdef object uid
        cdef object window_until


cdef inline void check_issue_layout() except *:
    """Raise ImportError if issues.py's `Issue` is not laid out as declared here."""
    if not issue_layout_matches(Issue):
        raise ImportError("conflict_sim/issues.pxd does not declare issues.py's Issue fields as they are: "
                          "list its fields there (sorted by name) and rebuild (python -m conflict_sim.compile)")


cdef inline Issue made_issue(Issue blank, object uid, object household, object category, object severity, object merit,
                             object level_needed, object litigable, object mediable, object born, object strategic):
    """`Issue(uid, household, ..., strategic)`, its other fields `blank`'s (an issue made with the defaults)."""
    cdef Issue issue = <Issue> issue_copy(blank)
    issue.uid, issue.household, issue.category, issue.severity, issue.merit = uid, household, category, severity, merit
    issue.level_needed, issue.litigable, issue.mediable, issue.born, issue.strategic = (
        level_needed, litigable, mediable, born, strategic)
    return issue
