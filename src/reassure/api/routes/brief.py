"""The brief as a download: PDF or HTML, the staff brief or the minister's two pages, for the caller's nation or
PUBLIC only (recorded in the audit log)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from reassure.api.deps import CallerDep
from reassure.brief.files import attachment, brief_file_name
from reassure.brief.produce import produce
from reassure.brief.render import HEADER_POLICY
from reassure.core.days import Day
from reassure.core.errors import InputError, Problem
from reassure.core.map_period import parse_map_period

router = APIRouter(tags=["brief"])


@router.get("/brief", response_class=Response, responses={200: {
    "description": "format=pdf, minister or staff: a tagged PDF (PDF/UA-1) of A4 pages; format=html: one "
                   "self-contained HTML document. X-Marking gives its marking.",
    "headers": {"X-Marking": {"description": "the brief's marking, the narrowest of everything in it",
                              "schema": {"type": "string"}}},
    "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}},
                "text/html": {"schema": {"type": "string"}}}}})
def brief(caller: CallerDep, format: Literal["pdf", "html", "minister", "staff"] = "pdf",
          audience: Annotated[Literal["minister", "staff"] | None, Query(
              description="staff: the full brief (the default); minister: two pages, the decisions needed and the "
                          "situation")] = None,
          scenario: Annotated[str | None, Query(max_length=80)] = None,
          plan_id: Annotated[str | None, Query(description="a stored plan's public id (default: the scenario's "
                                               "newest plan your nation made)")] = None, date: Day | None = None,
          public: bool = False,
          attack_date: Annotated[Day | None, Query(description="show side by side the accounts of the attacks dated "
                                                   "this day (a night by the morning it ends)")] = None,
          incident: Annotated[str | None, Query(max_length=200, description="show side by side the accounts of this "
                                                "incident (its key)")] = None,
          map_period: Annotated[str | None, Query(max_length=40, description="the incident map's period: 2026-11, "
                                                  "2026, 2026-10-01..2026-11-15 or all (default: the most recent "
                                                  "complete month)")] = None) -> Response:
    """The printable brief: key takeaways, verified facts, unconfirmed, assumptions, force, plan, security, rules,
    sources; released to your nation (or PUBLIC only), marked like its narrowest part. Without `scenario`, your
    nation's default scenario (422 naming `scenario` when it has none). The accounts of one attack side by side:
    `incident`, else the attacks of `attack_date`, else the most recent attack night with accounts from two or more
    sources you see (404 for an incident you cannot see, as if absent). The incident map counts `map_period`
    (422 naming it when it cannot be read). `format=minister` or `format=staff` is the PDF of that brief (as
    `reassure brief --format`); `audience` chooses it for `format=html` or `pdf`. The file is named after the day it
    was prepared: reassure-brief-<scenario>-<YYYY-MM-DD>.pdf (reassure-minister-brief-… for the minister's)."""
    if format in ("minister", "staff"):
        if audience not in (None, format):
            raise InputError([Problem("", "", "audience", f"format={format} is the {format} brief: audience="
                                      f"{audience} contradicts it")])
        audience, format = format, "pdf"
    audience = audience or "staff"
    produced = produce(caller.settings, caller.identity, scenario=scenario, plan_id=plan_id, as_of=date,
                       public=public, pdf=format == "pdf", attack_date=attack_date, incident=incident,
                       map_period=parse_map_period(map_period) if map_period is not None else None,
                       audience=audience)
    name = brief_file_name(produced.context.scenario.scenario.name, format, audience=audience)  # the day prepared
    headers = {"Content-Disposition": attachment(name), "X-Marking": produced.context.marking}
    if format == "pdf":
        assert produced.pdf is not None
        return Response(produced.pdf, media_type="application/pdf", headers=headers)
    headers["Content-Security-Policy"] = HEADER_POLICY  # no script; inline styles only (reassure.brief.render)
    return Response(produced.html, media_type="text/html; charset=utf-8", headers=headers)
