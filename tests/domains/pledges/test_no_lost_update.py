"""No lost update on a pledge (issue 27, item 4; docs/adr/0051). Two writers read one pledge, then both save an edit
made from what they read: exactly one wins, the other is refused with a Conflict naming the pledge and who changed
it, and nothing is lost (the winner's change is stored, the loser knows theirs was not). Each writer is a thread with
its own unit of work, as each API request is; both read before either writes (a barrier), so without the version
check both would be accepted and the first change silently overwritten.

Also: every write bumps the version (status steps, imports), and the API, the CLI and the web form carry it."""

from __future__ import annotations

import re
import threading
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from reassure import migrations as migrate
from reassure.core.errors import Conflict
from reassure.core.identity import Role
from reassure.db.uow import engine_for, lookup_session, unit_of_work
from reassure.domains.pledges.actions import change_status, edit_pledge
from reassure.domains.pledges.models import Pledge
from reassure.domains.pledges.schemas import PledgeEdit
from reassure.domains.pledges.service import get_pledge
from reassure.domains.scenarios.importing import import_document
from reassure.domains.users.actions import hash_password
from reassure.domains.users.models import User
from reassure.scenario_io.load import load_document
from reassure.settings import Settings
from reassure.web.app import create_server
from tests.api.conftest import Api
from tests.conftest import Cli, who
from tests.scenario_io.samples import VALID, write


def _load(settings: Settings, tmp_path: Path, text: str = VALID) -> None:
    with unit_of_work(settings, identity=who("FRA")) as db:
        import_document(load_document(write(tmp_path, text)), db=db, origin="tests")


def _stored(settings: Settings) -> tuple[int, str]:
    table = Pledge.__table__
    with engine_for(settings).connect() as connection:
        version, notes = connection.execute(select(table.c.version, table.c.notes)
                                            .where(table.c.key == "FRA-FS")).one()
    return int(version), str(notes)


def test_two_concurrent_edits_one_wins_the_other_is_told(settings: Settings, tmp_path: Path) -> None:
    _load(settings, tmp_path)
    start_version = _stored(settings)[0]
    read_both = threading.Barrier(2)
    won: list[str] = []
    refused: list[BaseException] = []

    def writer(name: str) -> None:
        me = who("FRA", user=name)
        with unit_of_work(settings, identity=me) as db:
            seen = get_pledge("small", "FRA-FS", db=db).version
        read_both.wait()  # both have read the same version before either saves
        try:
            with unit_of_work(settings, identity=me) as db:
                edit_pledge("small", "FRA-FS", PledgeEdit(notes=f"set by {name}"), expected_version=seen, db=db)
            won.append(name)
        except BaseException as error:
            refused.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in ("fra-alice", "fra-bob")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(won) == 1 and len(refused) == 1, (won, refused)
    error = refused[0]
    assert isinstance(error, Conflict), repr(error)
    assert "'FRA-FS' (France, " in error.message and "scenario 'small'" in error.message
    assert "changed by someone else since you read it" in error.message and "nothing was written" in error.message
    assert f"last changed by {won[0]}" in error.message and "who edited it (notes)" in error.message  # from the log
    version, notes = _stored(settings)
    assert (version, notes) == (start_version + 1, f"set by {won[0]}")  # the winner's change, not lost


def test_every_write_bumps_the_version(settings: Settings, tmp_path: Path) -> None:
    _load(settings, tmp_path)
    first = _stored(settings)[0]
    assert first == 1
    with unit_of_work(settings, identity=who("FRA")) as db:
        change_status("small", "FRA-FS", "deployed", date(2026, 3, 1), db=db)
    assert _stored(settings)[0] == 2  # a status step is a write of the pledge
    with unit_of_work(settings, identity=who("FRA")) as db:
        try:
            change_status("small", "FRA-FS", "deployed", date(2026, 4, 1), db=db, expected_version=1)
            raise AssertionError("a stale status change was accepted")
        except Conflict as error:
            assert "version 1, it is now version 2" in error.message
    _load(settings, tmp_path, VALID.replace("probability: 0.9", "probability: 0.7"))
    assert _stored(settings)[0] == 3  # so is an import that changes it (its history back to the file's, too)
    _load(settings, tmp_path, VALID.replace("probability: 0.9", "probability: 0.7"))
    assert _stored(settings)[0] == 3  # an import that changes nothing writes nothing


