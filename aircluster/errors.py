"""Errors that reach users: each carries one line saying what failed, where, and what to do."""

from __future__ import annotations

# Exit code of a trainer that checkpointed and stopped because it was asked to (a preemption signal):
# EX_TEMPFAIL, "run again to resume". The Slurm batch script requeues the job on it.
EXIT_PREEMPTED = 75


class AirclusterError(Exception):
    """A user-facing error. The CLI prints `str(err)` as one line and exits with `exit_code`."""

    exit_code = 1


class UsageError(AirclusterError):
    """Bad arguments or configuration."""

    exit_code = 2


class InputError(AirclusterError):
    """Bad input data: names the file and line (or file) at fault."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(f"{where}{message}")
        self.path = path
        self.line = line
        self.detail = message


class NotFound(AirclusterError):
    """A named dataset, version, job or file does not exist."""


class IntegrityError(AirclusterError):
    """Stored data failed authentication: it was edited, truncated, swapped or replaced."""

    exit_code = 3

    def __init__(self, message: str, dataset: str | None = None, shard: int | None = None):
        super().__init__(message)
        self.dataset = dataset
        self.shard = shard


class DatasetShredded(AirclusterError):
    """The version's key was destroyed (expired or rejected): its data can never be read again."""

    exit_code = 4


class ReviewRequired(AirclusterError):
    """The version has not passed privacy review, so it may not be read or trained on."""

    exit_code = 5


class PermissionDenied(AirclusterError):
    """The acting principal may not do this (for example, approve its own import)."""

    exit_code = 6


class Interrupted(AirclusterError):
    """The operation was interrupted (Ctrl-C or a signal) and rolled back."""

    exit_code = 130


class ServerUnavailable(AirclusterError):
    """The aircluster server is not running or cannot be reached."""

    exit_code = 69  # EX_UNAVAILABLE
