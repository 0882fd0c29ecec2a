"""The X-Reassure-Preview header: every answer to an admin's preview (X-View-As) says so, errors included."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reassure.api.deps import PREVIEW

HEADER = b"x-reassure-preview"


class PreviewHeader:
    """Add X-Reassure-Preview to the answer of a request the caller dependency resolved as a preview."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_marked(message: Message) -> None:
            line = scope.get(PREVIEW)
            if message["type"] == "http.response.start" and isinstance(line, str):
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != HEADER]
                message = {**message, "headers": [*headers, (HEADER, line.encode("ascii", "replace"))]}
            await send(message)

        await self.app(scope, receive, send_marked)
