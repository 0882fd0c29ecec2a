"""Who asks, and the unit of work their request runs in.

Identity comes from the database on every request: a bearer token (`reassure users token`) or a signed-in web
session. With neither, the request is refused (401): there is no anonymous read. `X-View-As: DEU` lets an admin
preview what another nation sees (read-only), as `--nation` does in the CLI.
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
from reassure.domains.users.service import identity_for_token
from reassure.settings import Settings

T = TypeVar("T")


def settings_of(request: Request) -> Settings:
    """Return the app's settings."""
    found = request.app.state.settings
    assert isinstance(found, Settings)
    return found


@dataclass(frozen=True)
class Caller:
    """The identity a request acts as, and the settings to open its units of work with."""

    identity: Identity
    settings: Settings

    def read(self, work: Callable[[Session], T]) -> T:
        """Run reads in one unit of work for the caller."""
        with unit_of_work(self.settings, identity=self.identity) as db:
            return work(db)

    def write(self, work: Callable[[Session], T]) -> T:
        """Run a write (an action) in one unit of work, re-run whole if a concurrent writer won a race."""
        return retrying(self.settings, self.identity, work)


ViewAs = Annotated[str, Header(pattern="^([A-Za-z]{3})?$", description="admins: read as this nation (read-only)")]


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
        return Caller(session_identity, settings)
    outage = request.scope.get("reassure.unavailable")  # the session cookie could not be read (web/session.py)
    if token is None and isinstance(outage, ReassureError):
        raise outage
    if token is None:
        raise IdentityError("sign in, or send 'Authorization: Bearer <token>' (`reassure users token`)")
    secret = token.credentials.strip()
    identity = identify(settings, lambda db: identity_for_token(db, secret, view_as=x_view_as or None))
    return Caller(identity, settings)


CallerDep = Annotated[Caller, Depends(caller)]
