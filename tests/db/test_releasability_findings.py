"""Regression tests for the ten ways the security model failed (issue 14), each tried as an attacker would.

Every test here failed on the code before identity came from the database and releasability failed closed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from reassure.core.identity import Role
from reassure.db.uow import engine_for, unit_of_work
from reassure.domains.audit.service import recent
from reassure.domains.pledges.service import list_pledges
from reassure.domains.scenarios.importing import load_bundled
from reassure.domains.scenarios.service import list_scenarios
from reassure.domains.sources.service import list_claims, list_sources
from reassure.settings import Settings
from tests.conftest import Cli, stored_user, who

SECRET = """\
format: reassure-scenario/1
marking: REL TO FRA
sources:
  - id: fra-intel
    publisher: French staff
    title: Internal assessment
    reliability: B
scenario:
  name: op-x
  title: French plan
  horizon: {start: 2027-01-01, period: month, periods: 12}
  flags: {us_backstop: true}
command:
  - key: HQ
    name: French HQ
    kind: coalition_hq
tasks:
  - key: T-1
    name: Patrol
    capability: frigate
    location: sea
    demand: 1
    priority: 5
legal:
  - key: FRA-SOFA
    nation: FRA
    kind: SOFA
    status: signed
    standing: verified
    grade: B2
    sources: [fra-intel]
pledges:
  - key: FRA-FS
    nation: FRA
    capability: frigate
    quantity: 2
    personnel_per_unit: 200
    where: [sea]
    window: {from: 2027-01-01, to: 2027-12-31}
    rotation: {max_tour: 6, min_dwell: 6}
    history: [{status: announced, date: 2026-01-10}]
"""
OVERWRITE = """\
format: reassure-scenario/1
scenario:
  name: op-x
  title: Taken over
  horizon: {start: 2027-01-01, period: month, periods: 12}
  marking: PUBLIC
