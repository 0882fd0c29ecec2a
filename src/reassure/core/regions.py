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
