"""The one caller wrapper (services/caller.py) every adapter reaches the database through: identity from the
database (never anonymous), reads and writes in units of work, an admin's preview audited before it reads."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from reassure.core.errors import IdentityError
from reassure.core.identity import Role
from reassure.domains.audit.models import AuditEntry
from reassure.domains.users.actions import create_token
from reassure.domains.users.service import list_users
from reassure.services.caller import Caller, settings_caller, token_caller, user_caller
from reassure.settings import Settings
from tests.conftest import stored_user


def test_no_user_and_unknown_users_are_refused(settings: Settings) -> None:
    with pytest.raises(IdentityError):
        settings_caller(settings)
    with pytest.raises(IdentityError):
        user_caller(settings, "nobody")
    with pytest.raises(IdentityError):
        token_caller(settings, "rsr_not-a-token")


def test_a_stored_user_reads_and_writes_as_themselves(settings: Settings) -> None:
    name = stored_user(settings.database_url, "FRA", Role.ADMIN)
    caller = settings_caller(settings.model_copy(update={"user": name}))
    assert (caller.identity.user, caller.identity.nation, caller.session_id) == (name, "FRA", None)
    made = caller.write(lambda db: create_token(caller.identity, "scripts", db=db))
    assert name in [u.name for u in caller.read(lambda db: list_users(caller.identity, db=db))]

    by_token = token_caller(settings, made.secret)
    assert (by_token.identity.user, by_token.session_id) == (name, made.token.id)
    assert settings_caller(settings.model_copy(update={"token": made.secret})).session_id == made.token.id


def test_a_failed_write_leaves_nothing(settings: Settings) -> None:
    name = stored_user(settings.database_url, "FRA", Role.ADMIN)
    caller = user_caller(settings, name)

    def write_then_fail(db: object) -> None:
        create_token(caller.identity, "half", db=db)  # type: ignore[arg-type]
        raise IdentityError("refused after the write")

    for retry in (True, False):
        with pytest.raises(IdentityError):
            caller.write(write_then_fail, retry=retry)
    with caller.session() as db:
        assert not [e for e in db.scalars(select(AuditEntry)) if e.action.startswith("token")]


def test_a_preview_is_audited_as_the_admin(settings: Settings) -> None:
    name = stored_user(settings.database_url, "DEU", Role.ADMIN)
    preview = user_caller(settings, name, view_as="FRA")
    assert preview.identity.preview is not None
    preview.record_preview("reassure plans")
    with Caller(preview.identity.acting(), settings).session() as db:
        rows = [(e.actor, e.details) for e in db.scalars(select(AuditEntry)) if e.action.startswith("preview")]
    assert len(rows) == 1 and rows[0][0] == name and "reassure plans" in str(rows[0][1])
