"""The web's own conventions, for every response of the served app (the API and the dashboard's pages).

- Requests are bounded before anything reads them: a request line and headers past `max_header_bytes` get 431, a
  body past `max_body_bytes` gets 413 as soon as its Content-Length says so or the bytes read so far pass it (the
  rest is never buffered); both with the one error body.
- HEAD is GET without the body: the same status and headers (length, ETag, encoding) on every GET route.
- `Cache-Control`: `no-store` on everything that may hold marked data (API reads and exports, pages, the brief,
  errors, redirects), `no-cache` (store, but revalidate with the ETag) on static assets and the OpenAPI spec.
- GET reads carry a weak ETag, the SHA-256 of the body this caller receives (nothing another nation changes can move
  it), and answer `If-None-Match` with 304; unsafe methods never get one. Static files keep their own.
- gzip for data and assets above 1 KB when the client accepts it: JSON, GeoJSON, CSV, iCalendar, YAML, JavaScript,
  CSS, SVG. Never HTML: a page holds the session's CSRF token next to text from data and from the address, the
  setting BREACH needs to read a secret from compressed sizes. Nor a response to a request another site started
  (`Sec-Fetch-Site: cross-site` or `same-site`), the other half of that attack. ADR 0014.
- 429 and 503 always carry `Retry-After` (the error's own, else a default), whoever produced them.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

import anyio.to_thread
from fastapi import FastAPI
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reassure.core.errors import Unavailable
from reassure.core.text_files import MAX_BYTES
from reassure.http.errors import NO_RETRY_AFTER, body
from reassure.settings import Settings

GZIP_MIN = 1024  # bytes: below this, gzip's own 18-byte frame and the CPU are not worth it
GZIP_LEVEL = 6
GZIP_IN_THREAD = 256 * 1024  # bytes: compress larger bodies off the event loop (zlib releases the GIL)
COMPRESSIBLE = frozenset({"application/json", "application/geo+json", "text/csv", "text/calendar", "application/yaml",
                          "text/javascript", "application/javascript", "text/css", "image/svg+xml", "text/plain"})
REVALIDATED = ("/static/", "/api/v1/openapi.json", "/api/v1/docs")  # no marked data: store, but ask each time
RETRY_AFTER = {429: 60, 503: Unavailable.retry_after or 5}  # seconds, when the answer did not say
# The dashboard's upload of a scenario or pledge table (web/pages/uploads.py): a file as large as an import reads,
# with room for the form around it.
# The analyst's report text or air-attack table (web/pages/monitor.py, which names a larger file as a problem).
MAX_INGEST_BYTES = 4 * 1024 * 1024
UPLOADS = {"/imports/preview": MAX_BYTES + 64 * 1024, "/security/ingest/": MAX_INGEST_BYTES + 64 * 1024}
NO_BODY = {204, 304}  # statuses without a body, whose Content-Length would describe another answer
SAME_ORIGIN = {"same-origin", "none"}  # Sec-Fetch-Site values of requests this site (or the user) started
STATIC_CACHE = 64  # compressed static files kept in memory, keyed by path and ETag


class BodyTooLarge(HTTPException):
    """A request body passed the server's limit (413); raised from `receive`, so whatever reads the body stops."""

    def __init__(self, limit: int, sent: int | None = None) -> None:
        told = f"is {sent:,} bytes" if sent is not None else "passed the limit"
        super().__init__(413, f"the request body {told}: the server reads at most {limit:,} bytes")


