"""An admin's preview of another nation (issue 21, item 1): it reads only what both nations share, refuses every
write, says so on every output, and leaves one audit row per request or command, readable by the admin's nation.

A German admin previewing France used to read everything released to France (`REL TO FRA` included) with no audit
row; each test here failed on that code.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from reassure.core.errors import Forbidden
from reassure.core.identity import Identity, Role
from reassure.core.markings import parse_marking
from reassure.db.uow import unit_of_work
from reassure.domains.audit.models import AuditEntry
from reassure.domains.audit.service import recent
from reassure.domains.pledges.service import list_pledges
from reassure.domains.scenarios.importing import import_document
from reassure.scenario_io.load import load_document
from reassure.settings import Settings
from tests.api.conftest import Api
from tests.conftest import Cli, stored_user, who
from tests.scenario_io.samples import write

# One scenario whose pledges are marked every way a DEU admin previewing FRA could meet them.
WORLD = """\
format: reassure-scenario/1
marking: PUBLIC
scenario:
  name: shared
  title: Shared scenario
  horizon: {start: 2027-01-01, period: month, periods: 12}
pledges:
  - {key: P-PUBLIC, nation: FRA, capability: frigate, quantity: 1, personnel_per_unit: 200, where: [sea],
     window: {from: 2027-01-01, to: 2027-12-31}, rotation: {max_tour: 6, min_dwell: 6}}
  - {key: P-FRA, nation: FRA, capability: frigate, quantity: 1, personnel_per_unit: 200, where: [sea],
     window: {from: 2027-01-01, to: 2027-12-31}, rotation: {max_tour: 6, min_dwell: 6}, marking: REL TO FRA,
     notes: French eyes only}
  - {key: P-FRA-GBR, nation: FRA, capability: frigate, quantity: 1, personnel_per_unit: 200, where: [sea],
     window: {from: 2027-01-01, to: 2027-12-31}, rotation: {max_tour: 6, min_dwell: 6}, marking: "REL TO FRA, GBR"}
  - {key: P-DEU-FRA, nation: DEU, capability: frigate, quantity: 1, personnel_per_unit: 200, where: [sea],
     window: {from: 2027-01-01, to: 2027-12-31}, rotation: {max_tour: 6, min_dwell: 6}, marking: "REL TO DEU, FRA"}
