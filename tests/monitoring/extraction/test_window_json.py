"""The §4 JSON's optional `window` key (docs/adr/0021): written by the extractor, read back, old files stay valid."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from pydantic import ValidationError

from reassure.monitoring.extraction import extract_report
from reassure.monitoring.extraction.dates import says_night
from reassure.monitoring.report import AirAttackReport, ReportWindow

D = dt.datetime
SEPT_14 = dt.date(2025, 9, 14)


@pytest.mark.parametrize(("text", "window"), [
    ("From 18:00 on 13 September to 09:00 on 14 September, air defences shot down 52 Shahed drones.",
     {"from": "2025-09-13T18:00:00", "to": "2025-09-14T09:00:00", "basis": "stated"}),
    ("Russia launched 112 strike and decoy drones at Ukraine overnight; 84 were intercepted.",
     {"from": "2025-09-13T18:00:00", "to": "2025-09-14T09:00:00", "basis": "night"}),
    ("Вночі противник атакував 40 ударними БпЛА типу Shahed, збито 35.",
     {"from": "2025-09-13T18:00:00", "to": "2025-09-14T09:00:00", "basis": "night"}),
    ("У ніч на 14 вересня противник атакував 40 ударними БпЛА.",
     {"from": "2025-09-13T18:00:00", "to": "2025-09-14T09:00:00", "basis": "night"}),
])
def test_the_window_is_written_and_read_back(text: str, window: dict[str, str]) -> None:
    report = extract_report(text, date=SEPT_14)
    data = json.loads(report.to_json())
    assert data["window"] == window
    back = AirAttackReport.model_validate_json(report.to_json())
    assert back == report and back.window is not None and back.window.basis == window["basis"]


@pytest.mark.parametrize(("posted", "night"), [("(07.00)", True), ("(11.00)", True), ("(18.00)", False),
                                               ("(за добу)", False), ("", False)])
def test_the_air_force_morning_post_is_the_night_before_its_date(posted: str, night: bool) -> None:
    text = f"14.09.2025\n{posted}\n\nЗНИЩЕНО:\n- 40 ударних БпЛА Shahed\n- 2 крилаті ракети Х-101\n"
    report = extract_report(text)
    assert report.date == SEPT_14 and len(report.weapons) == 2
    expected = ReportWindow.of(D(2025, 9, 13, 18), D(2025, 9, 14, 9), "night") if night else None
    assert report.window == expected


@pytest.mark.parametrize("text", [
    "On 14 September Russia launched 7 drones at Odesa; 4 were shot down.",
    "Russia launched 7 drones overnight and during the day on 14 September; 4 were shot down.",
    "Протягом дня 14 вересня та вночі противник запустив 7 БпЛА.",
])
def test_no_times_and_no_night_leaves_the_key_out(text: str) -> None:
    report = extract_report(text, date=SEPT_14)
    assert report.window is None and "window" not in json.loads(report.to_json())


def test_an_old_file_without_the_key_stays_valid() -> None:
    old = {"reported_by": "Ukrainian Air Force", "attacker": "RUS", "defender": "UKR", "date": "2025-09-04",
           "weapons": [{"category": "drone", "model": "Shahed-136/131",
                        "launched": {"value": 112, "qualifier": "exact"},
                        "neutralized": {"value": 84, "qualifier": "exact"},
                        "destroyed": None, "suppressed": None, "impacted": None}]}
    report = AirAttackReport.model_validate(old)
    assert report.window is None
    assert "window" not in json.loads(report.to_json())


def test_basis_is_optional_and_a_bad_window_is_refused() -> None:
    report = AirAttackReport.model_validate({"date": "2025-09-14", "window": {"from": "2025-09-13T21:00:00",
                                                                             "to": "2025-09-14T06:00:00"}})
    assert report.window is not None and report.window.basis == "stated"
    for bad in ({"from": "2025-09-14T09:00:00", "to": "2025-09-13T18:00:00"},
                {"from": "2025-09-13T18:00:00", "to": "2025-09-14T09:00:00", "basis": "guess"},
                {"from": "2025-09-13T18:00:00+03:00", "to": "2025-09-14T09:00:00+03:00"},
                {"from": "2025-09-13T18:00:00", "to": "2025-09-14T09:00:00", "extra": 1}):
        with pytest.raises(ValidationError):
            AirAttackReport.model_validate({"date": "2025-09-14", "window": bad})


@pytest.mark.parametrize(("text", "night"), [
    ("overnight", True), ("on the night of 13-14 September", True), ("last night", True), ("вночі", True),
    ("уночі", True), ("нічна атака", True), ("Nightingale", False), ("knights", False), ("during the day", False),
    ("overnight and during the day", False), ("вдень", False),
])
def test_night_words(text: str, night: bool) -> None:
    assert says_night(text) is night
