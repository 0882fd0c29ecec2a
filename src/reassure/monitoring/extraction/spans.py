"""Check that a figure is written where the report says it is: the guard against invented figures.

Every count the extractor outputs carries the character spans of the text that state it (`WeaponCounts.spans`,
an optional key of §4). `figure_is_written` reads those spans with a small reader of its own, deliberately
not the extractor's tokeniser, so a mistake in one is not repeated in the other: digits ("1,200", "40-50"),
English and Ukrainian number words ("twenty-three", "двадцять три", "обидва"), "a"/"an"/"single" for one,
"no"/"none"/"not" for zero, and a list item that names a weapon without a number for one unit. A figure
summed from several list items is the sum of one value written in each of its spans.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

_EN = {
    "zero": 0, "no": 0, "none": 0, "not": 0, "neither": 0, "a": 1, "an": 1, "single": 1, "one": 1, "two": 2,
    "both": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "dozen": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_UK = (
    ("жодн", 0), ("не", 0), ("один", 1), ("одн", 1), ("обидв", 2), ("обох", 2), ("дв", 2), ("тр", 3),
    ("чотир", 4), ("п'ят", 5), ("шіст", 6), ("шест", 6), ("сім", 7), ("сем", 7), ("вісім", 8), ("восьм", 8),
    ("вісьм", 8), ("дев'ят", 9), ("десят", 10), ("одинадцят", 11), ("дванадцят", 12), ("тринадцят", 13),
    ("чотирнадцят", 14), ("п'ятнадцят", 15), ("шістнадцят", 16), ("сімнадцят", 17), ("вісімнадцят", 18),
    ("дев'ятнадцят", 19), ("двадцят", 20), ("тридцят", 30), ("сорок", 40), ("п'ятдесят", 50),
    ("шістдесят", 60), ("сімдесят", 70), ("вісімдесят", 80), ("дев'яност", 90), ("сто", 100), ("ста", 100),
    ("десяток", 10), ("десятка", 10), ("десятком", 10), ("сотню", 100), ("сотня", 100), ("сотнею", 100),
    ("двісті", 200), ("триста", 300), ("чотириста", 400), ("п'ятсот", 500),
)  # fmt: skip
# Digits that are part of a model name ("Kh-101", "Орлан-10", "Shahed-136/131") state no count.
_DIGITS = re.compile(r"(?<![^\W\d_])(?<![^\W\d_]-)(?<!\d/)(?<!\d)(?:\d{1,3}(?:[,\u202f\u00a0 ]\d{3})+(?!\d)|\d+)")
_WORD = re.compile(r"[^\W\d_][\w'’ʼ]*", re.UNICODE)


def _word_values(word: str) -> set[int]:
    low = word.lower().replace("’", "'").replace("ʼ", "'")
    found: set[int] = set()
    if low in _EN:
        found.add(_EN[low])
    tens, _, unit = low.partition("-")
    if tens in _EN and unit in _EN and _EN[tens] >= 20 and _EN[unit] < 10:
        found.add(_EN[tens] + _EN[unit])
    if low in ("hundred", "thousand"):
        found.add({"hundred": 100, "thousand": 1000}[low])
    # Ukrainian: the longest stem that starts the word (case endings vary)
    stems = [(stem, value) for stem, value in _UK if low.startswith(stem) and len(low) - len(stem) <= 4]
    if stems and (len(low) > 2 or low == "не"):
        found.add(max(stems, key=lambda sv: len(sv[0]))[1])
    return found


def written_values(snippet: str) -> set[int]:
    """Return every value ``snippet`` writes: each number, and sums/products of number words read in a row."""
    values = {int(re.sub(r"\D", "", m.group(0))) for m in _DIGITS.finditer(snippet)}
    words = [w.group(0) for w in _WORD.finditer(snippet)]
    read = [_word_values(w) for w in words]
    values |= set().union(*read) if read else set()
    # a run of number words ("two hundred and forty-five", "сто двадцять три") adds up
    total, current = 0, 0
    for word, options in [*zip(words, read, strict=True), ("", set())]:
        low = word.lower()
        if low == "hundred" and current:
            current *= 100
        elif (low.startswith("десятк") or low.startswith("сотн")) and current:
            current *= 10 if low.startswith("десятк") else 100  # "два десятки", "дві сотні"
        elif low == "thousand" or low.startswith("тисяч"):
            total, current = total + max(current, 1) * 1000, 0
        elif options and low not in ("a", "an", "no", "not", "не", "single", "both"):
            current += max(options)
        elif low == "and" and (current or total):
            continue
        else:
            if total or current:
                values.add(total + current)
            total, current = 0, 0
    return values


def figure_is_written(text: str, spans: Sequence[Sequence[int]], value: int) -> bool:
    """Return whether ``value`` is written in ``text`` at ``spans`` (the sum of one value per span)."""
    if not spans:
        return False
    options: list[set[int]] = []
    for span in spans:
        start, end = int(span[0]), int(span[1])
        if not 0 <= start < end <= len(text):
            return False
        snippet = text[start:end]
        found = written_values(snippet)
        options.append(found or {1})  # a list item naming a weapon without a number: one unit
    if len(options) == 1:
        return value in options[0]
    if len(options) > 12:
        return value == sum(min(o) for o in options) or value == sum(max(o) for o in options)
    return any(sum(combo) == value for combo in itertools.product(*options))
