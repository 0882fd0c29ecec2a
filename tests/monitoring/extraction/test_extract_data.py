"""Extraction on files: the two seed articles, the real Air Force ЗНИЩЕНО texts, the labelled set.

Article texts and the Air Force texts are read from ../shared (never copied into the repository); the
tests skip cleanly when those files are absent.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import runpy
from pathlib import Path
from typing import Any

import pytest
import yaml

from reassure.monitoring.extraction import extract_report
from reassure.monitoring.report import AirAttackReport, Count

REPO = Path(__file__).resolve().parents[3]
SHARED_DATA = Path(os.environ.get("REASSURE_SHARED_DATA", REPO / ".." / "shared" / "data")).resolve()
SEEDS = SHARED_DATA.parent / "seeds"
UA_TEXTS = SHARED_DATA / "ua-airforce-report-texts"


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"../shared/data not present: {path} is missing (set REASSURE_SHARED_DATA)")
    return path


def _seed(prefix: str) -> AirAttackReport:
    folder = _need(SEEDS)
    files = sorted(folder.glob(f"{prefix}_*.txt"))
    if not files:
        pytest.skip(f"../shared/data not present: no seed {prefix}_*.txt in {folder}")
    return extract_report(files[0].read_text(encoding="utf-8"))


@pytest.mark.shared_data
def test_seed_000_strike_and_decoy_drones() -> None:
    report = _seed("000")
    assert report.date == dt.date(2025, 9, 4)
    assert report.reported_by == "Ukrainian Air Force"
    assert len(report.weapons) == 1
    drone = report.weapons[0]
    assert drone.category == "drone"
    assert drone.launched == Count(value=112, qualifier="exact")
    assert drone.neutralized == Count(value=84, qualifier="exact")  # "intercepted or jammed"
    assert drone.destroyed is None and drone.suppressed is None and drone.impacted is None


@pytest.mark.shared_data
def test_seed_002_over_100_and_no_figure_for_the_intercepts() -> None:
    report = _seed("002")
    assert len(report.weapons) == 1
    drone = report.weapons[0]
    assert drone.category == "drone"
    assert drone.launched == Count(value=100, qualifier="at_least")
    assert drone.neutralized is None and drone.destroyed is None  # "a significant portion" is no number


@pytest.mark.shared_data
def test_both_seeds_describe_the_same_attack() -> None:
    first, second = _seed("000"), _seed("002")
    assert [(w.category, w.model) for w in first.weapons] == [(w.category, w.model) for w in second.weapons]
    exact, bound = first.weapons[0].launched, second.weapons[0].launched
    assert exact is not None and bound is not None and bound.admits(exact.value)
    assert first.date is not None and second.date is not None
    assert abs((second.date - first.date).days) <= 1  # 002 carries its publication date only


def _ua_rows() -> list[dict[str, str]]:
    path = _need(UA_TEXTS / "report_texts.csv")
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.shared_data
def test_real_destroyed_lists_give_destroyed_counts_only() -> None:
    rows = _ua_rows()
    reports = [extract_report(r["text"], date=dt.date.fromisoformat(r["posted_at"][:10])) for r in rows]
    lists = [rep for row, rep in zip(rows, reports, strict=True) if "ЗНИЩЕНО" in row["text"].upper()]
    with_weapons = [r for r in lists if r.weapons]
    assert len(with_weapons) >= 250
    for report in with_weapons:
        for weapon in report.weapons:
            assert weapon.destroyed is not None
            assert weapon.launched is None and weapon.impacted is None
    by_id = {row["message_id"]: report for row, report in zip(rows, reports, strict=True)}
    first = by_id.get("1115")
    if first is not None:  # the first post of 2023: Shahed drones only
        assert [(w.category, w.destroyed) for w in first.weapons] == [("drone", Count(value=45))]
        assert first.date == dt.date(2023, 1, 1)


@pytest.mark.shared_data
def test_real_texts_agree_with_the_reference_table_mostly() -> None:
    """Agreement with an LLM-produced table (not ground truth): a regression guard, not accuracy."""
    _need(UA_TEXTS / "destroyed_targets_parsed.csv")
    bench: dict[str, Any] = runpy.run_path(str(REPO / "benchmarks" / "extraction.py"))
    reference: dict[dt.date, dict[str, int]] = {}
    with (UA_TEXTS / "destroyed_targets_parsed.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            day = reference.setdefault(dt.date.fromisoformat(row["checkpoint_date"]), {})
            for column, category in bench["REFERENCE_COLUMNS"].items():
                if row.get(column):
                    day[category] = day.get(category, 0) + int(float(row[column]))
    extracted: dict[dt.date, dict[str, int]] = {}
    for row in _ua_rows():
        report = extract_report(row["text"], date=dt.date.fromisoformat(row["posted_at"][:10]))
        for weapon in report.weapons:
            if report.date is not None and weapon.destroyed is not None:
                day = extracted.setdefault(report.date, {})
                day[weapon.category] = day.get(weapon.category, 0) + weapon.destroyed.value
    days = set(reference) & set(extracted)
    assert len(days) >= 200
    agreeing = sum(reference[d] == {c: v for c, v in extracted[d].items() if v} for d in days)
    assert agreeing / len(days) >= 0.9


def test_labelled_set_meets_the_target() -> None:
    items = yaml.safe_load((REPO / "benchmarks" / "data" / "extraction_labelled.yaml").read_text(encoding="utf-8"))
    assert len(items) >= 40
    right = total = 0
    for item in items:
        report = extract_report(item["text"], date=item.get("date_arg"))
        for expected in item["weapons"]:
            same = [w for w in report.weapons if w.category == expected["category"]]
            model = expected.get("model")
            got = next((w for w in same if w.model == model), same[0] if same else None)
            for name in ("launched", "destroyed", "suppressed", "neutralized", "impacted"):
                want = expected.get(name)
                have = got.count(name) if got is not None else None
                total += 1
                right += (None if have is None else [have.value, have.qualifier]) == want
    assert right / total >= 0.95
