"""One catalogue key per weapon model, whatever the language or transliteration of its name.

Reports name the same weapon in many ways: "Іскандер-М" and "Iskander-M", "Х-101" (Cyrillic Kha) and
"Kh-101" or "X-101", "Шахед", "Shahed-136/131", "Герань-2" and "Geran-2" (Russia's name for the Shahed-136).
`weapon_key` maps each to one key ("iskander-m", "kh-101", "shahed"), so the extractor, the CSV feeds and the
indicators line figures up side by side. A name that combines models ("X-101/X-555 and Kalibr") gets the keys
of its parts joined by "/" in the order written ("kh-101/kh-555/kalibr"). Names that say only what kind of
weapon it was ("Unknown UAV", "Ballistic Missile") have no key: the category says that already.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class WeaponKey:
    """One catalogue entry: its key, the label people read, and its §4 category."""

    key: str
    label: str
    category: str  # a §4 category


# (pattern over a lower-cased name, key, label, category); the first match wins, so specific names come first.
# Latin X, Cyrillic Х and "Kh" all write the Kha of Russian missile names; Latin C often stands for Cyrillic С.
_KH = r"(?:kh|x|х)-?\s?"
_ENTRIES: tuple[tuple[str, WeaponKey], ...] = tuple(
    (pattern, WeaponKey(key, label, category))
    for pattern, key, label, category in (
        (r"shahed-?238|geran-?3|герань-?3|шахед-?238", "shahed-238", "Shahed-238 (Geran-3)", "drone"),
        (r"shahed|шахед|geran|герань|ґерань", "shahed", "Shahed (Geran-2)", "drone"),
        (r"gerbera|гербер", "gerbera", "Gerbera", "decoy_drone"),
        (r"parody|пароді", "parody", "Parody", "decoy_drone"),
        (r"lancet|ланцет", "lancet", "Lancet", "drone"),
        (r"orlan-?30|орлан-?30", "orlan-30", "Orlan-30", "drone"),
        (r"orlan|орлан", "orlan-10", "Orlan-10", "drone"),
        (r"zala|зала", "zala", "ZALA", "drone"),
        (r"supercam|суперкам", "supercam", "Supercam", "drone"),
        (r"merlin|мерлін", "merlin-vr", "Merlin-VR", "drone"),
        (r"granat|гранат", "granat-4", "Granat-4", "drone"),
        (r"mohajer|мохаджер", "mohajer-6", "Mohajer-6", "drone"),
        (r"forpost|форпост", "forpost", "Forpost", "drone"),
        (r"orion|оріон|орион", "orion", "Orion", "drone"),
        (r"molniya|молні|молни", "molniya", "Molniya", "drone"),
        (r"eleron|елерон|элерон", "eleron", "Eleron", "drone"),
        (r"\bkub\b|\bкуб\b", "kub", "KUB", "drone"),
        (rf"kinzhal|кинджал|кинжал|{_KH}47", "kinzhal", "Kinzhal (Kh-47M2)", "ballistic_missile"),
        (r"(?:iskander|[iі]скандер|искандер)-?\s?[мm]", "iskander-m", "Iskander-M", "ballistic_missile"),
        (r"(?:iskander|[iі]скандер|искандер)-?\s?[кk]", "iskander-k", "Iskander-K", "cruise_missile"),
        (r"(?:kn|кн)-?2[34]", "kn-23", "KN-23", "ballistic_missile"),
        (r"iskander|[iі]скандер|искандер", "iskander", "Iskander", "missile"),
        (r"tochka|точка", "tochka-u", "Tochka-U", "ballistic_missile"),
        (r"kalibr|калібр|калибр", "kalibr", "Kalibr", "cruise_missile"),
        (r"zircon|tsirkon|циркон|3m-?22", "zircon", "Zircon", "cruise_missile"),
        (r"oniks|onyx|онікс|оникс|p-?800|п-?800", "oniks", "Oniks (P-800)", "cruise_missile"),
        (r"banderol|бандероль", "banderol", "Banderol", "cruise_missile"),
        (rf"{_KH}101", "kh-101", "Kh-101", "cruise_missile"),
        (rf"{_KH}555", "kh-555", "Kh-555", "cruise_missile"),
        (rf"{_KH}55(?!\d)", "kh-55", "Kh-55", "cruise_missile"),
        (rf"{_KH}22", "kh-22", "Kh-22", "cruise_missile"),
        (rf"{_KH}32", "kh-32", "Kh-32", "cruise_missile"),
        (rf"{_KH}35", "kh-35", "Kh-35", "cruise_missile"),
        (rf"{_KH}59", "kh-59", "Kh-59", "guided_air_missile"),
        (rf"{_KH}69", "kh-69", "Kh-69", "guided_air_missile"),
        (rf"{_KH}31", "kh-31", "Kh-31", "guided_air_missile"),
        (rf"{_KH}29", "kh-29", "Kh-29", "guided_air_missile"),
        (rf"{_KH}38", "kh-38", "Kh-38", "guided_air_missile"),
        (r"(?<![\w-])[sсc]-?400", "s-400", "S-400", "missile"),
        (r"(?<![\w-])[sсc]-?300", "s-300", "S-300", "missile"),
        (r"umpk|умпк", "umpk", "KAB with UMPK", "guided_bomb"),
        (r"\bkab|\bкаб|\bgbu\b", "kab", "KAB guided bomb", "guided_bomb"),
    )
)
_COMPILED = tuple((re.compile(pattern), entry) for pattern, entry in _ENTRIES)
CATALOGUE: dict[str, WeaponKey] = {entry.key: entry for _, entry in _ENTRIES}
_PARTS = re.compile(r"\s*(?:/|,|\band\b|\bта\b|\bі\b|\bй\b|\+)\s*", re.IGNORECASE)


def _part_key(part: str) -> WeaponKey | None:
    low = part.strip().strip("\"'«»()").lower()
    return next((entry for pattern, entry in _COMPILED if pattern.search(low)), None)


def weapon_keys(model: str | None) -> list[WeaponKey]:
    """Return the catalogue entries a model name names, in the order written, without repeats."""
    if not model:
        return []
    found: list[WeaponKey] = []
    previous = ""
    for part in _PARTS.split(model.strip()):
        if not part:
            continue
        if part.isdigit() and previous:  # "Shahed-136/131", "Х-101/555": a bare number continues the name before
            part = re.sub(r"\d+[^\d]*$", part, previous)
        entry = _part_key(part)
        if entry is not None and entry not in found:
            found.append(entry)
        previous = part
    return found


def weapon_key(model: str | None) -> str | None:
    """Return the catalogue key of a model name ("Іскандер-М" → "iskander-m"), or None when none is known."""
    keys = weapon_keys(model)
    return "/".join(entry.key for entry in keys) or None


def weapon_label(key: str | None) -> str | None:
    """Return the label people read for a catalogue key (each part of a combined key), or None."""
    if not key:
        return None
    return " / ".join(CATALOGUE[k].label if k in CATALOGUE else k for k in key.split("/"))
