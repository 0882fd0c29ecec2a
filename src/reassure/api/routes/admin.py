"""Who am I, users, tokens and sessions (admins manage their nation's accounts), the audit log (admins)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel

from reassure.api.deps import CallerDep
from reassure.api.pages import Limit, Offset, Page, page
from reassure.core.days import Moment
from reassure.domains.audit.schemas import AuditRead
from reassure.domains.audit.service import page_audit
from reassure.domains.users.actions import end_session, end_sessions, revoke_token
from reassure.domains.users.schemas import SessionRead, TokenRead, UserRead
from reassure.domains.users.service import list_sessions, list_tokens, list_users

router = APIRouter(tags=["admin"])
SessionId = Annotated[str, Path(max_length=40, description="a session's or token's public id: ses_… or tok_…")]
UserName = Annotated[str, Path(max_length=64)]


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


@router.delete("/tokens/{token_id}", status_code=204, response_class=Response)
def revoke(caller: CallerDep, token_id: SessionId) -> Response:
    """Revoke one of your tokens (admins: one of a user of your nation) by its public id, tok_…; audited."""
    caller.write(lambda db: revoke_token(caller.identity, token_id, db=db))
    return Response(status_code=204)


@router.get("/me/sessions", response_model=list[SessionRead])
def my_sessions(caller: CallerDep) -> list[SessionRead]:
    """Your live sessions: signed-in browsers (started when, from which address, which browser, last seen) and API
    tokens; the one this request came with is marked `current`."""
    return caller.read(lambda db: list_sessions(caller.identity, db=db, current=caller.session_id))


@router.delete("/me/sessions/{session_id}", status_code=204, response_class=Response)
def end_my_session(caller: CallerDep, session_id: SessionId) -> Response:
    """End one of your sessions (a browser signs out; a token is revoked); audited."""
    caller.write(lambda db: end_session(caller.identity, session_id, db=db, user=caller.identity.user))
    return Response(status_code=204)


@router.delete("/me/sessions", status_code=204, response_class=Response)
def end_my_other_sessions(caller: CallerDep) -> Response:
    """End every session and token of yours but the one this request came with; each is audited."""
    caller.write(lambda db: end_sessions(caller.identity, db=db, keep=caller.session_id))
    return Response(status_code=204)


@router.get("/users/{name}/sessions", response_model=list[SessionRead])
def user_sessions(caller: CallerDep, name: UserName) -> list[SessionRead]:
    """A user's live sessions and tokens (admins, for users of their nation)."""
    return caller.read(lambda db: list_sessions(caller.identity, db=db, user=name, current=caller.session_id))


@router.delete("/users/{name}/sessions/{session_id}", status_code=204, response_class=Response)
def end_user_session(caller: CallerDep, name: UserName, session_id: SessionId) -> Response:
    """End one session or token of a user (admins, for users of their nation); audited."""
    caller.write(lambda db: end_session(caller.identity, session_id, db=db, user=name))
    return Response(status_code=204)


@router.delete("/users/{name}/sessions", status_code=204, response_class=Response)
def end_user_sessions(caller: CallerDep, name: UserName) -> Response:
    """End every session and token of a user (admins, for users of their nation); each is audited."""
    caller.write(lambda db: end_sessions(caller.identity, db=db, user=name))
    return Response(status_code=204)


@router.get("/audit", response_model=Page[AuditRead])
def audit(caller: CallerDep, actor: Annotated[str | None, Query(max_length=64)] = None,
          action: Annotated[str | None, Query(max_length=80)] = None, since: Moment | None = None,
          limit: Limit = 50, offset: Offset = 0) -> Page[AuditRead]:
    """The audit log, newest first (admins): who did what, before and after, and refused attempts."""
    return page(*caller.read(lambda db: page_audit(db=db, actor=actor, action=action, since=since, limit=limit,
                                                   offset=offset)), limit, offset)
