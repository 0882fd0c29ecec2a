"""Feeds, report texts, rules and planner files: any input gives a result or a clear error, never a traceback;
a refused feed writes nothing (issue 15, part 4)."""

from __future__ import annotations

import json
import re
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from reassure.cli.main import app
from reassure.core.errors import InputError
from reassure.core.markings import PUBLIC
from reassure.db.uow import unit_of_work
from reassure.domains.incidents import actions
from reassure.domains.incidents.models import Incident, IncidentReport, WeaponCount
from reassure.domains.incidents.service import incident_frame, list_incidents
from reassure.monitoring.extraction import MAX_REPORT_CHARS, ReportTooLong, extract_report
from reassure.rules import RuleLoadError
from reassure.rules.load import load_rule_file
from reassure.settings import Settings
from tests.conftest import raw_counts, who

FUZZ = settings(max_examples=40, deadline=None, derandomize=True,  # the same inputs on every CI run
                suppress_health_check=[HealthCheck.function_scoped_fixture])
AIR_HEADER = "time_start,time_end,model,launched,destroyed,not_reach_goal"
UCDP_HEADER = ("id,type_of_violence,date_start,date_end,best,low,high,where_prec,event_clarity,number_of_sources,"
               "date_prec,code_status,latitude,longitude,adm_1,side_a,side_b")
HOSTILE_CELLS = st.sampled_from(["", "0", "5", "-5", "1e308", "nan", "inf", "2.5", "999999999999", "NaN", "x" * 6000,
                                 "\x00",
                     "2025-01-01 18:00", "2025-02-30 18:00", "0001-01-01", "9999-12-31 23:59", "Shahed-136/131",
                     "Kh-101", "Iskander-M", "\"quoted, comma\"", "1", "3", "Clear", "Kyiv", "Government of Ukraine"])
CELLS = st.one_of(HOSTILE_CELLS, HOSTILE_CELLS, HOSTILE_CELLS, st.text(max_size=12))  # mostly the known-bad ones


AIR_ROW = ["2025-01-01 18:00", "2025-01-02 08:00", "Shahed-136/131", "10", "8", "1"]
UCDP_ROW = ["147997", "1", "2022-03-01", "2022-03-01", "3", "2", "5", "1", "1", "2", "1", "Clear", "50.45", "30.52",
            "Kyiv city", "Government of Russia (Soviet Union)", "Government of Ukraine"]


@st.composite
def rows_like(draw: st.DrawFn, valid: list[str]) -> list[list[str]]:
    """Rows that are valid but for one to three cells, each swapped for a hostile or random value."""
    rows = []
    for _ in range(draw(st.integers(1, 4))):
        row = list(valid)
        for _ in range(draw(st.integers(0, 3))):
            row[draw(st.integers(0, len(row) - 1))] = draw(CELLS).replace(",", ";").replace("\n", " ")
        rows.append(row)
    return rows


def _csv(header: str, rows: list[list[str]]) -> str:
    return header + "\n" + "\n".join(",".join(r) for r in rows) + "\n"


def _stored(url: str) -> tuple[int, ...]:
    return raw_counts(url, Incident, IncidentReport, WeaponCount)


@FUZZ
@given(rows=rows_like(AIR_ROW), strict=st.booleans())
@example(rows=[["0001-01-01 18:00", "0001-01-02 08:00", *AIR_ROW[2:]]], strict=False)  # OverflowError before
@example(rows=[[*AIR_ROW[:4], "1e308", "0"]], strict=False)  # OverflowError before
@example(rows=[[*AIR_ROW[:3], "5", "500", "0"]], strict=True)  # 500 destroyed of 5 launched: accepted before
def test_any_air_attack_csv_imports_or_is_refused_cleanly(settings: Settings, rows: list[list[str]],
                                                          strict: bool) -> None:
    path = Path(tempfile.mkdtemp(prefix="reassure-air-")) / "attacks.csv"
    path.write_text(_csv(AIR_HEADER, rows), encoding="utf-8")
    before = _stored(settings.database_url)
    try:
        with unit_of_work(settings, identity=who("GBR")) as db:
            result = actions.import_air_attacks(path, db=db, rel_to=PUBLIC, strict=strict)
        assert all(str(p) for p in result.problems)
    except InputError as error:
        assert error.problems
        assert _stored(settings.database_url) == before
    with unit_of_work(settings, identity=who("GBR")) as db:
        frame = incident_frame(db=db)
    for row in frame.iter_rows(named=True):  # nothing stored that contradicts itself or leaves the calendar
        assert 1990 <= row["start"].year <= 2100
        if row["launched"] is not None and row["destroyed"] is not None:
            assert row["destroyed"] <= row["launched"]


