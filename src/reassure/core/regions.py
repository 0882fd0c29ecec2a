"""Ukrainian regions: one spelling per oblast, whatever the source wrote ('Zaporizhzhya oblast', 'Odessa')."""

from __future__ import annotations

import re

# Canonical names follow the Ukrainian national romanisation (as the Air Force and geoBoundaries mostly do).
# Each canonical name lists the lower-case stems sources use for it, without the word 'oblast'.
_OBLASTS: dict[str, tuple[str, ...]] = {
    "Cherkasy Oblast": ("cherkasy", "cherkassy"),
    "Chernihiv Oblast": ("chernihiv", "chernigov"),
    "Chernivtsi Oblast": ("chernivtsi", "chernovtsy"),
    "Dnipropetrovsk Oblast": ("dnipropetrovsk", "dnipropetrovs'k", "dnepropetrovsk", "dnipro"),
    "Donetsk Oblast": ("donetsk", "donets'k"),
    "Ivano-Frankivsk Oblast": ("ivano-frankivsk", "ivano-frankivs'k"),
    "Kharkiv Oblast": ("kharkiv", "kharkov"),
    "Kherson Oblast": ("kherson",),
    "Khmelnytskyi Oblast": ("khmelnytskyi", "khmelnytskyy", "khmelnitsky", "khmelnytsky"),
    "Kirovohrad Oblast": ("kirovohrad", "kirovograd", "kropyvnytskyi"),
    "Kyiv Oblast": ("kyiv", "kiev"),
    "Luhansk Oblast": ("luhansk", "lugansk", "luhans'k"),
    "Lviv Oblast": ("lviv", "l'viv", "lvov"),
    "Mykolaiv Oblast": ("mykolaiv", "mykolayiv", "nikolaev", "nikolayev"),
    "Odesa Oblast": ("odesa", "odessa"),
    "Poltava Oblast": ("poltava",),
    "Rivne Oblast": ("rivne", "rovno"),
    "Sumy Oblast": ("sumy",),
    "Ternopil Oblast": ("ternopil", "ternopol"),
    "Vinnytsia Oblast": ("vinnytsia", "vinnytsya", "vinnitsa"),
    "Volyn Oblast": ("volyn",),
    "Zakarpattia Oblast": ("zakarpattia", "zakarpattya", "transcarpathia", "transcarpathian"),
    "Zaporizhzhia Oblast": ("zaporizhzhia", "zaporizhzhya", "zaporizhia", "zaporozhye", "zaporizhzhe"),
    "Zhytomyr Oblast": ("zhytomyr", "zhitomir"),
}
_OTHERS: dict[str, tuple[str, ...]] = {
    "Kyiv City": ("kiev special republican city", "kyiv city", "kiev city", "city of kyiv", "city of kiev"),
    "Crimea": ("crimea", "autonomous republic of crimea", "republic of crimea"),
    "Sevastopol": ("sevastopol", "sevastopol city"),
}
_LOOKUP: dict[str, str] = {
    stem: name for table in (_OBLASTS, _OTHERS) for name, stems in table.items() for stem in stems
}
_OTHER_STEMS = frozenset(stem for stems in _OTHERS.values() for stem in stems)
_SUFFIX = re.compile(r"\s+(?:oblast|obl\.?|region|province)$")
_NATIONWIDE = {"ukraine", "all of ukraine", "nationwide", "across ukraine"}


def normalise_region(text: str | None) -> str | None:
    """Return one spelling of a region ('Zaporizhzhya oblast' → 'Zaporizhzhia Oblast'); None for all of Ukraine.

    The part after a comma (a raion) is dropped; a list of several regions ('Odesa oblast and Mykolaiv oblast')
    is not one region and gives None; unknown names are kept with each word capitalised.
    """
    if text is None:
        return None
    cleaned = " ".join(text.split()).split(",")[0].strip()
    lowered = cleaned.lower()
    if not lowered or lowered in _NATIONWIDE or " and " in lowered:
        return None
    if lowered in _OTHER_STEMS:
        return _LOOKUP[lowered]
    if lowered in ("kyiv", "kiev"):
        return "Kyiv City"  # the bare name means the city, its own region; the oblast is written with 'oblast'
    stem = _SUFFIX.sub("", lowered)
    if stem in _LOOKUP:
        return _LOOKUP[stem]  # a bare city name ('Odesa', 'Dnipro') counts for its oblast
    return " ".join(word[:1].upper() + word[1:] for word in cleaned.split(" "))


def same_region(a: str | None, b: str | None) -> bool:
    """Tell whether two normalised regions are compatible: equal, or one of them unknown (None)."""
    return a is None or b is None or a == b



# ISO 3166-2:UA codes: one key per region, whatever the language or spelling (docs/adr/0019). Labels are the
# English names shown to people; the codes are checked against pycountry's subdivisions in the tests.
REGION_LABELS: dict[str, str] = {
    "UA-05": "Vinnytsia Oblast", "UA-07": "Volyn Oblast", "UA-09": "Luhansk Oblast",
    "UA-12": "Dnipropetrovsk Oblast", "UA-14": "Donetsk Oblast", "UA-18": "Zhytomyr Oblast",
    "UA-21": "Zakarpattia Oblast", "UA-23": "Zaporizhzhia Oblast", "UA-26": "Ivano-Frankivsk Oblast",
    "UA-30": "Kyiv City", "UA-32": "Kyiv Oblast", "UA-35": "Kirovohrad Oblast", "UA-40": "Sevastopol",
    "UA-43": "Crimea", "UA-46": "Lviv Oblast", "UA-48": "Mykolaiv Oblast", "UA-51": "Odesa Oblast",
    "UA-53": "Poltava Oblast", "UA-56": "Rivne Oblast", "UA-59": "Sumy Oblast", "UA-61": "Ternopil Oblast",
    "UA-63": "Kharkiv Oblast", "UA-65": "Kherson Oblast", "UA-68": "Khmelnytskyi Oblast",
    "UA-71": "Cherkasy Oblast", "UA-74": "Chernihiv Oblast", "UA-77": "Chernivtsi Oblast",
}
_CODE_BY_NAME: dict[str, str] = {name: code for code, name in REGION_LABELS.items()}

