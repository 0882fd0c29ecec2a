"""Who asks, and the unit of work their request runs in.

Identity comes from the database on every request: a bearer token (`reassure users token`) or a signed-in web
session. With neither, the request is refused (401): there is no anonymous read. `X-View-As: DEU` lets an admin
preview what another nation shares with theirs (records released to both; read-only), as `--nation` does in the
CLI: each such request leaves an audit row, and its answer carries the X-Reassure-Preview header.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from reassure.core.errors import IdentityError, ReassureError
from reassure.core.identity import Identity
from reassure.db.uow import identify, retrying, unit_of_work
from reassure.domains.audit.actions import preview_read
from reassure.domains.users.service import token_session
from reassure.settings import Settings

T = TypeVar("T")


def settings_of(request: Request) -> Settings:
    """Return the app's settings."""
    found = request.app.state.settings
    assert isinstance(found, Settings)
    return found


@dataclass(frozen=True)
class Caller:
    """The identity a request acts as, the settings to open its units of work with, and the public id of the web
    session or API token it came with ("this session" in session listings)."""

    identity: Identity
    settings: Settings
    session_id: str | None = None

    def read(self, work: Callable[[Session], T]) -> T:
        """Run reads in one unit of work for the caller."""
        with unit_of_work(self.settings, identity=self.identity) as db:
            return work(db)

    def write(self, work: Callable[[Session], T]) -> T:
        """Run a write (an action) in one unit of work, re-run whole if a concurrent writer won a race."""
        return retrying(self.settings, self.identity, work)


ViewAs = Annotated[str, Header(pattern="^([A-Za-z]{3})?$", description="admins: preview this nation, reading only "
                              "records released to both it and your nation (read-only, audited)")]
PREVIEW = "reassure.preview"  # the scope key under which a preview's line waits for the X-Reassure-Preview header


# The bearer scheme in the OpenAPI spec (`components.securitySchemes.bearer`, listed by every operation that needs a
# caller): generated clients and the docs page's Authorize button send the token. Never raises by itself: no token
# (or a signed-in browser's session instead) is for `caller` to judge, with the one 401 body.
bearer = HTTPBearer(scheme_name="bearer", bearerFormat="rsr_...", auto_error=False,
                    description="an API token from `reassure users token LABEL`; a signed-in browser's session "
                    "cookie also works (unsafe methods then need its X-CSRF-Token)")
Bearer = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def caller(request: Request, token: Bearer, x_view_as: ViewAs = "") -> Caller:
    """Resolve the caller from a bearer token or the web session the sign-in middleware found; else 401."""
    settings = settings_of(request)
    session_identity = request.scope.get("reassure.identity")
    if isinstance(session_identity, Identity):
        browser = request.scope.get("reassure.browser")
        return Caller(session_identity, settings, getattr(browser, "session_id", None))
    outage = request.scope.get("reassure.unavailable")  # the session cookie could not be read (web/session.py)
    if token is None and isinstance(outage, ReassureError):
        raise outage
    if token is None:
        raise IdentityError("sign in, or send 'Authorization: Bearer <token>' (`reassure users token`)")
    secret = token.credentials.strip()
    address = request.client.host if request.client else None
    identity, token_id = identify(settings, lambda db: token_session(db, secret, view_as=x_view_as or None,
                                                                     seen_from=address))
    if identity.preview is not None:
        audit_preview(request, identity, settings)
    return Caller(identity, settings, token_id)


def audit_preview(request: Request, identity: Identity, settings: Settings) -> None:
    """Record a preview request in the audit log (before it reads) and mark its answer as a preview."""
    read = f"{request.method} {request.url.path}" + (f"?{request.url.query}" if request.url.query else "")
    retrying(settings, identity.acting(), lambda db: preview_read(db, preview=identity, read=read))
    request.scope[PREVIEW] = identity.preview


CallerDep = Annotated[Caller, Depends(caller)]