"""
FIRST_REPORT = ("Overnight on 3 March 2025 Russia launched 50 Shahed drones at Ukraine, the Ukrainian Air Force said. "
                "Air defence destroyed 40 of them.")
CSV = "time_start,time_end,model,launched,destroyed\n2025-01-01 18:00,2025-01-02 08:00,Shahed-136/131,100,80\n"
HIDDEN_TABLES = ("scenarios", "pledges", "tasks", "command_nodes", "legal_instruments", "pledge_status_events",
                 "sources", "claims", "incidents", "incident_reports", "legal_sources")


def write(tmp_path: Path, name: str, body: str) -> str:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return str(path)


def stored_rows(url: str, table: str) -> list[tuple[str, ...]]:
    """Every row of a table as stored, past the access filter."""
    with engine_for(Settings(database_url=url)).connect() as connection:
        return [tuple(repr(v) for v in r) for r in connection.execute(text(f"SELECT * FROM {table} ORDER BY 1"))]


def snapshot(url: str) -> dict[str, list[tuple[str, ...]]]:
    return {t: stored_rows(url, t) for t in HIDDEN_TABLES}


def test_1_nobody_declassifies_or_deletes_another_nations_scenario(cli: Cli, tmp_path: Path) -> None:
    assert cli("import", write(tmp_path, "secret.yaml", SECRET), nation="FRA")[0] == 0
    before = snapshot(cli.url)
    code, _, err = cli("import", write(tmp_path, "over.yaml", OVERWRITE), user="anyone")
    assert code == 5 and "unknown or disabled user 'anyone'" in err  # no identity: nothing runs
    code, out, err = cli("import", write(tmp_path, "over.yaml", OVERWRITE), nation="DEU")
    assert code == 0, err
    assert "Scenario" in out and "deleted" in out
    after = snapshot(cli.url)
    assert [r for r in after["scenarios"] if r in before["scenarios"]] == before["scenarios"]  # untouched
    assert {t: after[t] for t in HIDDEN_TABLES if t != "scenarios"} == {
        t: before[t] for t in HIDDEN_TABLES if t != "scenarios"}  # hidden pledge, task, node, SOFA all there
    assert len(after["scenarios"]) == 2  # DEU's own public op-x, beside FRA's
    code, out, _ = cli("scenarios", nation="FRA")
    assert "French plan" in out and "Taken over" not in out  # one per name, the narrowest (docs/adr/0011)
    code, out, _ = cli("scenarios", nation="DEU")
    assert "Taken over" in out and "French plan" not in out


def test_2_the_demo_data_load_never_deletes_what_users_added(cli: Cli, settings: Settings, tmp_path: Path) -> None:
    with unit_of_work(settings, identity=who("FRA", Role.ADMIN)) as db:
        load_bundled(db=db)
    table = write(tmp_path, "fra.csv", "key,nation,capability,quantity,personnel_per_unit,where,available_from,"
                  "available_to,max_tour,min_dwell,marking\nFRA-EXTRA,FRA,frigate,1,200,sea,2027-01-01,2027-12-31,"
                  "6,6,REL TO FRA\n")
    with unit_of_work(settings, identity=who("FRA")) as db:
        from reassure.domains.scenarios.importing import import_document
        from reassure.scenario_io.load import load_document

        document = load_document(Path(table))
        document.scenario = None
        import_document(document, db=db, origin=table, scenario_name="illustrative", prune=False)
    with unit_of_work(settings, identity=who("GBR", Role.ADMIN)) as db:
        load_bundled(db=db)  # the demo, run by an admin of another nation
    with unit_of_work(settings, identity=who("FRA", Role.ADMIN)) as db:
        load_bundled(db=db)  # and by an admin of the same nation
    with unit_of_work(settings, identity=who("FRA")) as db:
        assert "FRA-EXTRA" in {p.key for p in list_pledges(db=db, scenario="illustrative")}


def test_3_ingesting_a_report_prints_only_what_the_ingester_may_see(cli: Cli, tmp_path: Path) -> None:
    report = write(tmp_path, "af.txt", FIRST_REPORT)
    assert cli("ingest", "report", report, "--source", "fra-desk", "--publisher", "Secret French desk",
               "--grade", "A1", "--marking", "REL TO FRA", nation="FRA")[0] == 0
    code, out, err = cli("ingest", "report", write(tmp_path, "wire.txt", FIRST_REPORT), "--source", "wire",
                         "--publisher", "Wire", "--marking", "PUBLIC", nation="DEU")
    assert code == 0, err
    assert "fra-desk" not in out and "Secret French desk" not in out and "A1" not in out
    code, out, _ = cli("incidents", nation="FRA")
    assert "fra-desk" in out and "wire" in out  # FRA sees both accounts of the attack


def test_4_a_source_derived_from_a_marked_ingest_is_marked_and_keeps_no_local_path(
        cli: Cli, settings: Settings, tmp_path: Path) -> None:
    report = write(tmp_path, "desk-note.txt", FIRST_REPORT)
    assert cli("ingest", "report", report, "--publisher", "French desk", "--marking", "REL TO FRA",
               nation="FRA")[0] == 0
    with unit_of_work(settings, identity=who("DEU")) as db:
        assert list_sources(db=db) == []
    with unit_of_work(settings, identity=who("FRA")) as db:
        (source,) = list_sources(db=db)
    assert source.marking == "REL TO FRA" and source.locator == "desk-note.txt" and str(tmp_path) not in str(source)


def test_5_counts_leave_out_hidden_records(cli: Cli, settings: Settings, tmp_path: Path) -> None:
    facts = """\
format: reassure-scenario/1
marking: PUBLIC
sources:
  - {id: wire, publisher: Wire, title: T, reliability: B}
claims:
  - {key: c-public, topic: t, statement: s, standing: unconfirmed, grade: B3, sources: [wire]}
  - {key: c-secret, topic: t, statement: s, standing: unconfirmed, grade: B3, sources: [wire], marking: REL TO FRA}
