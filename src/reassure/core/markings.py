"""Releasability markings (`REL TO FRA, GBR, UKR`) and the viewer they are checked against."""

from __future__ import annotations

import re
from dataclasses import dataclass

PUBLIC = "PUBLIC"
_REL = re.compile(r"^\s*REL\s+TO\s+(.+)$", re.IGNORECASE)
_CODE = re.compile(r"^[A-Z]{3}$")


class MarkingError(ValueError):
    """A marking that is neither PUBLIC nor `REL TO` a list of alpha-3 codes."""


@dataclass(frozen=True)
class Releasability:
    """Who may see a record: everyone (public, open-source facts) or the listed nations only."""

    nations: frozenset[str] | None  # None means PUBLIC

    @classmethod
    def public(cls) -> Releasability:
        """Return the marking for open-source material anyone may see."""
        return cls(None)

    @classmethod
    def to(cls, *codes: str) -> Releasability:
        """Return a marking releasable to the given nations."""
        return cls(frozenset(c.upper() for c in codes))

    @property
    def is_public(self) -> bool:
        """Tell whether the record is open to every viewer."""
        return self.nations is None

    def allows(self, nation: str | None) -> bool:
        """Tell whether a viewer of this nation may see the record."""
        return self.nations is None or (nation is not None and nation.upper() in self.nations)

    def __str__(self) -> str:
        if self.nations is None:
            return PUBLIC
        return "REL TO " + ", ".join(sorted(self.nations))

    def to_column(self) -> str:
        """Encode for the database: 'PUBLIC' or ',FRA,GBR,' so a LIKE finds one code on any engine."""
        if self.nations is None:
            return PUBLIC
        return "," + ",".join(sorted(self.nations)) + ","

    def within(self, other: Releasability) -> bool:
        """Tell whether everyone this marking releases to may also see `other` (self is as narrow or narrower)."""
        if other.nations is None:
            return True
        return self.nations is not None and self.nations <= other.nations

    @classmethod
    def from_column(cls, value: str) -> Releasability:
        """Decode the database form written by to_column."""
        if value == PUBLIC:
            return cls.public()
        return cls(frozenset(code for code in value.strip(",").split(",") if code))


def parse_marking(text: str | None) -> Releasability:
    """Parse 'PUBLIC' or 'REL TO FRA, GBR, UKR'. A missing or empty marking is an error, never PUBLIC."""
    if text is None or not str(text).strip():
        raise MarkingError("a marking is required: 'PUBLIC' or 'REL TO FRA, GBR, ...' (nothing is public by default)")
    if len(text) > 400:
        raise MarkingError(f"a marking is at most 400 characters, got {len(text)}")
    if text.strip().upper() == PUBLIC:
        return Releasability.public()
    match = _REL.match(text)
    if not match:
        raise MarkingError(f"expected 'PUBLIC' or 'REL TO FRA, GBR, ...', got {text!r}")
    codes = [c.strip().upper() for c in re.split(r"[,\s/]+", match.group(1)) if c.strip()]
    bad = [c for c in codes if not _CODE.match(c)]
    if bad or not codes:
        raise MarkingError(f"REL TO needs ISO alpha-3 nation codes, got {match.group(1)!r}")
    return Releasability.to(*codes)


def most_restrictive(*markings: Releasability) -> Releasability:
    """Return the marking of a record derived from these inputs: released only to who may see all of them."""
    nations: frozenset[str] | None = None
    for marking in markings:
        if marking.nations is not None:
            nations = marking.nations if nations is None else nations & marking.nations
    return Releasability(nations)
