"""Report texts: dedup into one incident per attack, figures side by side, revisions, and releasability."""

from __future__ import annotations

from pathlib import Path

import pytest

from reassure.db.uow import unit_of_work
from reassure.domains.incidents.schemas import IncidentDetail
from reassure.domains.incidents.service import get_incident, incident_frame, list_incidents
from reassure.monitoring.indicators.frame import validate_incident_frame
from reassure.scenario_io.bundled import data_dir
from reassure.settings import Settings
from tests.conftest import SHARED_DATA, Cli, who

SEEDS = SHARED_DATA.parent / "seeds"
SEED_000 = SEEDS / "000_f597463e83664428.txt"
SEED_002 = SEEDS / "002_d5ce15f6b9952453.txt"
FIRST = ("Overnight on 3 March 2025 Russia launched 50 Shahed drones at Ukraine, the Ukrainian Air Force said. "
         "Air defences shot down 40 of them.")
SECOND = "Russia attacked Ukraine with 65 drones on the night of 3 March 2025; 41 were shot down, officials said."
REVISED = ("Update: the Air Force now says Russia launched 52 Shahed drones overnight on 3 March 2025 and 45 were "
           "shot down.")
NO_DATE = "Russia launched 20 drones overnight, the Air Force said; 15 were shot down."


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def incidents(settings: Settings, nation: str | None = None) -> list[IncidentDetail]:
    with unit_of_work(settings, identity=who(nation or "NZL")) as db:
        return [get_incident(i.key, db=db) for i in list_incidents(db=db)]


def launched(detail: IncidentDetail) -> dict[str, str]:
    return {f"{a.source} r{a.revision}": " ".join(str(w.launched) for w in a.weapons) for a in detail.accounts}


def test_both_seed_articles_are_one_attack_with_two_reports(cli: Cli, settings: Settings) -> None:
    if not (SEED_000.exists() and SEED_002.exists()):
        pytest.skip(f"seed articles not present in {SEEDS}")
    assert cli("import", str(data_dir() / "facts" / "seed_articles.yaml"))[0] == 0  # sources seed-000, seed-002
    code, out, err = cli("ingest", "report", "--marking", "PUBLIC", str(SEED_000), "--source", "seed-000")
    assert code == 0, err
    assert cli("ingest", "report", "--marking", "PUBLIC", str(SEED_002), "--source", "seed-002")[0] == 0
    # seed-000 says "overnight" (the night of 3-4 September); seed-002 is dated 5 September and gives no time nor
    # night: by its date it is another day (docs/adr/0021), until an analyst links it to the night it describes
    night, fifth = sorted(incidents(settings), key=lambda d: d.start)
    assert (night.start.isoformat(), fifth.start.date().isoformat()) == ("2025-09-03T18:00:00", "2025-09-05")
    code, _, err = cli("incidents", "relink", f"seed-002:{SEED_002.name}", "--to", night.key)
    assert code == 0, err
    (detail,) = [d for d in incidents(settings) if d.key == night.key]  # the emptied PUBLIC incident stays (0017)
    assert detail.kind == "air_attack" and detail.sources == ["seed-000", "seed-002"]
    # 112 and "over 100" do not contradict each other, but "over 100" states 100, beyond the tolerance of 112
    # (docs/adr/0017): two sources, neither conflicting nor corroborating
    assert not detail.corroborated and detail.standing == "unconfirmed"
    (launched,) = detail.figures
    assert launched.figure == "drones launched" and launched.verdict == "compatible"
    assert [v.shown for v in launched.values] == ["112", "≥100"]
    by_source = {a.source: a.weapons[0] for a in detail.accounts}
    first, second = by_source["seed-000"], by_source["seed-002"]
    assert (first.category, str(first.launched), str(first.neutralized)) == ("drone", "112", "84")
    assert (first.launched and first.launched.qualifier) == "exact"
    assert second.launched is not None and (second.launched.value, second.launched.qualifier) == (100, "at_least")
    assert any("Ukraine’s Air Force reported 112" in a.raw_text for a in detail.accounts)  # kept verbatim
    code, out, _ = cli("ingest", "report", "--marking", "PUBLIC", str(SEED_000), "--source", "seed-000")
    assert code == 0 and "already up to date" in out
    assert [len(d.accounts) for d in incidents(settings) if d.key == night.key] == [2]


