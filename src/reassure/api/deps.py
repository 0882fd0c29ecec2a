"""Who asks (a services/caller.py Caller: the unit of work their request runs in).

Identity comes from the database on every request: a bearer token (`reassure users token`) or a signed-in web
session. With neither, the request is refused (401): there is no anonymous read. `X-View-As: DEU` lets an admin
preview what another nation shares with theirs (records released to both; read-only), as `--nation` does in the
CLI: each such request leaves an audit row, and its answer carries the X-Reassure-Preview header.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from reassure.core.errors import IdentityError, ReassureError
from reassure.core.identity import Identity
from reassure.http.request_log import note_identity
from reassure.services.caller import Caller, token_caller
from reassure.settings import Settings


def settings_of(request: Request) -> Settings:
    """Return the app's settings."""
    found = request.app.state.settings
    assert isinstance(found, Settings)
    return found


ViewAs = Annotated[str, Header(pattern="^([A-Za-z]{3})?$", description="admins: preview this nation, reading only "
                              "records released to both it and your nation (read-only, audited)")]
PREVIEW = "reassure.preview"  # the scope key under which a preview's line waits for the X-Reassure-Preview header


CALLER = "reassure.caller"  # scope key of a caller api/cache.py resolved from the request's bearer token


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
    resolved = request.scope.get(CALLER)  # by the response cache, from the same token (api/cache.py)
    if isinstance(resolved, Caller) and not x_view_as:
        return resolved
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
    found = token_caller(settings, secret, view_as=x_view_as or None, seen_from=address)
    note_identity(found.identity)  # who, in the request's log line (http/request_log.py)
    if found.identity.preview is not None:
        audit_preview(request, found)
    return found


def audit_preview(request: Request, found: Caller) -> None:
    """Record a preview request in the audit log (before it reads) and mark its answer as a preview."""
    query = f"?{request.url.query}" if request.url.query else ""
    found.record_preview(f"{request.method} {request.url.path}{query}")
    request.scope[PREVIEW] = found.identity.preview


CallerDep = Annotated[Caller, Depends(caller)]
