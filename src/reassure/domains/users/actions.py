"""Account actions: add users, grant and revoke roles, set passwords, make and revoke API tokens, end sessions.

Each is an admin's audited write (a user may also manage their own password, tokens and sessions). A password
change and disabling an account end every web session and revoke every API token of the account, and forget its
known devices, so re-enabling it revives nothing (docs/adr/0011). An admin manages the
accounts of their own nation only: an admin who could make or borrow an account of another nation would read and
write all that nation's records. The one exception is onboarding: an admin may create the first account of a
nation that has none, and it must be that nation's admin. The audit rows of account actions are released to the
acting admin's nation and the account's nation.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from reassure.core.errors import Conflict, Forbidden, IdentityError, InputError, NotFound
from reassure.core.identity import Identity, Role, check_nation_code, check_user_name, parse_role
from reassure.core.markings import Releasability
from reassure.core.nations import is_nation
from reassure.core.public_ids import is_public_id, new_public_id
from reassure.db.locks import lock_for_update, serialize
from reassure.db.types import aware
from reassure.domains.audit.actions import record
from reassure.domains.users.models import ApiToken, User, WebSession
from reassure.domains.users.schemas import NewToken, SessionRead, UserRead
from reassure.domains.users.service import (
    TOKEN_PREFIX,
    any_users,
    any_users_of,
    find_session,
    find_user,
    known_devices,
    live_web_sessions,
    session_owner,
    token_digest,
    token_read,
    web_session_read,
)

MAX_TOKEN_DAYS = 366
MIN_PASSWORD = 12
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """Return the argon2id hash of a password (at least MIN_PASSWORD characters)."""
    if len(password) < MIN_PASSWORD:
        raise InputError(f"a password needs at least {MIN_PASSWORD} characters")
    if len(password) > 1024:
        raise InputError("a password is at most 1024 characters")
    return _hasher.hash(password)


def temporary_password() -> str:
    """Return a generated password for a reset or a new account (about 120 random bits), to be shown once to the
    admin who passes it on; the user changes it by setting their own."""
    return secrets.token_urlsafe(15)


def check_password(user: User, password: str) -> bool:
    """Tell whether a password matches the user's stored hash (always False without one)."""
    if user.password_hash is None:
        return False
    return check_password_hash(user.password_hash, password)


def check_password_hash(stored: str, password: str) -> bool:
    """Tell whether a password matches an argon2 hash."""
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _marking(*nations: str) -> str:
    return Releasability.to(*nations).to_column()


def _roles(texts: list[str]) -> list[str]:
    roles = {parse_role(t) for t in texts}
    return sorted(r.value for r in roles)


def _nation(code: str) -> str:
    code = check_nation_code(code.strip().upper())
    if not is_nation(code):
        raise IdentityError(f"unknown nation code {code!r}: expected ISO 3166-1 alpha-3, e.g. FRA")
    return code


def first_admin(name: str, nation: str, *, db: Session, password: str | None = None) -> Identity:
    """Create the first account, an admin, on a database that has none; return its identity.

    This is how a new installation starts (`reassure users init`, and `reassure demo`); once any account
    exists, accounts are added only by an admin.
    """
    check_user_name(name)
    code = _nation(nation)
    serialize(db, "users")  # two installations starting at once make one first admin, not two
    if any_users(db):
        raise Conflict("accounts already exist: an admin adds users with `reassure users add`")
    user = User(name=name, nation=code, roles=[Role.ADMIN.value],
                password_hash=hash_password(password) if password else None, active=True)
    db.add(user)
    db.flush()
    identity = Identity(user=name, nation=code, roles=frozenset({Role.ADMIN}))
    record(db, action="user.create", entity="User", key=name, rel_to=_marking(code), actor=identity,
           before=None, after={"nation": code, "roles": [Role.ADMIN.value], "first_admin": True})
    return identity


