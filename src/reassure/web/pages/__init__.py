"""The dashboard's pages, one module per area users know (as the API's routes): each resolves the signed-in viewer
(or sends them to sign in), calls services in one unit of work for them, and renders a template. Nothing here
computes a figure; charts are Vega-Lite specs of read models. `router` holds every page, in this order."""

from __future__ import annotations

from fastapi import APIRouter

from reassure.web.pages import (
    admin,
    asks,
    followups,
    jobs,
    monitor,
    movement,
    overview,
    plans,
    registry,
    security,
    sessions,
    sign_in,
    sweeps,
    uploads,
)
from reassure.web.pages.common import STATIC, SignInNeeded, page_errors

__all__ = ["STATIC", "SignInNeeded", "page_errors", "router"]

router = APIRouter(include_in_schema=False)
for area in (sign_in, overview, registry, uploads, plans, sweeps, asks, jobs, monitor, security, movement, followups,
             sessions, admin):
    router.include_router(area.router)
