"""Liveness and readiness for a reverse proxy or an orchestrator (docs/adr/0049): no identity, nothing about the
data or the nations. `/healthz` answers while the process does (no database); `/readyz` answers 200 when the
database answers at the newest schema revision, else 503 with a short reason."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from reassure.migrations.readiness import readiness
from reassure.settings import Settings

router = APIRouter(include_in_schema=False)
PATHS = ("/healthz", "/readyz")


@router.get("/healthz")
def healthz() -> JSONResponse:
    """Say the process answers."""
    return JSONResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})


@router.get("/readyz")
def readyz(request: Request) -> JSONResponse:
    """Say whether the database answers at the newest schema revision (503 with the reason when not)."""
    settings = request.app.state.settings
    assert isinstance(settings, Settings)
    found = readiness(settings)
    body: dict[str, object] = {"status": "ready" if found.ready else "not ready"}
    if found.reason:
        body["reason"] = found.reason
    if found.warnings:
        body["warnings"] = found.warnings
    return JSONResponse(body, status_code=200 if found.ready else 503, headers={"Cache-Control": "no-store"})
