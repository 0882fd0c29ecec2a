"""The engine (src/reassure/db/engine.py): what a failing statement's error carries into the server's log."""

from __future__ import annotations

import io
import json
import logging
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from reassure.api.errors import unexpected
from reassure.db.uow import engine_for
from reassure.domains.pledges.models import Pledge
from reassure.http import request_log

MARKER = "REL-TO-GBR-ONLY-notes-search-text-7f3a"


def test_a_failing_statement_never_carries_its_parameters_into_the_log(settings: Any) -> None:
    # An unexpected database error is answered 500 and its traceback logged (api/errors.unexpected); the error's text
    # named the statement's parameters: a search's text (the request log never logs the query), a record's notes
    # released to one nation, a token's digest. The log line must carry none of them.
    engine = engine_for(settings)
    with pytest.raises(DBAPIError) as caught, engine.connect() as connection:
        connection.execute(select(Pledge.id).where(Pledge.notes == MARKER, text("no_such_column = 1")))
    assert MARKER not in str(caught.value)
    stream = io.StringIO()
    handler = request_log.configure("json", stream_handler=logging.StreamHandler(stream))
    try:
        unexpected(None, caught.value)  # type: ignore[arg-type]
    finally:
        logging.getLogger("reassure").removeHandler(handler)
    line = json.loads(stream.getvalue().splitlines()[0])
    assert "no_such_column" in line["error"] and MARKER not in stream.getvalue()
