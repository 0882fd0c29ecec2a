"""The OpenAPI spec tells tools what the server does: a bearer security scheme that every operation needing a caller
lists (no Authorization header parameter, which tools must ignore), and every download's media types with schemas."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.api.conftest import Api

DOWNLOADS = {
    "/api/v1/scenarios/{name}/export.yaml": {"application/yaml"},
    "/api/v1/scenarios/{name}/pledges.{fmt}": {"text/csv",
                                               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    "/api/v1/incidents.{fmt}": {"text/csv", "application/json", "application/geo+json"},
    "/api/v1/indicators.{fmt}": {"text/csv", "application/json"},
    "/api/v1/plans/{plan_id}/tours.{fmt}": {"text/csv", "text/calendar"},
    "/api/v1/brief": {"application/pdf", "text/html"},
}


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """Return every operation of a spec as (path, method, operation)."""
    return [(path, method, op) for path, item in spec["paths"].items() for method, op in item.items()]


def test_the_spec_has_a_bearer_scheme_and_no_authorization_parameter(api: Api) -> None:
    spec = api.client.get("/api/v1/openapi.json").json()
    schemes = spec["components"]["securitySchemes"]
    assert schemes["bearer"]["type"] == "http" and schemes["bearer"]["scheme"] == "bearer"
    for path, method, op in operations(spec):
        names = {p["name"].lower() for p in op.get("parameters", []) if p["in"] == "header"}
        assert "authorization" not in names, (path, method)


def test_every_operation_that_needs_a_caller_lists_the_bearer_scheme(api: Api, tmp_path: Path) -> None:
    api.load_sample(tmp_path)
    spec = api.client.get("/api/v1/openapi.json").json()
    checked = 0
    for path, method, op in operations(spec):
        concrete = re.sub(r"\{[^}]+\}", lambda m: "csv" if m.group(0) == "{fmt}" else "1", path)
        anonymous = api.client.request(method.upper(), concrete, json={} if method in ("post", "put") else None)
        needs_caller = anonymous.status_code == 401
        assert (op.get("security") == [{"bearer": []}]) == needs_caller, (path, method, anonymous.status_code)
        if needs_caller:
            assert anonymous.json()["error"]["code"] == "unauthenticated"
            assert anonymous.headers["www-authenticate"] == "Bearer"
        checked += needs_caller
    assert checked >= 35


def test_downloads_declare_their_media_types_with_schemas(api: Api) -> None:
    spec = api.client.get("/api/v1/openapi.json").json()
    for path, media in DOWNLOADS.items():
        content = spec["paths"][path]["get"]["responses"]["200"]["content"]
        assert set(content) == media, path
        assert all(content[m].get("schema") for m in media), path
    incidents = spec["paths"]["/api/v1/incidents.{fmt}"]["get"]["responses"]["200"]["content"]
    assert incidents["application/json"]["schema"]["items"]["$ref"].endswith("/IncidentRead")
    assert incidents["application/geo+json"]["schema"]["properties"]["type"]["enum"] == ["FeatureCollection"]


def test_a_browser_session_and_a_bearer_token_both_still_identify_the_caller(api: Api) -> None:
    token = api.token("FRA")
    assert api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json()["nation"] == "FRA"
    assert api.client.get("/api/v1/me", headers={"Authorization": f"bearer  {token}"}).status_code == 200
    for header in ("Basic abc", "Bearer", "Bearer rsr_not-a-token", "Token abc"):
        refused = api.client.get("/api/v1/me", headers={"Authorization": header})
        assert refused.status_code == 401 and refused.json()["error"]["code"] == "unauthenticated", header
