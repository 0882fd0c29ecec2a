"""The admin page (users, tokens, the audit trail, the nation's default scenario) and its forms."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from reassure.domains.audit.service import recent
from reassure.domains.preferences.actions import clear_default_scenario, set_default_scenario
from reassure.domains.preferences.service import get_default_scenario
from reassure.domains.scenarios.service import list_scenarios
from reassure.domains.users.service import list_tokens, list_users
from reassure.web.pages.common import caller_of, check_csrf, local, render

router = APIRouter(include_in_schema=False)


@router.get("/admin", response_class=HTMLResponse)
def admin(request: Request) -> HTMLResponse:
    caller = caller_of(request)
    identity = caller.identity

    def gather(db: Any) -> dict[str, Any]:
        users = list_users(identity, db=db)
        return {"users": users, "tokens": list_tokens(identity, db=db), "audit": recent(db=db, limit=50),
                "default": get_default_scenario(db=db), "scenarios": list_scenarios(db=db)}

    return render(request, "admin.html", may_set=identity.view_as is None, **caller.read(gather))


@router.post("/admin/default-scenario")
def admin_default_scenario(request: Request, scenario: Annotated[str, Form(max_length=80)],
                           csrf: Annotated[str, Form(max_length=100)] = "",
                           next: Annotated[str, Form(max_length=400)] = "/admin") -> RedirectResponse:
    """Make a scenario the admin's nation's landing page and default brief (an audited action)."""
    check_csrf(request, csrf)
    caller_of(request).write(lambda db: set_default_scenario(scenario, db=db))
    return RedirectResponse(local(next), status_code=303)


@router.post("/admin/default-scenario/clear")
def admin_clear_default_scenario(request: Request, csrf: Annotated[str, Form(max_length=100)] = "") -> RedirectResponse:
    """Remove the admin's nation's default scenario: its pages then ask each reader to choose."""
    check_csrf(request, csrf)
    caller_of(request).write(lambda db: clear_default_scenario(db=db))
    return RedirectResponse("/admin", status_code=303)