# Ukrainian stems, capitalised as written: an oblast adjective takes 'область' in any case ('Харківської
# області'); a '-щина' name ('Харківщина', 'на Харківщині') or a land ('Буковина', 'Закарпаття') stands alone.
UKRAINIAN_ADJECTIVES: dict[str, str] = {
    "Вінницьк": "UA-05", "Волинськ": "UA-07", "Луганськ": "UA-09", "Дніпропетровськ": "UA-12",
    "Донецьк": "UA-14", "Житомирськ": "UA-18", "Закарпатськ": "UA-21", "Запорізьк": "UA-23",
    "Івано-Франківськ": "UA-26", "Київськ": "UA-32", "Кіровоградськ": "UA-35", "Львівськ": "UA-46",
    "Миколаївськ": "UA-48", "Одеськ": "UA-51", "Полтавськ": "UA-53", "Рівненськ": "UA-56", "Сумськ": "UA-59",
    "Тернопільськ": "UA-61", "Харківськ": "UA-63", "Херсонськ": "UA-65", "Хмельницьк": "UA-68",
    "Черкаськ": "UA-71", "Чернігівськ": "UA-74", "Чернівецьк": "UA-77",
}
UKRAINIAN_LANDS: dict[str, str] = {
    "Вінниччин": "UA-05", "Волин": "UA-07", "Луганщин": "UA-09", "Дніпропетровщин": "UA-12",
    "Донеччин": "UA-14", "Житомирщин": "UA-18", "Закарпатт": "UA-21", "Запоріжж": "UA-23",
    "Прикарпатт": "UA-26", "Івано-Франківщин": "UA-26", "Київщин": "UA-32", "Кіровоградщин": "UA-35",
    "Львівщин": "UA-46", "Миколаївщин": "UA-48", "Одещин": "UA-51", "Полтавщин": "UA-53", "Рівненщин": "UA-56",
    "Сумщин": "UA-59", "Тернопільщин": "UA-61", "Харківщин": "UA-63", "Херсонщин": "UA-65",
    "Хмельниччин": "UA-68", "Черкащин": "UA-71", "Чернігівщин": "UA-74", "Буковин": "UA-77",
    "Київ": "UA-30", "Києв": "UA-30", "Крим": "UA-43", "Севастопол": "UA-40",
}
# Cities named in English reports that stand for their oblast (a bare 'Kyiv' is the city, its own region).
ENGLISH_CITIES: dict[str, str] = {
    "kryvyi rih": "UA-12", "kremenchuk": "UA-53", "bila tserkva": "UA-32", "mariupol": "UA-14",
    "kramatorsk": "UA-14", "sloviansk": "UA-14", "pavlohrad": "UA-12", "izmail": "UA-51", "uman": "UA-71",
    "brovary": "UA-32", "lutsk": "UA-07", "uzhhorod": "UA-21", "kropyvnytskyi": "UA-35", "kharkiv city": "UA-63",
}


def region_label(code: str | None) -> str:
    """Return the English label of a region code ('UA-63' → 'Kharkiv Oblast'); an unknown value is shown as given."""
    if code is None:
        return "—"
    return REGION_LABELS.get(code, code)


def region_code(text: str | None) -> str | None:
    """Return the ISO 3166-2:UA code of one region in any spelling ('Zaporizhzhya oblast', 'ua-23', 'Odessa',
    'Харківщина', 'Київська область'), else None (nothing, all of Ukraine, several regions, or no Ukrainian region)."""
    if text is None:
        return None
    cleaned = " ".join(text.split())
    if cleaned.upper() in REGION_LABELS:
        return cleaned.upper()
    if cleaned.lower() in ENGLISH_CITIES:
        return ENGLISH_CITIES[cleaned.lower()]
    for stems in (UKRAINIAN_ADJECTIVES, UKRAINIAN_LANDS):
        for stem, code in stems.items():
            if cleaned.startswith(stem) and (stems is UKRAINIAN_LANDS or "област" in cleaned or "обл." in cleaned):
                return code
    name = normalise_region(cleaned)
    return _CODE_BY_NAME.get(name) if name else None


def region_codes(values: str | list[str] | tuple[str, ...] | None) -> list[str] | None:
    """Return the codes of one or several regions (a rule's `region` parameter); a value that is no region is kept
    as given, so that it matches nothing rather than everything."""
    if values is None:
        return None
    names = [values] if isinstance(values, str) else list(values)
    return [region_code(n) or n for n in names]


def require_region(text: str | None) -> str | None:
    """Return the code of a region a user asked for (None when none is asked), or raise InputError for a value that
    names no region of Ukraine: a filter that cannot be applied is refused, never dropped."""
    from reassure.core.errors import InputError

    if text is None or not text.strip():
        return None
    code = region_code(text)
    if code is None:
        raise InputError(f"region: {text[:120]!r} is no region of Ukraine; give an oblast, Kyiv, Crimea or "
                         "Sevastopol in any spelling, or an ISO 3166-2:UA code such as UA-63")
    return code
