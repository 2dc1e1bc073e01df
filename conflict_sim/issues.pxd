# C for the compiled modules that make issues (conflict_sim/compiled.py): a new issue made without the
# dataclass's `__init__`, which is Python, its fields written at their offsets (`Issue`'s layout,
# layouts.py).
from conflict_sim.layouts cimport Issue, copied


cdef inline Issue made_issue(Issue blank, object uid, object household, object category, object severity, object merit,
                             object level_needed, object litigable, object mediable, object born, object strategic):
    """`Issue(uid, household, ..., strategic)`, its other fields `blank`'s (an issue made with the defaults)."""
    cdef Issue issue = <Issue> copied(blank)
    issue.uid, issue.household, issue.category, issue.severity, issue.merit = uid, household, category, severity, merit
    issue.level_needed, issue.litigable, issue.mediable, issue.born, issue.strategic = (
        level_needed, litigable, mediable, born, strategic)
    return issue
