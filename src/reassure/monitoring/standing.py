"""An incident's standing from its sources' figures: verified, conflicting or unconfirmed (docs/adr/0017).

Pure: the incidents service gives one account per independent publisher (its preferred report) as the reader sees
them; this module compares their figures within a stated tolerance and says what they show.

- Two figures **agree** when the numbers stated differ by at most AGREE_ABSOLUTE or AGREE_RELATIVE of the larger,
  whichever is more, and the values each admits (its qualifier: exact, at least, about, at most) are compatible.
- They **conflict** when the values they admit lie further apart than that tolerance (112 and 60; 112 and "up to
  90").
- Otherwise they are **compatible** without corroborating each other: "100 or more" admits 112 but states 100,
  12 away from 112, beyond the tolerance of 11.2: neither a contradiction nor a confirmation.

An incident is *conflicting* when any figure conflicts between two publishers, *verified* when two publishers agree
on at least one figure and none conflicts, else *unconfirmed* (one publisher, or no figure both state closely).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Literal

from reassure.monitoring.report import COUNT_FIELDS, Count, WeaponCounts

AGREE_ABSOLUTE = 2  # figures agree when they differ by at most this many ...
AGREE_RELATIVE = 0.10  # ... or this share of the larger figure, whichever is more
TOLERANCE = (f"two sources' figures agree when they differ by at most {AGREE_ABSOLUTE} or "
             f"{AGREE_RELATIVE:.0%} of the larger, whichever is more; a bound (\"over 100\") agrees only when the "
             "number it states is that close")
UNSTATED_PUBLISHERS = {"", "not stated"}  # sources whose publisher is unknown count as one publisher

Verdict = Literal["agree", "compatible", "conflict"]
FAMILIES = {"drone": "drones", "decoy_drone": "drones", "cruise_missile": "missiles", "ballistic_missile": "missiles",
            "guided_air_missile": "missiles", "missile": "missiles", "guided_bomb": "guided bombs"}
CATEGORY_LABELS = {"drone": "strike drones", "decoy_drone": "decoy drones", "cruise_missile": "cruise missiles",
                   "ballistic_missile": "ballistic missiles", "guided_air_missile": "guided air missiles",
                   "missile": "missiles (type not given)", "guided_bomb": "guided bombs"}


@dataclass(frozen=True)
class SourceFigures:
    """One publisher's account of an incident (its preferred report) as the reader sees it."""

    source: str  # the source key
    publisher: str
    weapons: Sequence[WeaponCounts] = ()
    fatalities: int | None = None


@dataclass(frozen=True)
class Comparison:
    """One figure (e.g. 'drones launched') as each source states it, and whether they agree."""

    figure: str
    values: tuple[tuple[str, Count], ...]  # (source key, count), in the order the accounts were given
    verdict: Verdict


@dataclass(frozen=True)
class StandingResult:
    """An incident's standing, why, and every figure stated by two or more publishers."""

    standing: Literal["verified", "conflicting", "unconfirmed"]
    reason: str
    comparisons: tuple[Comparison, ...] = field(default_factory=tuple)


def publisher_key(publisher: str | None, source: str) -> str:
    """Return who an account comes from for independence: the publisher, spelled one way (unknown ones pool)."""
    name = " ".join((publisher or "").split()).casefold()
    return "" if name in UNSTATED_PUBLISHERS else name


def tolerance(a: int, b: int) -> float:
    """Return how far apart two figures may be and still agree."""
    return max(AGREE_ABSOLUTE, AGREE_RELATIVE * max(a, b))


def _admitted(count: Count) -> tuple[float, float]:
    """Return the values a count admits (Count.admits as an interval)."""
    v = count.value
    if count.qualifier == "exact":
        return v, v
    if count.qualifier == "at_least":
        return v, math.inf
    if count.qualifier == "at_most":
        return 0, v
    spread = max(2, round(0.15 * v))
    return v - spread, v + spread


def compare(a: Count, b: Count) -> Verdict:
    """Say whether two counts of one figure agree, are merely compatible, or conflict (see the module doc)."""
    limit = tolerance(a.value, b.value)
    (lo_a, hi_a), (lo_b, hi_b) = _admitted(a), _admitted(b)
    gap = max(0.0, lo_b - hi_a, lo_a - hi_b)
    if gap > limit:
        return "conflict"
    return "agree" if abs(a.value - b.value) <= limit else "compatible"