def add_user(identity: Identity, name: str, nation: str, roles: list[str], *, db: Session,
             password: str | None = None) -> UserRead:
    """Add an account (admins only)."""
    identity.require(Role.ADMIN, "add users")
    check_user_name(name)
    code = _nation(nation)
    wanted = _roles(roles or [Role.VIEWER.value])
    if code != identity.nation:
        serialize(db, "users")  # a nation's first account is onboarded once: checked and written under the lock
        if any_users_of(db, code):
            raise Forbidden(f"{identity.user} ({identity.nation}) may not add users of {code}: {code}'s admins "
                            "manage its accounts", action="add users of another nation")
        if Role.ADMIN.value not in wanted:
            raise Forbidden(f"the first account of {code} must be its admin (--role admin): from then on {code} "
                            "manages its own accounts", action="onboard a nation")
    if find_user(db, name) is not None:
        raise Conflict(f"a user named {name!r} already exists")
    db.add(User(name=name, nation=code, roles=wanted, active=True,
                password_hash=hash_password(password) if password else None))
    db.flush()
    record(db, action="user.create", entity="User", key=name, rel_to=_marking(identity.nation, code),
           before=None, after={"nation": code, "roles": wanted})
    return _read(_get(db, name))


def set_roles(identity: Identity, name: str, *, db: Session, grant: list[str] | None = None,
              revoke: list[str] | None = None) -> UserRead:
    """Grant or revoke roles (admins only; an admin cannot take the admin role from themselves)."""
    identity.require(Role.ADMIN, "change roles")
    user = _own(identity, db, name)
    before = sorted(user.roles)
    after = (set(before) | set(_roles(grant or []))) - set(_roles(revoke or []))
    if name == identity.user and Role.ADMIN.value in before and Role.ADMIN.value not in after:
        raise Forbidden("an admin cannot revoke their own admin role (ask another admin)", action="revoke admin")
    user.roles = sorted(after)
    if user.roles != before:
        record(db, action="user.roles", entity="User", key=name, rel_to=_marking(identity.nation, user.nation),
               before={"roles": before}, after={"roles": user.roles})
    return _read(user)


def set_active(identity: Identity, name: str, active: bool, *, db: Session) -> UserRead:
    """Disable or re-enable an account (admins only); a disabled account's tokens stop working."""
    identity.require(Role.ADMIN, "disable or enable users")
    user = _own(identity, db, name)
    if name == identity.user and not active:
        raise Forbidden("an admin cannot disable their own account", action="disable self")
    if user.active != active:
        record(db, action="user.active", entity="User", key=name, rel_to=_marking(identity.nation, user.nation),
               before={"active": user.active}, after={"active": active})
        user.active = active
    if not active:  # whatever it held ends now, and enabling it again revives none of it
        _end_everything(identity, user, db=db, reason="account disabled")
    return _read(user)


def set_password(identity: Identity, name: str, password: str, *, db: Session) -> UserRead:
    """Set a password: your own, or (admins) anyone's. The hash is argon2id; the audit row holds no secret."""
    identity.require_writable("set a password")
    if name != identity.user:
        identity.require(Role.ADMIN, "set another user's password")
    user = _own(identity, db, name)
    user.password_hash = hash_password(password)
    record(db, action="user.password", entity="User", key=name, rel_to=_marking(identity.nation, user.nation),
           before=None, after={"password": "changed"})
    _end_everything(identity, user, db=db, reason="password changed")
    return _read(user)


def create_token(identity: Identity, label: str, *, db: Session, user: str | None = None,
                 days: int = 90) -> NewToken:
    """Make an API token for yourself (or, admins, for anyone); it expires after `days` (at most a year)."""
    identity.require_writable("make a token")
    name = user or identity.user
    if name != identity.user:
        identity.require(Role.ADMIN, "make tokens for another user")
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise InputError(f"--days must be between 1 and {MAX_TOKEN_DAYS}, got {days}")
    label = label.strip()
    if not label or len(label) > 80:
        raise InputError("a token needs a label of 1-80 characters (what it is for)")
    account = _own(identity, db, name)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(public_id=new_public_id("tok"), user_id=account.id, label=label, prefix=secret[:10],
                     token_hash=token_digest(secret), expires_at=datetime.now(UTC) + timedelta(days=days))
    db.add(token)
    db.flush()
    record(db, action="token.create", entity="ApiToken", key=f"{name}/{token.public_id}",
           rel_to=_marking(identity.nation, account.nation), before=None,
           after={"label": label, "prefix": token.prefix, "expires_at": token.expires_at.isoformat()})
    return NewToken(secret=secret, token=token_read(token, name))


