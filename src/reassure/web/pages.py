"""The dashboard's pages: each resolves the signed-in viewer (or sends them to sign in), calls services in one unit
of work for them, and renders a template. Nothing here computes a figure; charts are Vega-Lite specs of read models."""

from __future__ import annotations

import json
import secrets
from pathlib import Path as FilePath
from typing import Annotated, Any, Literal
from urllib.parse import quote

import pycountry
from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from reassure.api.deps import Caller
from reassure.api.errors import mark_retry
from reassure.charts import vega as charts
from reassure.core.errors import Forbidden, IdentityError, NotFound, ReassureError
from reassure.core.identity import Role
from reassure.db.uow import lookup_session
from reassure.domains.alerts.service import recent_changes
from reassure.domains.audit.service import recent
from reassure.domains.command.service import command_tree, flatten
from reassure.domains.evaluations.service import list_evaluations
from reassure.domains.incidents.indicators import attacks_by_category, indicator_table
from reassure.domains.incidents.service import get_incident, page_incidents, region_counts
from reassure.domains.jobs.service import get_job, list_jobs
from reassure.domains.legal.service import list_legal
from reassure.domains.plans.service import default_plan, list_plans, plan_picture
from reassure.domains.pledges.service import list_pledges, pledge_history
from reassure.domains.preferences.service import default_scenario, get_default_scenario
from reassure.domains.scenarios.service import coalition_summary, list_scenarios
from reassure.domains.sources.service import list_claims, list_sources
from reassure.domains.users.service import list_sessions, list_tokens, list_users
from reassure.domains.users.sessions import DEVICE_DAYS, SESSION_HOURS, sign_in, sign_out
from reassure.jobs.worker import queue_of
from reassure.planner.analysis.whatif import FlagChange
from reassure.rules import load_bundled_rules
from reassure.services.job_requests import AsksJob, SolveJob, WhatIfJob
from reassure.services.situation import ceasefire_args, evaluate_rules
from reassure.settings import Settings
from reassure.web.session import COOKIE, DEVICE_COOKIE, UNAVAILABLE, Browser, csrf_ok

