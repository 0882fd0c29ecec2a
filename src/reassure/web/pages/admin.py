"""The admin page (users, roles, passwords, tokens, the audit trail, the nation's default scenario and follow-up
owner) and its forms.

Each form calls the audited action the CLI calls (domains/users/actions.py: `reassure users add`, `grant`, `revoke`,
`disable`, `enable`, `passwd`, `token`, `revoke-token`), for the accounts of the admin's own nation only; a refused or
bad request answers the page again with the reason, and nothing is written. A secret (a new token, a generated
password) is shown once, on the answer to the form that made it, never stored in a form or a later page.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from reassure.core.errors import IdentityError, ReassureError
from reassure.core.identity import Role
from reassure.domains.audit.service import recent
from reassure.domains.preferences.actions import (
    clear_default_scenario,
    clear_followup_owner,
    set_default_scenario,
    set_followup_owner,
)
from reassure.domains.preferences.service import get_default_scenario, get_followup_owner
from reassure.domains.scenarios.service import list_scenarios
from reassure.domains.users.actions import (
    MAX_TOKEN_DAYS,
    MIN_PASSWORD,
    add_user,
    create_token,
    revoke_token,
    set_active,
    set_password,
    set_roles,
    temporary_password,
)
from reassure.domains.users.service import list_tokens, list_users
from reassure.services.caller import Caller
from reassure.web.pages.common import caller_of, check_csrf, local, render

router = APIRouter(include_in_schema=False)
ROLES = [r.value for r in Role]
UserName = Annotated[str, Path(max_length=64)]


@router.get("/admin", response_class=HTMLResponse)
def admin(request: Request) -> HTMLResponse:
    return _page(request, caller_of(request))


def _page(request: Request, caller: Caller, *, status: int = 200, error: str | None = None,
          shown: dict[str, Any] | None = None) -> HTMLResponse:
    """Render the admin page: every account (those of the admin's nation with their forms), their tokens, the audit
    log and the default scenario; `error` (a refused form, nothing written) or `shown` (a secret, shown once)."""
    identity = caller.identity

    def gather(db: Session) -> dict[str, Any]:
        users = list_users(identity, db=db)
        own = [u for u in users if u.nation == identity.nation]
        tokens = [t for u in own for t in list_tokens(identity, db=db, user=u.name)]
        return {"users": users, "own": own, "tokens": tokens, "audit": recent(db=db, limit=50),
                "default": get_default_scenario(db=db), "scenarios": list_scenarios(db=db),
                "followup_owner": get_followup_owner(db=db)}

    writable = not identity.read_only
    response = render(request, "admin.html", status_code=status, may_set=writable, may_manage=writable, roles=ROLES,
                      error=error, shown=shown, min_password=MIN_PASSWORD, max_days=MAX_TOKEN_DAYS,
                      now=datetime.now(UTC), **caller.read(gather))
    if shown is not None:  # the page holding a secret is kept by no cache and no back-forward store
        response.headers["Cache-Control"] = "no-store"
    return response


def _act(request: Request, csrf: str, work: Callable[[Caller, Session], Any],
         shown: Callable[[Any], dict[str, Any]] | None = None) -> Response:
    """Run one audited action for the admin's form: then back to the page (or the page showing its secret once);
    a refusal or bad input answers the page with the reason, nothing written (the unit of work is rolled back)."""
    check_csrf(request, csrf)
    caller = caller_of(request)
    try:
        done = caller.write(lambda db: work(caller, db))
    except ReassureError as error:  # an unknown role or a bad user name is bad input here (400), not a sign-in (401)
        status = 400 if isinstance(error, IdentityError) else error.http_status
        return _page(request, caller, status=status, error=error.message)
    if shown is not None:
        return _page(request, caller, shown=shown(done))
    return RedirectResponse("/admin#users", status_code=303)


@router.post("/admin/users", response_model=None)
def admin_add_user(request: Request, name: Annotated[str, Form(max_length=64)],
                   roles: Annotated[list[str] | None, Form()] = None,
                   password: Annotated[str, Form(max_length=1024)] = "",
                   csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    """Add an account of the admin's own nation (`reassure users add`): the password given, else a generated one shown
    once."""
    chosen = password or temporary_password()

    def work(caller: Caller, db: Session) -> Any:
        identity = caller.identity
        return add_user(identity, name.strip(), identity.nation, roles or [Role.VIEWER.value], db=db, password=chosen)

    return _act(request, csrf, work, lambda user: {"what": "account", "user": user.name,
                                                   "password": None if password else chosen})


@router.post("/admin/users/{name}/roles", response_model=None)
def admin_roles(request: Request, name: UserName, role: Annotated[str, Form(max_length=20)],
                change: Annotated[Literal["grant", "revoke"], Form()],
                csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    """Grant or revoke a role (`reassure users grant|revoke`)."""
    def work(caller: Caller, db: Session) -> Any:
        if change == "grant":
            return set_roles(caller.identity, name, db=db, grant=[role])
        return set_roles(caller.identity, name, db=db, revoke=[role])

    return _act(request, csrf, work)


@router.post("/admin/users/{name}/active", response_model=None)
def admin_active(request: Request, name: UserName, active: Annotated[Literal["0", "1"], Form()],
                 csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    """Disable (its sessions end, its tokens are revoked) or re-enable an account (`reassure users disable|enable`)."""
    return _act(request, csrf, lambda caller, db: set_active(caller.identity, name, active == "1", db=db))


@router.post("/admin/users/{name}/password", response_model=None)
def admin_password(request: Request, name: UserName, password: Annotated[str, Form(max_length=1024)] = "",
                   csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    """Reset a password (`reassure users passwd`): the temporary one given, else a generated one shown once; every
    session of the account ends and its tokens are revoked."""
    chosen = password or temporary_password()
    return _act(request, csrf, lambda caller, db: set_password(caller.identity, name, chosen, db=db),
                lambda user: {"what": "password", "user": user.name, "password": None if password else chosen})


@router.post("/admin/tokens", response_model=None)
def admin_token(request: Request, label: Annotated[str, Form(max_length=200)],
                user: Annotated[str, Form(max_length=64)] = "", days: Annotated[int, Form()] = 90,
                csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    """Make an API token for yourself or a user of your nation (`reassure users token`): its secret is shown once."""
    def work(caller: Caller, db: Session) -> Any:
        return create_token(caller.identity, label, db=db, user=user or None, days=days)

    return _act(request, csrf, work, lambda made: {"what": "token", "user": made.token.user, "token": made.token,
                                                   "secret": made.secret})


@router.post("/admin/tokens/{token_id}/revoke", response_model=None)
def admin_revoke_token(request: Request, token_id: Annotated[str, Path(max_length=40)],
                       csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    """Revoke a token of yours or of a user of your nation (`reassure users revoke-token`)."""
    return _act(request, csrf, lambda caller, db: revoke_token(caller.identity, token_id, db=db))


@router.post("/admin/default-scenario")
def admin_default_scenario(request: Request, scenario: Annotated[str, Form(max_length=80)],
                           csrf: Annotated[str, Form(max_length=100)] = "",
                           next: Annotated[str, Form(max_length=400)] = "/admin") -> RedirectResponse:
    """Make a scenario the admin's nation's landing page and default brief (an audited action)."""
    check_csrf(request, csrf)
    caller_of(request).write(lambda db: set_default_scenario(scenario, db=db))
    return RedirectResponse(local(next), status_code=303)


@router.post("/admin/followup-owner", response_model=None)
def admin_followup_owner(request: Request, owner: Annotated[str, Form(max_length=64)] = "",
                         csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    """Make a user of the admin's nation the owner of the follow-ups hooks open (`reassure followups owner set`);
    none chosen clears it (hooks then leave them unassigned). An audited action."""
    if owner:
        return _act(request, csrf, lambda caller, db: set_followup_owner(owner, db=db))
    return _act(request, csrf, lambda caller, db: clear_followup_owner(db=db))


@router.post("/admin/default-scenario/clear")
def admin_clear_default_scenario(request: Request, csrf: Annotated[str, Form(max_length=100)] = "") -> RedirectResponse:
    """Remove the admin's nation's default scenario: its pages then ask each reader to choose."""
    check_csrf(request, csrf)
    caller_of(request).write(lambda db: clear_default_scenario(db=db))
    return RedirectResponse("/admin", status_code=303)
