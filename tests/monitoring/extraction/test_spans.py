"""No invented figures: every number the extractor outputs is written in the text at its span.

The span reader (`figure_is_written`) is independent of the extractor's tokeniser. Texts are written for these
tests, or are the labelled set's (written for the project), or the shared Air Force texts when present.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from reassure.monitoring.extraction import extract_report
from reassure.monitoring.extraction.spans import figure_is_written, written_values
from reassure.monitoring.report import COUNT_FIELDS
from tests.conftest import SHARED_DATA
from tests.monitoring.extraction.figures import unwritten

REPO = Path(__file__).resolve().parents[3]
LABELLED = REPO / "benchmarks" / "data" / "extraction_labelled.yaml"


def test_spans_point_at_the_figures_in_the_original_text() -> None:
    text = (
        "Overnight\u00a0Russia launched  112 drones — 84 were shot down, and all 3 mis\u00adsiles were de\u00adstroyed."
    )
    report = extract_report(text)
    drone = report.weapon("drone")
    assert drone is not None and drone.spans is not None
    (start, end), = drone.spans["launched"]
    assert text[start:end] == "112"
    (start, end), = drone.spans["destroyed"]
    assert text[start:end] == "84"
    missile = report.weapon("missile")
    assert missile is not None and missile.spans is not None
    (start, end), = missile.spans["destroyed"]
    assert text[start:end] == "all 3"
    assert unwritten(text, report) == []


def test_all_without_a_number_gives_no_figure() -> None:
    for text in ("All drones were downed, the air force said.", "Усі дрони збито.",
                 "Air defence shot down all the attacking drones."):
        report = extract_report(text)
        assert all(w.count(n) is None for w in report.weapons for n in COUNT_FIELDS), text


def test_all_of_them_points_at_the_launched_figure() -> None:
    text = "Russia launched 14 drones overnight. Air defence destroyed every one of them."
    drone = extract_report(text).weapon("drone")
    assert drone is not None and drone.destroyed is not None and drone.destroyed.value == 14
    assert drone.spans is not None and [text[s:e] for s, e in drone.spans["destroyed"]] == ["14"]


def test_a_destroyed_list_sums_its_items_with_one_span_each() -> None:
    text = "ЗНИЩЕНО:\n- 3 БпЛА «Орлан-10»\n- 12 ударних БпЛА Shahed-136\n- БпЛА «Орлан-10»\n"
    report = extract_report(text)
    orlan = report.weapon("drone", "Орлан-10")
    assert orlan is not None and orlan.destroyed is not None and orlan.destroyed.value == 4
    assert orlan.spans is not None and [text[s:e] for s, e in orlan.spans["destroyed"]] == ["3", "БпЛА «Орлан-10»"]
    assert unwritten(text, report) == []


@pytest.mark.parametrize(
    ("snippet", "value"),
    [("twenty-three", 23), ("1,200", 1200), ("два", 2), ("обидва", 2), ("both", 2), ("a", 1), ("none", 0),
     ("two hundred and forty-five", 245), ("сто двадцять три", 123), ("всі 14", 14), ("40-50", 40)],
)
def test_the_span_reader_reads_number_words_and_digits(snippet: str, value: int) -> None:
    assert value in written_values(snippet)


def test_the_span_reader_refuses_a_figure_that_is_not_there() -> None:
    text = "Russia launched 14 drones."
    assert not figure_is_written(text, [(16, 18)], 1)
    assert not figure_is_written(text, [(16, 18)], 41)
    assert not figure_is_written(text, [(30, 40)], 14)  # outside the text
    assert not figure_is_written(text, [], 14)
    assert not figure_is_written("Kh-101 missiles", [(0, 6)], 101)  # a model's digits are no count


def test_every_figure_of_the_labelled_set_is_written_at_its_span() -> None:
    items = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))
    bad = [f"{item['id']}: {line}" for item in items for line in unwritten(item["text"], extract_report(item["text"]))]
    assert bad == []


@pytest.mark.shared_data
def test_every_figure_of_the_air_force_texts_is_written_at_its_span() -> None:
    path = SHARED_DATA / "ua-airforce-report-texts" / "report_texts.csv"
    if not path.exists():
        pytest.skip(f"../shared/data not present: {path} is missing (set REASSURE_SHARED_DATA)")
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    bad = [
        f"{row['message_id']}: {line}" for row in rows for line in unwritten(row["text"], extract_report(row["text"]))
    ]
    assert bad == []


_EN_WORDS = {1: "one", 2: "two", 3: "three", 7: "seven", 12: "twelve", 23: "twenty-three", 45: "forty-five"}
_UK_WORDS = {1: "одну", 2: "дві", 3: "три", 7: "сім", 12: "дванадцять", 23: "двадцять три"}
_PAD = st.sampled_from(["", " ", "  ", "\u00a0", "\n"])


@settings(max_examples=200, deadline=None)
@given(
    launched=st.integers(min_value=1, max_value=5000),
    downed=st.integers(min_value=0, max_value=5000),
    missiles=st.sampled_from(sorted(_EN_WORDS)),
    lost=st.integers(min_value=0, max_value=300),
    pad=_PAD,
    dash=st.sampled_from(["-", "–", "—", ","]),
    template=st.sampled_from([
        "Russia launched {launched:,} Shahed drones and {missiles_w} Kh-101 missiles{pad}overnight{dash} air defence"
        " shot down {downed} drones and all {missiles} missiles, while {lost} drones were lost from radar.",
        "Of the {launched} drones,{pad}{downed} were shot down {dash} {lost} went off radar. Every one of the"
        " {missiles} Kalibr missiles was destroyed.",
        "Ворог атакував {launched} ударними БпЛА{pad}та {missiles_uk} ракетами Х-59. Збито {downed} БпЛА,"
        " ще {lost} {dash} локаційно втрачені. Усі ракети збито.",
    ]),
)
def test_no_figure_is_invented_in_generated_reports(
    launched: int, downed: int, missiles: int, lost: int, pad: str, dash: str, template: str
) -> None:
    text = template.format(launched=launched, downed=min(downed, launched), missiles=missiles, lost=lost, pad=pad,
                           dash=dash, missiles_w=_EN_WORDS[missiles], missiles_uk=_UK_WORDS.get(missiles, missiles))
    report = extract_report(text)
    assert unwritten(text, report) == []
    assert report.weapons, text
