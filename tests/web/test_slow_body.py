"""Issue 21 review: a request body that trickled in was waited for for ever (now BODY_MIN_RATE, http/protocol).

`http/protocol.BoundedH11Protocol` now answers 408 to a request *head* not complete within HEAD_SECONDS, and cancels
that timer as soon as the head is whole. Nothing bounds the *body* in time (uvicorn starts no timer while the app
awaits `receive()`), so the same anonymous client defeats the fix by sending a complete head with
`Content-Length: 1000` to the public sign-in form, then one body byte now and then ("slow POST", R-U-D-Y). The
connection, its file descriptor and the request's task are held for as long as the client likes (1,000 bytes at one
a second: 16 minutes; the server accepts up to REASSURE_MAX_BODY_BYTES, 1 MiB). Enough of them and nobody else
connects: the denial of service the 408 fix meant to close stays open. A server should give up (408, or close) on a
body that stops arriving at a reasonable rate, as nginx (client_body_timeout) and Apache (mod_reqtimeout) do.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from tests.web.conftest import reassure_serve

pytestmark = pytest.mark.slow
GRACE = 3.0  # the server's grace before a body's rate counts in this test (REASSURE_REQUEST_BODY_GRACE_SECONDS; 10 s
# by default), at the default rate of 500 bytes a second: the trickle below (a byte a second) is far under it
PATIENCE = 3 * GRACE  # seconds: a body trickling for longer is an attack, not an upload


def test_a_request_body_that_trickles_in_is_not_waited_for_for_ever(tmp_path: Path) -> None:
    with reassure_serve(tmp_path, request_body_grace_seconds=str(GRACE)) as port:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
            client.sendall(b"POST /sign-in HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                           b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n")
            client.settimeout(1.0)
            answer: bytes | None = None
            began = time.monotonic()
            while answer is None and time.monotonic() - began < PATIENCE:
                try:
                    answer = client.recv(64)
                except TimeoutError:
                    try:
                        client.sendall(b"a")  # one more byte of the body, every second
                    except OSError:  # closed by the server
                        answer = b""
            waited = time.monotonic() - began
        assert answer is not None, f"the connection is still held after {PATIENCE:.0f} s of a trickling body"
        assert waited >= GRACE - 0.5, f"cut off after {waited:.1f} s, within the configured grace of {GRACE} s"