def error_answer(status: int, code: str, message: str) -> tuple[Message, Message]:
    """Return the ASGI messages of an error in the one error body (for answers made before any route runs)."""
    content = json.dumps(body(code, message), separators=(",", ":")).encode()
    start = {"type": "http.response.start", "status": status,
             "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(content)).encode())]}
    return start, {"type": "http.response.body", "body": content}


def head_size(scope: Scope) -> int:
    """Return the bytes of a request's line and headers as sent (name, value, ': ' and CRLF each)."""
    line = len(scope["method"]) + len(scope.get("raw_path") or scope["path"]) + len(scope.get("query_string", b"")) + 12
    return line + sum(len(name) + len(value) + 4 for name, value in scope.get("headers", []))


class BoundedRequests:
    """Answer 431 to a request head past the limit and 413 to a body past it, before any route reads it.

    `larger` gives path prefixes a larger body limit (UPLOADS: the dashboard's file upload)."""

    def __init__(self, app: ASGIApp, *, max_body: int, max_head: int, larger: Mapping[str, int] | None = None) -> None:
        self.app, self.max_body, self.max_head, self.larger = app, max_body, max_head, dict(larger or {})

    def limit(self, path: str) -> int:
        """Return the body limit of a path."""
        return next((n for prefix, n in self.larger.items() if path.startswith(prefix)), self.max_body)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if (size := head_size(scope)) > self.max_head:
            await _send(send, *error_answer(431, "header_too_large", f"the request line and headers are {size:,} "
                                            f"bytes: the server reads at most {self.max_head:,}"))
            return
        limit = self.limit(scope["path"])
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _send(send, *error_answer(413, "too_large", BodyTooLarge(limit, int(declared)).detail))
            return
        received, started = 0, False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except BodyTooLarge as error:
            if started:
                raise
            await _send(send, *error_answer(413, "too_large", error.detail))


async def _send(send: Send, *messages: Message) -> None:
    for message in messages:
        await send(message)


def cache_control(path: str) -> str:
    """Return the Cache-Control of a response that did not set its own."""
    return "no-cache" if path.startswith(REVALIDATED) else "no-store"


def weak_etag(body: bytes) -> str:
    """Return the weak ETag of a body (weak: one tag for the body in every content coding, gzip or not)."""
    return f'W/"{hashlib.sha256(body).hexdigest()[:32]}"'


def not_modified(if_none_match: str | None, etag: str) -> bool:
    """Tell whether an If-None-Match names this ETag (weak comparison, RFC 9110 13.1.2)."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    opaque = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == opaque for tag in if_none_match.split(","))


def media_type(headers: Headers | MutableHeaders) -> str:
    """Return a response's media type without parameters, lower case."""
    return headers.get("content-type", "").split(";", 1)[0].strip().lower()


def compressible(kind: str) -> bool:
    """Tell whether a media type is worth gzip and never a page (HTML holds the CSRF token: BREACH)."""
    return kind in COMPRESSIBLE or kind.endswith("+json")


def accepts_gzip(request: Headers) -> bool:
    """Tell whether the client accepts gzip (a q=0 refuses it)."""
    for part in request.get("accept-encoding", "").lower().split(","):
        name, _, params = part.strip().partition(";")
        if name.strip() in ("gzip", "*"):
            q = params.strip().removeprefix("q=")
            return not (params.strip().startswith("q=") and _float(q) == 0)
    return False


def _float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 1.0


class HttpConventions:
    """HEAD as GET, Cache-Control, ETag and 304, gzip and Retry-After on every HTTP response (see the module)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.static_gzip: OrderedDict[tuple[str, str], bytes] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        extensions = {k: v for k, v in (scope.get("extensions") or {}).items() if k != "http.response.pathsend"}
        inner = {**scope, "method": "GET" if head else scope["method"], "extensions": extensions}
        start: dict[str, Any] = {}
        parts: list[bytes] = []

        async def collect(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                parts.append(message.get("body", b""))
                if not message.get("more_body", False):
                    retry = not inner.get(NO_RETRY_AFTER)  # an error handler inside said waiting does not help
                    await self.answer(scope, start, b"".join(parts), send, head=head, retry=retry)
            else:
                await send(message)

        await self.app(inner, receive, collect)

    async def answer(self, scope: Scope, start: dict[str, Any], body: bytes, send: Send, *, head: bool,
                     retry: bool = True) -> None:
        """Send the collected response with the conventions applied."""
        status: int = start["status"]
        headers = MutableHeaders(raw=list(start.get("headers", [])))
        request = Headers(scope=scope)
        path: str = scope["path"]
        if "cache-control" not in headers:
            headers["Cache-Control"] = cache_control(path)
        if status in RETRY_AFTER and "retry-after" not in headers and retry:
            headers["Retry-After"] = str(RETRY_AFTER[status])
        kind = media_type(headers)
        if compressible(kind):
            headers.add_vary_header("Accept-Encoding")
        if scope["method"] in ("GET", "HEAD") and status == 200:
            etag = headers.get("etag") or weak_etag(body)
            headers["ETag"] = etag
            if not_modified(request.get("if-none-match"), etag) and "set-cookie" not in headers:
                await self.send_not_modified(send, headers)  # (a 304 would drop a cookie the answer sets)
                return
            if self.should_gzip(request, headers, kind, body, path):
                body = await self.gzip(path, headers, body)
        if status not in NO_BODY:
            headers["Content-Length"] = str(len(body))
        await send({"type": "http.response.start", "status": status, "headers": headers.raw})
        await send({"type": "http.response.body", "body": b"" if head else body})

    @staticmethod
    async def send_not_modified(send: Send, headers: MutableHeaders) -> None:
        """Answer 304 with the headers a 200 would have carried for caches (RFC 9110 15.4.5), and no body."""
        kept = [(k, v) for k, v in headers.raw if k in (b"etag", b"cache-control", b"vary", b"content-location",
                                                        b"expires", b"date", b"x-reassure-preview")]
        await send({"type": "http.response.start", "status": 304, "headers": kept})
        await send({"type": "http.response.body", "body": b""})

    @staticmethod
    def should_gzip(request: Headers, headers: MutableHeaders, kind: str, body: bytes, path: str) -> bool:
        """Tell whether to gzip this response: a compressible type, large enough, accepted, not encoded already, and
        (unless a static asset, which holds no secret) asked for by this site or the user, not by another site."""
        if not compressible(kind) or len(body) < GZIP_MIN or "content-encoding" in headers or not accepts_gzip(request):
            return False
        return path.startswith("/static/") or request.get("sec-fetch-site", "none").lower() in SAME_ORIGIN

    async def gzip(self, path: str, headers: MutableHeaders, body: bytes) -> bytes:
        """Return the body gzipped and mark the headers so (static files compressed once per version)."""
        etag = headers["etag"]
        key = (path, etag)
        packed = self.static_gzip.get(key) if path.startswith("/static/") else None
        if packed is None:
            if len(body) >= GZIP_IN_THREAD:
                packed = await anyio.to_thread.run_sync(lambda: gzip.compress(body, GZIP_LEVEL, mtime=0))
            else:
                packed = gzip.compress(body, GZIP_LEVEL, mtime=0)
            if path.startswith("/static/"):
                self.static_gzip[key] = packed
                while len(self.static_gzip) > STATIC_CACHE:
                    self.static_gzip.popitem(last=False)
        headers["Content-Encoding"] = "gzip"
        headers["ETag"] = etag if etag.startswith("W/") else f"W/{etag}"
        if "accept-ranges" in headers:
            del headers["accept-ranges"]  # byte ranges of the file, not of its gzip
        return packed


def install(app: FastAPI, settings: Settings) -> None:
    """Add the conventions to an app: the bounds inside, HEAD, caching, ETags, gzip and Retry-After around them."""
    app.add_middleware(BoundedRequests, max_body=settings.max_body_bytes, max_head=settings.max_header_bytes,
                       larger=UPLOADS)
    app.add_middleware(HttpConventions)


def outermost(app: FastAPI) -> None:
    """Move the conventions around the middlewares added after `install` (the served app's session middleware), so
    that an oversized request costs no session lookup and what those middlewares answer gets the conventions too.
    Call before the first request (Starlette builds the stack then)."""
    ours = [m for m in app.user_middleware if m.cls in (HttpConventions, BoundedRequests)]
    app.user_middleware[:] = ours + [m for m in app.user_middleware if m not in ours]
