"""Test helpers: a report's figures by weapon, and the check that every figure is written at its span.

Every test text of the modules that use these was written for the tests; none is copied from a report.
"""

from __future__ import annotations

from reassure.monitoring.extraction import extract_report
from reassure.monitoring.extraction.spans import figure_is_written
from reassure.monitoring.report import COUNT_FIELDS, AirAttackReport

Figure = int | tuple[int, str]  # a value (exact), or (value, qualifier)
Expected = dict[str, dict[str, Figure]]  # catalogue key, else category → field → figure


def figures(report: AirAttackReport) -> Expected:
    """Return every entry's figures keyed by its catalogue key, else its category (exact ones as plain values)."""
    out: Expected = {}
    for weapon in report.weapons:
        name = weapon.key or weapon.category
        assert name not in out, f"two entries for {name}: {report.weapons}"
        out[name] = {
            f: c.value if c.qualifier == "exact" else (c.value, c.qualifier)
            for f in COUNT_FIELDS
            if (c := weapon.count(f)) is not None
        }
    return out


def unwritten(text: str, report: AirAttackReport) -> list[str]:
    """Return every figure without a span, or whose span's text does not write its number."""
    bad = []
    for weapon in report.weapons:
        for name in COUNT_FIELDS:
            count = weapon.count(name)
            if count is None:
                continue
            spans = (weapon.spans or {}).get(name)
            if not spans or not figure_is_written(text, spans, count.value):
                snippets = [text[s:e] for s, e in spans or []]
                bad.append(f"{weapon.category}.{name}={count.value} at {spans} {snippets!r}")
    return bad


def check(text: str, expected: Expected) -> None:
    """Assert the exact figures of ``text``, and that each one is written at its span."""
    report = extract_report(text)
    assert figures(report) == expected, text
    assert unwritten(text, report) == [], text
