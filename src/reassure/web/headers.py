"""Security headers on every response the server sends: pages, the API, static assets, redirects and errors.

The Content-Security-Policy lets a page run only the scripts and styles this server serves as files: no inline
script, no inline event handler, no `eval` (Vega draws with its expression interpreter), no inline style, nothing
from another origin, no plugin, no `<base>` that moves relative URLs, no form posted elsewhere, no framing. It is the
second line of defence: the first is that every stored value reaches a page as text (docs/adr/0013).
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

DIRECTIVES: dict[str, str] = {
    "default-src": "'none'",  # anything not named below is refused (fonts, frames, workers, media, manifests)
    "script-src": "'self'",  # script files from this server only: no inline script or handler, no eval
    "style-src": "'self'",  # stylesheets from this server only: no <style> element, no style= attribute
    "img-src": "'self' data:",  # Leaflet's control icons; data: for images the browser makes (chart exports)
    "connect-src": "'self'",  # fetch and htmx: this server only, so nothing a page reads can be sent elsewhere
    "form-action": "'self'",  # forms post here only
    "frame-ancestors": "'none'",  # no page may frame this one (clickjacking)
    "base-uri": "'none'",  # no <base> element may change where relative URLs go
    "object-src": "'none'",  # no plugins
}
POLICY = "; ".join(f"{name} {value}" for name, value in DIRECTIVES.items())
HEADERS: dict[str, str] = {
    "Content-Security-Policy": POLICY,
    "X-Content-Type-Options": "nosniff",  # a JSON or CSV body is never run as script or styles
    "Referrer-Policy": "same-origin",  # no address of this server (with its query) leaves for another site
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "Cross-Origin-Opener-Policy": "same-origin",  # a page opened from another site gets no handle on this window
    "Cross-Origin-Resource-Policy": "same-origin",  # no other site may load a response as an image or script
}


def headers_for(path: str, exceptions: Mapping[str, str] | None = None) -> dict[str, str]:
    """Return the security headers of a response to `path` (a path listed in `exceptions` gets its own policy)."""
    policy = (exceptions or {}).get(path)
    return {**HEADERS, "Content-Security-Policy": policy} if policy else dict(HEADERS)


class SecurityHeaders:
    """ASGI middleware: add the security headers to every HTTP response that does not set its own.

    A route that sets its own Content-Security-Policy (the brief's HTML) keeps it; `exceptions` maps exact paths to
    a policy of their own.
    """

    def __init__(self, app: ASGIApp, exceptions: Mapping[str, str] | None = None) -> None:
        self.app, self.exceptions = app, dict(exceptions or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wanted = headers_for(scope["path"], self.exceptions)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                add(MutableHeaders(scope=message), wanted)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def add(headers: MutableHeaders, wanted: Mapping[str, str]) -> None:
    """Set each wanted header the response does not already carry."""
    for name, value in wanted.items():
        if name not in headers:
            headers[name] = value
