"""The HTTP/1.1 implementation `reassure serve` runs: uvicorn's h11 protocol, named rather than left to uvicorn's
choice (httptools when it is installed, h11 otherwise), so that the bounds below hold on every installation.

Two changes, both about a client that sends more than the server reads:
- A request head past `max_header_bytes` stops h11's parser before the app sees a request. uvicorn then answers a
  bare 400 and closes at once; the client, still sending its 1 MB header, gets a connection reset instead of an
  answer. Here it gets 431 (400 for a head that is not HTTP at all) in the one error body.
- Closing a connection with unread bytes sends a TCP reset, which destroys an answer the client has not read yet.
  So after such an answer (431, 400, or a 413 the app gave before the body arrived) the server keeps reading and
  dropping what the client still sends, up to `LINGER_SECONDS` and `LINGER_BYTES`, then closes ("lingering close",
  as Apache httpd does). Nothing read is kept: memory stays flat whatever the client sends.
"""

from __future__ import annotations

import asyncio
import http
from typing import Any

import h11
from uvicorn.config import Config
from uvicorn.protocols.http.h11_impl import H11Protocol, RequestResponseCycle
from uvicorn.server import ServerState

from reassure.api.http import error_answer
from reassure.settings import Settings

LINGER_SECONDS = 10.0  # how long a client may go on sending what the server refused before it is cut off
LINGER_BYTES = 256 * 1024 * 1024  # how much of it the server reads and drops before it is cut off


def server_options(settings: Settings) -> dict[str, Any]:
    """Return uvicorn's options for the served app: this protocol, and h11's head limit from the settings."""
    return {"http": "reassure.web.protocol:BoundedH11Protocol",
            "h11_max_incomplete_event_size": settings.max_header_bytes}


class BoundedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol answering 431 to an oversized head and closing refused connections gracefully."""

    def __init__(self, config: Config, server_state: ServerState, app_state: dict[str, Any],
                 _loop: asyncio.AbstractEventLoop | None = None) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.max_head: int = config.h11_max_incomplete_event_size or h11._connection.DEFAULT_MAX_INCOMPLETE_EVENT_SIZE
        self.lingering = False
        self.dropped = 0
        self.drained: RequestResponseCycle | None = None  # the request whose unread body is being dropped

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
        super().data_received(data)

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
        self.logger.warning("%s: answered %d", msg, status)
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
