"""Signing in and out: the sign-in form (with its own double-submit token against login CSRF), the session and
known-device cookies it sets, and signing out."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from reassure.core.errors import ReassureError
from reassure.db.uow import lookup_session
from reassure.domains.users.sessions import DEVICE_DAYS, SESSION_HOURS, sign_in, sign_out
from reassure.web.pages.common import check_csrf, local, render
from reassure.web.session import COOKIE, DEVICE_COOKIE

router = APIRouter(include_in_schema=False)
FORM_COOKIE = "reassure_sign_in"  # the sign-in form's own token (double-submit), before there is a session


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_page(request: Request, next: str = "/") -> HTMLResponse:
    return _sign_in_form(request, next, None, 200)


def _sign_in_form(request: Request, next: str, error: str | None, status: int) -> HTMLResponse:
    """Render the sign-in form with a fresh token, also set as a cookie: a form posted from another site cannot
    know it, so it cannot sign a browser into someone else's account (login CSRF)."""
    token = secrets.token_urlsafe(24)
    response = render(request, "sign_in.html", status_code=status, next=local(next), error=error, form_token=token)
    response.set_cookie(FORM_COOKIE, token, httponly=True, samesite="strict", path="/sign-in",
                        secure=request.app.state.settings.secure_cookies, max_age=3600)
    return response


@router.post("/sign-in", response_model=None)
def sign_in_submit(request: Request, name: Annotated[str, Form(max_length=64)],
                   password: Annotated[str, Form(max_length=200)],
                   next: Annotated[str, Form(max_length=400)] = "/",
                   form_token: Annotated[str, Form(max_length=100)] = "") -> Response:
    settings = request.app.state.settings
    address = request.client.host if request.client else "unknown"
    expected = request.cookies.get(FORM_COOKIE, "")
    if not expected or not secrets.compare_digest(expected, form_token):
        return _sign_in_form(request, next, "the sign-in form expired or came from another page: try again", 403)
    device = request.cookies.get(DEVICE_COOKIE) or None
    agent = request.headers.get("user-agent", "")
    try:
        with lookup_session(settings) as db:
            opened = sign_in(name, password, address, db=db, device=device, user_agent=agent)
    except ReassureError as error:
        answer = _sign_in_form(request, next, error.message, error.http_status)
        if error.retry_after is not None:
            answer.headers["Retry-After"] = str(error.retry_after)
        return answer
    response = RedirectResponse(local(next), status_code=303)
    response.delete_cookie(FORM_COOKIE, path="/sign-in")
    response.set_cookie(COOKIE, opened.secret, httponly=True, samesite="lax", secure=settings.secure_cookies,
                        max_age=SESSION_HOURS * 3600, path="/")
    # The known-device proof: sent back to the sign-in form only, so guesses from elsewhere never lock this browser's
    # user out (docs/adr/0011).
    response.set_cookie(DEVICE_COOKIE, opened.device, httponly=True, samesite="strict", path="/sign-in",
                        secure=settings.secure_cookies, max_age=DEVICE_DAYS * 86400)
    return response


@router.post("/sign-out")
def sign_out_submit(request: Request, csrf: Annotated[str, Form(max_length=100)] = "") -> RedirectResponse:
    check_csrf(request, csrf)
    secret = request.cookies.get(COOKIE, "")
    with lookup_session(request.app.state.settings) as db:
        sign_out(secret, db=db)
    response = RedirectResponse("/sign-in", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response
