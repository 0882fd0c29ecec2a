"""The served application: the REST API under /api/v1, the dashboard's pages, its static assets, the session
middleware that lets a signed-in browser use both, and the security headers on every response."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.middleware import Middleware

from reassure.api.app import create_app
from reassure.core.errors import ReassureError
from reassure.http import conventions, protocol, request_log
from reassure.settings import Settings, get_settings
from reassure.web import docs, favicon, probes
from reassure.web.headers import SecurityHeaders, add, headers_for
from reassure.web.pages import STATIC, SignInNeeded, page_errors, router
from reassure.web.session import SessionMiddleware


def create_server(settings: Settings | None = None) -> FastAPI:
    """Return the API and the dashboard on one app for the settings' database.

    Called with no settings (uvicorn's factory in each of several server processes), it reads them from the
    environment and sets up the process's logs in the format they say; `reassure serve` does that for one process."""
    if settings is None:
        settings = get_settings()
        request_log.configure(settings.log_format)
        protocol.configure(settings)  # this server process's time bounds on requests
    app = create_app(settings)
    app.include_router(probes.router)
    app.include_router(router)
    app.include_router(favicon.router)
    app.include_router(docs.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_exception_handler(SignInNeeded, page_errors)
    app.add_middleware(SessionMiddleware, settings=settings)
    conventions.outermost(app)  # bounds, HEAD, caching, ETags, gzip and Retry-After around the session middleware too
    app.add_middleware(SecurityHeaders)  # every answer, a refused session's and a 413's included
    app.add_middleware(request_log.RequestLog)  # outermost of ours: the id and the log line of every answer
    app.user_middleware.append(Middleware(request_log.RouteNote))  # innermost: the route matched, for the log line
    _pages_answer_errors_as_pages(app)
    _unexpected_errors_carry_security_headers(app)
    return app


def _unexpected_errors_carry_security_headers(app: FastAPI) -> None:
    """An unexpected error's 500 is sent by Starlette's outermost middleware, past SecurityHeaders: add them there."""
    handler = app.exception_handlers[Exception]

    def answer(request: Request, error: Exception) -> Response:
        response = handler(request, error)
        assert isinstance(response, Response)
        add(response.headers, headers_for(request.url.path))
        if (request_id := request_log.current_request_id()) is not None:
            response.headers["X-Request-ID"] = request_id
        return response

    app.add_exception_handler(Exception, answer)


def _pages_answer_errors_as_pages(app: FastAPI) -> None:
    """Errors on dashboard pages render as pages (the API keeps its JSON body, from the handlers it installed)."""

    def by_path(api: Callable[[Request, Exception], Any]) -> Callable[[Request, Exception], Response]:
        def answer(request: Request, error: Exception) -> Response:
            if not request.url.path.startswith("/api/"):
                return page_errors(request, error)
            response = api(request, error)
            assert isinstance(response, Response)  # the API's handlers answer synchronously (api/errors.py)
            return response
        return answer

    for kind in (ReassureError, RequestValidationError):
        api = app.exception_handlers[kind]
        app.add_exception_handler(kind, by_path(api))
