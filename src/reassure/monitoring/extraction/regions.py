"""Regions a report names, as ISO 3166-2:UA codes, and a count of regions stated without names.

Pure: the text in, codes and a count out (docs/adr/0019).
- English: oblast names in any common spelling ('Zaporizhzhya', 'Odessa', 'Dnipropetrovsk'), with or without
  'oblast'/'region'/'province', also in a list ('Kharkiv, Sumy and Kyiv regions'); a bare 'Kyiv' is the city
  (UA-30), 'Kyiv region'/'Kyiv Oblast' the oblast (UA-32); a few large cities count for their oblast.
- Ukrainian: the oblast adjective with 'область' in any case ('у Київській області', 'Харківської обл.'), the
  '-щина' names in any case ('на Харківщині', 'Дніпропетровщину'), 'Київ'/'Києві' (the city), 'Крим', and the
  largest cities in their common case forms.
- A place named as where weapons came from ('from occupied Crimea', 'з напрямку ... ТОТ Криму') is not a region
  the attack reached and is left out.
- A count: 'over six regions', 'in 6 regions', 'у восьми областях', 'понад 10 регіонах' → a Count with the
  qualifier of DESIGN §4 (over → at_least, about → approx, up to → at_most).
"""

from __future__ import annotations

import re

from reassure.core.regions import ENGLISH_CITIES, UKRAINIAN_ADJECTIVES, UKRAINIAN_LANDS
from reassure.monitoring.report import Count, Qualifier

# English stems → code; "kyiv"/"kiev" are resolved by what follows them.
_ENGLISH: dict[str, str] = {
    "cherkasy": "UA-71", "cherkassy": "UA-71", "chernihiv": "UA-74", "chernigov": "UA-74", "chernivtsi": "UA-77",
    "chernovtsy": "UA-77", "dnipropetrovsk": "UA-12", "dnipropetrovs'k": "UA-12", "dnepropetrovsk": "UA-12",
    "dnipro": "UA-12", "donetsk": "UA-14", "ivano-frankivsk": "UA-26", "kharkiv": "UA-63", "kharkov": "UA-63",
    "kherson": "UA-65", "khmelnytskyi": "UA-68", "khmelnytskyy": "UA-68", "khmelnitsky": "UA-68",
    "khmelnytskyi's": "UA-68", "khmelnytsky": "UA-68", "kirovohrad": "UA-35", "kirovograd": "UA-35",
    "luhansk": "UA-09", "lugansk": "UA-09", "lviv": "UA-46", "lvov": "UA-46", "mykolaiv": "UA-48",
    "mykolayiv": "UA-48", "nikolaev": "UA-48", "odesa": "UA-51", "odessa": "UA-51", "poltava": "UA-53",
    "rivne": "UA-56", "rovno": "UA-56", "sumy": "UA-59", "ternopil": "UA-61", "vinnytsia": "UA-05",
    "vinnytsya": "UA-05", "vinnitsa": "UA-05", "volyn": "UA-07", "zakarpattia": "UA-21", "zakarpattya": "UA-21",
    "transcarpathia": "UA-21", "transcarpathian": "UA-21", "zaporizhzhia": "UA-23", "zaporizhzhya": "UA-23",
    "zaporizhia": "UA-23", "zaporizhzhe": "UA-23", "zaporozhye": "UA-23", "zhytomyr": "UA-18",
    "zhitomir": "UA-18", "crimea": "UA-43", "sevastopol": "UA-40", "kyiv": "UA-30", "kiev": "UA-30",
    **ENGLISH_CITIES,
}
_SUFFIX = r"(?:oblast|oblasts|region|regions|province|provinces)\b"
_ENGLISH_NAME = re.compile(
    r"(?<![\w'-])(" + "|".join(re.escape(s) for s in sorted(_ENGLISH, key=len, reverse=True)) + r")(?![\w-])",
    re.IGNORECASE)
