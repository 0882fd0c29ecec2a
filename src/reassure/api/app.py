"""The ASGI app: /api/v1 (OpenAPI at /api/v1/openapi.json), built from settings by a factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import Depends, FastAPI
from pydantic import BaseModel

from reassure import __version__
from reassure.api import errors, input_guard
from reassure.api.cache import ResponseCache
from reassure.api.preview import PreviewHeader
from reassure.api.routes import (
    admin,
    alerts,
    asks,
    brief,
    exports,
    followups,
    incidents,
    intake,
    jobs,
    movement,
    nation,
    plans,
    registry,
    rules,
    sweeps,
    verifications,
)
from reassure.http import conventions
from reassure.settings import Settings, get_settings

API = "/api/v1"


THREADS = 4  # requests computed at once: Python holds one core at a time, so more threads only thrash the GIL


@asynccontextmanager
async def _lifespan(_app: FastAPI) -> AsyncIterator[None]:
    """Size the pool that runs the (synchronous) routes: a few threads, the rest wait in the event loop."""
    anyio.to_thread.current_default_thread_limiter().total_tokens = THREADS
    yield


def create_app(settings: Settings | None = None) -> FastAPI:
    """Return the app for a database (the settings' URL); every route needs a caller (a token or a session)."""
    # The docs page is the served app's (web/docs.py: local assets, no CDN), so FastAPI's own is off.
    app = FastAPI(lifespan=_lifespan, title="reassure", version="1", openapi_url=f"{API}/openapi.json",
                  docs_url=None, redoc_url=None, swagger_ui_oauth2_redirect_url=None,
                  description="Coalition registry, rotation plans and security situation. Every "
                  "read is filtered to what is released to the caller's nation; hidden and absent records both "
                  "answer 404.", responses=errors.ERROR_RESPONSES,
                  dependencies=[Depends(input_guard.refuse_unstorable)])
    app.state.settings = settings or get_settings()
    errors.install(app)
    app.add_middleware(ResponseCache, settings=app.state.settings)  # innermost: keeps what the routes answered
    app.add_middleware(PreviewHeader)  # inside the conventions: it reads the scope the caller dependency marked
    conventions.install(app, app.state.settings)
    for module in (registry, incidents, movement, intake, rules, alerts, followups, plans, asks, jobs, admin, nation,
                   exports, brief, verifications, sweeps):
        app.include_router(module.router, prefix=API)
    app.add_api_route(f"{API}/health", health, methods=["GET"], tags=["admin"], response_model=Health)
    return app


class Health(BaseModel):
    """The server answers (no database read, no identity: nothing about any record)."""

    status: str
    version: str


def health() -> Health:
    """Tell a load balancer the server is up."""
    return Health(status="ok", version=__version__)
