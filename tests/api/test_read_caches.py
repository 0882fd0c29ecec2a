"""The API's read caches (docs/adr/0052) attacked: a cached answer never crosses nations, never outlives a committed
write, and a revoked token or a user moved to another nation is judged afresh on the very next request, in two app
instances on one database (two server processes' caches: each instance keeps its own answers)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from reassure.api.app import create_app
from reassure.api.cache import ResponseCache
from reassure.core.identity import Role
from reassure.db.uow import engine_for, lookup_session, unit_of_work
from reassure.db.versions import current_version
from reassure.domains.pledges.actions import change_status
from reassure.domains.users.actions import revoke_token
from reassure.domains.users.models import ApiToken, User
from reassure.domains.users.service import find_user, identity_for
from reassure.services.caller import forget_tokens
from tests.api.conftest import Api
from tests.conftest import who


@pytest.fixture
def two(api: Api, tmp_path: Path) -> tuple[Api, TestClient]:
    """The sample scenario (pledge GBR-FS released to GBR and FRA only), and a second app on the same database."""
    forget_tokens()
    api.load_sample(tmp_path)
    return api, TestClient(create_app(api.settings), raise_server_exceptions=False)


def cache_of(client: TestClient) -> ResponseCache:
    """Return the response cache inside an app's middleware stack (built by its first request)."""
    layer: Any = client.app.middleware_stack  # type: ignore[attr-defined]
    while layer is not None and not isinstance(layer, ResponseCache):
        layer = getattr(layer, "app", None)
    assert isinstance(layer, ResponseCache)
    return layer


def keys(response: Any) -> set[str]:
    assert response.status_code == 200, response.text
    return {p["key"] for p in response.json()["items"]}


def get(client: TestClient, api: Api, nation: str, path: str = "/api/v1/pledges", name: str | None = None) -> Any:
    return client.get(path, headers=api.headers(nation, name=name))


def test_a_write_bumps_the_data_version_once_reads_and_rollbacks_do_not(settings: Any) -> None:
    engine = engine_for(settings)
    start = current_version(engine)
    assert start is not None
    with unit_of_work(settings, identity=who("FRA")) as db:
        db.execute(select(ApiToken.id).limit(1))  # a read
    assert current_version(engine) == start
    with pytest.raises(RuntimeError), lookup_session(settings) as db:
        db.add(User(name="rolled-back", nation="FRA", roles=["viewer"], active=True))
        db.flush()
        raise RuntimeError("rolled back")
    assert current_version(engine) == start
    with lookup_session(settings) as db:
        db.add(User(name="kept", nation="FRA", roles=["viewer"], active=True))
        db.flush()
        db.add(User(name="kept-too", nation="FRA", roles=["viewer"], active=True))
    assert current_version(engine) == start + 1  # one transaction, two flushes: one bump, with the commit


def test_a_tokens_last_use_leaves_the_data_version_its_revocation_moves_it(api: Api) -> None:
    """A token's use is written at most once a minute (when and from where): no kept answer reads it, and moving the
    version for it emptied every server's caches once a minute for each token in use. Its revocation must move it."""
    engine = engine_for(api.settings)
    api.token("FRA")
    start = current_version(engine)
    assert api.get("/pledges", "FRA").status_code == 200  # the token's first use: its last use is written
    with engine.connect() as connection:
        seen = connection.execute(select(ApiToken.last_seen_at, ApiToken.public_id)).all()
    assert seen and all(at is not None for at, _ in seen)
    assert current_version(engine) == start
    with lookup_session(api.settings) as db:
        owner = identity_for(db, "fra-analyst-planner")
    with unit_of_work(api.settings, identity=owner) as db:
        revoke_token(owner, seen[0][1], db=db)
    assert current_version(engine) == start + 1
    assert api.get("/pledges", "FRA").status_code == 401  # refused at once, the kept identity notwithstanding


