"""Why each criterion the model does not meet fails: one text, read by the tests and the report.

A criterion listed here is a strict xfail in tests/test_validation.py with this reason, and
docs/validation.md prints it under the fact; if a change makes it pass, the suite says so. Each text
says what the model does instead and why; nothing in the model special-cases a test.
"""

from __future__ import annotations

DIAGNOSES: dict[tuple[str, str], str] = {}
