"""The API's error handlers: one error body for every failure (reassure/http/errors.py) with the hierarchy's HTTP
status.

A hidden record and an absent one give the same 404; no traceback ever reaches a client (an unexpected error is a
500 with a reference the server log carries).
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import iter_route_contexts
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Mount, compile_path
from starlette.staticfiles import StaticFiles

from reassure.core.errors import (
    Conflict,
    Forbidden,
    IdentityError,
    InputError,
    NotFound,
    ReadOnlyDatabase,
    ReassureError,
    SchemaMissing,
    Unavailable,
)
from reassure.db.failures import database_error
from reassure.http.errors import ErrorBody, ProblemBody, body, mark_retry

log = logging.getLogger("reassure.api")
STANDARD = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")

CODES: tuple[tuple[type[ReassureError], str], ...] = (
    (InputError, "invalid_input"),
    (NotFound, "not_found"),
    (Conflict, "conflict"),
    (Forbidden, "forbidden"),
    (IdentityError, "unauthenticated"),
    (ReadOnlyDatabase, "read_only"),
    (SchemaMissing, "no_schema"),
    (Unavailable, "unavailable"),
)
HTTP_CODES = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 406: "not_acceptable", 409: "conflict", 413: "too_large",
              415: "unsupported_media_type", 422: "invalid_input", 429: "too_many_requests",
              431: "header_too_large", 503: "unavailable"}


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": description}
    for status, description in ((400, "the body cannot be read (not JSON)"), (401, "no or bad credentials"),
                                (403, "your role does not allow it"),
                                (404, "nothing of that name is visible to you"), (409, "conflict"),
                                (413, "the request body is larger than the server reads"),
                                (422, "invalid input"), (431, "the request line and headers are larger than the "
                                                              "server reads"),
                                (503, "the database cannot take this now (Retry-After says when to try again)"))
}


def reassure_error(request: Request, error: Exception) -> JSONResponse:
    """Answer a ReassureError with its status and code."""
    assert isinstance(error, ReassureError)
    mark_retry(request, error)
    code = next((c for kind, c in CODES if isinstance(error, kind)), "invalid_input")
    problems = [ProblemBody(file=p.file, where=p.where, field=p.field, message=p.message)
                for p in getattr(error, "problems", [])]
    headers = error_headers(error)
    return JSONResponse(body(code, error.message, problems), status_code=error.http_status, headers=headers or None)


def error_headers(error: ReassureError) -> dict[str, str]:
    """Return the headers an error answer carries: the challenge of a 401, Retry-After when waiting helps."""
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(error, IdentityError) else {}
    if error.retry_after is not None:
        headers["Retry-After"] = str(error.retry_after)
    return headers


def validation_error(_request: Request, error: Exception) -> JSONResponse:
    """Answer a request that does not match its schema with 422, one problem per bad field; a body that cannot be
    read as JSON at all (malformed, or not sent as JSON) with 400."""
    assert isinstance(error, RequestValidationError)
    if unreadable := unreadable_body(error):
        return JSONResponse(body("bad_request", unreadable, [ProblemBody(where="body", message=unreadable)]),
                            status_code=400)
    problems = [ProblemBody(where=str(e["loc"][0]) if e["loc"] else "", field=".".join(str(x) for x in e["loc"][1:]),
                            message=str(e["msg"])) for e in error.errors()]
    return JSONResponse(body("invalid_input", "the request does not match its schema", problems), status_code=422)


def unreadable_body(error: RequestValidationError) -> str | None:
    """Return why a request's body could not be read as JSON, or None when it was (and only its content is wrong).

    FastAPI reports malformed JSON as a `json_invalid` problem, and a body not sent as JSON (another Content-Type)
    as the raw bytes failing the schema."""
    for problem in error.errors():
        if problem.get("type") == "json_invalid":
            reason = (problem.get("ctx") or {}).get("error", "malformed")
            return f"the body is not JSON ({reason} at character {problem['loc'][-1]})"
    if isinstance(error.body, bytes | bytearray) and any(p["loc"][:1] == ("body",) for p in error.errors()):
        return "the body is not JSON: send it with 'Content-Type: application/json'"
    return None


def http_error(request: Request, error: Exception) -> JSONResponse:
    """Answer routing errors (unknown path, wrong method) in the same body; a 405 lists every method the path has
    (its routes may be declared apart, one per method)."""
    assert isinstance(error, StarletteHTTPException)
    code = HTTP_CODES.get(error.status_code, "error")
    headers = dict(getattr(error, "headers", None) or {})
    if error.status_code == 405:
        headers["Allow"] = ", ".join(allowed_methods(request))
    return JSONResponse(body(code, str(error.detail)), status_code=error.status_code, headers=headers or None)


def allowed_methods(request: Request) -> list[str]:
    """Return the methods the app's routes accept on the request's path (HEAD wherever GET is: http/conventions.py
    answers it), walking routers included in others and mounts (static files answer GET and HEAD)."""
    path: str = request.scope["path"]
    methods: set[str] = set()
    for route in iter_route_contexts(request.app.router.routes):
        if isinstance(route.route, Mount):
            if path.startswith(route.route.path.rstrip("/") + "/"):
                methods |= {"GET", "HEAD"} if isinstance(route.route.app, StaticFiles) else set(STANDARD)
        elif route.path and route.methods and compile_path(str(route.path))[0].match(path):
            methods |= set(route.methods)
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


def unexpected(_request: Request, error: Exception) -> JSONResponse:
    """Answer a bug with 500 and a reference; the traceback goes to the server log only."""
    reference = uuid.uuid4().hex[:12]
    log.exception("unexpected error %s", reference, exc_info=error)
    return JSONResponse(body("internal", f"unexpected error (reference {reference}); nothing was written"),
                        status_code=500)


def database_failure(request: Request, error: Exception) -> Response:
    """Answer a database failure as the error it means (db/failures.py: unreachable 503 with Retry-After, read-only,
    no schema), through the app's handler of ReassureError (pages answer as pages); anything else is a bug (500)."""
    known = database_error(error) if isinstance(error, DBAPIError) else None
    if known is None:
        return unexpected(request, error)
    handler = request.app.exception_handlers.get(ReassureError, reassure_error)
    answer = handler(request, known)
    assert isinstance(answer, Response)
    return answer


def install(app: FastAPI) -> None:
    """Register the handlers on an app."""
    app.add_exception_handler(ReassureError, reassure_error)
    app.add_exception_handler(DBAPIError, database_failure)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, unexpected)