def revoke_token(identity: Identity, token_id: str, *, db: Session) -> None:
    """Revoke a token by its public id (`tok_…`): your own, or (admins) one of a user of your nation. Unknown, other
    users' and other nations' tokens, and anything that is not a token's public id, are all "no token of yours"."""
    if not is_public_id(token_id, "tok"):
        raise NotFound(f"no token {str(token_id)[:40]!r} of yours")
    end_session(identity, token_id, db=db)


def end_session(identity: Identity, session_id: str, *, db: Session, user: str | None = None) -> SessionRead | None:
    """End a signed-in browser (`ses_…`) or revoke an API token (`tok_…`): your own, or (admins) one of a user of your
    nation (`user`, when given, must be its owner); audited. Anything else (another nation's, an unknown id, an
    integer) is "no session of yours". Returns the ended browser session (None for a token)."""
    identity.require_writable("end a session")
    found = find_session(db, session_id)
    owner = found.user if found is not None else None
    if found is None or owner is None or (user is not None and owner.name != user) or (
            owner.name != identity.user and not (identity.has(Role.ADMIN) and owner.nation == identity.nation)):
        raise NotFound(f"no session or token {str(session_id)[:40]!r} of yours")
    if owner.name != identity.user:
        identity.require(Role.ADMIN, "end another user's session")
    _end(identity, owner, found, db=db, reason=f"ended by {identity.user}")
    return web_session_read(found, owner.name) if isinstance(found, WebSession) else None


def end_sessions(identity: Identity, *, db: Session, user: str | None = None, keep: str | None = None) -> int:
    """End every live session and token of a user (yours, or as an admin one of your nation's), but `keep` (the one in
    use, when ending "the others"); each is audited. Returns how many were ended."""
    identity.require_writable("end sessions")
    owner = session_owner(identity, db=db, user=user)
    return _end_everything(identity, owner, db=db, reason=f"ended by {identity.user}", keep=keep)


def _end_everything(identity: Identity, user: User, *, db: Session, reason: str, keep: str | None = None) -> int:
    """End a user's live web sessions and revoke their live tokens (each audited), and forget their known devices."""
    live: list[WebSession | ApiToken] = [*live_web_sessions(db, user), *(t for t in user.tokens
                                                                          if t.revoked_at is None)]
    ended = 0
    for found in live:
        if found.public_id != keep:
            ended += _end(identity, user, found, db=db, reason=reason)
    if keep is None:
        for device in known_devices(db, user):
            db.delete(device)
    return ended


def _end(identity: Identity, owner: User, found: WebSession | ApiToken, *, db: Session, reason: str) -> int:
    """End one session or revoke one token now (audited); 0 if it had already ended."""
    now = datetime.now(UTC)
    if isinstance(found, WebSession):
        if found.ended_at is not None:
            return 0
        found.ended_at = now
        action, entity = "session.end", "WebSession"
    else:
        if found.revoked_at is not None:
            return 0
        found.revoked_at = now
        action, entity = "token.revoke", "ApiToken"
    record(db, action=action, entity=entity, key=f"{owner.name}/{found.public_id}",
           rel_to=_marking(identity.nation, owner.nation), actor=identity.acting(), before={"ended": False},
           after={"ended": True, "reason": reason})
    return 1


def _own(identity: Identity, db: Session, name: str) -> User:
    """Return an account the identity may manage: their own, or (admins) one of their own nation."""
    user = _get(db, name)
    if user.name != identity.user and user.nation != identity.nation:
        raise Forbidden(f"{identity.user} ({identity.nation}) may not manage {name} ({user.nation}): each nation's "
                        "admins manage its accounts", action="manage another nation's account")
    # Changes of one account take turns with each other and with a sign-in storing a session (users/sessions), so a
    # reset or a disabling ends every session, also one whose password check was under way.
    lock_for_update(db, user)
    return user


def _get(db: Session, name: str) -> User:
    user = find_user(db, check_user_name(name))
    if user is None:
        raise NotFound(f"no user named {name!r}")
    return user


def _read(u: User) -> UserRead:
    now = datetime.now(UTC)
    live = sum(1 for t in u.tokens if t.revoked_at is None and aware(t.expires_at) > now)
    return UserRead(name=u.name, nation=u.nation, roles=sorted(u.roles), active=u.active,
                    has_password=u.password_hash is not None, tokens=live, created_at=u.created_at)