HERE = FilePath(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
router = APIRouter(include_in_schema=False)
STATIC = HERE / "static"
FORM_COOKIE = "reassure_sign_in"  # the sign-in form's own token (double-submit), before there is a session
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


def _scenario(caller: Caller, chosen: str | None) -> str | None:
    """Return the scenario a page shows: the one asked for, else the reader's nation's default (None: ask)."""
    return chosen or caller.read(lambda db: default_scenario(db=db))


def choose_scenario(request: Request, caller: Caller) -> HTMLResponse:
    """Ask the reader to choose a scenario (their nation has no default, or it no longer applies): the scenarios
    they see, linked to this page; an admin may also make the choice their nation's default. Never a guess."""
    identity = caller.identity
    scenarios = caller.read(lambda db: list_scenarios(db=db))
    if not scenarios:
        return render(request, "empty.html", what="scenarios")
    may_set = identity.has(Role.ADMIN) and identity.view_as is None and not identity.public_only
    return render(request, "choose_scenario.html", scenarios=scenarios, path=request.url.path, may_set=may_set)


# --- sign-in ---------------------------------------------------------------------------------------------------

@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_page(request: Request, next: str = "/") -> HTMLResponse:
    return _sign_in_form(request, next, None, 200)


def _sign_in_form(request: Request, next: str, error: str | None, status: int) -> HTMLResponse:
    """Render the sign-in form with a fresh token, also set as a cookie: a form posted from another site cannot
    know it, so it cannot sign a browser into someone else's account (login CSRF)."""
    token = secrets.token_urlsafe(24)
    response = render(request, "sign_in.html", status_code=status, next=_local(next), error=error, form_token=token)
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
    response = RedirectResponse(_local(next), status_code=303)
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


def _local(path: str) -> str:
    """Return a same-site path to go to after signing in (never another site)."""
    return path if path.startswith("/") and not path.startswith("//") else "/"


# --- overview ---------------------------------------------------------------------------------------------------

@router.get("/", response_class=HTMLResponse)
def overview(request: Request, scenario: str | None = None) -> HTMLResponse:
    caller = caller_of(request)
    name = _scenario(caller, scenario)
    if name is None:
        return choose_scenario(request, caller)

    def gather(db: Any) -> dict[str, Any]:
        summary = coalition_summary(name, db=db)
        backstop = [p for p in list_pledges(db=db, scenario=name) if "us_backstop" in p.conditions]
        leads = {n.lead_nation for n, _ in flatten(command_tree(name, db=db)) if n.lead_nation}
        return {"summary": summary, "backstop": backstop, "leads": leads,
                "scenarios": list_scenarios(db=db), "facts": list_claims(db=db)[:12]}

    data = caller.read(gather)
    nations = []
    for n in data["summary"].nations:
        country = pycountry.countries.get(alpha_3=n.nation)
        units = n.units_by_domain
        main = max(units, key=lambda d: units[d]) if units else "none"
        nations.append({"code": n.nation, "numeric": country.numeric if country else None, "name": n.name,
                        "domain": main, "units": units, "personnel": n.personnel,
                        "role": "lead" if n.nation in data["leads"] else "contributor",
                        "conditions": n.conditions})
    return render(request, "overview.html", scenario=name, nations_json=json.dumps(nations), **data)


@router.get("/assets/boundaries.geojson")
def boundaries(request: Request) -> Response:
    """The oblast boundaries the settings name (403 to the signed-out; 404 when none is configured)."""
    browser_of(request)
    path = request.app.state.settings.boundaries
    if path is None or not FilePath(path).is_file():
        raise NotFound("no oblast boundaries configured (REASSURE_BOUNDARIES)")
    return FileResponse(path, media_type="application/geo+json")


# --- pledges ----------------------------------------------------------------------------------------------------

@router.get("/pledges", response_class=HTMLResponse)
def pledges(request: Request, scenario: str | None = None,
            nation: Annotated[str | None, Query(max_length=3)] = None,
            domain: Annotated[str | None, Query(max_length=10)] = None,
            standing: Annotated[str | None, Query(max_length=12)] = None,
            status: Annotated[str | None, Query(max_length=12)] = None,
            grade: Annotated[str | None, Query(max_length=2)] = None) -> HTMLResponse:
    caller = caller_of(request)
    name = _scenario(caller, scenario)
    if name is None:
        return choose_scenario(request, caller)
    rows = caller.read(lambda db: list_pledges(db=db, scenario=name, nation=nation or None, domain=domain or None,
                                               standing=standing or None, status=status or None,
                                               min_grade=grade or None))
    filters = {"nation": nation or "", "domain": domain or "", "standing": standing or "", "status": status or "",
               "grade": grade or ""}
    partial = request.headers.get("HX-Request") == "true"
    return render(request, "pledge_rows.html" if partial else "pledges.html", scenario=name, rows=rows,
                  filters=filters)


@router.get("/pledges/{scenario}/{key}", response_class=HTMLResponse)
def pledge(request: Request, scenario: str, key: str) -> HTMLResponse:
    caller = caller_of(request)

    def gather(db: Any) -> dict[str, Any]:
        history = pledge_history(scenario, key, db=db)
        found = next(p for p in list_pledges(db=db, scenario=scenario) if p.key == key)
        sources = [s for s in list_sources(db=db) if s.id in found.sources]
        return {"pledge": found, "history": history, "sources": sources}

    return render(request, "pledge.html", scenario=scenario, **caller.read(gather))


# --- plan -------------------------------------------------------------------------------------------------------

@router.get("/plan", response_class=HTMLResponse)
def plan(request: Request, plan_id: Annotated[str | None, Query(alias="id")] = None,
         scenario: str | None = None) -> HTMLResponse:
    caller = caller_of(request)
    picture = caller.read(lambda db: plan_picture(plan_id, db=db)) if plan_id is not None else None
    name = picture.plan.scenario if picture is not None else _scenario(caller, scenario)
    if name is None:
        return choose_scenario(request, caller)
    if picture is None:  # the newest plan of the scenario that the reader's nation made: never another's
        chosen = caller.read(lambda db: default_plan(name, db=db))
        picture = caller.read(lambda db: plan_picture(chosen, db=db)) if chosen is not None else None
    plans = caller.read(lambda db: list_plans(db=db))
    base = None
    if picture is not None and picture.plan.base is not None:
        base_id = picture.plan.base
        base = caller.read(lambda db: plan_picture(base_id, db=db, samples=0))
    specs = {}
    if picture is not None:
        specs = {"gantt": charts.gantt(picture.tours), "heatmap": charts.coverage_heatmap(picture.coverage),
                 "burden": charts.burden(picture.burden)}
    jobs = caller.read(lambda db: list_jobs(db=db, limit=10))
    return render(request, "plan.html", scenario=name, plans=plans, picture=picture, base=base,
                  specs={k: json.dumps(v) for k, v in specs.items()}, jobs=jobs)


@router.post("/plan/solve")
def plan_solve(request: Request, scenario: Annotated[str, Form(max_length=80)],
               time_limit: Annotated[float, Form(ge=0.5, le=600)] = 10.0,
               csrf: Annotated[str, Form(max_length=100)] = "") -> RedirectResponse:
    browser = check_csrf(request, csrf)
    job = queue_of(request).submit(browser.identity, SolveJob(scenario=scenario, time_limit=time_limit))
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.post("/plan/{plan_id}/without-us-backstop")
def plan_without_backstop(request: Request, plan_id: Id, time_limit: Annotated[float, Form(ge=0.5, le=600)] = 10.0,
                          csrf: Annotated[str, Form(max_length=100)] = "") -> RedirectResponse:
    browser = check_csrf(request, csrf)
    change = FlagChange(flag="us_backstop", value=False)
    job = queue_of(request).submit(browser.identity, WhatIfJob(plan_id=plan_id, changes=[change],
                                                               time_limit=time_limit))
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.post("/plan/{plan_id}/asks")
def plan_asks(request: Request, plan_id: Id, target: Annotated[float, Form(gt=0, le=100)] = 95.0,
              fair_shares: Annotated[Literal["strict", "prefer", "ignore"], Form()] = "strict",
              time_limit: Annotated[float, Form(ge=0.5, le=600)] = 10.0,
              csrf: Annotated[str, Form(max_length=100)] = "") -> RedirectResponse:
    browser = check_csrf(request, csrf)
    job = queue_of(request).submit(browser.identity, AsksJob(plan_id=plan_id, target=target / 100,
                                                             fair_shares=fair_shares, time_limit=time_limit))
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: Id) -> HTMLResponse:
    job = caller_of(request).read(lambda db: get_job(job_id, db=db))
    partial = request.headers.get("HX-Request") == "true"
    return render(request, "job_status.html" if partial else "job.html", job=job)


