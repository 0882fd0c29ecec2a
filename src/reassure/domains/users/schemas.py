"""What the users domain returns: accounts and tokens as plain read models (never a hash)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class UserRead(BaseModel):
    """An account: name, nation, roles, whether it may sign in, how many live tokens it has."""

    name: str
    nation: str
    roles: list[str]
    active: bool
    has_password: bool
    tokens: int
    created_at: datetime


class TokenRead(BaseModel):
    """A token as listings show it: its prefix, label and dates; the secret itself is shown once, at creation."""

    id: int
    user: str
    label: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None


class NewToken(BaseModel):
    """A token just made: the secret (shown once, stored only as a hash) and its listing."""

    secret: str
    token: TokenRead
