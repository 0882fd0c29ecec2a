"""Who acts: resolve a stored user (by name or API token) to an Identity; list accounts, tokens and sessions.

Resolving an identity is the one read that happens before there is one, so it runs as the narrow system
lookup "identity" (db/access.py) on the users, tokens and sessions tables only, which hold no marked records.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, selectinload

from reassure.core.errors import IdentityError, NotFound
from reassure.core.identity import Identity, Role, check_nation_code, check_user_name, parse_role
from reassure.core.public_ids import is_public_id
from reassure.db.access import system
from reassure.db.types import aware
from reassure.domains.users.models import ApiToken, KnownDevice, User, WebSession
from reassure.domains.users.schemas import SessionRead, TokenRead, UserRead

TOKEN_PREFIX = "rsr_"
SEEN_EVERY = timedelta(minutes=1)  # a session's or token's last use is written at most this often
USER_AGENT_SHOWN = 120  # characters of a browser's user agent shown in session listings
_LOOKUP = system("identity")
_NO_SUCH_USER = "unknown or disabled user {name!r}: an admin adds users with `reassure users add`"


def token_digest(secret: str) -> str:
    """Return the stored form of a token: its SHA-256 (tokens are 256 random bits, so no slow hash is needed)."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def any_users(db: Session) -> bool:
    """Tell whether any account exists (the first admin is created differently: see actions.first_admin)."""
    return db.scalar(select(User.id).limit(1).execution_options(**_LOOKUP)) is not None


def any_users_of(db: Session, nation: str) -> bool:
    """Tell whether a nation has any account yet (an admin of another nation may onboard it only then)."""
    return db.scalar(select(User.id).where(User.nation == nation).limit(1).execution_options(**_LOOKUP)) is not None


def find_user(db: Session, name: str) -> User | None:
    """Return the account of that name (any state), or None; for identity resolution and user actions only."""
    return db.scalar(select(User).where(User.name == name).execution_options(**_LOOKUP))


def identity_for(db: Session, name: str | None, *, view_as: str | None = None) -> Identity:
    """Return the identity of a stored, active user; `view_as` (admins only) previews another nation's view."""
    if name is None or not str(name).strip():
        raise IdentityError("who is acting? pass --user NAME or set REASSURE_USER to a stored user "
                            "(`reassure users list`; `reassure demo` creates the first admin)")
    check_user_name(name)
    user = find_user(db, name)
    if user is None or not user.active:
        raise IdentityError(_NO_SUCH_USER.format(name=name))
    return _identity(user, view_as)


def identity_for_token(db: Session, secret: str | None, *, view_as: str | None = None,
                       seen_from: str | None = None) -> Identity:
    """Return the identity an API token stands for; unknown, revoked and expired tokens are all refused alike."""
    return token_session(db, secret, view_as=view_as, seen_from=seen_from)[0]


def token_session(db: Session, secret: str | None, *, view_as: str | None = None, seen_from: str | None = None,
                  now: datetime | None = None) -> tuple[Identity, str]:
    """Return the identity an API token stands for and the token's public id (its "session"), noting its use (at
    most once a minute, from `seen_from`); unknown, revoked and expired tokens are all refused alike."""
    identity, public_id, _expires = token_grant(db, secret, view_as=view_as, seen_from=seen_from, now=now)
    return identity, public_id


def token_grant(db: Session, secret: str | None, *, view_as: str | None = None, seen_from: str | None = None,
                now: datetime | None = None) -> tuple[Identity, str, datetime]:
    """Return what `token_session` returns and when the token expires (how long a cache may keep the answer at most:
    services/caller.py)."""
    if not secret or not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        raise IdentityError("invalid API token")
    found = db.execute(select(ApiToken, User).join(User, ApiToken.user_id == User.id)
                       .where(ApiToken.token_hash == token_digest(secret)).execution_options(**_LOOKUP)).first()
    moment = now or datetime.now(UTC)
    if found is None:
        raise IdentityError("invalid, revoked or expired API token")
    token, user = found
    if token.revoked_at is not None or aware(token.expires_at) <= moment or not user.active:
        raise IdentityError("invalid, revoked or expired API token")
    identity, public_id, expires = _identity(user, view_as), token.public_id, aware(token.expires_at)
    if token.last_seen_at is None or moment - aware(token.last_seen_at) >= SEEN_EVERY:
        token.last_seen_at = moment
        if seen_from:
            token.last_address = seen_from[:64]
        note_use(db)  # (read before: a failed note rolls back and expires the token's attributes)
    return identity, public_id, expires


def note_use(db: Session) -> None:
    """Write a session's or token's last use now, or skip it if the database cannot take a write (read-only, full):
    bookkeeping that no answer depends on must never turn a read into a failure."""
    try:
        db.flush()
    except DBAPIError:
        db.rollback()


def identity_of_user(user: User) -> Identity:
    """Return the identity of a stored user (as themselves, no preview)."""
    return _identity(user, None)


def _identity(user: User, view_as: str | None) -> Identity:
    roles = frozenset(parse_role(r) for r in user.roles)
    if view_as is not None:
        view_as = check_nation_code(view_as.strip().upper())
        if view_as != user.nation and Role.ADMIN not in roles:
            raise IdentityError(f"{user.name} reads as {user.nation}: only an admin may view as another nation "
                                f"(--nation {view_as})")
    return Identity(user=user.name, nation=user.nation, roles=roles,
                    view_as=view_as if view_as and view_as != user.nation else None)


