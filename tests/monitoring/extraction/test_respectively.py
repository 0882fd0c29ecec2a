"""Counts shared out in order by "respectively" / "відповідно" (extraction/respectively.py).

Every text here was written for these tests in the wordings of the Air Force, wire services and news sites.
"""

from __future__ import annotations

import pytest

from tests.monitoring.extraction.figures import Expected, check

BOTH = {"drone": {"launched": 48, "destroyed": 40}, "missile": {"launched": 5, "destroyed": 4}}


@pytest.mark.parametrize(
    "text",
    [
        "Russia attacked with 48 drones and 5 missiles, of which 40 and 4 respectively were shot down.",
        "Air defence shot down 40 drones and 4 missiles out of 48 and 5 launched, respectively.",
        "Ukraine's air force said it downed 40 drones and 4 missiles out of 48 and five, respectively.",
        "Of the 48 drones and 5 missiles, 40 and 4, respectively, were shot down.",
        "Russia launched 48 drones and five missiles overnight. Ukrainian forces intercepted 40 and four of them "
        "respectively, the air force said.",
        "Ворог атакував 48 ударними БпЛА та 5 ракетами, з них збито 40 та 4 відповідно.",
        "Противник запустив 48 БпЛА і 5 ракет. Збито відповідно 40 та 4.",
    ],
)
def test_a_run_of_counts_goes_to_the_weapons_in_order(text: str) -> None:
    check(text, BOTH)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russia launched 5 missiles and 12 drones overnight; air defence shot down 5 and 12, respectively.",
         {"missile": {"launched": 5, "destroyed": 5}, "drone": {"launched": 12, "destroyed": 12}}),
        ("Russia launched 48 and 5 drones and missiles, respectively; 40 drones were downed.",
         {"drone": {"launched": 48, "destroyed": 40}, "missile": {"launched": 5}}),
        ("The air force said 40 drones and four missiles were shot down, while 6 and 1, respectively, were lost to "
         "electronic warfare.", {"drone": {"destroyed": 40, "suppressed": 6}, "missile": {"destroyed": 4,
                                                                                           "suppressed": 1}}),
        ("Russia fired 48 Shahed drones and 5 Kh-101 cruise missiles, and Ukrainian forces intercepted 40 and 4 of "
         "them respectively.", {"shahed": {"launched": 48, "destroyed": 40}, "kh-101": {"launched": 5,
                                                                                         "destroyed": 4}}),
        ("Russia launched 60 drones, 3 cruise missiles and 2 ballistic missiles; 50, 3 and 1 were shot down "
         "respectively.", {"drone": {"launched": 60, "destroyed": 50}, "cruise_missile": {"launched": 3,
                                                                                           "destroyed": 3},
                           "ballistic_missile": {"launched": 2, "destroyed": 1}}),
        ("Ворог запустив 48 шахедів і 5 ракет Х-101. Збито відповідно 40 та 4.",
         {"shahed": {"launched": 48, "destroyed": 40}, "kh-101": {"launched": 5, "destroyed": 4}}),
    ],
)
def test_respectively_in_other_places(text: str, expected: Expected) -> None:
    check(text, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # three counts, two weapons: which count is whose is not written, so none is given
        ("Russia launched 48 drones and 5 missiles; 40, 4 and 1 were shot down respectively.",
         {"drone": {"launched": 48}, "missile": {"launched": 5}}),
        # "відповідно до" is "according to", not "respectively"
        ("Ворог запустив 48 БпЛА. Відповідно до даних ППО, збито 40.", {"drone": {"launched": 48, "destroyed": 40}}),
        # no "respectively": a range, not a run of counts
        ("Russia launched between 40 and 50 drones overnight.", {"drone": {"launched": (40, "at_least")}}),
    ],
)
def test_no_order_no_figure(text: str, expected: Expected) -> None:
    check(text, expected)
