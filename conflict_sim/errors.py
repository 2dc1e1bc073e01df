"""The one exception family users see: bad input or a refused action, reported as a single line.

The CLI prints any `ConflictSimError` as one line and exits with code 2; the Python API raises the
subclass that names what went wrong, never a raw TypeError, IndexError or RecursionError.
"""

from __future__ import annotations


class ConflictSimError(Exception):
    """Bad input from a user (parameters, files, names). The CLI prints it as one line, exit code 2."""


class ParameterError(ConflictSimError, ValueError):
    """A parameter value, name or type that the model does not accept."""

    def __init__(self, name: str, value: object, allowed: str) -> None:
        self.name, self.value, self.allowed = name, value, allowed
        super().__init__(f"parameter {name}={value!r}: {allowed}")


class InputFileError(ConflictSimError):
    """A file that cannot be read as what it should be: missing, binary, a folder, malformed TOML."""


class ExperimentError(ConflictSimError):
    """An experiment definition that cannot run: a bad field, or work beyond the documented bounds."""


class OutputError(ConflictSimError):
    """An output location that would lose the user's files, or that cannot hold the results."""


class ResultsError(ConflictSimError):
    """A results folder that does not match the experiment, or whose stored parts cannot be trusted."""


class BusyError(ConflictSimError):
    """Another process holds the results folder."""
