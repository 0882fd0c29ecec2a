"""Who acts, and the unit of work they act in: the one road from an adapter (a CLI command, an API request, a web
page, a job) to the services and to the domains' reads and audited actions.

A `Caller` is an identity resolved from the database (a stored user, an API token or a web session: never anonymous),
the settings to open units of work with, and the public id of the session or token it came with. `read` runs reads
in one unit of work as that identity (the access filter of db/access.py applies; a unit of work without an identity
is refused); `write` runs a write (an action: it checks the role and audits) in one unit of work, re-run whole when
a concurrent writer won a race (db/uow.retrying, the only transient error retried).

An API token's identity is kept in this process by the token's SHA-256, with the data version it was read at
(db/versions.py): a request whose version check finds the same number reuses it without looking the token up; any
committed write (a token revoked, a user's roles or nation changed, or anything else) changes the number, so the next
request in every process looks the token up again and a revoked token is refused at once (docs/adr/0052).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from threading import Lock
from typing import TypeVar

from sqlalchemy.orm import Session

from reassure.core.identity import Identity
from reassure.db.uow import engine_for, identify, retrying, unit_of_work
from reassure.db.versions import current_version
from reassure.domains.audit.actions import preview_read
from reassure.domains.users.service import SEEN_EVERY, identity_for, token_digest, token_grant
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


@dataclass(frozen=True)
class _Grant:
    """A token's identity as read at a data version, until the token expires or its use is due to be noted again."""

    caller: Caller
    version: int
    until: datetime


TOKENS_KEPT = 4096  # tokens whose identity a process keeps (least recently used dropped first)
_grants: OrderedDict[tuple[str, str, str | None], _Grant] = OrderedDict()
_grants_lock = Lock()


def token_caller(settings: Settings, secret: str, *, view_as: str | None = None,
                 seen_from: str | None = None, version: int | None = None) -> Caller:
    """Return the caller an API token stands for, with the token's public id (IdentityError when it is not valid).

    Reused without a lookup while the data version (`version` if the request read it already) is the one the
    identity was read at, the token has not expired and its use needs no noting yet; else looked up and kept."""
    if version is None:
        version = data_version(settings)
    now = datetime.now(UTC)
    kept = kept_caller(settings, secret, version, view_as=view_as)
    if kept is not None:
        return kept
    identity, token_id, expires = identify(settings, lambda db: token_grant(db, secret, view_as=view_as,
                                                                            seen_from=seen_from, now=now))
    found = Caller(identity, settings, token_id)
    if version is not None:
        with _grants_lock:
            _grants[_grant_key(settings, secret, view_as)] = _Grant(found, version, min(expires, now + SEEN_EVERY))
            while len(_grants) > TOKENS_KEPT:
                _grants.popitem(last=False)
    return found


def kept_caller(settings: Settings, secret: str, version: int | None, *, view_as: str | None = None) -> Caller | None:
    """Return the caller kept for a token when it was read at this data version and is still due no lookup (no
    database read: the caller read `version` itself), else None."""
    if version is None:
        return None
    key = _grant_key(settings, secret, view_as)
    with _grants_lock:
        grant = _grants.get(key)
        if grant is not None:
            _grants.move_to_end(key)
    if grant is not None and grant.version == version and datetime.now(UTC) < grant.until:
        return grant.caller
    return None


def _grant_key(settings: Settings, secret: str, view_as: str | None) -> tuple[str, str, str | None]:
    return (settings.database_url, token_digest(secret), view_as)


def data_version(settings: Settings) -> int | None:
    """Return the database's committed data version (db/versions.py), or None when it cannot be read."""
    return current_version(engine_for(settings))


def forget_tokens() -> None:
    """Drop every kept token identity (tests; a process may also call it to start cold)."""
    with _grants_lock:
        _grants.clear()


def settings_caller(settings: Settings) -> Caller:
    """Return the caller the settings name: their API token, else their stored user; their nation previews."""
    if settings.token:
        return token_caller(settings, settings.token, view_as=settings.nation)
    return user_caller(settings, settings.user, view_as=settings.nation)
