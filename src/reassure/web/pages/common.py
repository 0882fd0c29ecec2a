"""What every dashboard page shares: the templates, the signed-in viewer (or a redirect to sign in), a Caller for
them, rendering with the banner and CSRF token, the CSRF check of forms, the scenario a page shows, and errors
answered as pages."""

from __future__ import annotations

import os
import secrets
import shutil
import stat
import time
from collections.abc import Callable
from pathlib import Path as FilePath
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from reassure.core.errors import Forbidden, IdentityError, ReassureError
from reassure.core.identity import Role
from reassure.core.labels import capability_label, fallback, flags_label, labelled
from reassure.core.nations import nation_label
from reassure.domains.preferences.service import default_scenario
from reassure.domains.scenarios.service import list_scenarios
from reassure.http.errors import mark_retry
from reassure.services.caller import Caller
from reassure.services.job_kinds import KINDS
from reassure.settings import Settings
from reassure.web.session import UNAVAILABLE, Browser, csrf_ok

HERE = FilePath(__file__).parent.parent
templates = Jinja2Templates(directory=HERE / "templates")
STATIC = HERE / "static"
# A plan's or a job's public id; any other text, an old number included, is looked up and answers 404 like an unknown
# id (a pattern here would answer 422 and tell the shape apart).
Id = Annotated[str, Path()]


class SignInNeeded(Exception):
    """The page needs a signed-in viewer: answered with a redirect to the sign-in page."""


def browser_of(request: Request) -> Browser:
    """Return the signed-in browser, or raise SignInNeeded."""
    found = request.scope.get("reassure.browser")
    if not isinstance(found, Browser):
        if isinstance(outage := request.scope.get(UNAVAILABLE), ReassureError):
            raise outage  # the session could not be read: say the database is unavailable, not "sign in"
        raise SignInNeeded()
    return found


def caller_of(request: Request) -> Caller:
    """Return a Caller for the signed-in viewer."""
    settings = request.app.state.settings
    assert isinstance(settings, Settings)
    return Caller(browser_of(request).identity, settings)


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a page with the viewer, their releasability banner and the CSRF token in the context."""
    browser = request.scope.get("reassure.browser")
    assets = (STATIC / "vendor" / ".installed").is_file()
    return templates.TemplateResponse(request, name, {"browser": browser, "assets_missing": not assets, **context},
                                      status_code=status_code)


def check_csrf(request: Request, sent: str) -> Browser:
    """Return the browser if the form's CSRF token matches its session, else refuse (403)."""
    browser = browser_of(request)
    if not csrf_ok(browser, sent):
        raise Forbidden("the form was not sent from this session's page (CSRF check): reload the page and try again")
    return browser


def scenario_of(caller: Caller, chosen: str | None) -> str | None:
    """Return the scenario a page shows: the one asked for, else the reader's nation's default (None: ask)."""
    return chosen or caller.read(lambda db: default_scenario(db=db))


def scenario_page(request: Request, chosen: str | None,
                  page: Callable[[Caller, str], HTMLResponse]) -> HTMLResponse:
    """Render `page` for the scenario asked for, else the reader's nation's default; else ask them to choose one."""
    caller = caller_of(request)
    name = scenario_of(caller, chosen)
    return choose_scenario(request, caller) if name is None else page(caller, name)


def choose_scenario(request: Request, caller: Caller) -> HTMLResponse:
    """Ask the reader to choose a scenario (their nation has no default, or it no longer applies): the scenarios
    they see, linked to this page; an admin may also make the choice their nation's default. Never a guess."""
    identity = caller.identity
    scenarios = caller.read(lambda db: list_scenarios(db=db))
    if not scenarios:
        return render(request, "empty.html", what="scenarios")
    may_set = identity.has(Role.ADMIN) and identity.view_as is None and not identity.public_only
    return render(request, "choose_scenario.html", scenarios=scenarios, path=request.url.path, may_set=may_set)


