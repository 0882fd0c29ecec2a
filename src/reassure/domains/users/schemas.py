"""What the users domain returns: accounts, tokens and sessions as plain read models (never a hash nor a secret)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

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
    """A token as listings show it: its public id, prefix, label and dates; the secret itself is shown once, at
    creation."""

    id: str  # tok_…
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


class SessionRead(BaseModel):
    """A signed-in browser or an API token, with what a person needs to recognise it (all shown as text)."""

    id: str  # ses_… (a browser) or tok_… (an API token)
    kind: Literal["web", "token"]
    user: str
    started_at: datetime
    expires_at: datetime
    last_seen_at: datetime | None  # written at most once a minute
    address: str | None  # a browser's at sign-in; a token's at its last use
    user_agent: str | None  # a browser's, at most 120 characters
    label: str | None  # a token's label and the first characters of its secret
    prefix: str | None
    current: bool  # the session or token this request or command is made with
    ended_at: datetime | None = None