"""
    assert cli("import", write(tmp_path, "facts.yaml", facts), nation="FRA")[0] == 0
    with unit_of_work(settings, identity=who("DEU")) as db:
        assert [(s.id, s.claims) for s in list_sources(db=db)] == [("wire", 1)]
    with unit_of_work(settings, identity=who("FRA")) as db:
        assert [(s.id, s.claims) for s in list_sources(db=db)] == [("wire", 2)]
    code, out, _ = cli("sources", nation="DEU")
    assert code == 0 and " 2 " not in out


def test_6_hidden_and_absent_give_the_same_answer(cli: Cli, tmp_path: Path) -> None:
    assert cli("import", write(tmp_path, "secret.yaml", SECRET), nation="FRA")[0] == 0
    before = snapshot(cli.url)
    table = write(tmp_path, "deu.csv", "key,nation,capability,quantity,personnel_per_unit,where,available_from,"
                  "available_to,max_tour,min_dwell,marking\nDEU-FS,DEU,frigate,1,200,sea,2027-01-01,2027-12-31,6,6,"
                  "PUBLIC\n")
    hidden = cli("import", table, "--scenario", "op-x", nation="DEU")
    absent = cli("import", table, "--scenario", "op-y", nation="DEU")
    assert hidden[0] == absent[0] == 2
    assert hidden[2].replace("op-x", "NAME") == absent[2].replace("op-y", "NAME")
    assert "us_backstop" not in hidden[2]  # the scenario's flags are not printed
    guess = SECRET.replace("marking: REL TO FRA", "marking: PUBLIC").replace("fra-intel", "deu-wire")
    code, out, err = cli("import", write(tmp_path, "guess.yaml", guess), nation="DEU")
    assert code == 0, err
    assert "unchanged" not in out.lower() or " 0 " in out  # nothing of FRA's is said to be unchanged
    after = snapshot(cli.url)
    for table_name in HIDDEN_TABLES:
        assert set(before[table_name]) <= set(after[table_name]), table_name  # FRA's rows all still there
    code_h, _, err_h = cli("incidents", "--key", "op-x", nation="DEU")
    code_a, _, err_a = cli("incidents", "--key", "op-z", nation="DEU")
    assert code_h == code_a and err_h.replace("op-x", "K") == err_a.replace("op-z", "K")


def test_7_a_public_feed_ingested_under_a_marking_does_not_block_others(cli: Cli, tmp_path: Path) -> None:
    csv = write(tmp_path, "attacks.csv", CSV)
    assert cli("ingest", "air-attacks", csv, "--marking", "REL TO FRA", nation="FRA")[0] == 0
    code, out, err = cli("ingest", "air-attacks", csv, "--marking", "PUBLIC", nation="DEU")
    assert code == 0, err
    assert "already up to date" not in out and "incidents created" in out
    code, out, _ = cli("incidents", nation="DEU")
    assert "mmau:2025-01-01T18:00" in out and "REL TO FRA" not in out
    code, out, _ = cli("incidents", nation="FRA")
    assert out.count("mmau:2025-01-01T18:00") == 1  # FRA sees one incident with both copies pooled
    code, out, _ = cli("indicators", "--every", "month", nation="FRA")
    assert code == 0 and "100" in out and "200" not in out  # never counted twice


@pytest.mark.parametrize("top,expected", [("", "no marking"), ('marking: ""\n', "a marking is required"),
                                          ("marking: null\n", "no marking")])
def test_8_a_missing_empty_or_null_marking_is_refused(cli: Cli, tmp_path: Path, top: str, expected: str) -> None:
    body = SECRET.replace("marking: REL TO FRA\n", top)
    code, _, err = cli("import", write(tmp_path, "m.yaml", body), nation="FRA")
    assert code == 2 and expected in " ".join(err.split()) and "nothing was written" in err
    code, _, err = cli("ingest", "report", write(tmp_path, "r.txt", FIRST_REPORT), "--publisher", "P", nation="FRA")
    assert code == 2 and "--marking is required" in err


@pytest.mark.parametrize("value", ["%", "FRA,DEU", "X" * 5000, "FRA' OR '1'='1", "fr"])
def test_9_identity_comes_from_the_database(cli: Cli, value: str) -> None:
    assert cli("pledges", user="")[0] == 5
    code, _, err = cli("pledges", user="nobody")
    assert code == 5 and "unknown or disabled user" in err
    code, _, err = cli("pledges", view_as="UKR")  # a planner of GBR typing another nation
    assert code == 5 and "only an admin may view as another nation" in err
    code, _, err = cli("pledges", view_as=value, admin=True)  # bad codes: a clear error, never a traceback
    assert code == 5 and "alpha-3" in err
    code, _, err = cli("pledges", user=value)
    assert code == 5 and ("invalid user name" in err or "unknown" in err)


def test_9_an_admin_may_preview_another_nation_read_only(cli: Cli, tmp_path: Path) -> None:
    assert cli("import", write(tmp_path, "secret.yaml", SECRET), nation="FRA")[0] == 0
    code, out, _ = cli("scenarios", view_as="DEU", admin=True, nation="FRA")
    assert code == 0 and "op-x" not in out
    code, out, _ = cli("scenarios", admin=True, nation="FRA")
    assert "op-x" in out
    code, _, err = cli("import", write(tmp_path, "s2.yaml", SECRET), view_as="DEU", admin=True, nation="FRA")
    assert code == 4 and "read-only" in err


def test_10_audit_rows_are_marked_readable_by_admins_and_record_refusals(cli: Cli, settings: Settings,
                                                                          tmp_path: Path) -> None:
    nations_before = stored_rows(cli.url, "nations")
    assert cli("import", write(tmp_path, "secret.yaml", SECRET), nation="FRA")[0] == 0
    assert stored_rows(cli.url, "nations") == nations_before  # an import never adds a nation
    viewer = stored_user(cli.url, "DEU", Role.VIEWER, name="deu-reader")
    code, _, err = cli("import", write(tmp_path, "over.yaml", OVERWRITE), user=viewer)
    assert code == 4 and "needs the planner role" in err
    assert cli("audit", nation="FRA")[0] == 4  # planners do not read the audit log
    code, out, _ = cli("audit", "--json", admin=True, nation="DEU")
    assert code == 0 and "over.yaml" in out and "fra-intel" not in out  # DEU's refusal, not FRA's secrets
    assert '"outcome": "denied"' in out and str(tmp_path) not in out
    code, out, _ = cli("audit", "--json", "--limit", "500", admin=True, nation="FRA")
    assert "fra-intel" in out and '"outcome": "denied"' not in out and str(tmp_path) not in out
    with unit_of_work(settings, identity=who("FRA", Role.ADMIN)) as db:
        rows = recent(db=db, limit=500)
    assert {r.marking for r in rows} == {"REL TO FRA"}
    pledge = next(r for r in rows if r.action == "pledge.create")
    assert pledge.details["after"]["personnel_per_unit"] == 200


def test_services_refuse_a_session_without_an_identity(settings: Settings) -> None:
    from reassure.core.errors import IdentityError
    from reassure.db.uow import lookup_session

    with lookup_session(settings) as db, pytest.raises(IdentityError, match="no identity"):
        list_scenarios(db=db)
    with pytest.raises(IdentityError), unit_of_work(settings, identity=None) as db:  # type: ignore[arg-type]
        list_claims(db=db)


def test_a_scenarios_marking_is_fixed_so_hidden_parts_never_end_up_wider(cli: Cli, tmp_path: Path) -> None:
    """Found by the property test: narrowing a scenario in place narrowed only the parts its writer could see,
    and with two visible parts of one key it broke a unique key (a raw database error)."""
    scenario = """\
