"""Phrasing families that real reports use and the extractor once missed (issue 22).

Every sentence here was written for these tests; none is copied from a report.
"""

from __future__ import annotations

import pytest

from reassure.monitoring.extraction import extract_report
from reassure.monitoring.report import COUNT_FIELDS, AirAttackReport

Expected = dict[str, dict[str, int]]  # catalogue key or category → field → value (exact)


def figures(report: AirAttackReport) -> Expected:
    """Return every entry's exact figures, keyed by its catalogue key, else its category."""
    out: Expected = {}
    for weapon in report.weapons:
        name = weapon.key or weapon.category
        assert name not in out, f"two entries for {name}: {report.weapons}"
        out[name] = {f: c.value for f in COUNT_FIELDS if (c := weapon.count(f)) is not None}
    return out


def check(text: str, expected: Expected) -> None:
    assert figures(extract_report(text)) == expected, text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russia launched 60 drones and three missiles overnight; air defence shot down a missile and 40 of the "
         "drones.",
         {"drone": {"launched": 60, "destroyed": 40}, "missile": {"launched": 3, "destroyed": 1}}),
        ("Russia launched 25 drones and two Kh-59 missiles; both missiles and 20 drones were shot down.",
         {"drone": {"launched": 25, "destroyed": 20}, "kh-59": {"launched": 2, "destroyed": 2}}),
        ("Russia launched 25 drones and 5 missiles; 3 of the missiles and 20 of the drones were destroyed.",
         {"drone": {"launched": 25, "destroyed": 20}, "missile": {"launched": 5, "destroyed": 3}}),
        ("Ворог атакував 35 ударними БпЛА Shahed та 3 ракетами Іскандер-М. Збито ракету Іскандер-М та 30 шахедів.",
         {"shahed": {"launched": 35, "destroyed": 30}, "iskander-m": {"launched": 3, "destroyed": 1}}),
        ("Протягом доби знищено 5 крилатих ракет Х-101, 3 ударні БпЛА Shahed-136 та розвідувальний БпЛА Орлан-10.",
         {"kh-101": {"destroyed": 5}, "shahed": {"destroyed": 3}, "orlan-10": {"destroyed": 1}}),
        ("Всього знищено 39 ворожих ударних безпілотників. Крім того, знищено 2 БпЛА Орлан-10 та 1 керовану "
         "ракету Х-59.",
         {"drone": {"destroyed": 39}, "orlan-10": {"destroyed": 2}, "kh-59": {"destroyed": 1}}),
    ],
)
def test_a_coordination_of_weapon_types_shares_its_verb(text: str, expected: Expected) -> None:
    check(text, expected)


@pytest.mark.parametrize(
    "text",
    [
        "Russia launched 14 drones overnight. Air defence destroyed every one of them.",
        "Ukraine's air defence destroyed every one of the 14 drones launched by Russia.",
        "Each of the 14 drones launched overnight was intercepted.",
        "Russia launched 14 drones, and every single one was shot down.",
        "Russia launched 14 drones, and all were shot down.",
        "Ворог запустив 14 БпЛА. Усі вони збиті.",
        "Ворог запустив 14 БпЛА. Всіх їх знищено.",
        "Ворог запустив 14 БпЛА, кожен із них збито.",
    ],
)
def test_totals_stated_as_all_or_every_one(text: str) -> None:
    check(text, {"drone": {"launched": 14, "destroyed": 14}})  # never 1 for "every one"


@pytest.mark.parametrize(
    "text",
    [
        "Russia launched 50 drones. 30 were shot down and 12 were lost from radar.",
        "Russia launched 50 drones. Air defence downed 30, and another 12 disappeared from radar screens.",
        "Of the 50 drones, 30 were shot down and 12 were lost from tracking, probably due to electronic warfare.",
        "Russia launched 50 drones; 30 were shot down and 12 went off radar.",
        "Ворог атакував 50 ударними БпЛА. Збито 30, ще 12 – локаційно втрачені (ймовірно, внаслідок дії РЕБ).",
        "З 50 дронів 30 збито, 12 зникли з радарів.",
    ],
)
def test_lost_from_radar_or_tracking_is_suppressed(text: str) -> None:
    check(text, {"drone": {"launched": 50, "destroyed": 30, "suppressed": 12}})