@router.post("/jobs/{job_id}/cancel")
def job_cancel(request: Request, job_id: Id, csrf: Annotated[str, Form(max_length=100)] = "") -> RedirectResponse:
    from reassure.domains.jobs.actions import cancel_job

    check_csrf(request, csrf)
    caller_of(request).write(lambda db: cancel_job(job_id, db=db))
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


# --- command and legal ------------------------------------------------------------------------------------------

@router.get("/command", response_class=HTMLResponse)
def command(request: Request, scenario: str | None = None) -> HTMLResponse:
    caller = caller_of(request)
    name = _scenario(caller, scenario)
    if name is None:
        return choose_scenario(request, caller)
    nodes, legal = caller.read(lambda db: (command_tree(name, db=db), list_legal(name, db=db)))
    kinds = sorted({lg.kind for lg in legal})
    matrix: dict[str, dict[str, Any]] = {}
    for lg in legal:
        matrix.setdefault(lg.nation, {})[lg.kind] = lg
    return render(request, "command.html", scenario=name, nodes=flatten(nodes), kinds=kinds,
                  matrix=dict(sorted(matrix.items())))



# --- security situation -----------------------------------------------------------------------------------------

@router.get("/security", response_class=HTMLResponse)
def security(request: Request, offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
             scenario: Annotated[str | None, Query(max_length=80)] = None) -> HTMLResponse:
    caller = caller_of(request)

    def gather(db: Any) -> dict[str, Any]:
        table = indicator_table(db=db, every="month", last=24,
                                stale_after_days=request.app.state.settings.stale_after_days,
                                **ceasefire_args(db=db, scenario=scenario))
        categories = attacks_by_category(db=db, every="month", last=24)
        incidents, total = page_incidents(db=db, limit=20, offset=offset)
        states = evaluate_rules(load_bundled_rules(), db=db, bundled=True, scenario=scenario)
        history = list_evaluations(db=db, limit=20)
        changes = recent_changes(db=db, limit=20)
        return {"table": table, "incidents": incidents, "total": total, "states": states, "history": history,
                "changes": changes,
                "regions": region_counts(db=db), "categories": categories}

    data = caller.read(gather)
    specs = {"attacks": json.dumps(charts.attacks(data["table"].rows)),
             "categories": json.dumps(charts.by_category(data.pop("categories"))),
             "rates": json.dumps(charts.rates(data["table"].rows))}
    has_boundaries = request.app.state.settings.boundaries is not None
    return render(request, "security.html", specs=specs, offset=offset, regions_json=json.dumps(data["regions"]),
                  has_boundaries=has_boundaries, **data)