# A list of names ending in a plural suffix: 'Kyiv, Sumy and Chernihiv regions' makes every name an oblast.
_LIST_TAIL = re.compile(r"(?:\s*(?:,|and|&|та|і|й)\s*(?:the\s+)?[A-Z][\w'-]+)*\s+" + _SUFFIX, re.IGNORECASE)
_CITY_AFTER = re.compile(r"\s+city\b", re.IGNORECASE)
_SUFFIX_AFTER = re.compile(r"\s+" + _SUFFIX, re.IGNORECASE)
LIST_REACH = 300  # how far after 'Kyiv' a list may run to its 'regions' (a list of every oblast is ~280 characters)

_UKRAINIAN_CITIES: dict[str, str] = {
    "Харків": "UA-63", "Харкова": "UA-63", "Харкові": "UA-63", "Одеса": "UA-51", "Одеси": "UA-51",
    "Одесі": "UA-51", "Одесу": "UA-51", "Дніпро": "UA-12", "Дніпра": "UA-12", "Дніпрі": "UA-12", "Львів": "UA-46",
    "Львова": "UA-46", "Львові": "UA-46", "Миколаїв": "UA-48", "Миколаєва": "UA-48", "Миколаєві": "UA-48",
    "Херсон": "UA-65", "Херсона": "UA-65", "Херсоні": "UA-65", "Суми": "UA-59", "Сумах": "UA-59",
    "Кривий Ріг": "UA-12", "Кривому Розі": "UA-12", "Кривого Рогу": "UA-12", "Полтава": "UA-53",
    "Полтаві": "UA-53", "Полтави": "UA-53", "Чернігів": "UA-74", "Чернігові": "UA-74", "Чернігова": "UA-74",
}
_UK_LETTER = "А-Яа-яІіЇїЄєҐґ'’ʼ"
_UKRAINIAN_ADJECTIVE = re.compile(
    "(" + "|".join(re.escape(s) for s in sorted(UKRAINIAN_ADJECTIVES, key=len, reverse=True)) + ")"
    r"(?:а|ої|ій|у|ою|ий|ого|ому|ім)\s+(?:област\w*|обл\.)")
_UKRAINIAN_LAND = re.compile(
    rf"(?<![{_UK_LETTER}-])(" + "|".join(re.escape(s) for s in sorted(UKRAINIAN_LANDS, key=len, reverse=True))
    + rf")[{_UK_LETTER}]{{0,3}}(?![{_UK_LETTER}-])")
_UKRAINIAN_CITY = re.compile(
    rf"(?<![{_UK_LETTER}-])(" + "|".join(re.escape(s) for s in sorted(_UKRAINIAN_CITIES, key=len, reverse=True))
    + rf")(?![{_UK_LETTER}-])")
_LAND_ENDINGS = re.compile(r"^(?:а|и|і|у|ою|ь|я|ям|ю|ом|ем|ові|еві|ою|ій|ої|ого)?$")

# Where the weapons came from, just before a name: that place is not a region the attack reached.
_LAUNCH_CUE = re.compile(
    r"(?:\bfrom|\boccupied|(?<![\w'])(?:із|зі|з)|напрямк\w*|\bТОТ|окупован\w*)"
    r"(?:\s+(?:the|occupied|temporarily|direction|area|of|тимчасово|окупован\w*|ТОТ|АР|півострова|"
    r"Автономної|Республіки|напрямку|району))*\s*$", re.IGNORECASE)