@pytest.mark.parametrize(
    "text",
    [
        "Russia launched 50 drones; 40 were shot down and 9 hits were recorded.",
        "Russia launched 50 drones; 40 were shot down. 9 hits were recorded in Kharkiv.",
        "Ворог запустив 50 БпЛА. Збито 40 БпЛА. Зафіксовано 9 влучань на 5 локаціях.",
    ],
)
def test_hits_without_a_weapon_are_nobodys_impacted_count(text: str) -> None:
    check(text, {"drone": {"launched": 50, "destroyed": 40}})


def test_hits_by_a_weapon_are_its_impacted_count() -> None:
    check("Russia launched 50 drones; 40 were shot down. Hits by 9 drones were recorded at 5 locations.",
          {"drone": {"launched": 50, "destroyed": 40, "impacted": 9}})


@pytest.mark.parametrize(
    "text",
    [
        "Russia launched 50 drones; 40 were shot down, the other drones were lost locationally.",
        "Russia launched 50 drones; 40 were shot down, and the rest were all lost.",
        "Russia launched 50 drones; 40 were shot down and the others were suppressed by electronic warfare.",
        "Russia launched 50 drones; 40 were shot down. The remaining drones were lost locationally.",
    ],
)
def test_a_suppressed_figure_the_text_does_not_write_is_not_output(text: str) -> None:
    check(text, {"drone": {"launched": 50, "destroyed": 40}})  # not suppressed 50, nor a computed 10


def test_corrections_of_earlier_figures_keep_the_later_one() -> None:
    check("The air force initially reported 30 drones downed, later revising the figure to 35.",
          {"drone": {"destroyed": 35}})
    check("Russia launched 40 drones; the air force said 30 were shot down, later raising the number to 33.",
          {"drone": {"launched": 40, "destroyed": 33}})


def test_ranges_and_over() -> None:
    report = extract_report("Russia launched between 40 and 50 drones; over 30 were shot down.")
    drone = report.weapon("drone")
    assert drone is not None and drone.launched is not None and drone.destroyed is not None
    assert (drone.launched.value, drone.launched.qualifier) == (40, "at_least")
    assert (drone.destroyed.value, drone.destroyed.qualifier) == (30, "at_least")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russia launched 20 drones and a missile; the missile and part of the drones were shot down.",
         {"drone": {"launched": 20}, "missile": {"launched": 1, "destroyed": 1}}),
        ("Russia launched 20 drones and 2 missiles; one missile and most of the drones were destroyed.",
         {"drone": {"launched": 20}, "missile": {"launched": 2, "destroyed": 1}}),
        ("Ворог запустив 20 БпЛА та ракету Х-59. Ракету та частину дронів збито.",
         {"drone": {"launched": 20}, "kh-59": {"launched": 1, "destroyed": 1}}),
        ("Russia launched 20 drones and 2 missiles: 15 drones and a missile were shot down, and the other missile hit "
         "Kharkiv.", {"drone": {"launched": 20, "destroyed": 15}, "missile": {"launched": 2, "destroyed": 1}}),
        ("Russia launched 2 hypersonic Kinzhal missiles and 1 Zircon missile at Kyiv; all were shot down.",
         {"kinzhal": {"launched": 2, "destroyed": 2}, "zircon": {"launched": 1, "destroyed": 1}}),
        ("Ukraine said it destroyed all of the 18 missiles and nine drones launched by Russia overnight.",
         {"missile": {"launched": 18, "destroyed": 18}, "drone": {"launched": 9, "destroyed": 9}}),
        ("Last night, air defence shot down SIX Kinzhal missiles and 12 other missiles.",
         {"kinzhal": {"destroyed": 6}, "missile": {"destroyed": 12}}),
        ("Противник випустив 20 крилатих ракет Х-101/Х-555 та 4 ракети Х-22. Знищено 18 крилатих ракет та жодної Х-22.",
         {"kh-101/kh-555": {"launched": 20, "destroyed": 18}, "kh-22": {"launched": 4, "destroyed": 0}}),
    ],
)
def test_part_of_a_coordination_gives_no_figure_and_the_rest_keep_theirs(text: str, expected: Expected) -> None:
    check(text, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russia launched 50 drones and 3 missiles between 6 p.m. on Saturday and 9 a.m. on Sunday (0600 GMT), and 40 "
         "were shot down.", {"drone": {"launched": 50, "destroyed": 40}, "missile": {"launched": 3}}),
        ("Russia launched 50 drones at around 2 a.m.; air defence downed 40 by 7 o'clock.",
         {"drone": {"launched": 50, "destroyed": 40}}),
        ("Over the past 24 hours, Russia launched 50 drones; 40 were shot down.",
         {"drone": {"launched": 50, "destroyed": 40}}),
        ("З 19 години 4 травня до 7 години 5 травня ворог запустив 50 дронів, 40 збито.",
         {"drone": {"launched": 50, "destroyed": 40}}),
    ],
)
def test_times_and_night_windows_are_not_counts(text: str, expected: Expected) -> None:
    check(text, expected)


