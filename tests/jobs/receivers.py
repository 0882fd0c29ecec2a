"""Real local receivers for alert tests: a threaded HTTP server (webhooks) and an aiosmtpd SMTP server (e-mail)."""

from __future__ import annotations

import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import free_port


@dataclass
class Received:
    """One request a webhook receiver answered: its path, headers, body and the status it was given."""

    path: str
    headers: dict[str, str]
    body: bytes
    status: int


@dataclass
class WebhookReceiver:
    """A local HTTP server recording every POST; `plan` lists the statuses to answer first (then 200)."""

    url: str
    received: list[Received] = field(default_factory=list)
    plan: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, path: str, headers: dict[str, str], body: bytes) -> int:
        with self.lock:
            status = self.plan.pop(0) if self.plan else 200
            self.received.append(Received(path, headers, body, status))
            return status

    @property
    def delivered(self) -> list[Received]:
        """Return the requests answered 200."""
        return [r for r in self.received if r.status == 200]


@contextmanager
def webhook_receiver() -> Iterator[WebhookReceiver]:
    """Run a webhook receiver on a free loopback port for the duration of the block."""
    port = free_port()
    receiver = WebhookReceiver(f"http://127.0.0.1:{port}/hook")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status = receiver.answer(self.path, {k: v for k, v in self.headers.items()}, body)
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()


def self_signed(folder: Path) -> tuple[Path, Path]:
    """Make a self-signed certificate for 127.0.0.1 with the openssl command (skip the test without it)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl not installed: cannot make a certificate for the STARTTLS test")
    cert, key = folder / "smtp.crt", folder / "smtp.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


@dataclass
class Mailbox:
    """Every message the local SMTP server accepted: (envelope recipients, parsed message)."""

    port: int
    messages: list[tuple[list[str], EmailMessage]] = field(default_factory=list)

    def to(self, address: str) -> list[EmailMessage]:
        """Return the messages delivered to one recipient."""
        return [m for rcpts, m in self.messages if address in rcpts]

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=policy.default)))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server(tls: tuple[Path, Path] | None = None) -> Iterator[Mailbox]:
    """Run an aiosmtpd server on a free loopback port for the duration of the block; with a (certificate, key) pair
    it offers STARTTLS and refuses mail before it."""
    port = free_port()
    mailbox = Mailbox(port)
    extra: dict[str, Any] = {}
    if tls is not None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(str(tls[0]), str(tls[1]))
        extra = {"tls_context": context, "require_starttls": True}
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, **extra)
    controller.start()
    try:
        yield mailbox
    finally:
        controller.stop()
