"""Who am I, users and tokens (admins manage their nation's accounts), the audit log (admins)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from reassure.api.deps import CallerDep
from reassure.api.pages import Limit, Offset, Page, page
from reassure.core.days import Moment
from reassure.domains.audit.schemas import AuditRead
from reassure.domains.audit.service import recent
from reassure.domains.users.schemas import TokenRead, UserRead
from reassure.domains.users.service import list_tokens, list_users

router = APIRouter(tags=["admin"])


class Me(BaseModel):
    """The caller as the server sees them."""

    user: str
    nation: str
    roles: list[str]
    reads_for: list[str]  # every record you read is PUBLIC or released to each of these nations
    preview: str | None = None  # an admin's preview of another nation (X-View-As), in words


@router.get("/me", response_model=Me)
def me(caller: CallerDep) -> Me:
    """Your user, nation and roles, and the nations every record you read is released to (two in a preview)."""
    i = caller.identity
    return Me(user=i.user, nation=i.nation, roles=sorted(r.value for r in i.roles), reads_for=list(i.readers),
              preview=i.preview)


@router.get("/users", response_model=list[UserRead])
def users(caller: CallerDep) -> list[UserRead]:
    """Accounts (admins)."""
    return caller.read(lambda db: list_users(caller.identity, db=db))


@router.get("/tokens", response_model=list[TokenRead])
def tokens(caller: CallerDep) -> list[TokenRead]:
    """Your API tokens (prefix, label, expiry; never the secret)."""
    return caller.read(lambda db: list_tokens(caller.identity, db=db))


@router.get("/audit", response_model=Page[AuditRead])
def audit(caller: CallerDep, actor: Annotated[str | None, Query(max_length=64)] = None,
          action: Annotated[str | None, Query(max_length=80)] = None, since: Moment | None = None,
          limit: Limit = 50, offset: Offset = 0) -> Page[AuditRead]:
    """The audit log, newest first (admins): who did what, before and after, and refused attempts."""
    found = caller.read(lambda db: recent(db=db, limit=100_000, actor=actor, action=action, since=since))
    return page(found, limit, offset)  # totals count the newest 10,000 matching rows at most
