"""Web sign-in: a password checked against the stored argon2 hash opens a session (a random secret in an HTTP-only
cookie, its SHA-256 stored, a CSRF token for every form); failures are counted per account and per address, and
past the limit sign-in is refused for a while, whether or not the password is right.

Signing in happens before there is an identity, so it reads through the "identity" system lookup; once the password
is verified the session acts as the user, and the audit row names them.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reassure.core.errors import IdentityError, TooManyAttempts
from reassure.core.identity import Identity
from reassure.core.markings import Releasability
from reassure.db.access import IDENTITY_KEY, system
from reassure.domains.audit.actions import record
from reassure.domains.users.actions import check_password, check_password_hash, hash_password
from reassure.domains.users.models import SignInFailure, User, WebSession
from reassure.domains.users.service import find_user, identity_of_user, token_digest

SESSION_HOURS = 12
WINDOW = timedelta(minutes=15)
MAX_PER_ACCOUNT = 5  # failures within WINDOW before an account's sign-in pauses
MAX_PER_ADDRESS = 20
_LOOKUP = system("identity")
WRONG = "wrong user name or password"
_DECOY = hash_password("a decoy that no account has: " + secrets.token_hex(16))


@dataclass(frozen=True)
class OpenedSession:
    """What the browser gets: the cookie's secret and the CSRF token (neither is stored in clear)."""

    secret: str
    csrf: str
    identity: Identity
    expires_at: datetime


def sign_in(name: str, password: str, address: str, *, db: Session, now: datetime | None = None) -> OpenedSession:
    """Check a password and open a session, or raise IdentityError (wrong) or TooManyAttempts (slow down).

    `db` is a lookup session (no identity yet); a failure is committed before the error is raised, so it counts.
    """
    moment = now or datetime.now(UTC)
    name, address = name.strip()[:64], address[:64]
    since = moment - WINDOW
    # The attempt is counted before the password is checked (committed at once), so attempts sent together cannot
    # all slip under the limit; a successful one is removed again below.
    attempt = SignInFailure(name=name, address=address, at=moment)
    db.add(attempt)
    db.commit()
    per_account = db.scalar(select(func.count()).select_from(SignInFailure)
                            .where(SignInFailure.name == name, SignInFailure.at >= since)
                            .execution_options(**_LOOKUP)) or 0
    per_address = db.scalar(select(func.count()).select_from(SignInFailure)
                            .where(SignInFailure.address == address, SignInFailure.at >= since)
                            .execution_options(**_LOOKUP)) or 0
    if per_account > MAX_PER_ACCOUNT or per_address > MAX_PER_ADDRESS:
        raise TooManyAttempts(f"too many failed sign-ins lately: wait {int(WINDOW.total_seconds() // 60)} minutes "
                              "and try again", retry_after=int(WINDOW.total_seconds()))
    user = find_user(db, name) if name else None
    usable = user is not None and user.active and user.password_hash is not None
    # Unknown, disabled and password-less accounts cost one argon2 verification too, so timing tells no names apart.
    if not usable:
        check_password_hash(_DECOY, password)
        raise IdentityError(WRONG)
    assert user is not None
    if not check_password(user, password):
        raise IdentityError(WRONG)
    db.delete(attempt)
    identity = identity_of_user(user)
    db.info[IDENTITY_KEY] = identity  # from here on the session acts as the user
    secret, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    session = WebSession(user_id=user.id, secret_hash=token_digest(secret), csrf=csrf, created_at=moment,
                         expires_at=moment + timedelta(hours=SESSION_HOURS))
    db.add(session)
    db.flush()
    record(db, action="session.start", entity="WebSession", key=f"{user.name}/{session.id}",
           rel_to=Releasability.to(user.nation).to_column(), after={"address": address})
    return OpenedSession(secret=secret, csrf=csrf, identity=identity, expires_at=session.expires_at)


def session_identity(secret: str | None, *, db: Session, now: datetime | None = None) -> tuple[Identity, str]:
    """Return the identity and CSRF token of a live session, or raise IdentityError (ended, expired, unknown)."""
    if not secret or len(secret) > 200:
        raise IdentityError("not signed in")
    found = _session(secret, db=db)
    moment = now or datetime.now(UTC)
    if found is None:
        raise IdentityError("not signed in")
    session, user = found
    if session.ended_at is not None or session.expires_at <= moment or not user.active:
        raise IdentityError("your session has ended: sign in again")
    return identity_of_user(user), session.csrf


def sign_out(secret: str, *, db: Session) -> None:
    """End a session (idempotent)."""
    found = _session(secret, db=db)
    if found is None or found[0].ended_at is not None:
        return
    session, user = found
    session.ended_at = datetime.now(UTC)
    identity = identity_of_user(user)
    record(db, action="session.end", entity="WebSession", key=f"{user.name}/{session.id}",
           rel_to=Releasability.to(user.nation).to_column(), actor=identity)


def _session(secret: str, *, db: Session) -> Any:
    """Return the (WebSession, User) row of a cookie's secret, or None."""
    return db.execute(select(WebSession, User).join(User, WebSession.user_id == User.id)
                      .where(WebSession.secret_hash == token_digest(secret)).execution_options(**_LOOKUP)).first()
