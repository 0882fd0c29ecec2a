"""Refuse, before any route runs, a value no database can store or no computation can take (ADR 0015).

One dependency of the whole app (API and pages), so a new route cannot forget it. It answers 422 naming the field:

- a path or query value (a name, a key, a filter: an identifier) that holds a NUL, a lone surrogate or any control
  character;
- a JSON body string (or key) that holds a NUL or a lone surrogate, a JSON number outside the supported range
  (core/bounds.py), and NaN or Infinity;
- a form field that holds a NUL or a lone surrogate.

PostgreSQL refuses a NUL in text where SQLite stores it, and both refuse text that is not UTF-8: checked here, the
two answer alike. Dates are checked by their types (core/days.py); the data layer keeps a backstop (db/engine.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from fastapi import Request

from reassure.core.bounds import number_problem, text_problem
from reassure.core.errors import InputError, Problem

MAX_PROBLEMS = 20


async def refuse_unstorable(request: Request) -> None:
    """Raise InputError (422) naming every path, query, body or form field that holds an unstorable value."""
    problems = [Problem("", "path", name, why) for name, value in request.path_params.items()
                if isinstance(value, str) and (why := text_problem(value, identifier=True))]
    known = _query_names(request)
    for name, value in request.query_params.multi_items():
        if not name.strip():  # "?=0" names no parameter: refused rather than ignored
            problems.append(Problem("", "query", "(blank)", "a query parameter needs a name"))
        elif known is not None and name not in known and not text_problem(name, identifier=True):
            # A misspelt filter ("?regoin=") silently ignored would answer a question nobody asked.
            problems.append(Problem("", "query", _label(name), "this operation takes no such query parameter"))
        for text in (name, value):
            if why := text_problem(text, identifier=True):
                problems.append(Problem("", "query", _label(name), why))
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json" or kind.endswith("+json"):
        problems += _json_problems(await request.body())
    elif kind in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.form()
        problems += [Problem("", "form", _label(name), why) for name, value in form.multi_items()
                     for text in (name, value) if isinstance(text, str) and (why := text_problem(text))]
    if problems:
        raise InputError(problems[:MAX_PROBLEMS])


def _query_names(request: Request) -> set[str] | None:
    """Return the query parameters an API operation declares (its dependencies' too), or None off the API."""
    route = request.scope.get("route")
    if not request.url.path.startswith("/api/") or route is None or not hasattr(route, "dependant"):
        return None
    names: set[str] = set()
    stack = [route.dependant]
    while stack:  # the operation's own parameters and every dependency's
        dependant = stack.pop()
        names.update(field.alias for field in dependant.query_params)
        stack.extend(dependant.dependencies)
    return names


def _json_problems(raw: bytes) -> list[Problem]:
    if not raw:
        return []
    try:
        document = json.loads(raw)
    except (ValueError, RecursionError):
        return []  # not JSON: the route answers that itself
    return [Problem("", "body", ".".join(map(str, path)) or "(body)", why) for path, why in _walk(document, ())]


def _walk(value: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, str):
        if why := text_problem(value):
            yield path, why
    elif isinstance(value, int | float):
        if why := number_problem(value):
            yield path, why
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk(item, (*path, i))
    elif isinstance(value, dict):
        for key, item in value.items():
            if why := text_problem(key):
                yield (*path, _label(key)), f"a field name {why}"
            yield from _walk(item, (*path, key))


def _label(name: str) -> str:
    """Return a field's name as shown in an error: as sent when it is printable, else escaped."""
    return name if text_problem(name, identifier=True) is None else repr(name)[1:-1]
