"""Report-text extraction: phrasings real reports use, qualifiers, categories, dates, the §4 shape.

Every sentence here was written for these tests in the style of real reports; none is copied.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from reassure.monitoring.extraction import extract_report
from reassure.monitoring.report import AirAttackReport, Count, WeaponCounts


def counts(report: AirAttackReport, category: str) -> dict[str, tuple[int, str] | None]:
    """Return the five counts of the one entry of ``category`` as (value, qualifier) or None."""
    entries = [w for w in report.weapons if w.category == category]
    assert len(entries) == 1, f"expected one {category} entry, got {report.weapons}"
    return {
        name: None if (c := entries[0].count(name)) is None else (c.value, c.qualifier)
        for name in ("launched", "destroyed", "suppressed", "neutralized", "impacted")
    }


def test_launched_then_destroying_with_both() -> None:
    text = (
        "Russia launched 31 drones and 2 missiles at Ukraine overnight, the air force said, "
        "destroying 28 drones and both missiles."
    )
    report = extract_report(text)
    assert counts(report, "drone")["launched"] == (31, "exact")
    assert counts(report, "drone")["destroyed"] == (28, "exact")
    assert counts(report, "missile")["launched"] == (2, "exact")
    assert counts(report, "missile")["destroyed"] == (2, "exact")


def test_all_n_is_exact_and_states_the_total() -> None:
    report = extract_report("Air defence units shot down all 14 drones launched overnight, the air force said.")
    assert counts(report, "drone")["destroyed"] == (14, "exact")
    assert counts(report, "drone")["launched"] == (14, "exact")


def test_over_100_strike_and_decoy_drones_is_one_drone_entry() -> None:
    report = extract_report("Russia sent over 100 strike and decoy drones towards Ukraine after nightfall.")
    assert [w.category for w in report.weapons] == ["drone"]
    assert counts(report, "drone")["launched"] == (100, "at_least")


def test_of_which_refers_back_to_the_drones() -> None:
    report = extract_report("The enemy attacked with 67 long-range drones, 58 of which were shot down.")
    assert counts(report, "drone")["launched"] == (67, "exact")
    assert counts(report, "drone")["destroyed"] == (58, "exact")


def test_colon_tally_downed_lost_returned() -> None:
    report = extract_report("Overnight Russia used 132 drones: 88 downed, 41 lost, one returned to Belarus.")
    got = counts(report, "drone")
    assert got["launched"] == (132, "exact")
    assert got["destroyed"] == (88, "exact")
    assert got["suppressed"] == (41, "exact")
    assert got["neutralized"] is None  # "one returned" is in no field; nothing is added up


def test_a_total_of_model_uavs_were_launched() -> None:
    report = extract_report("A total of 48 Shahed-136/131 strike UAVs were launched from the Kursk direction.")
    assert report.weapons[0].model == "Shahed-136/131"
    assert counts(report, "drone")["launched"] == (48, "exact")


def test_intercepted_or_jammed_is_neutralized() -> None:
    report = extract_report("Russia launched 90 drones overnight; 77 were intercepted or jammed.")
    got = counts(report, "drone")
    assert got["neutralized"] == (77, "exact")
    assert got["destroyed"] is None and got["suppressed"] is None


def test_shot_down_slash_suppressed_is_neutralized() -> None:
    report = extract_report("As of 08:30, air defence shot down/suppressed 64 enemy UAVs.")
    assert counts(report, "drone")["neutralized"] == (64, "exact")


@pytest.mark.parametrize(
    "text",
    [
        "Another 20 drones were locationally lost.",
        "Another 20 drones were jammed by electronic warfare.",
        "Another 20 drones failed to reach their targets.",
        "Another 20 drones were lost from radar.",
    ],
)
def test_suppressed_phrasings(text: str) -> None:
    assert counts(extract_report(text), "drone")["suppressed"] == (20, "exact")


def test_hits_count_weapons_not_locations() -> None:
    report = extract_report("Hits by 19 attack UAVs were recorded at 8 locations, and debris fell at 3 more.")
    assert counts(report, "drone")["impacted"] == (19, "exact")
    assert extract_report("Russian missiles hit 14 locations across the country.").weapons == []


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("twenty-three", (23, "exact")),
        ("one hundred and twelve", (112, "exact")),
        ("nine", (9, "exact")),
        ("a dozen", (12, "approx")),
        ("about 40", (40, "approx")),
        ("around 40", (40, "approx")),
        ("nearly 40", (40, "approx")),
        ("more than 40", (40, "at_least")),
        ("at least 40", (40, "at_least")),
        ("up to 40", (40, "at_most")),
        ("no more than 40", (40, "at_most")),
        ("1,200", (1200, "exact")),
        ("between 40 and 50", (40, "at_least")),
        ("40-50", (40, "at_least")),
        ("40 to 50", (40, "at_least")),
        ("up to 40-50", (50, "at_most")),
    ],
)
def test_numbers_words_qualifiers_and_ranges(phrase: str, expected: tuple[int, str]) -> None:
    report = extract_report(f"Russia launched {phrase} drones at Ukraine overnight.")
    assert counts(report, "drone")["launched"] == expected


@pytest.mark.parametrize(
    ("text", "category", "model"),
    [
        ("Russia launched 25 decoy drones.", "decoy_drone", None),
        ("Russia launched 25 Shahed and Gerbera drones.", "drone", "Shahed/Gerbera"),
        ("Russia launched 25 Geran-2 drones.", "drone", "Geran-2"),
        ("Russia launched 5 Kalibr cruise missiles.", "cruise_missile", "Kalibr"),
        ("Russia launched 5 Kh-101/Kh-555 missiles.", "cruise_missile", "Kh-101/Kh-555"),
        ("Russia launched 5 Iskander-M/KN-23 missiles.", "ballistic_missile", "Iskander-M/KN-23"),
        ("Russia launched 5 Kinzhal missiles.", "ballistic_missile", "Kinzhal"),
        ("Russia launched 5 Kh-59 missiles.", "guided_air_missile", "Kh-59"),
        ("Russia launched 5 Kh-31P anti-radar missiles.", "guided_air_missile", "Kh-31P"),
        ("Russia launched 5 missiles.", "missile", None),
        ("Russia launched 5 ballistic missiles.", "ballistic_missile", None),
        ("Russian aircraft dropped 50 KABs.", "guided_bomb", "KAB"),
        ("Russian aircraft dropped 50 guided aerial bombs.", "guided_bomb", None),
    ],
)
def test_categories_and_models(text: str, category: str, model: str | None) -> None:
    report = extract_report(text)
    assert [(w.category, w.model) for w in report.weapons] == [(category, model)]
    assert counts(report, category)["launched"] is not None


def test_unknown_stays_null() -> None:
    report = extract_report("Russia launched 40 drones overnight; most of them were shot down.")
    got = counts(report, "drone")
    assert got["launched"] == (40, "exact")
    assert got["destroyed"] is None and got["neutralized"] is None and got["impacted"] is None
    assert extract_report("Explosions were heard in the capital during a drone attack.").weapons == []
    assert extract_report("Dozens of drones targeted the city, officials said.").weapons == []


def test_other_numbers_are_not_counts() -> None:
    text = "Injuring 5 people in 3 regions, 12 drones struck Odesa on Sept. 4, 2025 at 04:30, 90% of them at night."
    report = extract_report(text)
    assert [(w.category, w.impacted) for w in report.weapons] == [("drone", Count(value=12))]


def test_n_of_m_and_none() -> None:
    report = extract_report("Air defence destroyed 44 of the 48 drones and none of the three Kh-22 missiles.")
    assert counts(report, "drone")["launched"] == (48, "exact")
    assert counts(report, "drone")["destroyed"] == (44, "exact")
    assert counts(report, "cruise_missile")["launched"] == (3, "exact")
    assert counts(report, "cruise_missile")["destroyed"] == (0, "exact")


def test_full_breakdown_replaces_the_generic_total() -> None:
    text = "The enemy used 13 missiles, including 4 Iskander-M ballistic missiles and 9 Kh-101 cruise missiles."
    report = extract_report(text)
    assert sorted(w.category for w in report.weapons) == ["ballistic_missile", "cruise_missile"]


def test_russian_ministry_report_flips_the_sides() -> None:
    report = extract_report("Russia's defence ministry said air defences destroyed 41 Ukrainian drones overnight.")
    assert (report.attacker, report.defender) == ("UKR", "RUS")
    assert report.reported_by == "Russian Ministry of Defence"


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        ("Overnight on 4 September Russia launched 40 drones.", dt.date(2025, 9, 5), dt.date(2025, 9, 4)),
        ("On Sept. 4, 2025, Russia launched 40 drones.", None, dt.date(2025, 9, 4)),
        ("On the night of September 6-7 Russia launched 40 drones.", dt.date(2025, 9, 7), dt.date(2025, 9, 7)),
        ("From 18:00 on 5 May to 07:00 on 6 May the enemy launched 24 drones.", dt.date(2024, 5, 6),
         dt.date(2024, 5, 6)),
        ("Overnight on 30 December Russia launched 40 drones.", dt.date(2025, 1, 2), dt.date(2024, 12, 30)),
        ("Russia launched 40 drones overnight.", dt.date(2025, 3, 3), dt.date(2025, 3, 3)),
        ("Russia launched 40 drones overnight.", None, None),
        ("Overnight on 4 September Russia launched 40 drones.", None, None),
    ],
)  # fmt: skip
def test_dates(text: str, reference: dt.date | None, expected: dt.date | None) -> None:
    assert extract_report(text, date=reference).date == expected


def test_ukrainian_destroyed_list_written_for_the_test() -> None:
    text = (
        '12.02.2024\n(07.00)\n\nЗНИЩЕНО:\n- 17 ударних БПЛА "Shahed-136/131"\n- дві крилаті ракети «Калібр»\n'
        "- 1 керовану авіаційну ракету Х-59\n- БПЛА «Орлан-10»\n- штурмовик Су-25\n\nПовітряні Сили\n"
    )
    report = extract_report(text)
    assert report.date == dt.date(2024, 2, 12)
    assert report.reported_by == "Ukrainian Air Force"
    got = {(w.category, w.model): w.destroyed for w in report.weapons}
    assert got == {
        ("drone", "Shahed-136/131"): Count(value=17),
        ("cruise_missile", "Калібр"): Count(value=2),
        ("guided_air_missile", "Х-59"): Count(value=1),
        ("drone", "Орлан-10"): Count(value=1),  # no number: one unit; the Su-25 is no weapon
    }
    assert all(w.launched is None for w in report.weapons)


def test_ukrainian_narrative_written_for_the_test() -> None:
    text = (
        "У ніч на 9 березня ворог атакував 88 ударними БпЛА типу Shahed та дронами-імітаторами. "
        "Станом на 09:00 збито 51 ворожий БпЛА, ще 30 локаційно втрачено. Зафіксовано влучання 7 БпЛА на 4 локаціях."
    )
    report = extract_report(text, date=dt.date(2025, 3, 9))
    assert report.date == dt.date(2025, 3, 9)
    got = counts(report, "drone")
    assert got == {
        "launched": (88, "exact"),
        "destroyed": (51, "exact"),
        "suppressed": (30, "exact"),
        "neutralized": None,
        "impacted": (7, "exact"),
    }


def test_json_has_the_exact_design_shape() -> None:
    report = extract_report("On Sept. 4, 2025, Russia launched 112 drones; 84 were shot down or suppressed.")
    data = json.loads(report.to_json())
    assert list(data) == ["reported_by", "attacker", "defender", "date", "weapons"]
    assert data["date"] == "2025-09-04"
    assert data["weapons"] == [
        {
            "category": "drone",
            "model": None,
            "launched": {"value": 112, "qualifier": "exact"},
            "destroyed": None,
            "suppressed": None,
            "neutralized": {"value": 84, "qualifier": "exact"},
            "impacted": None,
            "spans": {"launched": [[34, 37]], "neutralized": [[46, 48]]},  # optional key (docs/adr/0016)
        }
    ]
    assert AirAttackReport.model_validate_json(report.to_json()) == report
    old_file = {**data, "weapons": [{k: v for k, v in w.items() if k != "spans"} for w in data["weapons"]]}
    assert AirAttackReport.model_validate(old_file).weapons[0].spans is None  # files without spans stay valid


def test_models_forbid_unknown_keys_and_negative_counts() -> None:
    with pytest.raises(ValidationError):
        WeaponCounts.model_validate({"category": "drone", "shot_down": 3})
    with pytest.raises(ValidationError):
        Count(value=-1)
    with pytest.raises(ValidationError):
        WeaponCounts.model_validate({"category": "helicopter"})


_WORDS = {2: "two", 3: "three", 7: "seven", 11: "eleven", 20: "twenty", 45: "forty-five"}


@settings(max_examples=150, deadline=None)
@given(
    launched=st.integers(min_value=1, max_value=2000),
    share=st.floats(min_value=0.0, max_value=1.0),
    lost=st.integers(min_value=0, max_value=300),
    missiles=st.sampled_from(sorted(_WORDS)),
    words=st.booleans(),
    qualifier=st.sampled_from([("", "exact"), ("more than ", "at_least"), ("about ", "approx"), ("up to ", "at_most")]),
)
def test_templated_report_round_trips(
    launched: int, share: float, lost: int, missiles: int, words: bool, qualifier: tuple[str, str]
) -> None:
    destroyed = int(launched * share)
    written = _WORDS[missiles] if words else str(missiles)
    text = (
        f"Overnight the enemy launched {qualifier[0]}{launched:,} Shahed drones and {written} Kh-101 cruise missiles. "
        f"Air defence shot down {destroyed} drones and {missiles - 1} missiles, while {lost} drones were "
        f"locationally lost."
    )
    report = extract_report(text)
    drone, cruise = counts(report, "drone"), counts(report, "cruise_missile")
    assert drone["launched"] == (launched, qualifier[1])
    assert drone["destroyed"] == (destroyed, "exact")
    assert drone["suppressed"] == (lost, "exact")
    assert cruise["launched"] == (missiles, "exact")
    assert cruise["destroyed"] == (missiles - 1, "exact")
    assert extract_report(text) == report  # deterministic


def test_extraction_core_imports_no_adapter_or_database_code() -> None:
    code = (
        "import sys, reassure.monitoring.extraction.extract as m; "
        "bad = [n for n in sys.modules if n.split('.')[0] in ('sqlalchemy', 'typer', 'fastapi', 'jinja2') "
        "or n.startswith(('reassure.db', 'reassure.domains', 'reassure.cli'))]; print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


_TEMPLATES = {
    "of_which": ("Russia launched {L} drones overnight, {D} of which were shot down.", ("launched", "destroyed")),
    "of_the": (
        "Of the {L} drones launched, {D} were destroyed and {S} were locationally lost.",
        ("launched", "destroyed", "suppressed"),
    ),
    "n_of_m": (
        "Air defence destroyed {D} of {L} drones; another {S} were jammed.",
        ("launched", "destroyed", "suppressed"),
    ),
    "neutral": (
        "The enemy attacked with {L} Shahed UAVs. {N} were shot down or suppressed.",
        ("launched", "neutralized"),
    ),
    "hits": (
        "Russia fired {L} missiles; hits by {I} missiles were recorded at {X} locations.",
        ("launched", "impacted"),
    ),
}


@settings(max_examples=200, deadline=None)
@given(
    template=st.sampled_from(sorted(_TEMPLATES)),
    launched=st.integers(min_value=3, max_value=900),
    data=st.data(),
)
def test_phrasing_templates_round_trip(template: str, launched: int, data: st.DataObject) -> None:
    destroyed = data.draw(st.integers(min_value=0, max_value=launched - 1))
    values = {
        "launched": launched,
        "destroyed": destroyed,
        "suppressed": launched - destroyed,
        "neutralized": destroyed,
        "impacted": data.draw(st.integers(min_value=1, max_value=launched)),
    }
    pattern, fields = _TEMPLATES[template]
    text = pattern.format(
        L=launched, D=destroyed, S=values["suppressed"], N=destroyed, I=values["impacted"], X=launched + 1
    )
    category = "missile" if "missiles" in text else "drone"
    got = counts(extract_report(text), category)
    for name, value in got.items():
        assert value == ((values[name], "exact") if name in fields else None), (text, name)


def _words(n: int) -> str:
    """Write 0 <= n < 1000 in English words (independently of the code under test)."""
    units = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    units += "seventeen eighteen nineteen"
    small = units.split()
    tens = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    if n < 20:
        return small[n]
    if n < 100:
        return tens[n // 10 - 2] + ("" if n % 10 == 0 else "-" + small[n % 10])
    rest = n % 100
    return small[n // 100] + " hundred" + ("" if rest == 0 else " and " + _words(rest))


@settings(max_examples=200, deadline=None)
@given(n=st.integers(min_value=1, max_value=999))
def test_number_words_round_trip(n: int) -> None:
    report = extract_report(f"The enemy launched {_words(n)} drones; air defence shot down {n - 1} of them.")
    got = counts(report, "drone")
    assert got["launched"] == (n, "exact")
    assert got["destroyed"] == (n - 1, "exact")
