"""Lists and breakdowns whose items have no verb: each item takes the field of its header (extraction/lists.py).

Every text here was written for these tests in the layouts the Air Force and news sites use.
"""

from __future__ import annotations

import pytest

from tests.monitoring.extraction.figures import Expected, check


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Загалом – 184 засоби повітряного нападу:\n- 3 КР Х-22 з району Курська;\n- 50 КР Х-101/Х-555 з "
         "акваторії;\n- 106 ударних БпЛА типу Shahed.\nЗбито – 53 ракети та 54 БпЛА:\n- 50 КР Х-101/Х-555;\n"
         "- 3 КР Х-22;\n- 54 БпЛА.",
         {"kh-22": {"launched": 3, "destroyed": 3}, "kh-101/kh-555": {"launched": 50, "destroyed": 50},
          "shahed": {"launched": 106, "destroyed": 54}}),
        ("Всього в ході відбиття атаки знищено 59 засобів повітряного нападу:\n- 50 крилатих ракет Х-101/Х-555;\n"
         "- 9 крилатих ракет Калібр.",
         {"kh-101/kh-555": {"destroyed": 50}, "kalibr": {"destroyed": 9}}),
        ("Збито: 50 КР Х-101/Х-555; 9 Калібр; 54 БпЛА.",
         {"kh-101/kh-555": {"destroyed": 50}, "kalibr": {"destroyed": 9}, "drone": {"destroyed": 54}}),
        ("Збито/подавлено:\n- 50 крилатих ракет Х-101/Х-555;\n- 40 БпЛА.\nЗафіксовано влучання 5 ракет Х-101.",
         {"kh-101/kh-555": {"neutralized": 50, "impacted": 5}, "drone": {"neutralized": 40}}),
        ("Russia launched 75 drones and 5 missiles. Shot down:\n- 70 drones;\n- 4 missiles.",
         {"drone": {"launched": 75, "destroyed": 70}, "missile": {"launched": 5, "destroyed": 4}}),
        ("Протиповітряною обороною збито:\n- 40 БпЛА;\n- 8 БпЛА локаційно втрачено;\n- 2 ракети Х-59.",
         {"drone": {"destroyed": 40, "suppressed": 8}, "kh-59": {"destroyed": 2}}),
    ],
)
def test_list_items_take_the_field_of_their_header(text: str, expected: Expected) -> None:
    check(text, expected)


def test_a_list_ends_with_a_line_that_is_no_item() -> None:
    check("Збито:\n- 40 БпЛА.\nУ ніч на 14 вересня ворог випустив 3 ракети Іскандер-М.",
          {"drone": {"destroyed": 40}, "iskander-m": {"launched": 3}})


def test_a_launched_list_stays_launched() -> None:
    check("Противник атакував 60 засобами повітряного нападу – 47 ударними БпЛА і 13 ракетами:\n"
          "– 9 крилатими ракетами Іскандер-К;\n– 4 балістичними ракетами Іскандер-М.\n"
          "Збито 40 БпЛА та 4 крилаті ракети Іскандер-К.",
          {"drone": {"launched": 47, "destroyed": 40}, "iskander-k": {"launched": 9, "destroyed": 4},
           "iskander-m": {"launched": 4}})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The air force said 75 targets were neutralized: 70 drones and five missiles.",
         {"drone": {"neutralized": 70}, "missile": {"neutralized": 5}}),
        ("In total, 43 aerial targets were shot down, including 40 drones and three missiles.",
         {"drone": {"destroyed": 40}, "missile": {"destroyed": 3}}),
        ("Уражено 43 повітряні цілі: 40 БпЛА та 3 ракети.", {"drone": {"destroyed": 40}, "missile": {"destroyed": 3}}),
    ],
)
def test_a_breakdown_after_its_verb_takes_the_field_of_the_total(text: str, expected: Expected) -> None:
    check(text, expected)


ALL_18 = {"kinzhal": {"launched": 6, "destroyed": 6}, "cruise_missile": {"launched": 9, "destroyed": 9},
          "s-400": {"launched": 3, "destroyed": 3}}


@pytest.mark.parametrize(
    "text",
    [
        "Russia launched 18 missiles at Kyiv. Among them were six Kinzhal hypersonic missiles, nine cruise missiles "
        "and three S-400 missiles. Ukraine's air defence shot down all 18.",
        "Russia launched 18 missiles. They included six Kinzhal missiles, nine cruise missiles and three S-400s. All "
        "were shot down.",
        "Ворог випустив 18 ракет. Серед них – 6 Кинджалів, 9 крилатих ракет і 3 ракети С-400. Усі 18 збито.",
    ],
)
def test_a_sentence_that_opens_with_among_them_breaks_down_the_one_before(text: str) -> None:
    check(text, ALL_18)


def test_a_partial_breakdown_in_the_next_sentence_keeps_the_total() -> None:
    check("Russia launched 18 missiles and 50 drones. Among them were six Kinzhal missiles. Air defence shot down 40 "
          "drones.", {"missile": {"launched": 18}, "drone": {"launched": 50, "destroyed": 40},
                      "kinzhal": {"launched": 6}})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Застосовано: балістичні ракети Іскандер-М – 3, крилаті ракети Х-101 – 10, ударні БпЛА – 50.",
         {"iskander-m": {"launched": 3}, "kh-101": {"launched": 10}, "drone": {"launched": 50}}),
        ("Збито: крилаті ракети Х-101 – 8, ударні БпЛА – 40.",
         {"kh-101": {"destroyed": 8}, "drone": {"destroyed": 40}}),
        ("Ракети: 3 Іскандер-М, 10 Х-101. БпЛА: 50.",
         {"iskander-m": {"launched": 3}, "kh-101": {"launched": 10}, "drone": {"launched": 50}}),
        ("ЗНИЩЕНО:\n- крилаті ракети Х-101 – 8\n- ударні БПЛА Shahed-136 – 40\n- БПЛА «Орлан-10» - 2 од.",
         {"kh-101": {"destroyed": 8}, "shahed": {"destroyed": 40}, "orlan-10": {"destroyed": 2}}),
        # a count after a dash that has a verb of its own is no label: "40 drones - 30 were shot down"
        ("Russia launched 40 drones - 30 were shot down.", {"drone": {"launched": 40, "destroyed": 30}}),
        # "40–50" stays a range
        ("Ворог запустив 40–50 дронів.", {"drone": {"launched": (40, "at_least")}}),
    ],
)
def test_a_count_after_the_weapon_it_labels(text: str, expected: Expected) -> None:
    check(text, expected)
