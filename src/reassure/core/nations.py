"""Nation codes (ISO 3166-1 alpha-3 via pycountry) and their display names."""

from __future__ import annotations

from functools import lru_cache

import pycountry

# Short names users expect where ISO's official English names are long.
_SHORT_NAMES = {
    "GBR": "United Kingdom",
    "USA": "United States",
    "RUS": "Russia",
    "NLD": "Netherlands",
    "CZE": "Czechia",
    "TUR": "Türkiye",
    "KOR": "South Korea",
}


class UnknownNation(ValueError):
    """A code that is not an ISO 3166-1 alpha-3 country code."""


@lru_cache(maxsize=512)
def nation_name(code: str) -> str:
    """Return a nation's display name, or raise UnknownNation."""
    code = code.upper()
    if code in _SHORT_NAMES:
        return _SHORT_NAMES[code]
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        raise UnknownNation(f"unknown nation code {code!r} (expected ISO 3166-1 alpha-3, e.g. FRA)")
    return str(getattr(country, "common_name", None) or country.name)


def nation_label(code: str) -> str:
    """Return a nation's display name for people, or the code itself when it is not a known nation."""
    try:
        return nation_name(code)
    except UnknownNation:
        return code


def is_nation(code: str) -> bool:
    """Tell whether a string is a known ISO alpha-3 code."""
    try:
        nation_name(code)
    except UnknownNation:
        return False
    return len(code) == 3 and code.isupper()


def all_nations() -> list[tuple[str, str]]:
    """Return every ISO 3166-1 alpha-3 code with its display name, by code."""
    return sorted((c.alpha_3, nation_name(c.alpha_3)) for c in pycountry.countries)