def private_folder(folder: FilePath) -> FilePath:
    """Return `folder` (made if missing) once it is a real directory of the server's user that no one else may
    write: kept uploads wait in the shared temporary folder, where another local user could have made it first (or
    a link to theirs) to swap a checked file for their own before it is imported. Else refuse (fail closed)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    found = os.lstat(folder)
    if not stat.S_ISDIR(found.st_mode) or found.st_uid != os.getuid() or found.st_mode & 0o022:
        raise PermissionError(f"{folder} is not a private folder of this server's user (a link, another user's, "
                              "or writable by others): remove it, the server makes it again")
    return folder



def forget_older(folder: FilePath, seconds: float) -> None:
    """Remove the kept-upload folders in `folder` left longer than `seconds` (a preview or check never confirmed);
    one removed meanwhile by another request's sweep or confirm is passed over."""
    if not folder.is_dir():
        return
    cutoff = time.time() - seconds
    for entry in folder.iterdir():
        try:
            if entry.is_dir() and entry.stat().st_mtime < cutoff:
                shutil.rmtree(entry, ignore_errors=True)
        except OSError:
            continue


def claim(kept: FilePath) -> FilePath | None:
    """Claim a kept-upload folder for one confirmation: rename it to a name no id matches (atomic: of two
    confirmations at once, one renames it and the other finds it gone) and make it new, so a sweep leaves it to this
    confirmation. Return the claimed folder, or None when it is gone."""
    claimed = kept.with_name(f"{kept.name}.{secrets.token_hex(8)}")
    try:
        kept.rename(claimed)
        os.utime(claimed)
    except OSError:
        return None
    return claimed

def may(browser: Browser | None, role: str) -> bool:
    """Tell whether the signed-in viewer may take an action that needs `role` (viewer, analyst, planner, admin): the
    role check the audited actions make (an admin holds every role), and never while previewing or reading PUBLIC
    records only. A form or button is rendered only when this holds: a viewer is never offered one that fails."""
    if browser is None:
        return False
    identity = browser.identity
    return identity.has(Role(role)) and not identity.read_only


def may_start(browser: Browser | None, kind: str) -> bool:
    """Tell whether the signed-in viewer may start a job of `kind`: the role of the table of job kinds."""
    found = KINDS.get(kind)
    return found is not None and may(browser, found.role.value)


def local(path: str) -> str:
    """Return a same-site path to go to after signing in (never another site)."""
    return path if path.startswith("/") and not path.startswith("//") else "/"


def quote_key(key: str) -> str:
    """Return an incident key as a URL path part."""
    return quote(key, safe=":/")


def job_label(kind: str) -> str:
    """Return a job kind as people name it ("what-if"), from the table of job kinds."""
    found = KINDS.get(kind)
    return found.label if found is not None else fallback(kind)


templates.env.filters["quote_key"] = quote_key
templates.env.filters["job_label"] = job_label
templates.env.filters["label"] = labelled  # text for people: labels from the one catalogue, never identifiers
templates.env.filters["flags_label"] = flags_label
templates.env.filters["capability_label"] = capability_label
templates.env.globals["may"] = may  # who is offered a form: may(browser, "planner"), may_start(browser, "solve")
templates.env.globals["may_start"] = may_start
templates.env.filters["nation_label"] = nation_label


def page_errors(request: Request, error: Exception) -> Response:
    """Answer a page's failure as a page: sign in when needed, else the error with its status."""
    if isinstance(error, (SignInNeeded, IdentityError)):
        return RedirectResponse(f"/sign-in?next={quote(request.url.path)}", status_code=303)
    if isinstance(error, ReassureError):
        response = render(request, "error.html", status_code=error.http_status, message=error.message)
        mark_retry(request, error)
        if error.retry_after is not None:
            response.headers["Retry-After"] = str(error.retry_after)
        return response
    if isinstance(error, RequestValidationError):
        fields = ", ".join(".".join(str(x) for x in e["loc"][1:]) or str(e["loc"][0]) for e in error.errors())
        return render(request, "error.html", status_code=422, message=f"this address does not work: {fields}")
    raise error