_NUMBER_WORDS: dict[str, int] = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "a dozen": 12,
    "дві": 2, "два": 2, "двох": 2, "три": 3, "трьох": 3, "чотири": 4, "чотирьох": 4, "п'ять": 5, "п'яти": 5,
    "шість": 6, "шести": 6, "сім": 7, "семи": 7, "вісім": 8, "восьми": 8, "дев'ять": 9, "дев'яти": 9,
    "десять": 10, "десяти": 10, "одинадцять": 11, "одинадцяти": 11, "дванадцять": 12, "дванадцяти": 12,
    "тринадцять": 13, "тринадцяти": 13, "чотирнадцять": 14, "чотирнадцяти": 14, "п'ятнадцять": 15,
    "п'ятнадцяти": 15, "шістнадцять": 16, "шістнадцяти": 16, "сімнадцять": 17, "сімнадцяти": 17,
    "вісімнадцять": 18, "вісімнадцяти": 18, "дев'ятнадцять": 19, "дев'ятнадцяти": 19, "двадцять": 20,
    "двадцяти": 20,
}
_QUALIFIERS: dict[str, Qualifier] = {
    "over": "at_least", "more than": "at_least", "at least": "at_least", "no fewer than": "at_least",
    "понад": "at_least", "більш ніж": "at_least", "більше ніж": "at_least", "більше": "at_least",
    "щонайменше": "at_least", "принаймні": "at_least", "about": "approx", "around": "approx",
    "nearly": "approx", "almost": "approx", "some": "approx", "близько": "approx", "майже": "approx",
    "up to": "at_most", "до": "at_most",
}
_COUNT = re.compile(
    r"(?<![\w'])(?:(" + "|".join(sorted((re.escape(q) for q in _QUALIFIERS), key=len, reverse=True)) + r")\s+)?"
    r"(\d{1,2}|" + "|".join(sorted((re.escape(w) for w in _NUMBER_WORDS), key=len, reverse=True)) + r")"
    r"\s+(?:(?:of\s+)?(?:Ukraine's|Ukrainian|other|different|separate)\s+)?"
    r"(?:regions|oblasts|provinces|областях|областей|області|регіонах|регіонів|регіони)\b",
    re.IGNORECASE)
MAX_REGIONS = 27  # the 24 oblasts, Kyiv city, Crimea and Sevastopol


def _unify(text: str) -> str:
    """Make apostrophes one character (Ukrainian texts use ', ’ and ʼ alike) without moving any offset."""
    return text.replace("’", "'").replace("ʼ", "'")


def _launch_site(text: str, start: int) -> bool:
    before = text[max(0, start - 60):start]
    return bool(_LAUNCH_CUE.search(before))


def _english(text: str) -> list[tuple[int, str]]:
    found = []
    for m in _ENGLISH_NAME.finditer(text):
        stem = m.group(1).lower()
        if _launch_site(text, m.start()):
            continue
        code = _ENGLISH[stem]
        if stem in ("kyiv", "kiev"):
            before = text[max(0, m.start() - 8):m.start()].lower()
            is_city = bool(_CITY_AFTER.match(text, m.end())) or before.endswith("city of ")
            after = text[m.end():m.end() + LIST_REACH]  # a bounded look ahead: linear in the text, whatever it holds
            is_oblast = bool(_LIST_TAIL.match(after)) or bool(_SUFFIX_AFTER.match(after))
            code = "UA-32" if is_oblast and not is_city else "UA-30"
        found.append((m.start(), code))
    return found


def _ukrainian(text: str) -> list[tuple[int, str]]:
    found = [(m.start(), UKRAINIAN_ADJECTIVES[m.group(1)]) for m in _UKRAINIAN_ADJECTIVE.finditer(text)]
    taken = {start for start, _ in found}
    for m in _UKRAINIAN_LAND.finditer(text):
        ending = m.group(0)[len(m.group(1)):]
        if m.start() in taken or not _LAND_ENDINGS.match(ending):
            continue
        found.append((m.start(), UKRAINIAN_LANDS[m.group(1)]))
    found += [(m.start(), _UKRAINIAN_CITIES[m.group(1)]) for m in _UKRAINIAN_CITY.finditer(text)]
    return [(start, code) for start, code in found if not _launch_site(text, start)]


def extract_regions(text: str) -> list[str]:
    """Return the ISO 3166-2:UA codes of the regions a report names, in the order first named, each once."""
    unified = _unify(text)
    ordered = sorted(_english(unified) + _ukrainian(unified))
    out: list[str] = []
    for _start, code in ordered:
        if code not in out:
            out.append(code)
    return out


def extract_region_count(text: str) -> Count | None:
    """Return the number of regions the report states ('over six regions' → 6 at_least), else None.

    Several statements keep the largest; a number above the 27 regions of Ukraine is no count of regions.
    """
    best: Count | None = None
    for m in _COUNT.finditer(_unify(text)):
        qualifier = _QUALIFIERS.get((m.group(1) or "").lower(), "exact")
        word = m.group(2).lower()
        value = int(word) if word.isdigit() else _NUMBER_WORDS[word]
        if not 2 <= value <= MAX_REGIONS:
            continue
        if best is None or value > best.value:
            best = Count(value=value, qualifier=qualifier)
    return best