format: reassure-scenario/1
marking: {file}
scenario:
  name: beta
  title: Beta
  horizon: {{start: 2027-01-01, period: month, periods: 12}}
  marking: PUBLIC
pledges:
  - key: P-3
    nation: DEU
    capability: frigate
    quantity: 1
    personnel_per_unit: 200
    where: [sea]
    window: {{from: 2027-01-01, to: 2027-12-31}}
    rotation: {{max_tour: 6, min_dwell: 6}}
    marking: {pledge}
"""
    assert cli("import", write(tmp_path, "a.yaml", scenario.format(file="PUBLIC", pledge="REL TO DEU, FRA, POL")),
               nation="DEU")[0] == 0
    assert cli("import", write(tmp_path, "b.yaml", scenario.format(file="PUBLIC", pledge="PUBLIC")),
               nation="GBR")[0] == 0
    before = snapshot(cli.url)
    narrowed = scenario.format(file="REL TO DEU, FRA", pledge="REL TO DEU, FRA").replace(
        "  marking: PUBLIC\npledges", "  marking: REL TO DEU, FRA\npledges")
    code, _, err = cli("import", write(tmp_path, "c.yaml", narrowed), nation="FRA")
    assert code == 2 and "a scenario's marking cannot change" in " ".join(err.split())
    assert snapshot(cli.url) == before


def test_a_text_source_derived_under_one_marking_does_not_block_the_same_file_under_another(
        cli: Cli, tmp_path: Path) -> None:
    """Found by the property test: the second ingest of desk.txt was refused for citing the first one's source."""
    report = write(tmp_path, "desk.txt", FIRST_REPORT)
    assert cli("ingest", "report", report, "--publisher", "GBR desk", "--marking", "REL TO GBR", nation="GBR")[0] == 0
    code, _, err = cli("ingest", "report", report, "--publisher", "GBR desk", "--marking", "PUBLIC", nation="GBR")
    assert code == 0, err
    code, out, _ = cli("sources", nation="GBR")  # both stored; shown once per key, the narrowest (docs/adr/0011)
    assert out.count("file-desk") == 1 and "REL TO GBR" in out and "PUBLIC" not in out
    code, out, _ = cli("sources", nation="FRA")
    assert out.count("file-desk") == 1 and "PUBLIC" in out


