"""The one error body of every failure the served app answers, API and pages alike:
`{"error": {"code", "message", "problems"}}`, and the scope mark that keeps a default Retry-After off an error whose
waiting does not help. Shared HTTP plumbing below the adapters (the API's handlers are in api/errors.py).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from starlette.requests import Request

from reassure.core.errors import ReassureError


class ProblemBody(BaseModel):
    """One thing wrong with the input: where (file, line or row, or the request part) and which field."""

    file: str = ""
    where: str = ""
    field: str = ""
    message: str


class ErrorDetail(BaseModel):
    """What went wrong, for people (message) and programs (code)."""

    code: str
    message: str
    problems: list[ProblemBody] = []


class ErrorBody(BaseModel):
    """The body of every error response."""

    error: ErrorDetail


def body(code: str, message: str, problems: list[ProblemBody] | None = None) -> dict[str, Any]:
    """Return an error body as a dict."""
    return ErrorBody(error=ErrorDetail(code=code, message=message, problems=problems or [])).model_dump()


NO_RETRY_AFTER = "reassure.no_retry_after"  # scope key: this 429/503 says no Retry-After on purpose (conventions.py)


def mark_retry(request: Request, error: ReassureError) -> None:
    """Tell the conventions (http/conventions.py) not to add a default Retry-After to an error whose waiting does
    not help (a database with no schema, a read-only one)."""
    if error.retry_after is None:
        request.scope[NO_RETRY_AFTER] = True