def list_users(identity: Identity, *, db: Session) -> list[UserRead]:
    """Return every account by name (admins only: accounts are not marked records, admins manage them all)."""
    identity.require(Role.ADMIN, "list users")
    users = db.scalars(select(User).order_by(User.name).options(selectinload(User.tokens))
                       .execution_options(**_LOOKUP))
    now = datetime.now(UTC)
    return [UserRead(name=u.name, nation=u.nation, roles=sorted(u.roles), active=u.active,
                     has_password=u.password_hash is not None, created_at=u.created_at,
                     tokens=sum(1 for t in u.tokens if t.revoked_at is None and aware(t.expires_at) > now))
            for u in users]


def list_tokens(identity: Identity, *, db: Session, user: str | None = None) -> list[TokenRead]:
    """Return tokens: your own, or (admins) anyone's."""
    name = user or identity.user
    if name != identity.user:
        identity.require(Role.ADMIN, "list another user's tokens")
    account = find_user(db, check_user_name(name))
    if account is None or (account.name != identity.user and account.nation != identity.nation):
        raise NotFound(f"no user named {name!r} of your nation")
    return [token_read(t, account.name) for t in account.tokens]


def token_read(t: ApiToken, user: str) -> TokenRead:
    """Return a token's listing."""
    return TokenRead(id=t.public_id, user=user, label=t.label, prefix=t.prefix, created_at=aware(t.created_at),
                     expires_at=aware(t.expires_at),
                     revoked_at=aware(t.revoked_at) if t.revoked_at else None)


def list_sessions(identity: Identity, *, db: Session, user: str | None = None,
                  current: str | None = None) -> list[SessionRead]:
    """Return the live sessions (signed-in browsers and API tokens) of a user: your own, or (admins) those of a user of
    your nation; `current` is the public id of the session or token in use, marked as "this session"."""
    account = session_owner(identity, db=db, user=user)
    now = datetime.now(UTC)
    webs = db.scalars(select(WebSession).where(WebSession.user_id == account.id, WebSession.ended_at.is_(None))
                      .execution_options(**_LOOKUP))
    rows = [web_session_read(w, account.name, current) for w in webs if aware(w.expires_at) > now]
    rows += [SessionRead(id=t.public_id, kind="token", user=account.name, started_at=aware(t.created_at),
                         expires_at=aware(t.expires_at), last_seen_at=_seen(t.last_seen_at), address=t.last_address,
                         user_agent=None, label=t.label, prefix=t.prefix, current=t.public_id == current)
             for t in account.tokens if t.revoked_at is None and aware(t.expires_at) > now]
    return sorted(rows, key=lambda r: (not r.current, -(r.last_seen_at or r.started_at).timestamp(), r.id))


def session_owner(identity: Identity, *, db: Session, user: str | None = None) -> User:
    """Return the account whose sessions the identity may see and end: their own, or (admins) one of their nation;
    any other account is answered as an absent one."""
    name = user or identity.user
    if name != identity.user:
        identity.require(Role.ADMIN, "list or end another user's sessions")
    account = find_user(db, check_user_name(name))
    if account is None or (account.name != identity.user and account.nation != identity.nation):
        raise NotFound(f"no user named {name!r} of your nation")
    return account


def find_session(db: Session, public_id: str) -> WebSession | ApiToken | None:
    """Return the web session (`ses_…`) or API token (`tok_…`) of a public id, or None (any other text included)."""
    if is_public_id(public_id, "ses"):
        return db.scalar(select(WebSession).where(WebSession.public_id == public_id).execution_options(**_LOOKUP))
    if is_public_id(public_id, "tok"):
        return db.scalar(select(ApiToken).where(ApiToken.public_id == public_id).execution_options(**_LOOKUP))
    return None


def live_web_sessions(db: Session, user: User) -> list[WebSession]:
    """Return a user's web sessions that have not ended (expired ones included: ending them changes nothing)."""
    return list(db.scalars(select(WebSession).where(WebSession.user_id == user.id, WebSession.ended_at.is_(None))
                           .execution_options(**_LOOKUP)))


def known_devices(db: Session, user: User) -> list[KnownDevice]:
    """Return the browsers a user signed in from (their known-device records)."""
    return list(db.scalars(select(KnownDevice).where(KnownDevice.user_id == user.id).execution_options(**_LOOKUP)))


def web_session_read(w: WebSession, user: str, current: str | None = None) -> SessionRead:
    """Return a signed-in browser's listing."""
    agent = (w.user_agent or "")[:USER_AGENT_SHOWN] or None
    return SessionRead(id=w.public_id, kind="web", user=user, started_at=aware(w.created_at),
                       expires_at=aware(w.expires_at), last_seen_at=_seen(w.last_seen_at), address=w.address,
                       user_agent=agent, label=None, prefix=None, current=w.public_id == current,
                       ended_at=_seen(w.ended_at))


def _seen(moment: datetime | None) -> datetime | None:
    return aware(moment) if moment is not None else None
