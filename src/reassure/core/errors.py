"""The errors users see, each with the exit code the CLI gives it (and, later, the HTTP status).

Every exception that may reach a user derives from ReassureError. Hidden records are NotFound, worded
exactly as absent ones. A denied attempt carries `denials`: audit notes the unit of work records in a
transaction of their own after rolling the attempt back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

EXIT_INPUT = 2
EXIT_NOT_FOUND = 3
EXIT_FORBIDDEN = 4
EXIT_IDENTITY = 5
EXIT_CONFLICT = 6
EXIT_UNAVAILABLE = 7
EXIT_TOO_MANY = 8


@dataclass(frozen=True)
class Denial:
    """An audit note for a refused attempt: what was tried, on what, marked like the record it describes."""

    action: str
    entity: str
    key: str
    rel_to: str
    details: dict[str, Any] = field(default_factory=dict)


class ReassureError(Exception):
    """Base of every error shown to a user."""

    exit_code = EXIT_INPUT
    http_status = 422
    retry_after: int | None = None  # seconds a client should wait before trying again (Retry-After), if it may

    def __init__(self, message: str, *, denials: list[Denial] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.denials = list(denials or [])


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: the file (or option), the line or row, the field, and what was expected."""

    file: str
    where: str  # "line 12", "row 3", or "" when the whole file is at fault
    field: str
    message: str

    def __str__(self) -> str:
        if not self.file:
            return f"{self.field}: {self.message}" if self.field else self.message
        place = f"{self.file}:{self.where.removeprefix('line ')}" if self.where.startswith("line ") else (
            f"{self.file}, {self.where}" if self.where else self.file)
        return f"{place}: {self.field}: {self.message}" if self.field else f"{place}: {self.message}"


class InputError(ReassureError):
    """Input that cannot be used (a file, an option, a value); carries every problem found. Nothing was written."""

    def __init__(self, problems: list[Problem] | str, *, denials: list[Denial] | None = None) -> None:
        self.problems = [Problem("", "", "", problems)] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems), denials=denials)


class Conflict(ReassureError):
    """The write clashes with a record you can see (a name already taken, a first admin when users exist)."""

    exit_code = EXIT_CONFLICT
    http_status = 409


class NotFound(ReassureError):
    """Nothing of that name is visible to you: absent and hidden give this same error."""

    exit_code = EXIT_NOT_FOUND
    http_status = 404


class Forbidden(ReassureError):
    """Your role does not allow this action (or you are previewing another nation, which is read-only)."""

    exit_code = EXIT_FORBIDDEN
    http_status = 403

    def __init__(self, message: str, *, action: str = "", denials: list[Denial] | None = None) -> None:
        super().__init__(message, denials=denials)
        self.action = action


class Unavailable(ReassureError):
    """The database cannot take the work now (locked past the wait, full, unreachable); nothing was written."""

    exit_code = EXIT_UNAVAILABLE
    http_status = 503
    retry_after: int | None = 5


class IdentityError(ReassureError):
    """No usable identity: no user named, an unknown or disabled user, a bad or expired token, bad input."""

    exit_code = EXIT_IDENTITY
    http_status = 401


class TooManyAttempts(ReassureError):
    """Too many failed sign-ins for an account or from an address lately: wait before trying again."""

    exit_code = EXIT_TOO_MANY
    http_status = 429

    def __init__(self, message: str, *, retry_after: int, denials: list[Denial] | None = None) -> None:
        super().__init__(message, denials=denials)
        self.retry_after = max(1, int(retry_after))


class SchemaMissing(Unavailable):
    """The database answers but has no schema for this version (never migrated): an operator must create it."""

    retry_after = None  # waiting does not help


class ReadOnlyDatabase(Unavailable):
    """The database is open read-only (a read-only file, folder or URI, a standby): reads work, writes do not."""

    retry_after = None  # waiting does not help
