"""Regions named in report texts (English and Ukrainian) and counts of regions without names."""

from __future__ import annotations

import json

import pytest

from reassure.monitoring.extraction import extract_report
from reassure.monitoring.extraction.regions import extract_region_count, extract_regions
from reassure.monitoring.report import AirAttackReport


@pytest.mark.parametrize(("text", "codes"), [
    ("Hits were recorded in Kharkiv Oblast and in Dnipropetrovsk.", ["UA-63", "UA-12"]),
    ("Kharkiv, Sumy and Kyiv regions came under attack.", ["UA-63", "UA-59", "UA-32"]),
    ("Drones struck Kyiv; debris fell in the Kyiv region.", ["UA-30", "UA-32"]),
    ("Zaporizhzhya oblast, Odessa and Zhitomir were hit.", ["UA-23", "UA-51", "UA-18"]),
    ("Влучання зафіксовані на Харківщині та Дніпропетровщині.", ["UA-63", "UA-12"]),
    ("Пошкоджено будинок у Бучанському районі Київської області, уламки впали у Києві.", ["UA-32", "UA-30"]),
    ("Збито над Одещиною, Миколаївщиною і Запоріжжям; атаковано Харківську область.",
     ["UA-51", "UA-48", "UA-23", "UA-63"]),
    ("Удар по Львову та Львівщині; у Полтавській обл. без наслідків.", ["UA-46", "UA-53"]),
])
def test_regions_are_read_in_both_languages_and_case_forms(text: str, codes: list[str]) -> None:
    assert extract_regions(text) == codes


@pytest.mark.parametrize("text", [
    "Russia launched 40 drones from Kursk, Millerovo and occupied Crimea.",
    "Противник атакував 50 БпЛА з напрямків: Курськ, Приморсько-Ахтарськ, Чауда – ТОТ Криму.",
    "The Shaheds were launched from the direction of Crimea.",
])
def test_a_launch_site_is_no_region_the_attack_reached(text: str) -> None:
    assert extract_regions(text) == []


@pytest.mark.parametrize(("text", "value", "qualifier"), [
    ("Air defence worked over six regions.", 6, "at_least"),
    ("Damage was reported in 6 regions.", 6, "exact"),
    ("Hits in about 10 oblasts.", 10, "approx"),
    ("Наслідки атаки зафіксовано у восьми областях.", 8, "exact"),
    ("Понад 10 регіонах оголошено тривогу.", 10, "at_least"),
    ("Наслідки у п’яти областях.", 5, "exact"),
])
def test_a_count_of_regions_without_names(text: str, value: int, qualifier: str) -> None:
    count = extract_region_count(text)
    assert count is not None and (count.value, count.qualifier) == (value, qualifier)


@pytest.mark.parametrize("text", ["Hits on 14 locations.", "Drones hit 40 regions of Russia.", "One region."])
def test_no_count_of_regions_is_invented(text: str) -> None:
    assert extract_region_count(text) is None


def test_the_report_json_carries_regions_as_optional_keys() -> None:
    text = ("On 4 September 2025 Russia launched 112 drones; 84 were shot down. Hits in Kharkiv oblast and over six "
            "regions.")
    data = json.loads(extract_report(text).to_json())
    assert data["regions"] == ["UA-63"]
    assert data["region_count"] == {"value": 6, "qualifier": "at_least"}
    plain = json.loads(extract_report("On 4 September 2025 Russia launched 112 drones; 84 were shot down.").to_json())
    assert "regions" not in plain and "region_count" not in plain  # a text without regions: the §4 JSON as before
    old = {k: v for k, v in data.items() if k not in ("regions", "region_count")}
    assert AirAttackReport.model_validate(old).regions == []  # a file without the keys stays valid
    assert AirAttackReport.model_validate(data).regions == ["UA-63"]  # and the keys round-trip


def test_an_unknown_region_code_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown region codes"):
        AirAttackReport.model_validate({"regions": ["UA-99"]})
