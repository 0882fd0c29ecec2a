"""More phrasing families of real reports, in wordings written for these tests (issue 22, item 1).

None is copied from a report: each is a new sentence in the manner of the Air Force, Ukrinform, Reuters, AP, the
Kyiv Independent or ISW. Each test asserts the exact figures and that every figure is written at its span.
"""

from __future__ import annotations

import pytest

from tests.monitoring.extraction.figures import Expected, check

HITS = {"drone": {"launched": 50, "destroyed": 40, "impacted": 7}, "missile": {"impacted": 1}}

DRONES_74 = {"drone": {"launched": 74, "destroyed": 44, "suppressed": 26}}


@pytest.mark.parametrize(
    "text",
    [
        "Russia launched 74 drones, and Ukraine said it had shot down 44 of them, with another 26 failing to reach "
        "targets due to electronic jamming.",
        "Russia launched 74 drones overnight. Ukraine shot down 44 drones, and 26 more \"were lost in location,\" the "
        "air force said, a phrase used for drones jammed by electronic warfare.",
        "Russia launched 74 drones. Ukraine intercepted 44 drones and jammed 26 more, the air force said.",
        "Russia launched 74 drones; air defence downed 44 and 26 were lost locally.",
        "Russian forces launched 74 drones; Ukrainian forces shot down 44 and 26 drones were suppressed by EW.",
        "Russia launched 74 drones. 44 drones were downed by air defence; 26 were stopped by electronic warfare.",
        "Russia launched 74 drones at Ukraine overnight, Kyiv said, with 44 downed and 26 lost to jamming.",
        "Ворог атакував 74 ударними БпЛА. Збито 44 ворожих дронів. Локаційно втрачено 26 БпЛА-імітаторів.",
        "Ворог атакував 74 ударними БпЛА. Збито 44, ще 26 зникли з радарів унаслідок дії засобів РЕБ.",
    ],
)
def test_drones_lost_to_electronic_warfare_are_suppressed(text: str) -> None:
    check(text, DRONES_74)