@FUZZ
@given(rows=rows_like(UCDP_ROW))
@example(rows=[["NaN", *UCDP_ROW[1:]]])  # accepted before as incident ucdp:NaN
def test_any_ucdp_csv_imports_or_is_refused_cleanly(settings: Settings, rows: list[list[str]]) -> None:
    path = Path(tempfile.mkdtemp(prefix="reassure-ucdp-")) / "ged.csv"
    path.write_text(_csv(UCDP_HEADER, rows), encoding="utf-8")
    before = _stored(settings.database_url)
    try:
        with unit_of_work(settings, identity=who("GBR")) as db:
            actions.import_ucdp(path, db=db, rel_to=PUBLIC)
    except InputError as error:
        assert error.problems
        assert _stored(settings.database_url) == before
    with unit_of_work(settings, identity=who("GBR")) as db:
        keys = [i.key for i in list_incidents(db=db)]
    assert all(re.fullmatch(r"ucdp:\d+", k) for k in keys), keys


@settings(max_examples=200, deadline=None, derandomize=True)
@given(text=st.text(max_size=400) | st.sampled_from(["Russia launched -5 drones.", "launched 1" + "0" * 4400]))
def test_report_extraction_never_fails(text: str) -> None:
    report = extract_report(text)
    for weapon in report.weapons:
        for name in ("launched", "destroyed", "suppressed", "neutralized", "impacted"):
            count = getattr(weapon, name)
            assert count is None or 0 <= count.value < 10**15


def test_report_extraction_is_linear_and_bounded() -> None:
    """32 KB of '(' took 32 s (a backtracking regex and a quadratic token scan); now time grows with the text."""
    def seconds(text: str) -> float:
        """The least CPU time of three runs: the machine is shared, so one run can be slowed by others."""
        runs = []
        for _ in range(3):
            started = time.process_time()
            extract_report(text)
            runs.append(time.process_time() - started)
        return min(runs)

    for filler in ("(", "1 ", "—", "drones "):
        small, large = filler * (4_000 // len(filler)), filler * (32_000 // len(filler))
        small_seconds, large_seconds = seconds(small), seconds(large)
        assert large_seconds < 20 * max(small_seconds, 0.01), (filler, small_seconds, large_seconds)  # 8x the text
    try:
        extract_report("x" * (MAX_REPORT_CHARS + 1))
    except ReportTooLong as error:
        assert "at most 100,000" in str(error)
    else:
        raise AssertionError("an over-long text was not refused")


@FUZZ
@given(body=st.binary(max_size=300) | st.sampled_from([
    b"rules:\n  - id: x\n    name: X\n    kind: alert\n    description: d\n    action: a\n    conditions:\n"
    b"      - indicator: launched\n        params: {category: 2.5}\n        comparator: '>='\n        threshold: 1\n",
    b"rules:\n  - id: ''\n", b"[" * 3000, b"rules: []\n# \xff\n", b"rules:\n  - {id: a, date: 2025-02-30}\n"]))
def test_any_rules_file_loads_or_is_refused_with_its_name(body: bytes) -> None:
    path = Path(tempfile.mkdtemp(prefix="reassure-rules-")) / "rules.yaml"
    path.write_bytes(body)
    try:
        load_rule_file(path)
    except RuleLoadError as error:
        assert "rules.yaml" in str(error)


@settings(max_examples=30, deadline=None, derandomize=True)
@given(body=st.binary(max_size=200) | st.sampled_from([b'{"horizon": "\xff"}', b"[" * 5000, b"{}", b"null"]))
def test_any_planner_file_is_solved_or_refused_with_exit_2(body: bytes) -> None:
    path = Path(tempfile.mkdtemp(prefix="reassure-plan-")) / "problem.json"
    path.write_bytes(body)
    result = CliRunner().invoke(app, ["plan", "solve", str(path), "--time-limit", "1"])
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 2 and "problem.json" in result.stderr


def test_a_report_text_with_a_nul_is_refused(settings: Settings) -> None:
    with unit_of_work(settings, identity=who("GBR")) as db:
        try:
            actions.ingest_report("Russia launched 5 drones on 3 March 2025.\x00", db=db, name="r.txt",
                                  publisher="P", rel_to=PUBLIC)
        except InputError as error:
            assert "NUL" in str(error)
        else:
            raise AssertionError("a NUL character was accepted")
    assert json.dumps(_stored(settings.database_url)) == "[0, 0, 0]"
