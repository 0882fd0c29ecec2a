"""Every value a database cannot take, or a computation cannot handle, is refused at the edge with 422 naming the field,
the same on SQLite and PostgreSQL (issue 21, item 8): a NUL or a lone surrogate in any text, a control character in
any path or query value, a day outside 1900-01-01 … 2199-12-31, a number outside the supported range.

The cases are generated from the OpenAPI spec (every operation's path and query parameters and every field of every
request body) and from the route table of the pages, so a new route is covered when it is added.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from reassure.api.app import create_app
from reassure.settings import Settings
from reassure.web.app import create_server
from tests.api.conftest import Api

SPEC = create_app(Settings(database_url="sqlite:///:memory:")).openapi()
TEXTS = ["a\x00b", "\x00", "\ud800x"]  # a NUL (PostgreSQL refuses it), a lone surrogate (not UTF-8)
IDENTIFIER_TEXTS = [*TEXTS[:2], "a\x01b", "a\x7fb", "a\x9bb"]  # in a URL: no control character either
DAYS = ["9999-12-31", "0001-01-01", "1899-12-31", "2200-01-01"]
INTEGERS = [10**20, -(10**20), 2**31, 2**63]
NUMBERS = [math.nan, math.inf, 1e308]


@dataclass(frozen=True)
class Case:
    """One request with one hostile value, and the field the refusal must name."""

    method: str
    path: str
    field: str
    value: Any
    where: str  # path, query or body

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.where}:{self.field}={self.value!r}"


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = SPEC["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _options(schema: dict[str, Any]) -> list[dict[str, Any]]:
    schema = _resolve(schema)
    choices = schema.get("oneOf") or schema.get("anyOf")
    if choices:
        return [o for c in choices for o in _options(c) if o.get("type") != "null"]
    return [schema]


def _kind(schema: dict[str, Any]) -> str:
    first = _options(schema)[0]
    if first.get("type") == "string" and first.get("format") in ("date", "date-time"):
        return "day"
    return {"string": "text"}.get(str(first.get("type")), str(first.get("type", "object")))


def _sample(schema: dict[str, Any]) -> Any:
    """A structurally valid value of a schema (every property filled, the first choice of a union)."""
    s = _options(schema)[0]
    if "const" in s:
        return s["const"]
    if "enum" in s:
        return s["enum"][0]
    kind = s.get("type")
    if kind == "object":
        return {name: _sample(sub) for name, sub in s.get("properties", {}).items()}
    if kind == "array":
        return [_sample(s["items"])] * max(1, s.get("minItems", 1))
    if kind == "string":
        return "2027-06-01" if s.get("format") == "date" else "x"
    if kind == "integer":
        return int(s.get("minimum", 1))
    if kind == "number":
        return s.get("minimum", 1)
    return False


def _bodies(schema: dict[str, Any]) -> Iterator[Any]:
    """Sample bodies covering every variant of every union (each job kind, each kind of what-if change)."""
    for option in _options(schema):
        base = _sample(option)
        yield base
        if option.get("type") == "object":
            for name, sub in option.get("properties", {}).items():
                for variant in list(_bodies(sub))[1:]:
                    yield {**base, name: variant}
        elif option.get("type") == "array":
            for variant in list(_bodies(option["items"]))[1:]:
                yield [variant]


def _leaves(body: Any, schema: dict[str, Any], prefix: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple, str]]:
    """Every leaf field of a sample body with its kind (text, day, integer, number)."""
    s = _options(schema)[0] if not isinstance(body, dict) else next(
        (o for o in _options(schema) if set(body) <= set(o.get("properties", {}))), _options(schema)[0])
    if isinstance(body, dict):
        for name, value in body.items():
            yield from _leaves(value, s["properties"][name], (*prefix, name))
    elif isinstance(body, list):
        yield from _leaves(body[0], s["items"], (*prefix, 0))
    elif "const" not in s and "enum" not in s:
        yield prefix, _kind(s)


def _put(body: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    copy = list(body) if isinstance(body, list) else dict(body)
    copy[path[0]] = _put(body[path[0]], path[1:], value)
    return copy


def _hostile(kind: str, *, identifier: bool) -> list[Any]:
    return {"text": IDENTIFIER_TEXTS if identifier else TEXTS, "day": DAYS, "integer": INTEGERS,
            "number": NUMBERS}.get(kind, [])


def api_cases() -> Iterator[Case]:
    """Hostile path, query and body values for every operation of the spec."""
    for template, operations in SPEC["paths"].items():
        for method, op in operations.items():
            params = [p for p in op.get("parameters", []) if p["in"] in ("path", "query")]
            base = {p["name"]: str(_sample(p["schema"])) for p in params if p["in"] == "path"}
            for p in params:
                for value in _hostile(_kind(p["schema"]), identifier=True):
                    if p["in"] == "path" and isinstance(value, str) and value.startswith("\x00"):
                        value = "a" + value  # an empty-looking path part is a different route
                    path, query = _url(template, {**base, **({p["name"]: value} if p["in"] == "path" else {})})
                    if p["in"] == "query":
                        query = f"?{p['name']}={quote(str(value), safe='')}"
                    yield Case(method.upper(), path + query, p["name"], value, p["in"])
            content = op.get("requestBody", {}).get("content", {}).get("application/json")
            if content is None:
                continue
            path, _ = _url(template, base)
            for body in _bodies(content["schema"]):
                for leaf, kind in _leaves(body, content["schema"]):
                    for value in _hostile(kind, identifier=False):
                        yield Case(method.upper(), path, ".".join(map(str, leaf)), _put(body, leaf, value), "body")


def _url(template: str, values: dict[str, Any]) -> tuple[str, str]:
    import re

    path = template
    for name, value in values.items():
        path = re.sub(r"\{" + name + r"(:[a-z]+)?\}", quote(str(value), safe="").replace("\\", "\\\\"), path)
    return path, ""


CASES = list(api_cases())


def test_the_generated_cases_cover_every_operation_with_input() -> None:
    with_input = {(m.upper(), t) for t, ops in SPEC["paths"].items() for m, op in ops.items()
                  if any(p["in"] in ("path", "query") for p in op.get("parameters", [])) or "requestBody" in op}
    covered = {(c.method, t) for c in CASES for t in SPEC["paths"] if _matches(t, c.path.split("?")[0])}
    assert with_input <= covered
    assert any(c.where == "body" and c.field == "label" for c in CASES)  # a job's text field
    assert len(CASES) > 300


def _matches(template: str, path: str) -> bool:
    import re

    pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
    return re.fullmatch(pattern, path) is not None


def _refused(answer: Any, case: Case) -> None:
    assert answer.status_code == 422, f"{case}: {answer.status_code} {answer.text[:300]}"
    problems = answer.json()["error"]["problems"]
    last = case.field.split(".")[-1]
    assert any(last in p["field"].split(".") or p["field"] == case.field for p in problems), f"{case}: {problems}"


def test_every_hostile_value_is_refused_naming_its_field(api: Api, tmp_path: Path) -> None:
    api.load_sample(tmp_path)
    headers = api.headers("GBR")
    failures = []
    for case in CASES:
        if case.where == "body":
            body = json.dumps(case.value).encode()  # ASCII escapes: a lone surrogate travels as \\ud800, NaN as NaN
            answer = api.client.request(case.method, case.path, content=body,
                                        headers={**headers, "Content-Type": "application/json"})
        else:
            answer = api.client.request(case.method, case.path, headers=headers)
        try:
            _refused(answer, case)
        except AssertionError as error:
            failures.append(str(error))
    assert failures == [], f"{len(failures)} of {len(CASES)} cases:\n" + "\n".join(failures[:40])


def page_cases() -> Iterator[Case]:
    """Hostile path, query and form values for every page of the dashboard (routes outside the spec)."""
    app = create_server(Settings(database_url="sqlite:///:memory:"))
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute) or str(context.path).startswith("/api/"):
            continue
        method = sorted(route.methods)[0]
        dependant = route.dependant
        base = {p.name: "1" for p in dependant.path_params}
        for p in dependant.path_params:
            path, _ = _url(str(context.path), {**base, p.name: "a\x00b"})
            yield Case(method, path, p.name, "a\x00b", "path")
        path, _ = _url(str(context.path), base)
        for p in dependant.query_params:
            yield Case(method, f"{path}?{p.alias}=a%00b", p.alias, "a\x00b", "query")
        for p in dependant.body_params:
            yield Case(method, path, p.alias, {p.alias: "a\x00b"}, "form")


PAGE_CASES = list(page_cases())


def test_every_hostile_page_value_is_refused(api: Api) -> None:
    client = TestClient(create_server(api.settings), raise_server_exceptions=False)
    assert len(PAGE_CASES) > 15
    failures = []
    for case in PAGE_CASES:
        if case.where == "form":
            answer = client.request(case.method, case.path, data=case.value)
        else:
            answer = client.request(case.method, case.path)
        if answer.status_code != 422 or case.field not in answer.text:
            failures.append(f"{case}: {answer.status_code} {answer.text[:200]!r}")
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize("path", ["/incidents", "/indicators", "/incidents.csv"])
def test_a_day_past_the_supported_range_is_422_not_500(api: Api, path: str) -> None:
    answer = api.get(path, "GBR", until="9999-12-31")
    assert answer.status_code == 422, answer.text
    assert "until" in answer.text and "2199-12-31" in answer.text