def test_each_verb_keeps_its_own_count() -> None:
    check("Ukraine's military said it neutralised 70 of the 74 drones, shooting down 44 and jamming 26.",
          {"drone": {"launched": 74, "destroyed": 44, "suppressed": 26, "neutralized": 70}})
    check("Russia launched 40 drones, and 30 drones were shot down.", {"drone": {"launched": 40, "destroyed": 30}})
    check("Russia launched 40 drones and 3 missiles, 30 were shot down.",
          {"drone": {"launched": 40, "destroyed": 30}, "missile": {"launched": 3}})
    # one verb after a coordination is still shared by all of it
    check("Of the drones launched, 40 drones and 3 missiles were shot down.",
          {"drone": {"destroyed": 40}, "missile": {"destroyed": 3}})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russia launched a total of 50 drones and missiles, including 46 Shahed drones and four Iskander-M ballistic "
         "missiles; 40 drones were shot down.",
         {"shahed": {"launched": 46, "destroyed": 40}, "iskander-m": {"launched": 4}}),
        ("Russia attacked Ukraine with over 100 drones and missiles overnight.", {}),
        ("Ворог атакував понад 100 ракетами та дронами.", {}),
        ("Ворог запустив 20 БпЛА та ракету Х-59.", {"drone": {"launched": 20}, "kh-59": {"launched": 1}}),
    ],
)
def test_one_figure_for_two_kinds_of_weapon_is_no_ones(text: str, expected: Expected) -> None:
    check(text, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Air defence shot down all 18 missiles launched by Russia: six Kinzhal, nine Kalibr cruise missiles and "
         "three S-400.", {"kinzhal": {"launched": 6, "destroyed": 6}, "kalibr": {"launched": 9, "destroyed": 9},
                          "s-400": {"launched": 3, "destroyed": 3}}),
        ("Russia launched 18 missiles at Kyiv, including six Kinzhal aeroballistic missiles, nine cruise missiles and "
         "three S-400 missiles. All 18 were shot down.",
         {"kinzhal": {"launched": 6, "destroyed": 6}, "cruise_missile": {"launched": 9, "destroyed": 9},
          "s-400": {"launched": 3, "destroyed": 3}}),
        ("Russia fired six Kinzhal missiles, nine Kalibr cruise missiles and three S-400 missiles at Kyiv. All 18 "
         "were destroyed.", {"kinzhal": {"launched": 6, "destroyed": 6}, "kalibr": {"launched": 9, "destroyed": 9},
                             "s-400": {"launched": 3, "destroyed": 3}}),
        ("All 18 missiles (six Kinzhal, nine cruise missiles and three S-400) were shot down.",
         {"kinzhal": {"launched": 6, "destroyed": 6}, "cruise_missile": {"launched": 9, "destroyed": 9},
          "s-400": {"launched": 3, "destroyed": 3}}),
        ("All 18 missiles - six Kinzhal, nine cruise missiles and three S-400 - were shot down.",
         {"kinzhal": {"launched": 6, "destroyed": 6}, "cruise_missile": {"launched": 9, "destroyed": 9},
          "s-400": {"launched": 3, "destroyed": 3}}),
        ("Russia fired 18 missiles at Kyiv overnight, all of which were shot down: six Kinzhal, nine cruise missiles "
         "and three S-400.", {"kinzhal": {"launched": 6, "destroyed": 6}, "cruise_missile": {"launched": 9,
                                                                                               "destroyed": 9},
                              "s-400": {"launched": 3, "destroyed": 3}}),
        # "all 18" of a weapon only three of which were launched, and no coordination adds up to 18: no figure
        ("Russia fired 10 drones and three S-400 missiles. All 18 were destroyed.",
         {"drone": {"launched": 10}, "s-400": {"launched": 3}}),
        ("Russia launched 18 missiles - six Kinzhals, nine Kalibrs and three S-400s - and Ukraine shot down all of "
         "them.", {"kinzhal": {"launched": 6, "destroyed": 6}, "kalibr": {"launched": 9, "destroyed": 9},
                   "s-400": {"launched": 3, "destroyed": 3}}),
        ("Russia launched 14 missiles; not one reached its target.", {"missile": {"launched": 14, "impacted": 0}}),
        ("Russia launched 14 missiles; not a single one was shot down.",
         {"missile": {"launched": 14, "destroyed": 0}}),
        ("Russia fired 14 missiles and 20 drones; every missile and 18 drones were shot down.",
         {"missile": {"launched": 14, "destroyed": 14}, "drone": {"launched": 20, "destroyed": 18}}),
        ("Ворог атакував 40 шахедами і 3 ракетами. Всі цілі знешкоджено.",
         {"shahed": {"launched": 40, "neutralized": 40}, "missile": {"launched": 3, "neutralized": 3}}),
    ],
)
def test_totals_stated_as_all_and_their_breakdowns(text: str, expected: Expected) -> None:
    check(text, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russia fired upward of 40 missiles overnight.", {"missile": {"launched": (40, "at_least")}}),
        ("Russia launched well over 100 drones, of which more than 80 were shot down.",
         {"drone": {"launched": (100, "at_least"), "destroyed": (80, "at_least")}}),
        ("Ворог запустив понад 100 ударних БпЛА, більше 80 з них збито.",
         {"drone": {"launched": (100, "at_least"), "destroyed": (80, "at_least")}}),
        ("Ворог атакував понад сотнею ударних БпЛА. Знешкоджено понад 80.",
         {"drone": {"launched": (100, "at_least"), "neutralized": (80, "at_least")}}),
        ("Russia launched at least 100 drones and 10 missiles, the air force said. More than 80 drones and all "
         "missiles were destroyed.",
         {"drone": {"launched": (100, "at_least"), "destroyed": (80, "at_least")},
          "missile": {"launched": 10, "destroyed": 10}}),
        ("Russia launched nearly 100 drones and up to 10 missiles.",
         {"drone": {"launched": (100, "approx")}, "missile": {"launched": (10, "at_most")}}),
        ("Ворог запустив 100 дронів, з них понад 80 збито, ще близько 10 – локаційно втрачені.",
         {"drone": {"launched": 100, "destroyed": (80, "at_least"), "suppressed": (10, "approx")}}),
    ],
)
def test_over_and_more_than(text: str, expected: Expected) -> None:
    check(text, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ворог запустив 50 БпЛА. Збито 40. Зафіксовано влучання ракети та 7 ударних БпЛА на 4 локаціях.", HITS),
        ("Ворог запустив 50 БпЛА. Збито 40. Зафіксовано влучання балістичної ракети та семи ударних БпЛА на п'яти "
         "локаціях.",
         {"drone": {"launched": 50, "destroyed": 40, "impacted": 7}, "ballistic_missile": {"impacted": 1}}),
        ("Противник атакував понад 20 ударними БпЛА, а також здійснив пуск балістичної ракети.",
         {"drone": {"launched": (20, "at_least")}, "ballistic_missile": {"launched": 1}}),
        # untyped hits and places are nobody's count
        ("Russia launched 50 drones; 40 were downed. Direct hits by seven drones were recorded in four locations, "
         "while falling debris was reported in three.", {"drone": {"launched": 50, "destroyed": 40, "impacted": 7}}),
        ("Russia launched 90 drones and 2 missiles; 51 drones were downed, and 7 hits were recorded.",
         {"drone": {"launched": 90, "destroyed": 51}, "missile": {"launched": 2}}),
    ],
)
def test_hits_of_one_missile_and_untyped_hits(text: str, expected: Expected) -> None:
    check(text, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russia fired two ballistic and four cruise missiles, plus 89 drones.",
         {"ballistic_missile": {"launched": 2}, "cruise_missile": {"launched": 4}, "drone": {"launched": 89}}),
        ("Russia fired two ballistic, three guided and four cruise missiles overnight; air defence shot down the four "
         "cruise missiles.", {"ballistic_missile": {"launched": 2}, "guided_air_missile": {"launched": 3},
                              "cruise_missile": {"launched": 4, "destroyed": 4}}),
        ("Ворог випустив 3 балістичні та 10 крилатих ракет.",
         {"ballistic_missile": {"launched": 3}, "cruise_missile": {"launched": 10}}),
    ],
)
def test_a_head_left_out_before_a_coordination(text: str, expected: Expected) -> None:
    check(text, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Air defence intercepted 84 of the 112 drones launched overnight; the remaining 28 were either lost to "
         "jamming or hit targets.", {"drone": {"launched": 112, "destroyed": 84}}),
        ("Russia launched 50 drones; 40 were either shot down or jammed.",
         {"drone": {"launched": 50, "neutralized": 40}}),
    ],
)
def test_either_one_or_the_other_field_is_no_figure_of_either(text: str, expected: Expected) -> None:
    check(text, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russia launched 112 drones; the air force later said the number downed had risen to 90.",
         {"drone": {"launched": 112, "destroyed": 90}}),
        ("Russia launched 112 drones. The number of drones shot down later rose to 95.",
         {"drone": {"launched": 112, "destroyed": 95}}),
        # a number that rose, with no count field named: no figure
        ("Russia launched 112 drones. The number of people injured rose to 5.", {"drone": {"launched": 112}}),
    ],
)
def test_a_figure_that_rose_later_replaces_the_earlier_one(text: str, expected: Expected) -> None:
    check(text, expected)
