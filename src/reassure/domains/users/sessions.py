"""Web sign-in: a password checked against the stored argon2 hash opens a session (a random secret in an HTTP-only
cookie, its SHA-256 stored, a CSRF token for every form, a public id to list and end it by).

Failed sign-ins are throttled without letting anyone lock an account out (docs/adr/0011). Each attempt is counted
before its password is checked, in one of two ways:

- with a valid known-device proof for the account (the HTTP-only device cookie a successful sign-in from that browser
  left, stored hashed): against that device only, at most MAX_PER_DEVICE failures a WINDOW. Guesses made elsewhere,
  however many, never stop the owner's own browser;
- without one: at most MAX_PER_ACCOUNT_ADDRESS failures a WINDOW for the account from one address, MAX_PER_ADDRESS
  from one address over every account, and MAX_PER_ACCOUNT for the account over every address, so guessing one
  account from many addresses is still capped (it then waits for new browsers only).

Past a limit, sign-in is refused whether or not the password is right (429 with Retry-After). Signing in happens before
there is an identity, so it reads through the "identity" system lookup; once the password is verified the session
acts as the user, and the audit row names them.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from reassure.core.errors import IdentityError, TooManyAttempts
from reassure.core.identity import Identity
from reassure.core.markings import Releasability
from reassure.core.public_ids import new_public_id
from reassure.db.access import IDENTITY_KEY, system
from reassure.db.locks import lock_for_update
from reassure.db.types import aware
from reassure.domains.audit.actions import record
from reassure.domains.users.actions import check_password, check_password_hash, hash_password
from reassure.domains.users.models import KnownDevice, SignInFailure, User, WebSession
from reassure.domains.users.service import SEEN_EVERY, find_user, identity_of_user, note_use, token_digest

SESSION_HOURS = 12
WINDOW = timedelta(minutes=15)
MAX_PER_ACCOUNT_ADDRESS = 5  # failures a WINDOW for one account from one address (no device proof)
MAX_PER_ADDRESS = 20  # failures a WINDOW from one address over every account (no device proof)
MAX_PER_ACCOUNT = 30  # failures a WINDOW for one account over every address (no device proof)
MAX_PER_DEVICE = 5  # failures a WINDOW with one known device's proof
DEVICE_DAYS = 90  # a known device is forgotten this long after its last successful sign-in
KEPT = timedelta(days=1)  # failures older than this are deleted
USER_AGENT_KEPT = 200
_LOOKUP = system("identity")
WRONG = "wrong user name or password"
_DECOY = hash_password("a decoy that no account has: " + secrets.token_hex(16))


@dataclass(frozen=True)
class OpenedSession:
    """What the browser gets: the cookie's secret, the CSRF token and the known-device secret (none stored in clear),
    and the session's public id."""

    secret: str
    csrf: str
    identity: Identity
    expires_at: datetime
    public_id: str
    device: str  # the device cookie's value (kept or new), sent back on every later sign-in from this browser


@dataclass(frozen=True)
class LiveSession:
    """A signed-in browser's session as a request finds it."""

    identity: Identity
    csrf: str
    public_id: str


def sign_in(name: str, password: str, address: str, *, db: Session, now: datetime | None = None,
            device: str | None = None, user_agent: str = "") -> OpenedSession:
    """Check a password and open a session, or raise IdentityError (wrong) or TooManyAttempts (slow down).

    `db` is a lookup session (no identity yet); a failure is committed before the error is raised, so it counts.
    `device` is the browser's known-device cookie, if it sent one.
    """
    moment = now or datetime.now(UTC)
    name, address = name.strip()[:64], address[:64]
    known = _known_device(db, name, device, moment)
    # The attempt is counted before the password is checked (committed at once), so attempts sent together cannot
    # all slip under the limit; a successful one is removed again below.
    db.execute(delete(SignInFailure).where(SignInFailure.at < moment - KEPT).execution_options(**_LOOKUP))
    attempt = SignInFailure(name=name, address=address, at=moment, device_id=known.id if known else None)
    db.add(attempt)
    db.commit()
    try:
        _throttle(db, attempt, moment)
    except TooManyAttempts:
        # A refused attempt checks no password, so it is no failure: it must not count against the account for
        # other addresses and browsers (else one address fills the account's bucket with cheap refused requests).
        db.delete(attempt)
        db.commit()
        raise
    user = find_user(db, name) if name else None
    usable = user is not None and user.active and user.password_hash is not None
    # Unknown, disabled and password-less accounts cost one argon2 verification too, so timing tells no names apart.
    if not usable:
        check_password_hash(_DECOY, password)
        raise IdentityError(WRONG)
    assert user is not None
    checked = user.password_hash
    if not check_password(user, password):
        raise IdentityError(WRONG)
    db.delete(attempt)
    identity = identity_of_user(user)
    db.info[IDENTITY_KEY] = identity  # from here on the session acts as the user
    # The password was checked against the hash read before; a reset or a disabling committed meanwhile must win.
    # The account is locked until this session is stored, so a reset that comes later waits, then ends it.
    lock_for_update(db, user)
    if not user.active or user.password_hash != checked:
        db.rollback()
        raise IdentityError(WRONG)
    secret, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    session = WebSession(public_id=new_public_id("ses"), user_id=user.id, secret_hash=token_digest(secret), csrf=csrf,
                         created_at=moment, expires_at=moment + timedelta(hours=SESSION_HOURS), address=address,
                         user_agent=user_agent[:USER_AGENT_KEPT] or None, last_seen_at=moment)
    db.add(session)
    device_secret, device_state = _remember_device(db, user, device, known, moment)
    db.flush()
    record(db, action="session.start", entity="WebSession", key=f"{user.name}/{session.public_id}",
           rel_to=Releasability.to(user.nation).to_column(),
           after={"address": address, "user_agent": session.user_agent, "device": device_state})
    return OpenedSession(secret=secret, csrf=csrf, identity=identity, expires_at=session.expires_at,
                         public_id=session.public_id, device=device_secret)


