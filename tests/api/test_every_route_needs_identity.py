"""Every API route but the health check, the OpenAPI document and its docs page answers 401 without credentials
(issue 21, item 7: `/api/v1/rules` answered anyone). The routes are walked from the served app itself, so a route
added later that forgets its caller fails here."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from reassure import migrations as migrate
from reassure.db.uow import engine_for
from reassure.settings import Settings
from reassure.web.app import create_server

OPEN = {"/api/v1/health", "/api/v1/openapi.json", "/api/v1/docs", "/api/v1/docs/oauth2-redirect"}


def _api_routes(app: object) -> list[tuple[str, str]]:
    """Return (method, path) of every API route of the app (included routers walked, prefixes applied), path
    parameters filled with a plain value."""
    found = []
    for route in iter_route_contexts(app.routes):  # type: ignore[attr-defined]
        if not route.path or not route.path.startswith("/api/") or route.path in OPEN:
            continue
        path = re.sub(r"\{[^}]+\}", "x1", route.path)
        found += [(method, path) for method in sorted(route.methods or ()) if method not in ("HEAD", "OPTIONS")]
    return found


def test_every_api_route_needs_an_identity(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'routes.sqlite'}")
    migrate.upgrade(engine_for(settings))
    app = create_server(settings)
    client = TestClient(app, raise_server_exceptions=False)
    routes = _api_routes(app)
    assert len(routes) > 30 and ("GET", "/api/v1/rules") in routes  # the walk sees the routes it should
    answers = {f"{method} {path}": client.request(method, path).status_code for method, path in routes}
    assert {route: status for route, status in answers.items() if status != 401} == {}
    for path in OPEN - {"/api/v1/docs/oauth2-redirect"}:
        assert client.get(path).status_code == 200, path
