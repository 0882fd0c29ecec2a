"""The API's documentation page, `/api/v1/docs`: Swagger UI from the vendored, pinned `swagger-ui-dist`
(`/static/vendor/`) started by a script of ours (`/static/api-docs.js`) on this server's spec. Nothing is fetched from
another site, and the page has no inline script (the dashboard's Content-Security-Policy allows none)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from reassure.web.pages.common import STATIC, templates

router = APIRouter(include_in_schema=False)
DOCS = "/api/v1/docs"
SPEC = "/api/v1/openapi.json"


@router.get(DOCS, response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """The spec, browsable: every operation, its parameters and answers, and an Authorize button for a token."""
    assets = (STATIC / "vendor" / "swagger-ui-bundle.js").is_file()
    return templates.TemplateResponse(request, "api_docs.html", {"spec": SPEC, "assets_missing": not assets})
