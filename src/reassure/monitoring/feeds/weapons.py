"""Weapon models → DESIGN §4 categories, from the reference table `missiles_and_uavs.csv` or built-in keywords."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from reassure.core.errors import Problem
from reassure.core.text_files import InputFileError

# The reference table's own categories, in §4 terms. Surface-to-air missiles (S-300/S-400) fired at ground
# targets have no §4 category of their own, so they count as `missile` (type not given), as the extractor does.
REFERENCE_CATEGORIES: dict[str, str] = {
    "uav": "drone",
    "ballistic missile": "ballistic_missile",
    "cruise missile": "cruise_missile",
    "guided bomb": "guided_bomb",
    "surface-to-air missile": "missile",
    "surface-to-air and ballistic": "missile",
}
# The reference files Kh-59/69/31 under 'cruise missile'; the Air Force reports and §4 count them as guided
# (air-launched) missiles, so the model wins over the table for these families.
_GUIDED_AIR = re.compile(r"^(?:x|kh|х)-?(?:59|69|31|29|38)", re.IGNORECASE)
_KEYWORDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), category)
    for pattern, category in (
        (r"gerbera|parody|imitat|decoy", "decoy_drone"),
        (
            r"uav|drone|shahed|geran|lancet|orlan|zala|supercam|merlin|mohajer|orion|forpost|granat|eleron|"
            r"\bkub\b|молні|фенікс|картограф|привет",
            "drone",
        ),
        (r"bomb|\bgbu\b|\bkab\b|umpk", "guided_bomb"),
        (r"iskander-?m|kn-?23|kinzhal|ballistic|tochka", "ballistic_missile"),
        (r"^(?:x|kh|х)-?(?:59|69|31|29|38)", "guided_air_missile"),
        (
            r"x-?101|x-?555|kh-?101|kalibr|iskander-?k|x-?22|x-?32|x-?35|zircon|oniks|onyx|banderol|cruise",
            "cruise_missile",
        ),
        (r"\b[cs]-?300|\b[cs]-?400|missile", "missile"),
    )
)
REQUIRED_COLUMNS = ("model", "category")


@dataclass
class WeaponCatalogue:
    """Categories by weapon model: the reference table's entries, then keywords for models it lacks."""

    by_model: dict[str, str] = field(default_factory=dict)  # lower-cased model → §4 category
    origin: str = "built-in keywords"

    def category_of_part(self, part: str) -> str | None:
        """Return the category of one model name, or None when neither the table nor a keyword knows it."""
        name = part.strip()
        if not name:
            return None
        if _GUIDED_AIR.search(name):
            return "guided_air_missile"
        found = self.by_model.get(name.lower())
        if found is not None:
            return found
        return next((category for pattern, category in _KEYWORDS if pattern.search(name)), None)

    def category_of(self, model: str) -> str | None:
        """Return a model's category; combined models ('A and B') share their parts' category, else `missile`."""
        parts = [p for p in re.split(r"\s+and\s+", model.strip()) if p.strip()]
        categories = [self.category_of_part(p) for p in parts]
        if not categories or None in categories:
            return None
        kinds = set(categories)
        if len(kinds) == 1:
            return categories[0]
        return "drone" if kinds <= {"drone", "decoy_drone"} else "missile"


def builtin_catalogue() -> WeaponCatalogue:
    """Return a catalogue that knows models only through built-in keywords."""
    return WeaponCatalogue()


def load_catalogue(path: Path) -> WeaponCatalogue:
    """Read the weapon reference table (columns model, category); unknown categories are file problems."""
    origin = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InputFileError([Problem(origin, "", "", f"cannot read the weapon table: {error}")]) from None
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InputFileError([Problem(origin, "row 1", "header", f"missing column(s) {', '.join(missing)}")])
    catalogue, problems = WeaponCatalogue(origin=origin), []
    for number, row in enumerate(reader, start=2):
        model, kind = (row.get("model") or "").strip(), (row.get("category") or "").strip().lower()
        if not model:
            continue
        category = REFERENCE_CATEGORIES.get(kind)
        if category is None:
            problems.append(Problem(origin, f"row {number}", "category",
                                    f"unknown category {kind!r}; expected one of {sorted(REFERENCE_CATEGORIES)}"))
            continue
        catalogue.by_model[model.lower()] = category
    if problems:
        raise InputFileError(problems)
    return catalogue