@router.get("/security/incidents/{key:path}", response_class=HTMLResponse)
def incident(request: Request, key: str) -> HTMLResponse:
    caller = caller_of(request)
    detail = caller.read(lambda db: get_incident(key, db=db))
    conflicts = {f.figure.rsplit(" ", 1)[-1] for f in detail.figures if f.verdict == "conflict"}
    return render(request, "incident.html", incident=detail, conflicts=conflicts,
                  may_relink=caller.identity.has(Role.ANALYST) and not caller.identity.read_only
                  and not caller.identity.public_only)


@router.post("/security/relink")
def incident_relink(request: Request, report: Annotated[str, Form(min_length=3, max_length=700)],
                    to: Annotated[str, Form(max_length=200)] = "", new: Annotated[str, Form(max_length=3)] = "",
                    csrf: Annotated[str, Form(max_length=100)] = "") -> RedirectResponse:
    """Move a report to another incident or a new one (analysts; audited; pinned so re-imports keep it)."""
    from reassure.domains.incidents.actions import relink_report

    check_csrf(request, csrf)
    result = caller_of(request).write(lambda db: relink_report(report, db=db, to=None if new else to.strip() or None,
                                                               new=bool(new)))
    return RedirectResponse(f"/security/incidents/{quote_key(result.after)}", status_code=303)


# --- sessions ---------------------------------------------------------------------------------------------------

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
    from reassure.domains.users.actions import end_session

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
    from reassure.domains.users.actions import end_sessions

    browser = check_csrf(request, csrf)
    owner = user or browser.identity.user
    keep = browser.session_id if owner == browser.identity.user else None
    caller_of(request).write(lambda db: end_sessions(browser.identity, db=db, user=owner, keep=keep))
    return RedirectResponse(_sessions_of(browser, owner), status_code=303)


def _sessions_of(browser: Browser, owner: str) -> str:
    return "/sessions" if owner == browser.identity.user else f"/sessions?user={quote(owner)}"


# --- admin ------------------------------------------------------------------------------------------------------

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
    from reassure.domains.preferences.actions import set_default_scenario

    check_csrf(request, csrf)
    caller_of(request).write(lambda db: set_default_scenario(scenario, db=db))
    return RedirectResponse(_local(next), status_code=303)


@router.post("/admin/default-scenario/clear")
def admin_clear_default_scenario(request: Request, csrf: Annotated[str, Form(max_length=100)] = "") -> RedirectResponse:
    """Remove the admin's nation's default scenario: its pages then ask each reader to choose."""
    from reassure.domains.preferences.actions import clear_default_scenario

    check_csrf(request, csrf)
    caller_of(request).write(lambda db: clear_default_scenario(db=db))
    return RedirectResponse("/admin", status_code=303)


def quote_key(key: str) -> str:
    """Return an incident key as a URL path part."""
    return quote(key, safe=":/")


templates.env.filters["quote_key"] = quote_key


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
