"""The data layer's backstop (issue 21, item 8): a text no database stores (a NUL, a lone surrogate) never reaches
one, whichever path forgot to check it, in a column or inside a JSON value, and SQLite and PostgreSQL answer alike:
an InputError, nothing written (PostgreSQL answered psycopg.DataError, a 500, where SQLite stored the NUL)."""

from __future__ import annotations

import pytest

from reassure.core.errors import InputError
from reassure.core.markings import PUBLIC
from reassure.db.uow import lookup_session, unit_of_work
from reassure.domains.audit.actions import record
from reassure.domains.audit.models import AuditEntry
from reassure.domains.pledges.service import list_pledges
from reassure.domains.users.service import find_user
from reassure.settings import Settings
from tests.conftest import raw_counts, who

BAD = ["a\x00b", "\x00", "a\ud800b", "\udcff"]


@pytest.mark.parametrize("text", BAD)
def test_a_read_with_an_unstorable_text_is_an_input_error(settings: Settings, text: str) -> None:
    with pytest.raises(InputError, match="cannot store"), unit_of_work(settings, identity=who("GBR")) as db:
        list_pledges(db=db, scenario=text)
    with pytest.raises(InputError, match="cannot store"), lookup_session(settings) as db:
        find_user(db, text)


@pytest.mark.parametrize("text", BAD)
def test_a_write_with_an_unstorable_text_writes_nothing(settings: Settings, text: str) -> None:
    before = raw_counts(settings.database_url, AuditEntry)
    with pytest.raises(InputError, match="cannot store"), unit_of_work(settings, identity=who("GBR")) as db:
        record(db, action="test.column", entity="Test", key=text, rel_to=PUBLIC)
        db.flush()
    with pytest.raises(InputError, match="cannot store"), unit_of_work(settings, identity=who("GBR")) as db:
        record(db, action="test.json", entity="Test", key="k", rel_to=PUBLIC, details={"note": [text]})
        db.flush()
    assert raw_counts(settings.database_url, AuditEntry) == before
