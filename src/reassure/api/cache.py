"""Answers of API reads kept per reader and data version (docs/adr/0052).

A GET of one of the listed reads, with a bearer token and nothing else that changes who reads (no session cookie, no
X-View-As preview), is answered from this process's cache when the same answer was computed for the same key:

    (data version, database, reader's nation and the nations it reads for, PUBLIC-only or not, roles, user for the
     reads that name the user, UTC day, path, query string)

The cache sits above the data layer: it only stores the bytes the route returned to that reader, after the access
filter (db/access.py) chose what that nation reads, and it is never consulted for a key with another nation. The
data version (db/versions.py) is read on every request and is bumped by every write in the same transaction, so an
answer is never served after a write commits, in any server process. The token's identity comes from the version-
checked token cache (services/caller.py): a revoked token, or a user whose roles or nation changed, is looked up again
on the next request. Only 200 answers are kept, up to ENTRIES answers of at most ENTRY_BYTES each and TOTAL_BYTES in
all per process; answers of an older data version, which no request can be answered from again (the version only
grows), are dropped as soon as a newer version is seen, so a process under writes holds the current version's answers
only (a 5-minute load run before this grew by 170 MB of stale answers).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from datetime import UTC, datetime
from threading import Lock
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reassure.api.deps import CALLER
from reassure.core.errors import ReassureError
from reassure.http.request_log import note_identity
from reassure.services.caller import Caller, data_version, kept_caller, token_caller
from reassure.settings import Settings

ENTRIES = 2048
ENTRY_BYTES = 2 * 1024 * 1024
TOTAL_BYTES = 64 * 1024 * 1024
# The reads kept: their answer depends only on the reader's nation and roles (and the data), never on the user
# or the clock (beyond the day, which is in the key), and they write nothing.
SHARED = re.compile(r"^/api/v1/(pledges|incidents|claims|sources|nations|plans|scenarios"
                    r"|scenarios/[^/]+|scenarios/[^/]+/summary)$")
PER_USER = re.compile(r"^/api/v1/me$")  # names the user: kept per user


class ResponseCache:
    """Answer listed API reads from a per-process cache keyed by reader and data version (see the module)."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app, self.settings = app, settings
        self.entries: OrderedDict[tuple[Any, ...], tuple[int, list[tuple[bytes, bytes]], bytes]] = OrderedDict()
        self.lock = Lock()
        self.newest = 0  # the newest data version seen: answers of older ones are never served again
        self.size = 0  # bytes of the kept answers' bodies

    def _see(self, version: int) -> bool:
        """Note a request's data version (with the lock held): drop every answer when it is newer than any seen;
        False when it is older (an answer computed at it is not worth keeping)."""
        if version > self.newest:
            self.entries.clear()
            self.newest, self.size = version, 0
        return version == self.newest

    def _keep(self, key: tuple[Any, ...], answer: tuple[int, list[tuple[bytes, bytes]], bytes]) -> None:
        """Keep an answer (with the lock held), then drop the least recently used past the bounds."""
        old = self.entries.pop(key, None)
        if old is not None:
            self.size -= len(old[2])
        self.entries[key] = answer
        self.size += len(answer[2])
        while self.entries and (len(self.entries) > ENTRIES or self.size > TOTAL_BYTES):
            _, dropped = self.entries.popitem(last=False)
            self.size -= len(dropped[2])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (scope["type"] != "http" or scope["method"] != "GET" or not (SHARED.match(path) or PER_USER.match(path))
                or scope.get("reassure.identity") is not None or scope.get("reassure.unavailable") is not None):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        bearer = headers.get("authorization", "")
        if not bearer.lower().startswith("bearer ") or "cookie" in headers or "x-view-as" in headers:
            await self.app(scope, receive, send)
            return
        # The version read (one row by its key) runs on the event loop: a hit then needs no thread at all.
        secret = bearer[7:].strip()
        version = data_version(self.settings)
        kept = kept_caller(self.settings, secret, version)
        found = ((version, kept) if version is not None and kept is not None
                 else await run_in_threadpool(self._resolve, secret, version, scope))
        if found is None:  # no version to key by, or the token is refused: the route answers (and says why)
            await self.app(scope, receive, send)
            return
        version, caller = found
        note_identity(caller.identity)  # who, in the request's log line, hit or not (http/request_log.py)
        key = self._key(version, caller, path, scope.get("query_string", b""))
        with self.lock:
            self._see(version)
            hit = self.entries.get(key)
            if hit is not None:
                self.entries.move_to_end(key)
        if hit is not None:
            status, kept_headers, body = hit
            await send({"type": "http.response.start", "status": status, "headers": kept_headers})
            await send({"type": "http.response.body", "body": body})
            return
        scope[CALLER] = caller
        await self._compute(key, scope, receive, send)

    def _resolve(self, secret: str, version: int | None, scope: Scope) -> tuple[int, Caller] | None:
        if version is None:
            return None
        client = scope.get("client")
        try:
            caller = token_caller(self.settings, secret, seen_from=client[0] if client else None, version=version)
        except ReassureError:  # refused or unavailable: the route resolves it again and answers the error
            return None
        return version, caller

    def _key(self, version: int, caller: Caller, path: str, query: bytes) -> tuple[Any, ...]:
        i = caller.identity
        user = i.user if PER_USER.match(path) else None
        day = datetime.now(UTC).date().isoformat()
        return (version, self.settings.database_url, i.nation, i.readers, i.public_only,
                tuple(sorted(r.value for r in i.roles)), user, day, path, query)

    async def _compute(self, key: tuple[Any, ...], scope: Scope, receive: Receive, send: Send) -> None:
        start: dict[str, Any] = {}
        chunks: list[bytes] = []
        size = 0
        keep = True

        async def capture(message: Message) -> None:
            nonlocal size, keep
            if message["type"] == "http.response.start":
                start.update(message)
                keep = message["status"] == 200
            elif message["type"] == "http.response.body" and keep:
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                keep = size <= ENTRY_BYTES
                if keep and not message.get("more_body", False):
                    with self.lock:
                        if self._see(key[0]):  # not an answer of a version a write has since replaced
                            self._keep(key, (start["status"], list(start.get("headers", [])), b"".join(chunks)))
            await send(message)

        await self.app(scope, receive, capture)
