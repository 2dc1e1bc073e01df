"""The one exception family users see: bad input, reported as a single line."""

from __future__ import annotations


class ConflictSimError(Exception):
    """Bad input from a user (parameters, files, names). The CLI prints it as one line, exit code 2."""


class ParameterError(ConflictSimError, ValueError):
    """A parameter value, name or type that the model does not accept."""

    def __init__(self, name: str, value: object, allowed: str) -> None:
        self.name, self.value, self.allowed = name, value, allowed
        super().__init__(f"parameter {name}={value!r}: {allowed}")
