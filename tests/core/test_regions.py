"""Region keys: ISO 3166-2:UA codes for every spelling, labels in English."""

from __future__ import annotations

import pycountry
import pytest

from reassure.core.regions import REGION_LABELS, region_code, region_codes, region_label


def test_every_code_is_an_iso_subdivision_of_ukraine_and_every_subdivision_has_a_label() -> None:
    iso = {s.code for s in pycountry.subdivisions.get(country_code="UA")}
    assert set(REGION_LABELS) == iso
    assert len(REGION_LABELS) == 27  # 24 oblasts, Kyiv city, Crimea, Sevastopol


@pytest.mark.parametrize(("text", "code"), [
    ("Kharkiv", "UA-63"), ("Kharkiv Oblast", "UA-63"), ("kharkov region", "UA-63"), ("Харківщина", "UA-63"),
    ("Харківська область", "UA-63"), ("Dnipropetrovsk", "UA-12"), ("Дніпропетровщина", "UA-12"),
    ("Zaporizhzhya oblast", "UA-23"), ("Odessa", "UA-51"), ("ua-51", "UA-51"), ("Kyiv", "UA-30"),
    ("Kyiv Oblast", "UA-32"), ("Київська область", "UA-32"), ("Crimea", "UA-43"), ("Sevastopol", "UA-40"),
    ("Kyiv City", "UA-30"),
])
def test_region_code_reads_english_ukrainian_and_codes(text: str, code: str) -> None:
    assert region_code(text) == code


@pytest.mark.parametrize("text", [None, "", "Ukraine", "Mars", "UA-99", "Odesa oblast and Mykolaiv oblast"])
def test_region_code_refuses_what_is_no_single_region(text: str | None) -> None:
    assert region_code(text) is None


def test_labels_are_english_and_unknown_values_match_nothing() -> None:
    assert region_label("UA-63") == "Kharkiv Oblast"
    assert region_label(None) == "—"
    assert region_codes(["Kharkiv", "Atlantis"]) == ["UA-63", "Atlantis"]
    assert region_codes(None) is None