@pytest.mark.parametrize(
    ("text", "launched"),
    [
        ("Russia launched 60-odd drones overnight.", (60, "approx")),
        ("Russia launched north of 100 drones overnight.", (100, "at_least")),
        ("Russia launched nearly two dozen drones overnight.", (24, "approx")),
        ("Ворог запустив понад сотню дронів.", (100, "at_least")),
        ("Ворог запустив до двох десятків дронів.", (20, "at_most")),
        ("Ворог запустив близько 40 шахедів, щонайменше 30 збито.", (40, "approx")),
    ],
)
def test_more_ranges_and_rough_figures(text: str, launched: tuple[int, str]) -> None:
    drone = extract_report(text).weapon("drone")
    assert drone is not None and drone.launched is not None
    assert (drone.launched.value, drone.launched.qualifier) == launched


def test_a_destroyed_list_item_with_its_count_after_it() -> None:
    report = extract_report("ЗНИЩЕНО:\n- розвідувальний БПЛА «Орлан-10» - 2 од.\n- 2 крилаті ракети повітряного "
                            "базування Х-101\n")
    assert figures(report) == {"orlan-10": {"destroyed": 2}, "kh-101": {"destroyed": 2}}


@pytest.mark.parametrize(
    "text",
    [
        "Ukraine destroyed all the 23 drones launched overnight.",
        "Russia launched 23 drones; every drone was shot down.",
        "Russia launched 23 drones; air defence shot them all down.",
        "Russia launched 23 drones. All targets were destroyed.",
        "Ворог запустив 23 БпЛА. Усі цілі знищено.",
    ],
)
def test_more_totals_stated_as_all(text: str) -> None:
    check(text, {"drone": {"launched": 23, "destroyed": 23}})


@pytest.mark.parametrize(
    "text",
    [
        "Air defence shot down all but one of the 23 drones launched by Russia.",
        "Air defence shot down most of the 23 drones launched by Russia.",
        "Сили ППО збили більшість з 23 дронів.",
    ],
)
def test_a_share_of_a_total_states_only_the_total(text: str) -> None:
    check(text, {"drone": {"launched": 23}})  # 22 ("all but one") is not written: never output


@pytest.mark.parametrize(
    "text",
    [
        "Russia launched 50 drones; 30 were shot down and 20 were electronically suppressed.",
        "Russia launched 50 drones; 30 were shot down and 20 never reached their targets.",
        "Russia launched 50 drones; 30 were shot down and 20 were location-lost.",
        "Russia launched 50 drones; 30 were shot down, and EW suppressed another 20.",
        "Russia launched 50 drones; 30 were shot down and 20 were neutralised by electronic warfare.",
    ],
)
def test_more_electronic_warfare_wordings_are_suppressed(text: str) -> None:
    check(text, {"drone": {"launched": 50, "destroyed": 30, "suppressed": 20}})
