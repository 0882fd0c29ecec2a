"""Attack (issue 22, alerts): a webhook receiver answers a delivery with a redirect, and `post_webhook` follows it.

`notify.post_webhook` uses urllib's default opener, which follows 301/302/303/307/308 answers: the server then
requests whatever URL the receiver names (an internal service, the cloud metadata endpoint), carrying the
X-Reassure-* headers, and records the *final* answer as the delivery's outcome ("delivered", or "HTTP 401
Unauthorized" of the internal service) in the delivery log its nation's admin reads. Even if channel targets were
checked when added, a redirect bypasses that check (server-side request forgery). A webhook delivery must not
follow redirects: a 3xx answer is a failed delivery.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from reassure.services.notify import body_of, post_webhook
from tests.conftest import free_port


@contextmanager
def redirector(location: str) -> Iterator[str]:
    """Run a receiver on a loopback port that answers every POST with 302 to `location`."""
    port = free_port()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(302)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}/hook"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def internal_service() -> Iterator[list[str]]:
    """Run a stand-in internal service recording every request (any method)."""
    port = free_port()
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def _any(self) -> None:
            seen.append(f"{self.command} {self.path}")
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        do_GET = do_POST = _any

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        seen.append(f"port {port}")
        yield seen
    finally:
        server.shutdown()
        server.server_close()


def test_a_webhook_delivery_does_not_follow_a_redirect() -> None:
    with internal_service() as seen:
        port = seen.pop(0).split()[1]
        with redirector(f"http://127.0.0.1:{port}/latest/meta-data/") as url:
            outcome = post_webhook(url, body_of({"type": "test"}), "a-shared-secret-of-some-length",
                                   delivery="test", timeout=5)
    assert seen == [], f"the delivery was redirected to {seen} (outcome: {outcome})"
    assert not outcome.delivered
