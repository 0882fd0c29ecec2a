"""Scenario sweeps: start one (a sweep file as YAML or JSON: a job run as you), list them, one with its runs side by
side (docs/sweeps.md)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from anyio.to_thread import run_sync
from fastapi import APIRouter, Path, Query, Request

from reassure.api.deps import CallerDep
from reassure.api.pages import Limit, Offset, Page, page
from reassure.core.errors import InputError, Problem
from reassure.domains.jobs.schemas import JobRead
from reassure.domains.sweeps.schemas import SweepDetail, SweepRead
from reassure.domains.sweeps.service import get_sweep, page_sweeps
from reassure.jobs.worker import queue_of
from reassure.services.job_requests import SweepJob
from reassure.services.sweep_files import read_sweep, read_sweep_json

router = APIRouter(tags=["sweeps"])
SweepId = Annotated[str, Path(description="a sweep's public id, e.g. sweep_k3x9q2m4v7c1w8ze")]
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain")


@router.post("/sweeps", response_model=JobRead, status_code=202, openapi_extra={"requestBody": {
    "required": True, "description": "a sweep file (docs/sweeps.md) as YAML (Content-Type: application/yaml) or JSON",
    "content": {"application/json": {"schema": {"type": "object", "required": ["name", "scenario", "seconds",
                                                                                "variants"], "properties": {
        "name": {"type": "string"}, "scenario": {"type": "string"}, "seconds": {"type": "number"},
        "seed": {"type": "integer"}, "period": {"type": "integer"}, "variants": {"type": "object"}}}},
                "application/yaml": {"schema": {"type": "string"}}}}})
async def submit(caller: CallerDep, request: Request) -> JobRead:
    """Start a sweep (planners): every variant solved as its own run, read as you (only what your nation reads goes
    into the problems); the job's result names the stored sweep. A bad file answers 422 naming line and field."""
    body = await request.body()
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    text = body.decode("utf-8", "replace")
    spec = read_sweep(text, "request body") if kind in YAML_TYPES else read_sweep_json(_json(text), "request body")
    job = SweepJob(spec=spec.model_dump(mode="json", by_alias=True, exclude_none=True))
    return await run_sync(lambda: queue_of(request).submit(caller.identity, job))


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as error:
        raise InputError([Problem("request body", "", "", f"not valid JSON: {error}")]) from None


@router.get("/sweeps", response_model=Page[SweepRead])
def sweeps(caller: CallerDep, scenario: Annotated[str | None, Query(max_length=120)] = None, limit: Limit = 50,
           offset: Offset = 0) -> Page[SweepRead]:
    """Stored sweeps released to you, newest first, with the base's coverage and the run that loses most."""
    return page(*caller.read(lambda db: page_sweeps(db=db, scenario=scenario, limit=limit, offset=offset)), limit,
                offset)


@router.get("/sweeps/{sweep_id}", response_model=SweepDetail)
def sweep(caller: CallerDep, sweep_id: SweepId) -> SweepDetail:
    """A stored sweep with its runs side by side: coverage, loss against the base, the first gap each opens, the
    asks each needs (when computed), each run's stored plan."""
    return caller.read(lambda db: get_sweep(sweep_id, db=db))
