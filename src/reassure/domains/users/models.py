"""Stored users (a nation and roles each, an argon2 password hash) and their API tokens (hashed, expiring)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reassure.core.public_ids import PUBLIC_ID_LENGTH
from reassure.db.base import Base
from reassure.db.types import UtcDateTime


def _now() -> datetime:
    return datetime.now(UTC)


class User(Base):
    """A person (or a service) who reads and writes as a member of one nation, with roles."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    nation: Mapped[str] = mapped_column(ForeignKey("nations.code"))
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    password_hash: Mapped[str | None] = mapped_column(String(200))  # argon2id; None: no password sign-in
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=_now)
    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user", cascade="all, delete-orphan",
                                                  order_by="ApiToken.id")


class ApiToken(Base):
    """A bearer token: only its SHA-256 is stored; it can be revoked and always expires. Shown and addressed by its
    public id (`tok_…`), never by its internal number; its last use is kept (at most once a minute)."""

    __tablename__ = "api_tokens"
    __bookkeeping__ = frozenset({"last_seen_at", "last_address"})  # its last use alone leaves the data version

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(PUBLIC_ID_LENGTH), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(80))
    prefix: Mapped[str] = mapped_column(String(16))  # shown in listings so a user can tell tokens apart
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=_now)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_address: Mapped[str | None] = mapped_column(String(64))
    user: Mapped[User] = relationship(back_populates="tokens")


class WebSession(Base):
    """A signed-in browser: only the SHA-256 of the cookie's secret is stored; it expires and can be ended. Shown
    and addressed by its public id (`ses_…`), with what a person needs to recognise it: when and from which address
    it started, the browser's user agent, when it was last seen (written at most once a minute)."""

    __tablename__ = "web_sessions"
    __bookkeeping__ = frozenset({"last_seen_at"})  # its last use alone leaves the data version (db/versions.py)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(PUBLIC_ID_LENGTH), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf: Mapped[str] = mapped_column(String(64))  # sent back in every form and unsafe request
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=_now)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(200))
    last_seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    user: Mapped[User] = relationship()


class SignInFailure(Base):
    """A failed sign-in, kept to slow down password guessing (docs/adr/0011): per account and address, per address,
    per account across addresses, and per known device (`device_id`, when the attempt carried that proof)."""

    __tablename__ = "sign_in_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=_now, index=True)
    device_id: Mapped[int | None] = mapped_column(index=True)  # a KnownDevice of the account named, if proven


class KnownDevice(Base):
    """A browser that signed in to an account: the SHA-256 of the secret in its HTTP-only device cookie. An attempt
    carrying it is counted against that device only, so guesses from elsewhere never lock its owner out."""

    __tablename__ = "known_devices"
    __table_args__ = (UniqueConstraint("user_id", "secret_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=_now)
    last_used_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=_now)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