def test_a_running_jobs_progress_beats_leave_the_data_version_its_other_writes_move_it(settings: Any) -> None:
    """No kept answer reads jobs: the beats a running job writes twice a second must not empty every cache."""
    from reassure.domains.jobs.actions import create_job, job_progress

    engine = engine_for(settings)
    with unit_of_work(settings, identity=who("FRA")) as db:
        job = create_job("rules", {}, role=Role.ANALYST, marking=lambda _db: "PUBLIC", db=db)  # and its audit row
    start = current_version(engine)
    assert start is not None
    for beat in (0.2, 0.4, 0.6):
        with unit_of_work(settings, identity=who("FRA")) as db:  # as the worker writes them: as the job's owner
            job_progress(job.id, db=db, progress=beat, message="evaluating")
    assert current_version(engine) == start
    with unit_of_work(settings, identity=who("FRA")) as db:  # a beat beside another table's write still moves it
        job_progress(job.id, db=db, progress=0.8)
        db.add(User(name="beside-a-beat", nation="FRA", roles=["viewer"], active=True))
    assert current_version(engine) == start + 1


@pytest.mark.slow
def test_another_nation_never_gets_a_cached_answer_roles_count_and_a_preview_is_never_kept(
        two: tuple[Api, TestClient]) -> None:
    api, _other = two
    client = api.client
    api.token("DEU"), api.token("FRA")  # both users and tokens stored first: the reads below share a data version
    assert keys(get(client, api, "FRA")) == {"FRA-FS", "GBR-FS"}
    assert keys(get(client, api, "FRA")) == {"FRA-FS", "GBR-FS"}  # kept: same nation, roles, path, version
    assert keys(get(client, api, "DEU")) == {"FRA-FS"}  # same roles, same path, same version: not FRA's answer
    assert keys(get(client, api, "DEU")) == {"FRA-FS"}
    assert {key[2] for key in cache_of(client).entries if key[-2] == "/api/v1/pledges"} == {"FRA", "DEU"}  # kept
    # roles are in the key: an admin of the same nation is answered apart
    admin = api.headers("FRA", Role.ADMIN)
    assert client.get("/api/v1/me", headers=admin).json()["roles"] == ["admin"]
    assert get(client, api, "FRA", "/api/v1/me").json()["roles"] == ["analyst", "planner"]
    # an admin's preview (X-View-As) reads what both nations share and is never kept
    preview = client.get("/api/v1/pledges", headers={**admin, "X-View-As": "DEU"})
    assert keys(preview) == {"FRA-FS"} and preview.headers.get("x-reassure-preview")
    assert not any(key[3] == ("FRA", "DEU") for key in cache_of(client).entries)


@pytest.mark.slow
def test_a_write_a_nation_change_and_a_revocation_each_take_effect_on_the_next_request_in_every_app(
        two: tuple[Api, TestClient]) -> None:
    api, other = two
    # (b) a write by anyone (another nation's planner) makes the next read fresh
    for client in (api.client, other):
        assert get(client, api, "FRA").json()["items"][0]["status"] == "confirmed"
        assert get(client, api, "FRA").json()["items"][0]["status"] == "confirmed"  # now kept in both
    with unit_of_work(api.settings, identity=who("GBR")) as db:
        change_status("small", "FRA-FS", "deployed", date(2027, 1, 5), db=db)
    for client in (api.client, other):
        assert get(client, api, "FRA").json()["items"][0]["status"] == "deployed"
    # (d) a user moved to another nation reads as it at once
    for client in (api.client, other):
        assert keys(get(client, api, "GBR", name="mover")) == {"FRA-FS", "GBR-FS"}
        assert get(client, api, "GBR", "/api/v1/me", name="mover").json()["nation"] == "GBR"
    with lookup_session(api.settings) as db:
        user = find_user(db, "mover")
        assert user is not None
        user.nation = "DEU"
    for client in (api.client, other):
        assert get(client, api, "GBR", "/api/v1/me", name="mover").json()["nation"] == "DEU"
        assert keys(get(client, api, "GBR", name="mover")) == {"FRA-FS"}
    # (c) a revoked token is refused on the next request
    for client in (api.client, other):
        assert get(client, api, "FRA", "/api/v1/me").status_code == 200
        assert get(client, api, "FRA").status_code == 200
    sessions = get(api.client, api, "FRA", "/api/v1/me/sessions").json()
    public_id = next(s["id"] for s in sessions if s["current"])
    with lookup_session(api.settings) as db:
        owner = identity_for(db, "fra-analyst-planner")
    with unit_of_work(api.settings, identity=owner) as db:
        revoke_token(owner, public_id, db=db)
    for client in (api.client, other):
        assert get(client, api, "FRA").status_code == 401
        assert get(client, api, "FRA", "/api/v1/me").status_code == 401