"""
DEU_ONLY = WORLD.replace("name: shared", "name: german").replace("marking: PUBLIC", "marking: REL TO DEU", 1) \
    .replace("P-FRA-GBR", "X").split("pledges:")[0]
SHARED = ["P-DEU-FRA", "P-PUBLIC"]


@pytest.fixture
def api(db_url: str) -> Api:
    """An API client on the migrated test database."""
    return Api(db_url)


def _load(settings: Settings, tmp_path: Path) -> None:
    for writer, text, name in (("FRA", WORLD, "world.yaml"), ("DEU", DEU_ONLY, "german.yaml")):
        with unit_of_work(settings, identity=who(writer)) as db:
            import_document(load_document(write(tmp_path, text, name)), db=db, origin=name)


def _preview(nation: str, of: str) -> Identity:
    return Identity(user=f"{nation.lower()}-admin", nation=nation, roles=frozenset({Role.ADMIN}), view_as=of)


def _preview_rows(settings: Settings, nation: str) -> list[AuditEntry]:
    with unit_of_work(settings, identity=who(nation, Role.ADMIN, user=f"{nation.lower()}-admin")) as db:
        return list(db.scalars(select(AuditEntry).where(AuditEntry.action == "preview.read")
                               .order_by(AuditEntry.id)))


def test_identity_sees_only_markings_naming_both_nations() -> None:
    preview = _preview("DEU", "FRA")
    seen = {text: preview.sees(parse_marking(text)) for text in
            ("PUBLIC", "REL TO FRA", "REL TO DEU", "REL TO DEU, FRA", "REL TO DEU, FRA, GBR", "REL TO FRA, GBR")}
    assert seen == {"PUBLIC": True, "REL TO FRA": False, "REL TO DEU": False, "REL TO DEU, FRA": True,
                    "REL TO DEU, FRA, GBR": True, "REL TO FRA, GBR": False}
    assert preview.readers == ("DEU", "FRA") and preview.read_only
    assert preview.preview == "preview of FRA by DEU admin: records released to both DEU and FRA"
    assert _preview("DEU", "DEU").readers == ("DEU",) and _preview("DEU", "DEU").preview is None


def test_a_preview_reads_only_records_released_to_both_nations(settings: Settings, tmp_path: Path) -> None:
    _load(settings, tmp_path)
    with unit_of_work(settings, identity=_preview("DEU", "FRA")) as db:
        keys = sorted(p.key for p in list_pledges(db=db))
    assert keys == SHARED  # not P-FRA (France only), not P-FRA-GBR, not Germany's own scenario
    with unit_of_work(settings, identity=who("DEU")) as db:
        assert sorted(p.key for p in list_pledges(db=db)) == SHARED  # the admin's own view holds the same here
    with unit_of_work(settings, identity=_preview("GBR", "FRA")) as db:
        assert sorted(p.key for p in list_pledges(db=db)) == ["P-FRA-GBR", "P-PUBLIC"]


def test_a_preview_writes_nothing_even_on_the_users_own_account(settings: Settings, tmp_path: Path) -> None:
    """Setting your own password or making your own token needs no role; a preview still refuses them."""
    from reassure.domains.users.actions import create_token, set_password

    name = stored_user(settings.database_url, "DEU", Role.ADMIN, name="deu-admin")
    preview = _preview("DEU", "FRA")
    with pytest.raises(Forbidden, match="read-only"), unit_of_work(settings, identity=preview) as db:
        set_password(preview, name, "a long enough password", db=db)
    with pytest.raises(Forbidden, match="read-only"), unit_of_work(settings, identity=preview) as db:
        create_token(preview, "borrowed", db=db)


def test_an_api_preview_says_so_reads_the_shared_records_and_is_audited(api: Api, tmp_path: Path) -> None:
    _load(api.settings, tmp_path)
    headers = {**api.headers("DEU", Role.ADMIN, name="deu-admin"), "X-View-As": "FRA"}
    answer = api.client.get("/api/v1/pledges", headers=headers, params={"limit": 100})
    assert answer.status_code == 200
    assert sorted(p["key"] for p in answer.json()["items"]) == SHARED
    assert answer.headers["X-Reassure-Preview"] == "preview of FRA by DEU admin: records released to both DEU and FRA"
    missing = api.client.get("/api/v1/scenarios/german", headers=headers)  # DEU's own: not released to FRA
    assert missing.status_code == 404 and "X-Reassure-Preview" in missing.headers
    own = api.client.get("/api/v1/pledges", headers=api.headers("DEU", Role.ADMIN, name="deu-admin"))
    assert "X-Reassure-Preview" not in own.headers
    rows = _preview_rows(api.settings, "DEU")
    assert [(r.actor, r.actor_nation, r.entity_key, r.rel_to) for r in rows] == \
        [("deu-admin", "DEU", "FRA", ",DEU,")] * 2
    assert [r.details["read"] for r in rows] == ["GET /api/v1/pledges?limit=100", "GET /api/v1/scenarios/german"]
    assert _preview_rows(api.settings, "FRA") == []  # France's admins do not see which paths Germany typed
    me = api.client.get("/api/v1/me", headers=headers).json()
    assert me["reads_for"] == ["DEU", "FRA"] and me["preview"].startswith("preview of FRA by DEU admin")


def test_a_cli_preview_says_so_on_stderr_and_is_audited_once_per_command(cli: Cli, tmp_path: Path) -> None:
    _load(Settings(database_url=cli.url), tmp_path)
    code, out, err = cli("pledges", nation="DEU", admin=True, view_as="FRA")
    assert code == 0 and "P-DEU-FRA" in out and "P-PUBLIC" in out
    assert "P-FRA " not in out and "P-FRA-GBR" not in out and "French eyes only" not in out
    assert "preview of FRA by DEU admin: records released to both DEU and FRA" in " ".join(err.split())
    code, _, err = cli("pledges", nation="DEU", admin=True)
    assert code == 0 and "preview" not in err
    rows = _preview_rows(Settings(database_url=cli.url), "DEU")
    assert [(r.details["read"], r.rel_to) for r in rows] == [("reassure pledges", ",DEU,")]


def test_a_preview_cannot_cancel_even_its_own_job(api: Api, tmp_path: Path) -> None:
    api.load_sample(tmp_path)
    from reassure.domains.jobs.actions import cancel_job
    from reassure.services.job_kinds import submit_job
    from reassure.services.job_requests import SolveJob

    admin = Identity(user=stored_user(api.url, "FRA", Role.ADMIN, name="fra-admin"), nation="FRA",
                     roles=frozenset({Role.ADMIN}))
    with unit_of_work(api.settings, identity=admin) as db:
        job = submit_job(SolveJob(scenario="small", time_limit=1), db=db)
    with pytest.raises(Forbidden, match="read-only"), unit_of_work(api.settings, identity=_preview("FRA", "GBR")) as db:
        cancel_job(job.id, db=db)


@pytest.mark.slow
def test_a_preview_brief_is_marked_and_bannered_as_a_preview(cli: Cli, tmp_path: Path) -> None:
    _load(Settings(database_url=cli.url), tmp_path)
    out_file = tmp_path / "brief.html"
    code, out, err = cli("brief", "--out", str(out_file), "--scenario", "shared", "--for", "FRA", nation="DEU",
                         admin=True)
    assert code == 0, err
    html = out_file.read_text(encoding="utf-8")
    assert "<tr><td>sea</td><td>2</td><td>2</td>" in html  # P-PUBLIC and P-DEU-FRA: not France's other two
    assert "preview of FRA by DEU admin: records released to both DEU and FRA" in html
    assert "Marking of this brief: <strong>REL TO DEU, FRA</strong>" in html
    assert "released to both DEU and FRA" in " ".join(out.split())
    with unit_of_work(Settings(database_url=cli.url), identity=who("DEU", Role.ADMIN, user="deu-admin")) as db:
        rendered = [r for r in recent(db=db, limit=100) if r.action == "brief.render"]
    assert rendered and rendered[0].marking == "REL TO DEU"  # the admin's nation, like the preview row
    rows = _preview_rows(Settings(database_url=cli.url), "DEU")
    assert [r.details["read"] for r in rows] == ["reassure brief"]


@pytest.mark.slow
def test_an_api_preview_brief_is_marked_as_a_preview(api: Api, tmp_path: Path) -> None:
    _load(api.settings, tmp_path)
    headers = {**api.headers("DEU", Role.ADMIN, name="deu-admin"), "X-View-As": "FRA"}
    answer = api.client.get("/api/v1/brief", headers=headers, params={"format": "html", "scenario": "shared"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["X-Marking"] == "REL TO DEU, FRA" and "X-Reassure-Preview" in answer.headers
    assert "preview of FRA by DEU admin: records released to both DEU and FRA" in answer.text
    assert [r.details["read"] for r in _preview_rows(api.settings, "DEU")] == [
        "GET /api/v1/brief?format=html&scenario=shared"]
