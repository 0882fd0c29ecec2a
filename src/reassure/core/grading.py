"""Admiralty (NATO STANAG 2511) grading: source reliability A-F and information credibility 1-6."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

RELIABILITY = {
    "A": "Completely reliable",
    "B": "Usually reliable",
    "C": "Fairly reliable",
    "D": "Not usually reliable",
    "E": "Unreliable",
    "F": "Reliability cannot be judged",
}
CREDIBILITY = {
    1: "Confirmed by other sources",
    2: "Probably true",
    3: "Possibly true",
    4: "Doubtful",
    5: "Improbable",
    6: "Truth cannot be judged",
}
_GRADE = re.compile(r"^\s*([A-Fa-f])\s*-?\s*([1-6])\s*$")


class Standing(StrEnum):
    """How far a claim can be relied on: corroborated, single-source, or a planner's input."""

    VERIFIED = "verified"
    UNCONFIRMED = "unconfirmed"
    ASSUMPTION = "assumption"


class GradeError(ValueError):
    """A grade string that is not an Admiralty code."""


@dataclass(frozen=True, order=True)
class AdmiraltyGrade:
    """A source-reliability letter and an information-credibility digit, kept apart."""

    reliability: str
    credibility: int

    def __post_init__(self) -> None:
        if self.reliability not in RELIABILITY:
            raise GradeError(f"source reliability must be one of A-F, got {self.reliability!r}")
        if self.credibility not in CREDIBILITY:
            raise GradeError(f"information credibility must be 1-6, got {self.credibility!r}")

    def __str__(self) -> str:
        return f"{self.reliability}{self.credibility}"

    @property
    def meaning(self) -> str:
        """Describe the grade in words."""
        return f"{RELIABILITY[self.reliability]}; {CREDIBILITY[self.credibility].lower()}"


def parse_grade(text: str) -> AdmiraltyGrade:
    """Parse 'B2' (or 'b-2') into an AdmiraltyGrade."""
    match = _GRADE.match(text or "")
    if not match:
        raise GradeError(f"expected an Admiralty grade such as 'B2' (A-F then 1-6), got {text!r}")
    return AdmiraltyGrade(match.group(1).upper(), int(match.group(2)))


def grade_at_least(grade: AdmiraltyGrade, minimum: AdmiraltyGrade) -> bool:
    """Tell whether a grade is as good as a minimum on both axes (F and 6 never pass a stricter minimum)."""
    return grade.reliability <= minimum.reliability and grade.credibility <= minimum.credibility


def standing_for(grade: AdmiraltyGrade, *, corroborating_sources: int) -> Standing:
    """Derive a reported claim's standing: verified needs credibility 1-2 or two independent sources."""
    if grade.credibility <= 2 or corroborating_sources >= 2:
        return Standing.VERIFIED
    return Standing.UNCONFIRMED
