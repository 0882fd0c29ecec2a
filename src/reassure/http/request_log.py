"""One log line per request, with a request id carried into every log record of that request (docs/adr/0049).

The id is the caller's `X-Request-ID` when it is a short plain token (a proxy's or a client's), else a new one; it is
echoed in the response's `X-Request-ID`. The line names the route's path template (never the query, which may hold
search text), the status, the duration and the user and nation once known; never a token, a password or a cookie.
`REASSURE_LOG_FORMAT=json` writes each record as one JSON object a line; `text` as plain text.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TextIO

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reassure.core.identity import Identity

HEADER = "x-request-id"
WELL_FORMED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
log = logging.getLogger("reassure.request")


@dataclass
class RequestRecord:
    """What the log line of one request says; filled as the request goes through the app."""

    request_id: str
    method: str
    path: str
    route: str | None = None
    user: str | None = None
    nation: str | None = None


_current: ContextVar[RequestRecord | None] = ContextVar("reassure_request", default=None)


def current_request_id() -> str | None:
    """Return the id of the request being answered in this context (its threads included), or None."""
    record = _current.get()
    return record.request_id if record is not None else None


def note_identity(identity: Identity) -> None:
    """Name who made the request being answered (the API's caller resolved from a token) in its log line."""
    record = _current.get()
    if record is not None:
        record.user, record.nation = identity.user, identity.nation


def request_id_from(headers: Iterable[tuple[bytes, bytes]]) -> str:
    """Return the caller's X-Request-ID when it is well formed (1-128 letters, digits, `._:-`), else a new id: a
    hostile one (line breaks, kilobytes) is replaced, never logged."""
    for name, value in headers:
        if name.lower() == HEADER.encode():
            text = value.decode("latin-1")
            return text if WELL_FORMED.fullmatch(text) else uuid.uuid4().hex
    return uuid.uuid4().hex


class RequestLog:
    """ASGI middleware, outermost: give the request its id, echo it, and log one line when the answer is sent."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        record = RequestRecord(request_id_from(scope.get("headers") or ()), scope["method"], scope["path"])
        _current.set(record)  # not reset after: the 500 of an unexpected error is sent past this middleware
        started, status = time.perf_counter(), 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                MutableHeaders(scope=message)["X-Request-ID"] = record.request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            identity = scope.get("reassure.identity") or getattr(scope.get("reassure.browser"), "identity", None)
            if record.user is None and isinstance(identity, Identity):
                note_identity(identity)
            _write_line(record, status, (time.perf_counter() - started) * 1000)


class RouteNote:
    """ASGI middleware, innermost: note the matched route's path template for the request's log line (the outer
    middlewares may answer from a copy of the scope, which the router's match never reaches)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        finally:
            record = _current.get()
            route = scope.get("route")
            template = getattr(route, "path_format", None)
            if record is not None and isinstance(template, str):
                record.route = _prefixed(scope["path"], template)


def _prefixed(path: str, template: str) -> str:
    """Return a route's template with the prefix it was included under (`/pledges` → `/api/v1/pledges`), taken
    from the path's leading segments: a router's route knows only its own part."""
    segments, own = path.split("/"), template.split("/")
    if len(own) > len(segments):
        return template
    return "/".join(segments[: len(segments) - len(own) + 1]) + template


def _write_line(record: RequestRecord, status: int, milliseconds: float) -> None:
    path = record.route or ("/static/…" if record.path.startswith("/static/") else "(no route)")
    log.info("%s %s %s %.1f ms", record.method, path, status, milliseconds,
             extra={"http": {"method": record.method, "path": path, "status": status,
                             "duration_ms": round(milliseconds, 1), "user": record.user, "nation": record.nation}})


class JsonLines(logging.Formatter):
    """Format a record as one JSON object: time, level, logger, message, the request id, and the request's fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {"time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
                                "level": record.levelname.lower(), "logger": record.name,
                                "message": record.getMessage(), "request_id": getattr(record, "request_id", None)}
        line.update(getattr(record, "http", None) or {})
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


class _RequestId(logging.Filter):
    """Give every record the id of the request it was logged under (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


class _Stderr(logging.StreamHandler):
    """Write to the process's stderr as it is now (a test's capture replaces it)."""

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


TEXT_FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"


def uvicorn_log_config(log_format: str) -> dict[str, Any]:
    """Return the logging set-up for uvicorn's own loggers (a `dictConfig`): their warnings and errors (a malformed
    request, a server process that died) in the same format and on the same stream as the app's lines, with the
    request id where there is one. Its access log is off: the app's request line says more (and never the query)."""
    formatter: dict[str, Any] = ({"()": f"{__name__}.JsonLines"} if log_format == "json" else
                                 {"format": TEXT_FORMAT})
    own = {"handlers": ["stderr"], "level": "INFO", "propagate": False}
    return {"version": 1, "disable_existing_loggers": False,
            "formatters": {"reassure": formatter},
            "filters": {"request_id": {"()": f"{__name__}._RequestId"}},
            "handlers": {"stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr",
                                    "formatter": "reassure", "filters": ["request_id"]}},
            "loggers": {"uvicorn": own, "uvicorn.error": {"level": "INFO"},
                        "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False}}}


def configure(log_format: str, *, stream_handler: logging.Handler | None = None) -> logging.Handler:
    """Send the `reassure` loggers' records (info and above) to stderr, or the handler given, in the format chosen;
    calling again replaces the handler installed before."""
    handler = stream_handler or _Stderr()
    handler.setFormatter(JsonLines() if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    handler.addFilter(_RequestId())
    handler.set_name("reassure.request_log")
    root = logging.getLogger("reassure")
    for old in [h for h in root.handlers if h.get_name() == "reassure.request_log"]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return handler
