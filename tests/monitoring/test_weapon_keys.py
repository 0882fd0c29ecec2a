"""One catalogue key per weapon, whatever the language: extraction and the CSV feed line up."""

from __future__ import annotations

from pathlib import Path

import pytest

from reassure.monitoring.extraction import extract_report
from reassure.monitoring.feeds.air_attack_csv import read_air_attacks
from reassure.monitoring.feeds.weapons import builtin_catalogue
from reassure.monitoring.report import WeaponCounts
from reassure.monitoring.weapon_keys import CATALOGUE, weapon_key, weapon_label


@pytest.mark.parametrize(
    ("names", "key"),
    [
        (["Іскандер-М", "Iskander-M", "Искандер-М", "iskander-m"], "iskander-m"),
        (["Х-101", "Kh-101", "X-101", "Х101"], "kh-101"),
        (["Шахед", "Shahed-136/131", "Shahed", "Герань-2", "Geran-2", "шахедів"], "shahed"),
        (["Калібр", "Kalibr", "Калибр"], "kalibr"),
        (["Кинджал", "Kinzhal", "X-47 Kinzhal", "Х-47М2"], "kinzhal"),
        (["Орлан-10", "Orlan-10"], "orlan-10"),
        (["С-300", "S-300", "C-300"], "s-300"),
        (["Х-59", "Kh-59", "X-59MK2"], "kh-59"),
        (["Циркон", "Zircon", "3M22 Zircon"], "zircon"),
    ],
)
def test_names_in_any_language_share_one_key(names: list[str], key: str) -> None:
    assert {weapon_key(name) for name in names} == {key}
    assert key in CATALOGUE


def test_combined_names_keep_each_part_in_order() -> None:
    assert weapon_key("X-101/X-555 and Kalibr") == "kh-101/kh-555/kalibr"
    assert weapon_key("Х-101/Х-555") == weapon_key("Kh-101/Kh-555") == "kh-101/kh-555"
    assert weapon_key("Х-101/555") == "kh-101/kh-555"
    assert weapon_label("kh-101/kalibr") == "Kh-101 / Kalibr"


def test_kinds_without_a_model_have_no_key() -> None:
    assert weapon_key("Unknown UAV") is None
    assert weapon_key(None) is None
    assert WeaponCounts(category="drone").key is None


def test_the_key_is_an_optional_field_of_the_json() -> None:
    weapon = WeaponCounts(category="ballistic_missile", model="Іскандер-М")
    data = weapon.model_dump(mode="json")
    assert data["key"] == "iskander-m"
    assert "key" not in WeaponCounts(category="drone").model_dump(mode="json")  # old shape when unset


def test_extraction_and_the_csv_feed_give_the_same_keys(tmp_path: Path) -> None:
    csv_file = tmp_path / "attacks.csv"
    csv_file.write_text(
        "time_start,time_end,model,launched,destroyed\n"
        "2025-05-01 18:00,2025-05-02 07:00,Shahed-136/131,50,40\n"
        "2025-05-01 18:00,2025-05-02 07:00,Iskander-M,3,1\n"
        "2025-05-01 18:00,2025-05-02 07:00,X-101/X-555,10,9\n",
        encoding="utf-8",
    )
    feed = read_air_attacks(csv_file, builtin_catalogue())
    from_csv = {w.key for account in feed.accounts for w in account.weapons}
    text = ("Ворог атакував 50 ударними БпЛА типу Шахед, 3 балістичними ракетами Іскандер-М та 10 крилатими "
            "ракетами Х-101/Х-555. Збито 40 шахедів, ракету Іскандер-М та 9 крилатих ракет Х-101/Х-555.")
    from_text = {w.key for w in extract_report(text).weapons}
    assert from_csv == from_text == {"shahed", "iskander-m", "kh-101/kh-555"}