def test_a_public_scenarios_horizon_is_fixed_and_parts_seen_twice_count_once(cli: Cli, tmp_path: Path) -> None:
    """Found in review: DEU shortened a public scenario's horizon (FRA's hidden task kept 12 demand figures) and
    reused FRA's hidden keys, so FRA's plan build had duplicate ids and its export no longer re-imported."""
    public = SECRET.replace("marking: REL TO FRA", "marking: PUBLIC").replace("name: op-x", "name: pubs")
    hidden = public.replace("title: French plan", "title: French plan").replace(
        "pledges:\n  - key: FRA-FS", "pledges:\n  - key: FRA-FS\n    marking: REL TO FRA").replace(
        "tasks:\n  - key: T-1", "tasks:\n  - key: T-1\n    marking: REL TO FRA")
    assert cli("import", write(tmp_path, "fra.yaml", hidden), nation="FRA")[0] == 0
    shorter = public.replace("periods: 12", "periods: 3").replace("fra-intel", "deu-wire")
    code, _, err = cli("import", write(tmp_path, "deu.yaml", shorter), nation="DEU")
    assert code == 2 and "a scenario's horizon cannot change" in " ".join(err.split())
    same_keys = public.replace("fra-intel", "deu-wire")  # DEU adds public T-1 and FRA-FS beside FRA's hidden ones
    code, _, err = cli("import", write(tmp_path, "deu2.yaml", same_keys), nation="DEU")
    assert code == 0, err
    code, text, err = cli("plan", "build", "--scenario", "pubs", nation="FRA")
    assert code == 0, err
    problem = __import__("json").loads(text)
    assert [t["id"] for t in problem["tasks"]] == ["T-1"] and [u["id"] for u in problem["units"]] == [
        "FRA-FS-1", "FRA-FS-2"]
    exported = tmp_path / "fra-export.yaml"
    assert cli("export", "--scenario", "pubs", str(exported), nation="FRA")[0] == 0
    assert "REL TO FRA" in exported.read_text(encoding="utf-8")
    code, _, err = cli("import", str(exported), "--dry-run", nation="FRA")
    assert code == 0, err
