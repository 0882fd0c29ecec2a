"""Signed-in browsers: the session cookie resolved to an identity on every request (from the database), and CSRF
protection for every unsafe request a cookie authenticates (a form field or the X-CSRF-Token header). Cookies and
headers are read by Starlette (HTTPConnection), as the pages set them (Response.set_cookie)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

from reassure.core.errors import IdentityError, Unavailable
from reassure.core.identity import Identity
from reassure.db.uow import identify
from reassure.domains.users.sessions import live_session
from reassure.settings import Settings
from reassure.web import probes

COOKIE = "reassure_session"
UNAVAILABLE = "reassure.unavailable"  # scope key: the database could not be read to resolve the session
DEVICE_COOKIE = "reassure_device"  # a known device's proof, sent to /sign-in only (docs/adr/0011)
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass(frozen=True)
class Browser:
    """A signed-in browser: who, the CSRF token its forms must send back, and its session's public id."""

    identity: Identity
    csrf: str
    session_id: str = ""


def csrf_ok(browser: Browser, sent: str | None) -> bool:
    """Tell whether a CSRF token sent back matches the session's (in constant time)."""
    return bool(sent) and secrets.compare_digest(browser.csrf, sent or "")


class SessionMiddleware:
    """Resolve the cookie to a Browser in `scope["reassure.browser"]`; for the API, also as its caller identity,
    unless a bearer token is sent, and only with a matching X-CSRF-Token on unsafe methods."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app, self.settings = app, settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Static assets need no identity: no database read for each script, stylesheet and image a page loads; nor
        # do the liveness and readiness probes (web/probes.py), which a cookie must not make depend on the sessions.
        if scope["type"] != "http" or scope["path"].startswith("/static/") or scope["path"] in probes.PATHS:
            await self.app(scope, receive, send)
            return
        request = HTTPConnection(scope)
        if secret := request.cookies.get(COOKIE):
            try:
                live = await run_in_threadpool(identify, self.settings, lambda db: live_session(secret, db=db))
            except IdentityError:
                live = None
            except Unavailable as error:  # the page or API call answers 503, not "sign in" (db/failures.py)
                live, scope[UNAVAILABLE] = None, error
            if live is not None:
                identity = live.identity
                browser = Browser(identity, live.csrf, live.public_id)
                scope["reassure.browser"] = browser
                api = scope["path"].startswith("/api/")
                bearer = request.headers.get("authorization")
                safe = scope["method"] not in UNSAFE or csrf_ok(browser, request.headers.get("x-csrf-token"))
                if api and bearer is None and safe:
                    scope["reassure.identity"] = identity
        await self.app(scope, receive, send)
