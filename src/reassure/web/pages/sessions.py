"""Your sessions (signed-in browsers and API tokens) and the forms that end them; admins: a user of their nation's."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from reassure.domains.users.actions import end_session, end_sessions
from reassure.domains.users.service import list_sessions
from reassure.web.pages.common import browser_of, caller_of, check_csrf, render
from reassure.web.session import COOKIE, Browser

router = APIRouter(include_in_schema=False)


@router.get("/sessions", response_class=HTMLResponse)
def sessions(request: Request, user: Annotated[str | None, Query(max_length=64)] = None) -> HTMLResponse:
    """Your sessions (signed-in browsers and API tokens), each with an End button; admins: a user of their nation's."""
    caller = caller_of(request)
    current = browser_of(request).session_id
    rows = caller.read(lambda db: list_sessions(caller.identity, db=db, user=user or None, current=current))
    return render(request, "sessions.html", rows=rows, user=user or caller.identity.user, own=not user or
                  user == caller.identity.user)


@router.post("/sessions/{session_id}/end")
def session_end(request: Request, session_id: Annotated[str, Path(max_length=40)],
                csrf: Annotated[str, Form(max_length=100)] = "",
                user: Annotated[str, Form(max_length=64)] = "") -> RedirectResponse:
    """End one session or token (yours; admins: a user of their nation's); ending this browser's signs it out."""
    browser = check_csrf(request, csrf)
    owner = user or browser.identity.user
    caller_of(request).write(lambda db: end_session(browser.identity, session_id, db=db, user=owner))
    if session_id == browser.session_id:
        response = RedirectResponse("/sign-in", status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response
    return RedirectResponse(_sessions_of(browser, owner), status_code=303)


@router.post("/sessions/end-all")
def sessions_end_all(request: Request, csrf: Annotated[str, Form(max_length=100)] = "",
                     user: Annotated[str, Form(max_length=64)] = "") -> RedirectResponse:
    """End every other session and token of yours; admins: every one of a user of their nation."""
    browser = check_csrf(request, csrf)
    owner = user or browser.identity.user
    keep = browser.session_id if owner == browser.identity.user else None
    caller_of(request).write(lambda db: end_sessions(browser.identity, db=db, user=owner, keep=keep))
    return RedirectResponse(_sessions_of(browser, owner), status_code=303)


def _sessions_of(browser: Browser, owner: str) -> str:
    return "/sessions" if owner == browser.identity.user else f"/sessions?user={quote(owner)}"
