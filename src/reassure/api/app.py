"""The ASGI app: /api/v1 (OpenAPI at /api/v1/openapi.json), built from settings by a factory."""

from __future__ import annotations

from fastapi import FastAPI

from reassure.api import errors
from reassure.api.routes import admin, exports, incidents, jobs, plans, registry, rules
from reassure.settings import Settings, get_settings

API = "/api/v1"


def create_app(settings: Settings | None = None) -> FastAPI:
    """Return the app for a database (the settings' URL); every route needs a caller (a token or a session)."""
    app = FastAPI(title="reassure", version="1", openapi_url=f"{API}/openapi.json", docs_url=f"{API}/docs",
                  redoc_url=None, description="Coalition registry, rotation plans and security situation. Every "
                  "read is filtered to what is released to the caller's nation; hidden and absent records both "
                  "answer 404.", responses=errors.ERROR_RESPONSES)
    app.state.settings = settings or get_settings()
    errors.install(app)
    for module in (registry, incidents, rules, plans, jobs, admin, exports):
        app.include_router(module.router, prefix=API)
    return app
