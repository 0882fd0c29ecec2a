"""One JSON log line per request with the id echoed in X-Request-ID (issue 27, item 1): a real request through the
served app, as a token's user, writes a line naming the route's template (not the query), the status, the user and
nation, and no secret; a hostile X-Request-ID (line breaks, 10 kB) is replaced, never logged raw."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from reassure.http import request_log
from reassure.settings import Settings
from reassure.web.app import create_server
from tests.api.conftest import Api


@pytest.fixture
def lines() -> Iterator[io.StringIO]:
    out = io.StringIO()
    handler = request_log.configure("json", stream_handler=logging.StreamHandler(out))
    yield out
    logging.getLogger("reassure").removeHandler(handler)


def _records(out: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_a_request_writes_one_json_line_with_the_id_it_answers_with(db_url: str, lines: io.StringIO) -> None:
    url = db_url
    token = Api(url).token("FRA")
    client = TestClient(create_server(Settings(database_url=url)), raise_server_exceptions=False)
    answer = client.get("/api/v1/incidents", params={"q": "secret-search-text"},
                        headers={"Authorization": f"Bearer {token}", "X-Request-ID": "proxy-42.a:b"})
    assert answer.headers["x-request-id"] == "proxy-42.a:b"
    (line,) = [r for r in _records(lines) if r["logger"] == "reassure.request"]
    assert line["request_id"] == "proxy-42.a:b" and line["level"] == "info"
    assert line["method"] == "GET" and line["path"] == "/api/v1/incidents"
    assert line["status"] == answer.status_code == 200
    assert line["user"] and line["nation"] == "FRA" and isinstance(line["duration_ms"], float)
    assert token not in lines.getvalue() and "secret-search-text" not in lines.getvalue()
    again = client.get("/api/v1/incidents", params={"q": "secret-search-text"},  # a kept answer (api/cache.py)
                       headers={"Authorization": f"Bearer {token}"})
    assert again.status_code == 200
    kept = [r for r in _records(lines) if r["logger"] == "reassure.request"][-1]
    assert kept["nation"] == "FRA" and kept["user"] == line["user"] and kept["request_id"] != line["request_id"]

    fresh = client.get("/api/v1/scenarios/no-such-scenario", headers={"Authorization": f"Bearer {token}"})
    generated = fresh.headers["x-request-id"]
    assert len(generated) == 32 and fresh.status_code == 404
    last = _records(lines)[-1]
    assert last["request_id"] == generated and last["path"] == "/api/v1/scenarios/{name}" and last["status"] == 404

    hostile = "a" * 10_000
    answer = client.get("/healthz", headers={"X-Request-ID": hostile})
    assert answer.headers["x-request-id"] != hostile and len(answer.headers["x-request-id"]) == 32
    assert hostile not in lines.getvalue()
    assert _records(lines)[-1]["request_id"] == answer.headers["x-request-id"]


def test_a_request_id_with_line_breaks_or_odd_characters_is_replaced() -> None:
    for hostile in (b"abc\r\n{\"level\": \"error\"}", b"a\nb", b"", b"x" * 129, b"with space", b"-leading"):
        assert request_log.request_id_from([(b"x-request-id", hostile)]) != hostile.decode("latin-1")
    assert request_log.request_id_from([(b"X-Request-ID", b"ok-1.2:3")]) == "ok-1.2:3"
