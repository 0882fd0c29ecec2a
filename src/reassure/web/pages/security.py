"""The security situation (indicators, categories, incidents, the rules' states and changes) and an incident's page
with its accounts side by side, and the relink form (analysts)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from reassure.charts import vega as charts
from reassure.core.identity import Role
from reassure.domains.alerts.service import recent_changes
from reassure.domains.evaluations.service import list_evaluations
from reassure.domains.incidents.actions import relink_report
from reassure.domains.incidents.indicators import attacks_by_category, indicator_table
from reassure.domains.incidents.service import page_incidents, region_counts
from reassure.rules import load_bundled_rules
from reassure.services.security import incident_picture
from reassure.services.situation import ceasefire_args, rule_states
from reassure.web.pages.common import caller_of, check_csrf, quote_key, render

router = APIRouter(include_in_schema=False)


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
        states = rule_states(load_bundled_rules(), db=db, bundled=True, scenario=scenario)
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
    picture = caller.read(lambda db: incident_picture(key, db=db))
    return render(request, "incident.html", incident=picture.incident, conflicts=picture.conflicts,
                  may_relink=caller.identity.has(Role.ANALYST) and not caller.identity.read_only
                  and not caller.identity.public_only)


@router.post("/security/relink")
def incident_relink(request: Request, report: Annotated[str, Form(min_length=3, max_length=700)],
                    to: Annotated[str, Form(max_length=200)] = "", new: Annotated[str, Form(max_length=3)] = "",
                    csrf: Annotated[str, Form(max_length=100)] = "") -> RedirectResponse:
    """Move a report to another incident or a new one (analysts; audited; pinned so re-imports keep it)."""
    check_csrf(request, csrf)
    result = caller_of(request).write(lambda db: relink_report(report, db=db, to=None if new else to.strip() or None,
                                                               new=bool(new)))
    return RedirectResponse(f"/security/incidents/{quote_key(result.after)}", status_code=303)