def _sum(counts: list[Count]) -> Count:
    """Add counts; the sum is exact only when every part is, a bound when the parts bound the same way."""
    qualifiers = {c.qualifier for c in counts} - {"exact"}
    qualifier = "exact" if not qualifiers else qualifiers.pop() if len(qualifiers) == 1 else "approx"
    return Count(value=sum(c.value for c in counts), qualifier=qualifier)


def figures_of(account: SourceFigures) -> dict[tuple[str, str], Count]:
    """Return an account's figures by (what, count field): per weapon family ('drones launched'), and per category
    when the account splits a family into several ('cruise missiles launched', 'ballistic missiles launched')."""
    by_category: dict[tuple[str, str], list[Count]] = {}
    for line in account.weapons:
        for field_name in COUNT_FIELDS:
            count = line.count(field_name)
            if count is not None:
                by_category.setdefault((line.category, field_name), []).append(count)
    families: dict[tuple[str, str], list[Count]] = {}
    split: dict[str, set[str]] = {}
    for (category, name), counts in by_category.items():
        family = FAMILIES.get(category, category)
        families.setdefault((family, name), []).extend(counts)
        split.setdefault(family, set()).add(category)
    out = {key: _sum(counts) for key, counts in families.items()}
    for (category, name), counts in by_category.items():
        if len(split[FAMILIES.get(category, category)]) > 1:
            out[(CATEGORY_LABELS.get(category, category), name)] = _sum(counts)
    if account.fatalities is not None:
        out[("people", "killed")] = Count(value=account.fatalities)
    return out


def _breakdown(figures: dict[tuple[str, str], Count]) -> dict[str, frozenset[str]]:
    """Return, per category label an account states, the set of categories of that family it states."""
    by_family: dict[str, set[str]] = {}
    for what, _name in figures:
        for category, label in CATEGORY_LABELS.items():
            if what == label and label != FAMILIES[category]:
                by_family.setdefault(FAMILIES[category], set()).add(label)
    return {label: frozenset(labels) for labels in by_family.values() for label in labels}


def incident_standing(accounts: Sequence[SourceFigures]) -> StandingResult:
    """Return the standing of an incident from one account per source (several sources of one publisher count
    once: the first given, which the caller orders by preference)."""
    chosen: dict[str, SourceFigures] = {}
    for account in accounts:
        chosen.setdefault(publisher_key(account.publisher, account.source), account)
    independent = list(chosen.values())
    if len(independent) < 2:
        return StandingResult("unconfirmed", "one independent source" if accounts else "no report")
    figures = [figures_of(a) for a in independent]
    splits = [_breakdown(f) for f in figures]
    names: list[tuple[str, str]] = []
    for f in figures:
        names += [k for k in f if k not in names]
    comparisons: list[Comparison] = []
    agreeing_pairs = 0
    for what, name in names:
        holders = [i for i, f in enumerate(figures) if (what, name) in f]
        if len(holders) < 2:
            continue
        if len({splits[i].get(what) for i in holders}) > 1:
            continue  # the sources split this weapon family differently: its total is compared, not its parts
        verdicts = [compare(figures[i][(what, name)], figures[j][(what, name)]) for i, j in combinations(holders, 2)]
        verdict: Verdict = ("conflict" if "conflict" in verdicts else "agree" if "agree" in verdicts
                            else "compatible")
        agreeing_pairs += verdicts.count("agree")
        comparisons.append(Comparison(f"{what} {name}", tuple((independent[i].source, figures[i][(what, name)])
                                                              for i in holders), verdict))
    conflicts = [c.figure for c in comparisons if c.verdict == "conflict"]
    if conflicts:
        return StandingResult("conflicting", f"the sources disagree on {', '.join(conflicts)}", tuple(comparisons))
    if agreeing_pairs:
        agreed = [c.figure for c in comparisons if c.verdict == "agree"]
        return StandingResult("verified", f"independent sources agree on {', '.join(agreed)}", tuple(comparisons))
    reason = ("no figure stated by two independent sources is close enough to corroborate"
              if comparisons else "no figure is stated by two independent sources")
    return StandingResult("unconfirmed", reason, tuple(comparisons))
