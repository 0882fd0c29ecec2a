"""The HTTP/1.1 implementation `reassure serve` runs: uvicorn's h11 protocol, named rather than left to uvicorn's
choice (httptools when it is installed, h11 otherwise), so that the bounds below hold on every installation.

Three changes, the first two about a client that sends more than the server reads, the third about one that sends
too little:
- A request head past `max_header_bytes` stops h11's parser before the app sees a request. uvicorn then answers a
  bare 400 and closes at once; the client, still sending its 1 MB header, gets a connection reset instead of an
  answer. Here it gets 431 (400 for a head that is not HTTP at all) in the one error body.
- Closing a connection with unread bytes sends a TCP reset, which destroys an answer the client has not read yet.
  So after such an answer (431, 400, or a 413 the app gave before the body arrived) the server keeps reading and
  dropping what the client still sends, up to `LINGER_SECONDS` and `LINGER_BYTES`, then closes ("lingering close",
  as Apache httpd does). Nothing read is kept: memory stays flat whatever the client sends.
- A request head (request line and headers) must be complete within `HEAD_SECONDS` of the connection opening, or
  of its first byte on a kept-alive connection; else the server answers 408 and closes. Without it a client that
  sends part of a head, then nothing (or a header line now and then: "slowloris"), held the connection and its file
  descriptor for ever, as uvicorn starts no timer until a first answer; enough of them and nobody else connects.
  A request body must then keep arriving at `BODY_MIN_RATE` bytes a second on average, after `BODY_GRACE_SECONDS`
  (Apache's mod_reqtimeout rule): a body trickling in a byte now and then ("slow POST") is answered 408 and closed,
  while a real upload of the largest body allowed (1 MiB) at that rate takes under 40 minutes, never cut off.
"""

from __future__ import annotations

import asyncio
import http
import importlib.util
from typing import Any

import h11
from uvicorn.config import Config
from uvicorn.protocols.http.h11_impl import H11Protocol, RequestResponseCycle
from uvicorn.server import ServerState

from reassure.http.conventions import error_answer
from reassure.settings import Settings

LINGER_SECONDS = 10.0  # how long a client may go on sending what the server refused before it is cut off
LINGER_BYTES = 256 * 1024 * 1024  # how much of it the server reads and drops before it is cut off
# The time bounds, from the settings (REASSURE_REQUEST_HEAD_SECONDS, ..._BODY_GRACE_SECONDS, ..._BODY_MIN_RATE):
# set in each server process by `configure` before it serves; these defaults are the settings' defaults.
HEAD_SECONDS = 10.0  # how long a request head may take to arrive whole (nginx waits 60 s, Apache 20-40 s)
BODY_GRACE_SECONDS = 10.0  # how long a body may take before its rate counts
BODY_MIN_RATE = 500  # bytes a second a body must arrive at on average, after the grace (Apache's default MinRate)


def configure(settings: Settings) -> None:
    """Take this process's time bounds from the settings (called by `reassure serve`, and by the app factory in each
    of several server processes)."""
    global HEAD_SECONDS, BODY_GRACE_SECONDS, BODY_MIN_RATE
    HEAD_SECONDS = settings.request_head_seconds
    BODY_GRACE_SECONDS = settings.request_body_grace_seconds
    BODY_MIN_RATE = settings.request_body_min_rate


def server_options(settings: Settings) -> dict[str, Any]:
    """Return uvicorn's options for the served app: this protocol, and h11's head limit from the settings, on uvloop's
    event loop when it is installed (docs/adr/0052; the protocol stays h11, whose bounds are the ones above); the
    time bounds of this process are set from the settings."""
    configure(settings)
    return {"http": "reassure.http.protocol:BoundedH11Protocol", "loop": "uvloop" if _has_uvloop() else "asyncio",
            "h11_max_incomplete_event_size": settings.max_header_bytes}


def _has_uvloop() -> bool:
    return importlib.util.find_spec("uvloop") is not None


class BoundedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol answering 431 to an oversized head and closing refused connections gracefully."""

    def __init__(self, config: Config, server_state: ServerState, app_state: dict[str, Any],
                 _loop: asyncio.AbstractEventLoop | None = None) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.max_head: int = config.h11_max_incomplete_event_size or h11._connection.DEFAULT_MAX_INCOMPLETE_EVENT_SIZE
        self.lingering = False
        self.dropped = 0
        self.drained: RequestResponseCycle | None = None  # the request whose unread body is being dropped
        self.head_timer: asyncio.TimerHandle | None = None  # running while a request head is awaited
        self.body_timer: asyncio.TimerHandle | None = None  # running while a request body is awaited
        self.body_started = 0.0  # when the head of the request whose body is awaited arrived (loop time)
        self.body_bytes = 0  # how much of that body has arrived

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Start waiting for the first request head, for HEAD_SECONDS at most."""
        super().connection_made(transport)
        self._await_head()

    def connection_lost(self, exc: Exception | None) -> None:
        """Stop the timers with the connection."""
        self._head_arrived()
        self._body_done()
        super().connection_lost(exc)

    def _body_deadline(self) -> float:
        return self.body_started + BODY_GRACE_SECONDS + self.body_bytes / BODY_MIN_RATE

    def _await_body(self) -> None:
        self.body_started, self.body_bytes = self.loop.time(), 0
        self.body_timer = self.loop.call_at(self._body_deadline(), self._body_timed_out)

    def _body_done(self) -> None:
        if self.body_timer is not None:
            self.body_timer.cancel()
            self.body_timer = None

    def _body_timed_out(self) -> None:
        """Answer 408 to a body arriving too slowly (unless it came fast enough meanwhile: then wait on)."""
        self.body_timer = None
        if self.conn.their_state is not h11.SEND_BODY or self.transport.is_closing():
            return
        if self.loop.time() < self._body_deadline():
            self.body_timer = self.loop.call_at(self._body_deadline(), self._body_timed_out)
            return
        cycle = self.cycle
        if cycle is not None and cycle.response_started:
            self.transport.close()  # answered already (a 413 before its body): nothing more to say
            return
        self._send_timeout(f"the request body arrived slower than {BODY_MIN_RATE} bytes a second")

    def _await_head(self) -> None:
        if self.head_timer is None:
            self.head_timer = self.loop.call_later(HEAD_SECONDS, self._head_timed_out)

    def _head_arrived(self) -> None:
        if self.head_timer is not None:
            self.head_timer.cancel()
            self.head_timer = None

    def _head_timed_out(self) -> None:
        """Answer 408 to a client whose request head did not arrive whole in time, and close the connection."""
        self.head_timer = None
        if self.conn.their_state is not h11.IDLE or self.conn.our_state is not h11.IDLE or self.transport.is_closing():
            return  # a head arrived and its request is being answered: the keep-alive timer takes over after it
        self._send_timeout(f"the request line and headers did not arrive within {HEAD_SECONDS:g} s")

    def _send_timeout(self, message: str) -> None:
        """Write a 408 answer and close the connection (a running request's app sees the client gone)."""
        self.logger.info("%s: answered 408", message)
        start, body = error_answer(408, "request_timeout", message)
        headers = [*start["headers"], (b"cache-control", b"no-store"), (b"connection", b"close")]
        # h11 sends a response only to a request it has read; this one never arrived, so the answer is written here.
        head = b"HTTP/1.1 408 Request Timeout\r\n" + b"".join(k + b": " + v + b"\r\n" for k, v in headers)
        self.transport.write(head + b"\r\n" + body["body"])
        self.transport.close()

    def data_received(self, data: bytes) -> None:
        """Drop what a refused client still sends; else parse as uvicorn does (limiting how long an unread body
        may go on arriving after its answer)."""
        if self.lingering:
            self.dropped += len(data)
            if self.dropped > LINGER_BYTES:
                self.transport.close()
            return
        cycle = self.cycle
        if (cycle is not None and cycle.response_complete and self.conn.their_state is h11.SEND_BODY
                and self.drained is not cycle):
            self.drained = cycle  # answered before its body arrived (413): uvicorn drops the rest, for so long
            self.loop.call_later(LINGER_SECONDS, self._cut_off, cycle)
        if self.conn.their_state is h11.IDLE:
            self._await_head()  # the first bytes of a head on a kept-alive connection (no-op when already waiting)
        elif self.conn.their_state is h11.SEND_BODY:
            self.body_bytes += len(data)
        head_awaited = self.conn.their_state is h11.IDLE
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:
            self._head_arrived()
        if head_awaited and self.conn.their_state is h11.SEND_BODY:
            self._body_done()
            self._await_body()  # (body bytes that came with the head are not counted: a slightly earlier deadline)
        elif self.conn.their_state is not h11.SEND_BODY:
            self._body_done()

    def _cut_off(self, cycle: RequestResponseCycle) -> None:
        if self.cycle is cycle and self.conn.their_state is h11.SEND_BODY:
            self.transport.close()

    def send_400_response(self, msg: str) -> None:
        """Answer a request h11 could not parse: 431 when its head outgrew the limit, else 400; then linger."""
        buffered = len(self.conn.trailing_data[0])
        if buffered > self.max_head:
            status, code = 431, "header_too_large"
            message = f"the request line and headers are over {self.max_head:,} bytes: the server reads no more"
        else:
            status, code, message = 400, "bad_request", "the request is not valid HTTP/1.1"
        if status == 431:  # uvicorn has logged its "Invalid HTTP request received." already: say why, not again
            self.logger.warning("the request's head is over %d bytes: answered 431", self.max_head)
        start, body = error_answer(status, code, message)
        headers = [*start["headers"], (b"cache-control", b"no-store"), (b"connection", b"close")]
        reason = http.HTTPStatus(status).phrase.encode()
        for event in (h11.Response(status_code=status, headers=headers, reason=reason), h11.Data(data=body["body"]),
                      h11.EndOfMessage()):
            self.transport.write(self.conn.send(event) or b"")
        self.lingering = True
        if self.transport.can_write_eof():
            self.transport.write_eof()  # the answer is complete: the client may read it while we drop the rest
        self.loop.call_later(LINGER_SECONDS, self.transport.close)
