"""Read counts in report text: digits, English and Ukrainian number words, qualifiers and ranges.

Range policy: a range ("between 40 and 50", "40-50", "від 40 до 50", "two or three") becomes
``Count(value=low, qualifier="at_least")``. It is the one single-number statement the report itself
guarantees (the true figure is at least the lower bound); a midpoint with ``approx`` would invent a
figure nobody reported. The upper bound is lost, which is the honest price of a one-number count.
A range under "up to" keeps the upper bound instead (``value=high, at_most``), and one under
"about" keeps the lower bound as ``approx``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from reassure.monitoring.report import Count, Qualifier

Lang = Literal["en", "uk"]
CountKind = Literal["number", "all", "all_implicit", "none", "article", "correction", "share", "the_one"]


class TokenLike(Protocol):
    """What ``read_count`` needs from a token."""

    @property
    def kind(self) -> str: ...
    @property
    def low(self) -> str: ...
    @property
    def value(self) -> int | None: ...
    @property
    def value2(self) -> int | None: ...


_EN_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_EN_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}  # fmt: skip

# Ukrainian number words keyed by stem; the case endings vary (два/двох/двома), the stems do not.
_UK_WORDS: tuple[tuple[str, int], ...] = (
    (r"од(?:ин|на|не|ну|ного|ному|ним|ній|нієї|ніє)", 1),
    (r"обидв[аіо]\w*", 2),
    (r"дв(?:а|і|ох|ом|ома)", 2),
    (r"тр(?:и|ьох|ьом|ьома)", 3),
    (r"чотир(?:и|ьох|ьом|ма)", 4),
    (r"п'ят(?:ь|и|ьох|ьом|ьма|ома)", 5),
    (r"шіст(?:ь|и|ьох|ьом|ьма|ома)", 6),
    (r"(?:сім|семи|сімох|сьома|сімом)", 7),
    (r"(?:вісім|восьми|вісьмох|вісьма|вісьмома)", 8),
    (r"дев'ят(?:ь|и|ьох|ьом|ьма|ома)", 9),
    (r"десят(?:ь|и|ьох|ьом|ьма|ома)", 10),
    (r"одинадцят\w*", 11),
    (r"дванадцят\w*", 12),
    (r"тринадцят\w*", 13),
    (r"чотирнадцят\w*", 14),
    (r"п'ятнадцят\w*", 15),
    (r"шістнадцят\w*", 16),
    (r"сімнадцят\w*", 17),
    (r"вісімнадцят\w*", 18),
    (r"дев'ятнадцят\w*", 19),
    (r"двадцят\w*", 20),
    (r"тридцят\w*", 30),
    (r"сорок\w*", 40),
    (r"п'ятдесят\w*", 50),
    (r"шістдесят\w*", 60),
    (r"сімдесят\w*", 70),
    (r"вісімдесят\w*", 80),
    (r"дев'яност\w*", 90),
    (r"(?:сто|ста)", 100),
    (r"двісті|двохсот\w*", 200),
    (r"триста|трьохсот\w*", 300),
    (r"чотириста|чотирьохсот\w*", 400),
    (r"п'ятсот|п'ятисот\w*", 500),
    (r"шістсот|шестисот\w*", 600),
    (r"сімсот|семисот\w*", 700),
    (r"вісімсот|восьмисот\w*", 800),
    (r"дев'ятсот|дев'ятисот\w*", 900),
    (r"тисяч\w*", 1000),
)
_UK_RE = [(re.compile(rf"(?:{pattern})$"), value) for pattern, value in _UK_WORDS]

# Qualifier phrases that may stand before a number, longest first within each language.
_QUALIFIERS: dict[Lang, tuple[tuple[tuple[str, ...], Qualifier], ...]] = {
    "en": (
        (("no", "fewer", "than"), "at_least"), (("no", "less", "than"), "at_least"),
        (("not", "less", "than"), "at_least"), (("in", "excess", "of"), "at_least"),
        (("a", "minimum", "of"), "at_least"), (("upwards", "of"), "at_least"), (("upward", "of"), "at_least"),
        (("north", "of"), "at_least"), (("more", "than"), "at_least"),
        (("at", "least"), "at_least"), (("well", "over"), "at_least"),
        (("just", "over"), "at_least"), (("over",), "at_least"), (("above",), "at_least"),
        (("no", "more", "than"), "at_most"), (("not", "more", "than"), "at_most"),
        (("a", "maximum", "of"), "at_most"), (("as", "many", "as"), "at_most"), (("up", "to"), "at_most"),
        (("at", "most"), "at_most"), (("fewer", "than"), "at_most"), (("less", "than"), "at_most"),
        (("just", "under"), "at_most"), (("under",), "at_most"),
        (("an", "estimated"), "approx"), (("close", "to"), "approx"), (("about",), "approx"),
        (("around",), "approx"), (("approximately",), "approx"), (("approx",), "approx"),
        (("roughly",), "approx"), (("nearly",), "approx"), (("almost",), "approx"), (("some",), "approx"),
        (("circa",), "approx"), (("estimated",), "approx"), (("~",), "approx"),
    ),
    "uk": (
        (("не", "менше", "ніж"), "at_least"), (("не", "менш", "як"), "at_least"),
        (("більше", "ніж"), "at_least"), (("більш", "ніж"), "at_least"), (("більш", "як"), "at_least"),
        (("понад",), "at_least"), (("більше",), "at_least"), (("щонайменше",), "at_least"),
        (("не", "більше", "ніж"), "at_most"), (("не", "більш", "як"), "at_most"), (("до",), "at_most"),
        (("близько",), "approx"), (("майже",), "approx"), (("приблизно",), "approx"),
        (("орієнтовно",), "approx"),
    ),
}  # fmt: skip
_ALL = {"en": {"all"}, "uk": {"всі", "усі", "всіх", "усіх"}}  # not "всього": "in total", no "all"
# "every one of the 23 drones", "each of them", "кожен з них": totals stated as every one, like "all".
_EVERY: dict[Lang, tuple[tuple[str, ...], ...]] = {
    "en": (("every", "single", "one"), ("every", "last", "one"), ("every", "one"), ("each", "one"), ("each",),
           ("every",)),
    "uk": (("кожен",), ("кожний",), ("кожна",), ("кожне",), ("кожного",), ("кожну",), ("кожній",)),
}
_EVERY_OF = {"en": {"of"}, "uk": {"з", "із", "зі"}}
_EVERY_ANAPHORA = {"en": {"them", "these", "those"}, "uk": {"них", "яких"}}
_ALL_PRONOUNS = {"en": set[str](), "uk": {"вони", "їх", "ці"}}
# "most of the 23 drones", "all but one of them": a share of a total, no figure of its own
_SHARE = {
    "en": {"most", "part", "half", "majority", "many", "some", "several", "much"},
    "uk": {"більшість", "частину", "частина", "половину", "половина", "решту", "решта"},
}
_BOTH = {"en": {"both"}, "uk": {"обидва", "обидві", "обох"}}
_NONE = {"en": {"none", "no", "zero", "neither"}, "uk": {"жодної", "жодного", "жоден", "жодна", "жодних"}}
_ARTICLE = {"en": {"a", "an", "single"}, "uk": set[str]()}
_RANGE_JOIN = {"en": {"-", "to", "or", "and"}, "uk": {"-", "до", "або", "чи"}}
_RANGE_START = {"en": {"between", "from"}, "uk": {"від"}}


@dataclass(frozen=True)
class CountRead:
    """A count found in the token stream: tokens ``start``..``end`` (exclusive)."""

    count: Count | None  # None only for kind "all_implicit" (value comes from the antecedent)
    start: int
    end: int
    kind: CountKind


MAX_DIGITS = 15


class _Lows:
    """The lower-case forms of a token list, read lazily: slicing near one token costs what the slice holds."""

    def __init__(self, tokens: Sequence[TokenLike]) -> None:
        self.tokens = tokens

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [t.low for t in self.tokens[index]]
        return self.tokens[index].low


def parse_digits(text: str) -> int | None:
    """Return the integer written with digits (thousands separators allowed), else None."""
    cleaned = re.sub(r"(?<=\d)[,\s\u202f](?=\d{3}\b)", "", text.strip())
    if len(cleaned) > MAX_DIGITS:
        return None  # no attack counts in the quadrillions: a serial number or noise, not a figure
    return int(cleaned) if cleaned.isdigit() else None


def parse_number_words(words: Sequence[str], lang: Lang) -> tuple[int, int] | None:
    """Return (value, words used) for number words at the start of ``words``, else None."""
    return _parse_en(words) if lang == "en" else _parse_uk(words)


def _en_word(word: str) -> int | None:
    if word in _EN_UNITS:
        return _EN_UNITS[word]
    if word in _EN_TENS:
        return _EN_TENS[word]
    tens, _, unit = word.partition("-")
    if tens in _EN_TENS and unit in _EN_UNITS and 0 < _EN_UNITS[unit] < 10:
        return _EN_TENS[tens] + _EN_UNITS[unit]
    return None


def _parse_en(words: Sequence[str]) -> tuple[int, int] | None:
    total, current, used, prev = 0, 0, 0, ""
    i = 0
    if len(words) > 1 and words[0] in ("a", "one") and words[1] in ("hundred", "thousand"):
        current, used, prev, i = 1, 1, "unit", 1
    while i < len(words):
        word, value = words[i], _en_word(words[i])
        if value is not None and (prev in ("", "hundred", "thousand") or (prev == "tens" and value < 10)):
            current += value
            prev = "tens" if value in _EN_TENS.values() else "unit"
        elif word == "hundred" and prev in ("unit", "tens"):
            current, prev = current * 100, "hundred"
        elif word == "thousand" and prev in ("unit", "tens", "hundred"):
            total, current, prev = total + current * 1000, 0, "thousand"
        elif word == "and" and prev in ("hundred", "thousand") and i + 1 < len(words):
            if _en_word(words[i + 1]) is None:
                break
            i += 1
            continue
        else:
            break
        i += 1
        used = i
    if not used:
        return None
    return total + current, used


def _uk_word(word: str) -> int | None:
    word = word.replace("’", "'").replace("ʼ", "'")
    for pattern, value in _UK_RE:
        if pattern.match(word):
            return value
    return None


_UK_ONE_TEN_OR_HUNDRED = frozenset({"десяток", "десятка", "десятком", "сотню", "сотня", "сотнею"})
_UK_TENS = re.compile(r"десят(?:ок|ка|ки|ків|ками|кам)$")  # "два десятки" = 20; "десяток" = 10
_UK_HUNDREDS = re.compile(r"сот(?:ня|ню|ні|нею|ень|нями|ням)$")  # "дві сотні" = 200; "сотню" = 100


def _parse_uk(words: Sequence[str]) -> tuple[int, int] | None:
    total, last, used = 0, 10**9, 0
    for word in words:
        multiplier = 10 if _UK_TENS.match(word) else 100 if _UK_HUNDREDS.match(word) else None
        if multiplier is not None:
            if used:
                total, last, used = total * multiplier, multiplier, used + 1
                continue
            if word in _UK_ONE_TEN_OR_HUNDRED:  # one ten, one hundred; plural alone: no figure
                total, last, used = multiplier, multiplier, 1
                continue
            break
        value = _uk_word(word)
        if value is None or value >= last:
            if value == 1000 and used:  # "дві тисячі": multiplier, not an addend
                total, last, used = total * 1000, 1000, used + 1
                continue
            break
        total, last, used = total + value, value, used + 1
    return (total, used) if used else None


def range_count(low: int, high: int, qualifier: Qualifier | None) -> Count:
    """Return the single count a range reports (see the module docstring for the policy)."""
    low, high = min(low, high), max(low, high)
    if qualifier == "at_most":
        return Count(value=high, qualifier="at_most")
    if qualifier == "approx":
        return Count(value=low, qualifier="approx")
    return Count(value=low, qualifier="at_least")


def _number_at(tokens: Sequence[TokenLike], i: int, lang: Lang) -> tuple[int, int, int | None] | None:
    """Return (value, end, high) for a number (or digit range) at ``i``; ``high`` set for ranges."""
    if i >= len(tokens):
        return None
    tok = tokens[i]
    if tok.kind in ("num", "plus") and tok.value is not None:
        return tok.value, i + 1, None
    if tok.kind == "range" and tok.value is not None:
        return tok.value, i + 1, tok.value2
    if tok.kind != "word":
        return None
    if lang == "en" and tok.low in ("a", "one") and i + 1 < len(tokens) and tokens[i + 1].low == "dozen":
        return 12, i + 2, None
    if lang == "en" and i + 1 < len(tokens) and tokens[i + 1].low == "dozen" and (n := _en_word(tok.low)) is not None:
        return 12 * n, i + 2, None  # "two dozen"
    words = [t.low if t.kind == "word" else "\0" for t in tokens[i : i + 8]]
    parsed = parse_number_words(words, lang)
    if parsed is None:
        return None
    return parsed[0], i + parsed[1], None


def _every(tokens: Sequence[TokenLike], lows: _Lows, i: int, lang: Lang) -> CountRead | None:
    """Read "every one of the 23" (23, all), "every one of them" / "each of the drones" (all, no number)."""
    for words in _EVERY[lang]:
        if tuple(lows[i : i + len(words)]) != words:
            continue
        k = i + len(words)
        has_of = k < len(tokens) and lows[k] in _EVERY_OF[lang]
        if words == ("each",) and not has_of:
            return None  # "each drone carried ...": no total
        if has_of:
            m = k + 1 + (k + 1 < len(tokens) and lows[k + 1] in ("the", "all"))
            number = _number_at(tokens, m, lang)
            if number is not None and number[2] is None:
                return CountRead(Count(value=number[0]), i, number[1], "all")
        return CountRead(None, i, k, "all_implicit")
    return None


def _not_one(lows: _Lows, i: int, n: int) -> int | None:
    """Return the end of "not one" / "not a single (one)" at ``i`` (a count of none), else None."""
    if lows[i + 1 : i + 2] == ["one"]:
        return i + 2
    if lows[i + 1 : i + 3] == ["a", "single"]:
        return i + 3 + (i + 3 < n and lows[i + 3] == "one")
    return None


def read_count(tokens: Sequence[TokenLike], i: int, lang: Lang) -> CountRead | None:
    """Read a count (qualifier, number or range, "all N", "both", "none") starting at token ``i``."""
    lows = _Lows(tokens)  # not a list of all of them: this runs at every token, so that would be quadratic
    qualifier: Qualifier | None = None
    j = i
    for phrase, qual in _QUALIFIERS[lang]:
        if tuple(lows[i : i + len(phrase)]) == phrase and _number_at(tokens, i + len(phrase), lang):
            qualifier, j = qual, i + len(phrase)
            break
    kind: CountKind = "number"
    if qualifier is None and j < len(tokens) and (every := _every(tokens, lows, i, lang)) is not None:
        return every
    if qualifier is None and j + 1 < len(tokens) and lows[j] in _SHARE[lang] and lows[j + 1] in _EVERY_OF[lang]:
        return CountRead(None, i, j + 1, "share")
    if lang == "en" and lows[j : j + 2] == ["all", "but"] and (left := _number_at(tokens, j + 2, lang)) is not None:
        return CountRead(None, i, left[1], "share")  # "all but one of the 23 drones": 22 is not written
    if lang == "en" and lows[i] == "not" and (none_end := _not_one(lows, i, len(tokens))) is not None:
        return CountRead(Count(value=0), i, none_end, "none")  # "not one reached its target", "not a single one"
    if lang == "en" and lows[j : j + 2] == ["them", "all"]:
        return CountRead(None, i, j + 2, "all_implicit")  # "neutralised them all"
    if qualifier is None and j < len(tokens):
        word = lows[j]
        if word in _ALL[lang]:
            after = _number_at(tokens, j + 1, lang)
            if after is None:
                if j + 1 < len(tokens) and lows[j + 1] in _ALL_PRONOUNS[lang]:
                    return CountRead(None, i, j + 2, "all_implicit")  # "усі вони збиті"
                if j + 1 < len(tokens) and lows[j + 1] in _EVERY_OF[lang] | {"the"}:  # "all of the 35", "all the 35"
                    m = j + 2 + (lows[j + 1] != "the" and j + 2 < len(tokens) and lows[j + 2] == "the")
                    number = _number_at(tokens, m, lang)
                    if number is not None and number[2] is None:
                        return CountRead(Count(value=number[0]), i, number[1], "all")
                return CountRead(None, i, j + 1, "all_implicit")
            kind, j = "all", j + 1
        elif word in _BOTH[lang]:
            return CountRead(Count(value=2), i, j + 1, "all")
        elif word in _NONE[lang]:
            return CountRead(Count(value=0), i, j + 1, "none")
        elif word in _ARTICLE[lang] and _number_at(tokens, j, lang) is None and _number_at(tokens, j + 1, lang) is None:
            return CountRead(Count(value=1), i, j + 1, "article")
    if j < len(tokens) and lows[j] in _RANGE_START[lang]:
        low = _number_at(tokens, j + 1, lang)
        if low and low[1] + 1 < len(tokens) and lows[low[1]] in _RANGE_JOIN[lang] | {"and"}:
            high = _number_at(tokens, low[1] + 1, lang)
            if high and high[0] > low[0]:
                return CountRead(range_count(low[0], high[0], qualifier), i, high[1], kind)
    number = _number_at(tokens, j, lang)
    if number is None:
        return None
    value, end, high_digit = number
    if high_digit is not None and high_digit > value:
        return CountRead(range_count(value, high_digit, qualifier), i, end, kind)
    if end + 1 < len(tokens) and lows[end] in _RANGE_JOIN[lang] - {"and"}:
        high = _number_at(tokens, end + 1, lang)
        if high and high[0] > value and high[2] is None:
            return CountRead(range_count(value, high[0], qualifier), i, high[1], kind)
    if tokens[j].kind == "plus" and lows[j].endswith("-odd"):
        qualifier = qualifier or "approx"  # "60-odd drones"
    elif tokens[j].kind == "plus" or lows[end : end + 2] == ["or", "more"]:
        qualifier = qualifier or "at_least"
        end += 2 if lows[end : end + 2] == ["or", "more"] else 0
    elif lows[end : end + 2] == ["or", "so"]:
        qualifier, end = qualifier or "approx", end + 2
    if lang == "en" and lows[end - 1] == "dozen" and qualifier is None:
        qualifier = "approx"  # "a dozen", "two dozen" are round figures, not tallies
    return CountRead(Count(value=value, qualifier=qualifier or "exact"), i, end, kind)
