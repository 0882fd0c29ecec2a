"""Issue 21 review: `reassure serve` waited forever for a request head that never ends (slowloris).

Issue 21 bounded request heads and bodies by size (431, 413); nothing bounds them in time. uvicorn's h11 protocol
(`http/protocol.BoundedH11Protocol`) starts no timer until a first answer is sent (its keep-alive timeout runs only
between requests), so an anonymous client that opens a connection and sends part of a request line and headers, then
nothing, or one header line now and then, holds that connection and its file descriptor for ever. Measured: a silent
partial head still open after 20 s, and one trickling a header line every 2 s open after as long; 1,100 such
connections from one client were all held. With enough of them (the server's descriptor limit), nobody else
connects. A server should answer 408 (or close) a head not complete within a short time, as web servers do.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from tests.web.conftest import reassure_serve

pytestmark = pytest.mark.slow
HEAD_SECONDS = 3.0  # the server's bound in these tests (REASSURE_REQUEST_HEAD_SECONDS; 10 s by default)
PATIENCE = 3 * HEAD_SECONDS  # seconds a server may wait for the rest of a request head before it gives up on the client


@pytest.mark.parametrize("trickle", [False, True], ids=["silent", "a header line every second"])
def test_a_request_head_that_never_ends_is_not_waited_for_for_ever(tmp_path: Path, trickle: bool) -> None:
    with reassure_serve(tmp_path, request_head_seconds=str(HEAD_SECONDS)) as port:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
            began = time.monotonic()
            client.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and then nothing more
            client.settimeout(1.0 if trickle else PATIENCE)
            answer: bytes | None = None
            while answer is None and time.monotonic() - began < PATIENCE:
                try:
                    answer = client.recv(64)
                except TimeoutError:
                    if not trickle:
                        break
                    try:
                        client.sendall(b"X-Trickle: 1\r\n")
                    except OSError:  # closed by the server
                        answer = b""
            waited = time.monotonic() - began
        assert answer is not None, f"the connection is still held after {PATIENCE:.0f} s of an unfinished head"
        assert answer == b"" or answer.startswith(b"HTTP/1.1 408")
        assert waited >= HEAD_SECONDS - 0.5, f"cut off after {waited:.1f} s, before the configured {HEAD_SECONDS} s"