def test_no_spelling_of_a_kept_read_reaches_another_nation(two: tuple[Api, TestClient]) -> None:
    # FRA's answers are kept first under every spelling an attacker might try (query order and empty query, trailing
    # slash, percent-encoding, HEAD, Accept, gzip); DEU then asks with the same spelling and never reads GBR-FS.
    api, _other = two
    client = api.client
    api.token("DEU"), api.token("FRA")
    spellings = ["/api/v1/pledges", "/api/v1/pledges?", "/api/v1/pledges?limit=50&offset=0",
                 "/api/v1/pledges?offset=0&limit=50", "/api/v1/pledges/", "/api/v1/%70ledges",
                 "/api/v1/pledges?scenario=small", "/api/v1/pledges?scenario=%73mall"]
    for path in spellings:
        for extra in ({}, {"Accept": "text/html"}, {"Accept-Encoding": "gzip"}):
            for method in ("GET", "GET", "HEAD"):
                fra = client.request(method, path, headers={**api.headers("FRA"), **extra})
                deu = client.request(method, path, headers={**api.headers("DEU"), **extra})
                assert fra.status_code == deu.status_code == 200, (path, extra, method)
                if method == "GET":
                    assert "GBR-FS" in fra.text and "GBR-FS" not in deu.text, (path, extra)
    assert {key[2] for key in cache_of(client).entries} == {"FRA", "DEU"}


def test_answers_of_an_older_data_version_are_dropped_and_the_bytes_kept_are_bounded(
        two: tuple[Api, TestClient], monkeypatch: pytest.MonkeyPatch) -> None:
    """A 5-minute load run grew each server process by 170 MB of answers kept for data versions a write had replaced
    (they can never be served again): they are dropped when a newer version is seen, and all answers kept stay under
    TOTAL_BYTES."""
    from reassure.api import cache

    api, _other = two
    client = api.client
    for path in ("/api/v1/pledges", "/api/v1/incidents", "/api/v1/claims", "/api/v1/sources"):
        assert get(client, api, "FRA", path).status_code == 200
    kept = cache_of(client)
    before = current_version(engine_for(api.settings))
    assert len(kept.entries) == 4 and {key[0] for key in kept.entries} == {before}
    assert kept.size == sum(len(answer[2]) for answer in kept.entries.values()) > 0
    with unit_of_work(api.settings, identity=who("FRA")) as db:  # a write: a newer data version
        change_status("small", "FRA-FS", "deployed", date(2026, 3, 1), db=db)
    assert get(client, api, "DEU").status_code == 200
    after = current_version(engine_for(api.settings))
    assert after > before and {key[0] for key in kept.entries} == {after} and len(kept.entries) == 1
    # The bytes bound: the least recently used answers go first.
    for path in ("/api/v1/incidents", "/api/v1/claims", "/api/v1/sources"):
        assert get(client, api, "FRA", path).status_code == 200
    sizes = [len(answer[2]) for answer in kept.entries.values()]  # oldest first
    monkeypatch.setattr(cache, "TOTAL_BYTES", sum(sizes[-2:]) + len(get(client, api, "DEU", "/api/v1/nations").content))
    assert get(client, api, "FRA", "/api/v1/nations").status_code == 200  # one more answer: past the bound
    assert kept.size <= cache.TOTAL_BYTES and len(kept.entries) < len(sizes) + 2
    assert kept.size == sum(len(answer[2]) for answer in kept.entries.values())
    paths = [key[-2] for key in kept.entries]
    assert paths[-1] == "/api/v1/nations" and "/api/v1/pledges" not in paths  # the oldest (DEU's pledges) went first
