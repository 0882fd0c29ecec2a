"""Re-importing changes nothing; export then import round-trips, in YAML, CSV and XLSX."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from reassure.core.identity import Role
from reassure.core.text_files import InputFileError
from reassure.db.uow import unit_of_work
from reassure.domains.audit.service import count as audit_count
from reassure.domains.scenarios.importing import import_document
from reassure.domains.scenarios.service import export_scenario
from reassure.scenario_io.bundled import data_dir
from reassure.scenario_io.load import load_document
from reassure.scenario_io.tables import join_caveats, split_caveats
from reassure.settings import Settings
from tests.conftest import Cli, who
from tests.scenario_io.samples import PLEDGE_TABLE, VALID, write

ADMIN = who("GBR", Role.ADMIN)
EVERYONE = who("GBR")  # sees PUBLIC and REL TO GBR, FRA: every record of the samples


def _import(settings: Settings, path: Path, scenario: str | None = None) -> int:
    with unit_of_work(settings, identity=EVERYONE) as db:
        return import_document(load_document(path), db=db, origin=str(path), scenario_name=scenario).changes


def _export(settings: Settings, name: str) -> dict:
    with unit_of_work(settings, identity=EVERYONE) as db:
        return export_scenario(name, db=db)


def test_reimport_changes_nothing_and_writes_no_audit_rows(settings: Settings, tmp_path: Path) -> None:
    path = write(tmp_path, VALID)
    assert _import(settings, path) > 0
    with unit_of_work(settings, identity=ADMIN) as db:
        audits = audit_count(db=db)
    assert _import(settings, path) == 0
    with unit_of_work(settings, identity=ADMIN) as db:
        assert audit_count(db=db) == audits


def test_edit_updates_only_what_changed_and_removals_delete(settings: Settings, tmp_path: Path) -> None:
    _import(settings, write(tmp_path, VALID))
    edited = VALID.replace("personnel_per_unit: 300", "personnel_per_unit: 320")
    edited = edited[: edited.index("  - key: GBR-FS")]  # GBR pledge removed
    with unit_of_work(settings, identity=EVERYONE) as db:
        report = import_document(load_document(write(tmp_path, edited)), db=db, origin="edit")
    assert report.counts["Pledge"]["updated"] == 1
    assert report.counts["Pledge"]["deleted"] == 1
    document = _export(settings, "small")
    assert [p["key"] for p in document["pledges"]] == ["FRA-FS"]
    assert document["pledges"][0]["personnel_per_unit"] == 320


def test_yaml_export_reimports_identically(settings: Settings, tmp_path: Path) -> None:
    _import(settings, write(tmp_path, VALID))
    first = _export(settings, "small")
    out = tmp_path / "exported.yaml"
    out.write_text(yaml.safe_dump(first, sort_keys=False), encoding="utf-8")
    assert _import(settings, out) == 0  # same database: nothing to change
    fresh = Settings(database_url=f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    from reassure import migrations as migrate
    from reassure.db.uow import engine_for

    migrate.upgrade(engine_for(fresh))
    _import(fresh, out)
    assert _export(fresh, "small") == first


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_pledge_table_round_trip(cli: Cli, settings: Settings, tmp_path: Path, suffix: str) -> None:
    assert cli("import", str(write(tmp_path, VALID)))[0] == 0
    table = tmp_path / f"pledges{suffix}"
    code, out, _ = cli("export", "--scenario", "small", str(table), nation="GBR")
    assert code == 0 and "2 pledges" in out
    code, out, err = cli("import", str(table), "--scenario", "small", nation="GBR")
    assert code == 0, err
    assert "changed 0 record(s)" in out
    before = _export(settings, "small")
    assert _import(settings, table, "small") == 0
    assert _export(settings, "small") == before


def test_csv_table_adds_pledges_to_a_scenario(cli: Cli, tmp_path: Path) -> None:
    cli("import", str(write(tmp_path, VALID)))
    code, out, err = cli("import", str(write(tmp_path, PLEDGE_TABLE, "more.csv")), "--scenario", "small")
    assert code == 0, err
    code, out, _ = cli("pledges", "--scenario", "small")
    assert "POL-LOG" in out and "ITA-FRG" in out
    assert "FRA-FS" not in out  # a table replaces the scenario's pledges: it is the whole list


def test_dry_run_reports_changes_and_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    code, out, _ = cli("import", "--dry-run", str(write(tmp_path, VALID)))
    assert code == 0 and "would change" in out and "nothing written" in out
    code, out, _ = cli("scenarios")
    assert "small" not in out


def test_bundled_scenario_round_trips(settings: Settings, tmp_path: Path) -> None:
    for name in ("reference/nations.yaml", "facts/seed_articles.yaml", "scenarios/illustrative.yaml"):
        _import(settings, data_dir() / name)
    exported = _export(settings, "illustrative")
    assert len(exported["pledges"]) == 75 and len(exported["tasks"]) == 27
    out = tmp_path / "illustrative.yaml"
    out.write_text(yaml.safe_dump(exported, sort_keys=False), encoding="utf-8")
    assert _import(settings, out) == 0


@given(st.lists(st.text(alphabet=st.sampled_from(["|", "\\", "a", " ", ";", "x"]), max_size=8), min_size=1,
                max_size=4))
def test_caveat_cells_split_back_into_the_parts_joined(parts: list[str]) -> None:
    cell = join_caveats(parts)
    assert [p.strip() for p in split_caveats(cell)] == [p.strip() for p in parts]


def test_a_hand_typed_backslash_before_other_text_reads_as_typed() -> None:
    assert split_caveats(r"Store at C:\depot | b") == ["Store at C:\\depot ", " b"]


def test_a_ceasefire_date_round_trips_and_files_without_one_stay_valid(settings: Settings, tmp_path: Path) -> None:
    assert load_document(write(tmp_path, VALID)).scenario is not None  # an old file: no ceasefire, still valid
    assert _import(settings, write(tmp_path, VALID)) > 0
    assert "ceasefire" not in _export(settings, "small")["scenario"]  # none set: none written
    flags = "  flags: {us_backstop: true}\n"
    with_date = VALID.replace(flags, flags + "  ceasefire: 2025-10-01\n")
    assert _import(settings, write(tmp_path, with_date, "dated.yaml")) == 1  # the scenario is updated, once
    document = _export(settings, "small")
    assert str(document["scenario"]["ceasefire"]) == "2025-10-01"
    out = tmp_path / "exported.yaml"
    out.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    assert _import(settings, out) == 0  # the exported date reads back as the same date
    bad = VALID.replace(flags, flags + "  ceasefire: soon\n")
    with pytest.raises(InputFileError) as error:
        load_document(write(tmp_path, bad, "bad.yaml"))
    assert "ceasefire" in str(error.value)