def test_the_conflict_names_the_last_writer_of_this_scenario_s_pledge_not_another_s_of_the_same_key(
        settings: Settings, tmp_path: Path) -> None:
    _load(settings, tmp_path)
    with unit_of_work(settings, identity=who("FRA", user="fra-alice")) as db:
        seen = get_pledge("small", "FRA-FS", db=db).version
        edit_pledge("small", "FRA-FS", PledgeEdit(notes="alice's"), expected_version=seen, db=db)
    # Then another scenario with a pledge of the same key is imported and changed by someone else.
    other = VALID.replace("name: small", "name: other")
    with unit_of_work(settings, identity=who("FRA", user="fra-carol")) as db:
        import_document(load_document(write(tmp_path, other)), db=db, origin="tests")
    with unit_of_work(settings, identity=who("FRA", user="fra-carol")) as db:
        import_document(load_document(write(tmp_path, other.replace("probability: 0.9", "probability: 0.6"))),
                        db=db, origin="tests")
    with unit_of_work(settings, identity=who("FRA", user="fra-bob")) as db, pytest.raises(Conflict) as refused:
        edit_pledge("small", "FRA-FS", PledgeEdit(notes="bob's"), expected_version=seen, db=db)
    assert "last changed by fra-alice" in refused.value.message and "fra-carol" not in refused.value.message
    with unit_of_work(settings, identity=who("FRA", user="fra-bob")) as db:
        stale = get_pledge("other", "FRA-FS", db=db).version - 1
        with pytest.raises(Conflict) as refused:
            edit_pledge("other", "FRA-FS", PledgeEdit(notes="bob's"), expected_version=stale, db=db)
    assert "last changed by fra-carol" in refused.value.message and "who imported a change (probability)" in \
        refused.value.message


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A migrated SQLite database: the adapters below are the same on either database (the rule is the action's,
    tested on both above)."""
    url = f"sqlite:///{tmp_path / 'adapters.sqlite'}"
    migrate.upgrade(engine_for(Settings(database_url=url)))
    return url


@pytest.mark.slow
def test_the_api_cli_and_web_form_carry_the_version(sqlite_url: str, tmp_path: Path) -> None:
    api = Api(sqlite_url)
    api.load_sample(tmp_path)
    path = "/api/v1/scenarios/small/pledges/FRA-FS"
    read = api.client.get(path, headers=api.headers("FRA"))
    assert read.status_code == 200 and read.json()["version"] == 1
    etag = read.headers["ETag"]
    assert etag.startswith('W/"v1-')
    bare = api.client.patch(path, json={"notes": "no version"}, headers=api.headers("FRA"))
    assert bare.status_code == 422 and "send the version you read" in bare.text
    first = api.client.patch(path, json={"notes": "first", "version": 1}, headers=api.headers("FRA"))
    assert first.status_code == 200 and first.json()["version"] == 2 and first.json()["notes"] == "first"
    stale = api.client.patch(path, json={"probability": 0.5}, headers={**api.headers("FRA"), "If-Match": etag})
    assert stale.status_code == 409
    assert "'FRA-FS'" in stale.text and "changed by someone else since you read it" in stale.text
    fresh = api.client.patch(path, json={"probability": 0.5},
                             headers={**api.headers("FRA"), "If-Match": first.headers["ETag"]})
    assert fresh.status_code == 200 and fresh.json()["version"] == 3 and fresh.json()["notes"] == "first"

    cli = Cli(sqlite_url)  # the CLI: --version as read, a stale one exits 6 (conflict), none reads the current one
    code, out, _ = cli("pledge", "edit", "small", "FRA-FS", "--version", "3", "--notes", "cli", nation="FRA")
    assert code == 0 and "version 3 → 4" in out, out
    code, out, err = cli("pledge", "edit", "small", "FRA-FS", "--version", "3", "--probability", "0.4", nation="FRA")
    assert code == 6, (out, err)
    assert "changed by someone else since you read it" in out + err and "nothing was written" in out + err
    code, out, _ = cli("pledge", "edit", "small", "FRA-FS", "--probability", "0.4", nation="FRA")
    assert code == 0 and "version 4 → 5" in out, out

    settings = Settings(database_url=sqlite_url)  # the web form: a hidden version, the conflict shown on the page
    with lookup_session(settings) as db:
        db.add(User(name="fra-plans", nation="FRA", roles=["planner"], active=True,
                    password_hash=hash_password("correct horse battery staple")))
    client = TestClient(create_server(settings))
    token = re.search(r'name="form_token" value="([^"]+)"', client.get("/sign-in").text)
    assert token is not None
    client.post("/sign-in", data={"name": "fra-plans", "password": "correct horse battery staple", "next": "/",
                                  "form_token": token[1]})
    page = client.get("/pledges/small/FRA-FS").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    shown = re.search(r'id="edit-form".*?name="version" value="(\d+)"', page, re.S)
    assert csrf is not None and shown is not None and shown[1] == "5"
    with unit_of_work(settings, identity=who("FRA", Role.PLANNER, user="fra-bob")) as db:  # someone else saves first
        edit_pledge("small", "FRA-FS", PledgeEdit(notes="bob's"), expected_version=5, db=db)
    answer = client.post("/pledges/small/FRA-FS/edit", data={"csrf": csrf[1], "version": shown[1],
                                                            "probability": "0.5", "notes": "mine"},
                         follow_redirects=False)
    assert answer.status_code == 409
    assert "Nothing was written" in answer.text and "changed by someone else since you read it" in answer.text
    assert "fra-bob" in answer.text and 'name="version" value="6"' in answer.text  # the page now shows version 6
    assert _stored(settings) == (6, "bob's")