def test_conflicting_figures_are_kept_side_by_side(cli: Cli, settings: Settings, tmp_path: Path) -> None:
    assert cli("ingest", "report", "--marking", "PUBLIC",
               write(tmp_path, "af.txt", FIRST), "--source", "af", "--publisher",
               "Ukrainian Air Force", "--grade", "B2")[0] == 0
    code, out, err = cli("ingest", "report", "--marking", "PUBLIC",
                         write(tmp_path, "wire.txt", SECOND), "--source", "wire",
                         "--publisher", "Wire service", "--grade", "C3")
    assert code == 0, err
    assert "Figures side by side" in out
    (detail,) = incidents(settings)
    assert launched(detail) == {"af r1": "50", "wire r1": "65"}
    assert [a.preferred for a in detail.accounts] == [True, False] and detail.launched == 50  # B2 beats C3
    with unit_of_work(settings, identity=who("NZL")) as db:
        frame = incident_frame(db=db)
    validate_incident_frame(frame, check_values=True)
    assert frame.row(0, named=True)["launched"] == 50 and frame.row(0, named=True)["sources"] == ["af", "wire"]


def test_a_second_account_from_the_same_source_is_a_revision(cli: Cli, settings: Settings, tmp_path: Path) -> None:
    args = ("--source", "af", "--publisher", "Ukrainian Air Force", "--grade", "B2")
    assert cli("ingest", "report", "--marking", "PUBLIC", write(tmp_path, "first.txt", FIRST), *args)[0] == 0
    code, out, _ = cli("ingest", "report", "--marking", "PUBLIC", write(tmp_path, "update.txt", REVISED), *args)
    assert code == 0 and "reports revised (new revision)" in out
    (detail,) = incidents(settings)
    assert launched(detail) == {"af r2": "52", "af r1": "50"}
    assert detail.accounts[0].preferred and detail.launched == 52 and not detail.corroborated


def test_a_text_without_a_date_needs_one(cli: Cli, settings: Settings, tmp_path: Path) -> None:
    path = write(tmp_path, "nodate.txt", NO_DATE)
    code, _, err = cli("ingest", "report", "--marking", "PUBLIC",
                       path, "--source", "af", "--publisher", "Ukrainian Air Force")
    assert code == 2 and "pass --date" in err and incidents(settings) == []
    code, _, err = cli("ingest", "report", "--marking", "PUBLIC", path, "--source", "unknown-outlet")
    assert code == 2 and "give --publisher" in err
    assert cli("ingest", "report", "--marking", "PUBLIC", path, "--source", "af", "--publisher", "Ukrainian Air Force",
               "--date", "2025-03-09")[0] == 0
    (detail,) = incidents(settings)
    assert detail.accounts[0].grade == "F3"  # "overnight": the night ending on the morning of 9 March (adr/0021)
    assert (detail.start.isoformat(), detail.end.isoformat()) == ("2025-03-08T18:00:00", "2025-03-09T09:00:00")


def test_incidents_are_released_only_to_the_nations_marked(cli: Cli, settings: Settings, tmp_path: Path) -> None:
    csv = write(tmp_path, "attacks.csv", "time_start,time_end,model,launched,destroyed\n"
                                         "2025-01-01 18:00,2025-01-02 08:00,Shahed-136/131,100,80\n")
    assert cli("ingest", "air-attacks", "--marking", "PUBLIC", csv, "--marking", "REL TO FRA, GBR")[0] == 0
    assert cli("ingest", "report", "--marking", "PUBLIC",
               write(tmp_path, "a.txt", FIRST), "--source", "af", "--publisher", "AF")[0] == 0
    (public,) = [d.key for d in incidents(settings, None)]
    assert public.startswith("air_attack:2025-03-02:")  # the night of 2-3 March (overnight on 3 March)
    assert sorted(d.key for d in incidents(settings, "FRA")) == [public, "mmau:2025-01-01T18:00/2025-01-02T08:00"]
    assert [d.key for d in incidents(settings, "DEU")] == [public]
    (gbr_only,) = [d for d in incidents(settings, "GBR") if d.key.startswith("mmau")]
    assert gbr_only.marking == "REL TO FRA, GBR"
    with unit_of_work(settings, identity=who("DEU")) as db:
        assert set(incident_frame(db=db)["incident_id"]) == {public}
    code, out, _ = cli("incidents", nation="DEU")
    assert code == 0 and "mmau:" not in out
    code, _, err = cli("incidents", "--key", "mmau:2025-01-01T18:00/2025-01-02T08:00", nation="DEU")
    assert code == 3 and "no incident" in err
    code, out, _ = cli("incidents", nation="FRA")
    assert "mmau:2025-01-01T18:00" in out and "REL TO FRA, GBR" in out
