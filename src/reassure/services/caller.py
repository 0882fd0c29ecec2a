"""Who acts, and the unit of work they act in: the one road from an adapter (a CLI command, an API request, a web
page, a job) to the services and to the domains' reads and audited actions.

A `Caller` is an identity resolved from the database (a stored user, an API token or a web session: never anonymous),
the settings to open units of work with, and the public id of the session or token it came with. `read` runs reads
in one unit of work as that identity (the access filter of db/access.py applies; a unit of work without an identity
is refused); `write` runs a write (an action: it checks the role and audits) in one unit of work, re-run whole when
a concurrent writer won a race (db/uow.retrying, the only transient error retried).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.orm import Session

from reassure.core.identity import Identity
from reassure.db.uow import identify, retrying, unit_of_work
from reassure.domains.audit.actions import preview_read
from reassure.domains.users.service import identity_for, token_session
from reassure.settings import Settings

T = TypeVar("T")


@dataclass(frozen=True)
class Caller:
    """The identity a command, request or job acts as, the settings to open its units of work with, and the public
    id of the web session or API token it came with ("this session" in session listings)."""

    identity: Identity
    settings: Settings
    session_id: str | None = None

    def read(self, work: Callable[[Session], T]) -> T:
        """Run reads in one unit of work for the caller."""
        with unit_of_work(self.settings, identity=self.identity) as db:
            return work(db)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """Open one unit of work for the caller (committed when the block ends, rolled back on any error)."""
        with unit_of_work(self.settings, identity=self.identity) as db:
            yield db

    def write(self, work: Callable[[Session], T], *, retry: bool = True) -> T:
        """Run a write (an action) in one unit of work, re-run whole if a concurrent writer won a race; with
        `retry=False`, once (a job's heartbeat, whose next beat tries again)."""
        if not retry:
            return self.read(work)
        return retrying(self.settings, self.identity, work)

    def record_preview(self, read: str) -> None:
        """Record an admin's preview (`read`: the command or request) in the audit log, before it reads."""
        identity = self.identity
        retrying(self.settings, identity.acting(), lambda db: preview_read(db, preview=identity, read=read))


def user_caller(settings: Settings, user: str | None, *, view_as: str | None = None) -> Caller:
    """Return the caller for a stored user (their roles and nation now; `view_as`: an admin's preview)."""
    return Caller(identify(settings, lambda db: identity_for(db, user, view_as=view_as)), settings)


def token_caller(settings: Settings, secret: str, *, view_as: str | None = None,
                 seen_from: str | None = None) -> Caller:
    """Return the caller an API token stands for, with the token's public id (IdentityError when it is not valid)."""
    identity, token_id = identify(settings, lambda db: token_session(db, secret, view_as=view_as, seen_from=seen_from))
    return Caller(identity, settings, token_id)


def settings_caller(settings: Settings) -> Caller:
    """Return the caller the settings name: their API token, else their stored user; their nation previews."""
    if settings.token:
        return token_caller(settings, settings.token, view_as=settings.nation)
    return user_caller(settings, settings.user, view_as=settings.nation)