def _known_device(db: Session, name: str, device: str | None, now: datetime) -> KnownDevice | None:
    """Return the known device of the named account whose secret the browser sent, if it is one and not expired."""
    if not name or not device or len(device) > 100:
        return None
    return db.scalar(select(KnownDevice).join(User, KnownDevice.user_id == User.id)
                     .where(User.name == name, KnownDevice.secret_hash == token_digest(device),
                            KnownDevice.expires_at > now).execution_options(**_LOOKUP))


def _remember_device(db: Session, user: User, device: str | None, known: KnownDevice | None,
                     now: datetime) -> tuple[str, str]:
    """Make this browser a known device of the account (or keep it one, for DEVICE_DAYS more); return the device
    cookie's value and whether the device was known, is new, or is another account's known device."""
    until = now + timedelta(days=DEVICE_DAYS)
    if known is not None and device is not None:
        known.last_used_at, known.expires_at = now, until
        return device, "known"
    # A cookie the server made for another account of this browser is kept, so one browser holds one device secret;
    # any other value (forged, expired, forgotten) is replaced by a fresh one.
    shared = device is not None and len(device) <= 100 and db.scalar(
        select(KnownDevice.id).where(KnownDevice.secret_hash == token_digest(device), KnownDevice.expires_at > now)
        .limit(1).execution_options(**_LOOKUP)) is not None
    secret = device if shared and device is not None else secrets.token_urlsafe(32)
    db.add(KnownDevice(user_id=user.id, secret_hash=token_digest(secret), created_at=now, last_used_at=now,
                       expires_at=until))
    return secret, "this browser's, known to another account" if shared else "new"


def _throttle(db: Session, attempt: SignInFailure, now: datetime) -> None:
    """Raise TooManyAttempts when an attempt is over a limit (it is counted itself), with the seconds to wait."""
    since = now - WINDOW
    recent = select(SignInFailure.at).where(SignInFailure.at >= since).execution_options(**_LOOKUP)
    if attempt.device_id is not None:
        buckets = [(recent.where(SignInFailure.device_id == attempt.device_id), MAX_PER_DEVICE)]
    else:
        blind = recent.where(SignInFailure.device_id.is_(None))
        buckets = [(blind.where(SignInFailure.name == attempt.name, SignInFailure.address == attempt.address),
                    MAX_PER_ACCOUNT_ADDRESS),
                   (blind.where(SignInFailure.address == attempt.address), MAX_PER_ADDRESS),
                   (blind.where(SignInFailure.name == attempt.name), MAX_PER_ACCOUNT)]
    waits = [_wait(sorted(aware(t) for t in db.scalars(query)), limit, now) for query, limit in buckets]
    wait = max(waits)
    if wait > 0:
        minutes = max(1, round(wait / 60))
        raise TooManyAttempts(f"too many failed sign-ins lately: wait about {minutes} minute{'s' * (minutes > 1)} "
                              "and try again", retry_after=wait)


def _wait(times: list[datetime], limit: int, now: datetime) -> int:
    """Return the seconds until fewer than `limit` of these failures remain within the window (0: under the limit)."""
    if len(times) <= limit:
        return 0
    # `times` holds this attempt (refused, so not kept): enough of the oldest must leave the window that the next
    # attempt is again within the limit.
    return max(1, int((times[len(times) - limit - 1] + WINDOW - now).total_seconds()) + 1)


def session_identity(secret: str | None, *, db: Session, now: datetime | None = None) -> tuple[Identity, str]:
    """Return the identity and CSRF token of a live session, or raise IdentityError (ended, expired, unknown)."""
    live = live_session(secret, db=db, now=now)
    return live.identity, live.csrf


def live_session(secret: str | None, *, db: Session, now: datetime | None = None) -> LiveSession:
    """Return the live session of a cookie's secret, noting it was seen (at most once a minute), or raise
    IdentityError (ended, expired, unknown, or its user disabled)."""
    if not secret or len(secret) > 200:
        raise IdentityError("not signed in")
    found = _session(secret, db=db)
    moment = now or datetime.now(UTC)
    if found is None:
        raise IdentityError("not signed in")
    session, user = found
    if session.ended_at is not None or aware(session.expires_at) <= moment or not user.active:
        raise IdentityError("your session has ended: sign in again")
    live = LiveSession(identity_of_user(user), session.csrf, session.public_id)
    if session.last_seen_at is None or moment - aware(session.last_seen_at) >= SEEN_EVERY:
        session.last_seen_at = moment
        note_use(db)
    return live


def sign_out(secret: str, *, db: Session) -> None:
    """End a session (idempotent)."""
    found = _session(secret, db=db)
    if found is None or found[0].ended_at is not None:
        return
    session, user = found
    session.ended_at = datetime.now(UTC)
    identity = identity_of_user(user)
    record(db, action="session.end", entity="WebSession", key=f"{user.name}/{session.public_id}",
           rel_to=Releasability.to(user.nation).to_column(), actor=identity, before={"ended": False},
           after={"ended": True, "reason": "signed out"})


def _session(secret: str, *, db: Session) -> Any:
    """Return the (WebSession, User) row of a cookie's secret, or None."""
    return db.execute(select(WebSession, User).join(User, WebSession.user_id == User.id)
                      .where(WebSession.secret_hash == token_digest(secret)).execution_options(**_LOOKUP)).first()
