"""The security situation (indicators, categories, the rules' states and changes, incidents with their search and
filters) and an incident's page with its accounts side by side, its analysts' reviews, and the review and relink
forms (analysts)."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from reassure.charts import vega as charts
from reassure.core.errors import InputError, Problem
from reassure.core.identity import Role
from reassure.core.regions import require_region
from reassure.domains.alerts.service import recent_changes
from reassure.domains.evaluations.service import list_evaluations
from reassure.domains.incidents.actions import relink_report
from reassure.domains.incidents.indicators import attacks_by_category, indicator_table
from reassure.domains.incidents.models import INCIDENT_KINDS, REVIEW_STANDINGS
from reassure.domains.incidents.service import incident_sources, page_incidents
from reassure.domains.movement.models import MOVEMENT_KINDS
from reassure.domains.movement.service import page_movements
from reassure.rules import load_bundled_rules
from reassure.services.security import incident_picture
from reassure.services.situation import ceasefire_args, rule_states
from reassure.web.pages.common import caller_of, check_csrf, quote_key, render

router = APIRouter(include_in_schema=False)
PAGE = 20
MOVEMENTS_SHOWN = 10
Text = Annotated[str, Query(max_length=120)]


def may_analyse(request: Request) -> bool:
    """Tell whether the signed-in viewer may take an analyst's actions (ingest, review, relink): the role, and not
    a read-only preview."""
    identity = caller_of(request).identity
    return identity.has(Role.ANALYST) and not identity.read_only and not identity.public_only


@router.get("/security", response_class=HTMLResponse)
def security(request: Request, offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
             scenario: Annotated[str | None, Query(max_length=80)] = None,
             kind: Annotated[Literal["", "air_attack", "ceasefire_violation", "other"], Query()] = "",
             since: Annotated[str, Query(max_length=10)] = "", until: Annotated[str, Query(max_length=10)] = "",
             region: Text = "",
             standing: Annotated[Literal["", "verified", "conflicting", "unconfirmed"], Query()] = "",
             source: Annotated[str, Query(max_length=80)] = "",
             q: Annotated[str, Query(max_length=200)] = "") -> HTMLResponse:
    return security_page(request, offset=offset, scenario=scenario, kind=kind, since=since, until=until, region=region,
                         standing=standing, source=source, q=q)


def security_page(request: Request, *, offset: int = 0, scenario: str | None = None, kind: str = "", since: str = "",
                  until: str = "", region: str = "", standing: str = "", source: str = "", q: str = "",
                  status_code: int = 200, movement_form: dict[str, str] | None = None,
                  movement_problems: list[Problem] | None = None) -> HTMLResponse:
    """Render the security page (with the movement form's values and problems when a recording was refused)."""
    caller = caller_of(request)
    search = {"kind": kind, "since": since.strip(), "until": until.strip(), "region": region.strip(),
              "standing": standing, "source": source.strip(), "q": q.strip()}
    problem, code, first, last = None, None, None, None
    try:
        code = require_region(region)
        first, last = (date.fromisoformat(d) if d else None for d in (search["since"], search["until"]))
    except InputError as error:
        problem = str(error)
    except ValueError:
        problem = "from and to: give days as YYYY-MM-DD"

    def gather(db: Any) -> dict[str, Any]:
        table = indicator_table(db=db, every="month", last=24,
                                stale_after_days=request.app.state.settings.stale_after_days,
                                **ceasefire_args(db=db, scenario=scenario))
        categories = attacks_by_category(db=db, every="month", last=24)
        incidents, total = ([], 0) if problem else page_incidents(
            db=db, kind=kind or None, start=first, end=last, region=code, source=search["source"] or None,
            text=search["q"] or None, standing=standing or None, limit=PAGE, offset=offset)
        states = rule_states(load_bundled_rules(), db=db, bundled=True, scenario=scenario)
        history = list_evaluations(db=db, limit=20)
        changes = recent_changes(db=db, limit=20)
        movements, movements_total = page_movements(db=db, limit=MOVEMENTS_SHOWN)
        return {"table": table, "incidents": incidents, "total": total, "states": states, "history": history,
                "changes": changes, "movements": movements, "movements_total": movements_total,
                "categories": categories, "sources": incident_sources(db=db)}

    data = caller.read(gather)
    specs = {"attacks": json.dumps(charts.attacks(data["table"].rows)),
             "categories": json.dumps(charts.by_category(data.pop("categories"))),
             "rates": json.dumps(charts.rates(data["table"].rows))}
    chosen = {k: v for k, v in search.items() if v}
    pages = {"newer": urlencode({**chosen, "offset": max(offset - PAGE, 0)}) if offset > 0 else None,
             "older": urlencode({**chosen, "offset": offset + PAGE}) if offset + PAGE < data["total"] else None}
    return render(request, "security.html", status_code=status_code, specs=specs, offset=offset, search=search,
                  searched=bool(chosen), movement_kinds=MOVEMENT_KINDS, movement_form=movement_form or {},
                  movement_problems=movement_problems, own_marking=f"REL TO {caller.identity.nation}",
                  search_problem=problem,
                  pages=pages, kinds=INCIDENT_KINDS, standings=("verified", "conflicting", "unconfirmed"),
                  may_ingest=may_analyse(request), **data)


@router.get("/security/incidents/{key:path}", response_class=HTMLResponse)
def incident(request: Request, key: str) -> HTMLResponse:
    caller = caller_of(request)
    picture = caller.read(lambda db: incident_picture(key, db=db))
    may = may_analyse(request)
    return render(request, "incident.html", incident=picture.incident, conflicts=picture.conflicts,
                  may_relink=may, may_review=may, standings=REVIEW_STANDINGS,
                  own_marking=f"REL TO {caller.identity.nation}", form={}, problems=None)


@router.post("/security/relink")
def incident_relink(request: Request, report: Annotated[str, Form(min_length=3, max_length=700)],
                    to: Annotated[str, Form(max_length=200)] = "", new: Annotated[str, Form(max_length=3)] = "",
                    csrf: Annotated[str, Form(max_length=100)] = "") -> RedirectResponse:
    """Move a report to another incident or a new one (analysts; audited; pinned so re-imports keep it)."""
    check_csrf(request, csrf)
    result = caller_of(request).write(lambda db: relink_report(report, db=db, to=None if new else to.strip() or None,
                                                               new=bool(new)))
    return RedirectResponse(f"/security/incidents/{quote_key(result.after)}", status_code=303)
