"""A second problem generator, written from the DESIGN §3 contract alone, for coalitions of other shapes.

`generate.py` makes one shape of problem (every nation uncapped or loosely capped, demand near supply,
months). This module makes families that shape does not reach, each turning one dial of §3 hard:

- `starved`: demand well above what the pledges can rotate (best plans cover about 55–75 %);
- `capped`: every nation has a personnel cap below what its units would deploy at their rotation rate;
- `conditional`: a third of the units carry conditions whose flags are off (the US backstop among them);
- `legal-late`: most tasks need instruments that come into force late in the horizon, some never;
- `restricted`: most tasks may be served only by a short list of nations;
- `long-tours`: tours of 9–12 months with 18–30 months of dwell over 48 months;
- `weeks`: a 104-week horizon with tours and dwell in weeks;
- `outside`: the problem tried from outside in issue 23: scarce, every cap binding, no backstop, late legal;
- `partnered`: the seeds' arrangements (ADR 0022): bilateral components served only by their two or three
  partners, multinational ones needing two or three nations at once with none above 40–60 % of the units, lead
  nations that must hold a unit whenever their task is manned, and a component headquarters per domain (land,
  sea, air) manned only while a component under it is, by headquarters staff units added to the coalition.

Sizes are given in units (150, 1,000 and 2,000 in the benchmark; any size from 12 for tests; `partnered` adds
one headquarters staff unit per 50 on top). A problem is a pure function of (family, units, seed). Only the
`partnered` family draws the optional rule keys (`_optional_task_keys`), so the other families' problems stay
what they were when their held-out seeds were first run.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from reassure.planner.instance import (
    UKRAINE,
    Horizon,
    LegalInstrument,
    Location,
    NationEntry,
    PeriodKind,
    Problem,
    Task,
    Unit,
)

# (capability, locations it can serve, personnel, share of the units)
CAPABILITIES: tuple[tuple[str, tuple[Location, ...], int, float], ...] = (
    ("infantry_battalion", ("inside", "adjacent"), 650, 0.20),
    ("mechanised_battalion", ("inside", "adjacent"), 800, 0.12),
    ("logistics_battalion", ("inside", "adjacent"), 450, 0.10),
    ("engineer_company", ("inside", "adjacent"), 160, 0.10),
    ("medical_unit", ("inside", "adjacent"), 110, 0.08),
    ("air_defence_battery", ("inside", "adjacent"), 220, 0.10),
    ("helicopter_squadron", ("inside", "air"), 260, 0.06),
    ("fighter_squadron", ("air", "adjacent"), 350, 0.08),
    ("isr_platform", ("air",), 70, 0.05),
    ("frigate", ("sea",), 210, 0.07),
    ("mcm_group", ("sea",), 130, 0.04),
)
CODES = (
    "FRA", "GBR", "DEU", "POL", "ITA", "TUR", "ESP", "CAN", "NLD", "AUS", "SWE", "NOR", "FIN", "DNK",
    "BEL", "ROU", "CZE", "GRC", "PRT", "JPN", "LTU", "LVA", "EST", "SVK", "SVN", "HRV", "BGR", "HUN",
    "IRL", "NZL", "AUT", "ISL", "LUX", "MNE", "ALB", "MKD", "KOR", "CHE", "ISR", "MLT",
)
STAFF = "hq_staff"  # headquarters staff units of the partnered family
FLAGS = ("us_backstop", "eu_mandate", "un_resolution", "host_consent")


@dataclass(frozen=True)
class Family:
    """The dials of one family (periods in the horizon's own unit)."""

    name: str
    description: str
    demand: tuple[float, float] = (0.85, 1.1)  # demand over rotational supply, per capability
    caps: tuple[float, float] | None = (1.6, 3.0)  # cap over a nation's rotational load; None: uncapped
    capped_share: float = 0.5  # share of nations with a cap
    conditional: float = 0.05  # share of units with a condition
    flags_off: tuple[str, ...] = ()
    legal_late: tuple[int, int] = (0, 3)  # when instruments come into force
    legal_never: float = 0.0  # share of (nation, kind) instruments never signed
    legal_tasks: float = 0.3  # share of inside/adjacent tasks that need an instrument
    restricted: float = 0.05  # share of tasks with a nation list
    tour: tuple[int, int] = (4, 6)
    dwell: tuple[int, int] = (6, 12)
    period: PeriodKind = "month"
    periods: int = 36
    fair_share: bool = False
    partnered: bool = False  # bilateral, multinational and lead-nation tasks, and component headquarters
    notes: tuple[str, ...] = field(default_factory=tuple)


FAMILIES: dict[str, Family] = {
    f.name: f
    for f in (
        Family("starved", "demand about 1.5 times what the pledges can rotate", demand=(1.35, 1.75)),
        Family("capped", "every nation capped below its units' rotational load", caps=(0.55, 0.8), capped_share=1.0,
               fair_share=True),
        Family("conditional", "a third of the units conditional on flags that are off", conditional=0.33,
               flags_off=("us_backstop", "un_resolution")),
        Family("legal-late", "most tasks need instruments in force from months 6–24, some never",
               legal_late=(6, 24), legal_never=0.15, legal_tasks=0.8),
        Family("restricted", "most tasks restricted to a short list of nations", restricted=0.7),
        Family("long-tours", "tours of 9–12 months and 18–30 months of dwell over 48 months", tour=(9, 12),
               dwell=(18, 30), periods=48),
        Family("weeks", "a 104-week horizon, tours of 12–26 weeks and 26–52 weeks of dwell", tour=(12, 26),
               dwell=(26, 52), period="week", periods=104),
        Family("outside", "scarce, every cap binding, no US backstop, late legal instruments", demand=(1.3, 1.6),
               caps=(0.6, 0.85), capped_share=1.0, conditional=0.15, flags_off=("us_backstop",),
               legal_late=(4, 20), legal_tasks=0.5),
        Family("partnered", "bilateral and multinational components, lead nations and component headquarters",
               demand=(0.8, 1.05), partnered=True),
    )
}
SIZES = (150, 1000, 2000)


def nations_for(units: int) -> int:
    """Return how many nations a coalition of this many units has."""
    return max(3, min(len(CODES), 26 if units <= 300 else 35 if units <= 1200 else 40, units // 4))


def tasks_for(units: int) -> int:
    """Return how many tasks a problem of this many units has."""
    return max(3, min(200, round(units / 7.5)))


def family_problem(family: str | Family, units: int = 150, seed: int = 0) -> Problem:
    """Return the problem of one family, size (in units) and seed; the same arguments give the same problem."""
    fam = FAMILIES[family] if isinstance(family, str) else family
    rng = random.Random(f"{fam.name}/{units}/{seed}")
    n = fam.periods
    codes = list(CODES[: nations_for(units)])
    weight = {c: rng.uniform(0.3, 3.0) * (2.0 if i < 6 else 1.0) for i, c in enumerate(codes)}
    unit_list = _units(rng, fam, units, codes, weight)
    if fam.partnered:
        unit_list += _staff(rng, fam, units, codes, weight)
    rate = {u.id: _rate(u, n) for u in unit_list}
    flags = {name: name not in fam.flags_off for name in FLAGS}
    nations = _nations(rng, fam, codes, unit_list, rate)
    legal = _legal(rng, fam, codes)
    tasks = _tasks(rng, fam, units, codes, unit_list, rate, flags)
    if fam.partnered:
        tasks = _headquarters(rng, tasks, unit_list)
    start = date(2026, 1, 5) if fam.period == "week" else date(2026, 1, 1)
    return Problem(
        horizon=Horizon(start=start, period=fam.period, periods=n),
        flags=flags,
        nations=nations,
        legal=legal,
        tasks=tasks,
        units=unit_list,
    )


def _rate(u: Unit, periods: int) -> float:
    """Return the average number of periods per period a unit can serve at its rotation (its rotational rate)."""
    span = u.available_to - u.available_from + 1
    cycle = u.max_tour + u.min_dwell
    full, rest = divmod(span, cycle)
    return (full * u.max_tour + min(rest, u.max_tour)) / periods


def _units(rng: random.Random, fam: Family, count: int, codes: Sequence[str], weight: dict[str, float]) -> list[Unit]:
    n = fam.periods
    total = sum(weight.values())
    shares = [c[3] for c in CAPABILITIES]
    out: list[Unit] = []
    serial: dict[tuple[str, str], int] = {}
    conditions = [f for f in FLAGS if f in fam.flags_off] or list(FLAGS[:2])
    for _ in range(count):
        nation = rng.choices(codes, [weight[c] / total for c in codes])[0]
        cap, where, personnel, _share = rng.choices(CAPABILITIES, shares)[0]
        key = (nation, cap)
        serial[key] = serial.get(key, 0) + 1
        lo = 0 if rng.random() < 0.7 else rng.randint(1, n // 3)
        hi = n - 1 if rng.random() < 0.75 else rng.randint(max(lo, 2 * n // 3), n - 1)
        locations = list(where) if rng.random() < 0.8 or len(where) == 1 else [rng.choice(where)]
        out.append(
            Unit(
                id=f"{nation}-{cap.split('_')[0][:4].upper()}-{serial[key]}",
                nation=nation,
                capability=cap,
                personnel=max(10, round(personnel * rng.uniform(0.8, 1.2))),
                available_from=lo,
                available_to=hi,
                max_tour=rng.randint(*fam.tour),
                min_dwell=rng.randint(*fam.dwell),
                locations=locations,
                conditions=[rng.choice(conditions)] if rng.random() < fam.conditional else [],
                probability=round(rng.uniform(0.7, 1.0), 2),
            )
        )
    return out


def _nations(
    rng: random.Random, fam: Family, codes: Sequence[str], units: Sequence[Unit], rate: dict[str, float]
) -> list[NationEntry]:
    load = {c: 0.0 for c in codes}
    for u in units:
        load[u.nation] += u.personnel * rate[u.id]
    total = sum(load.values()) or 1.0
    out = []
    for c in codes:
        cap = None
        if fam.caps is not None and load[c] > 0 and rng.random() < fam.capped_share:
            cap = max(1, round(load[c] * rng.uniform(*fam.caps)))
            cap = max(cap, max(u.personnel for u in units if u.nation == c))  # at least one unit fits
        share = round(load[c] / total, 3) if fam.fair_share else None
        out.append(NationEntry(code=c, max_personnel=cap, fair_share=share))
    return out


def _legal(rng: random.Random, fam: Family, codes: Sequence[str]) -> list[LegalInstrument]:
    out = []
    for c in codes:
        for kind in ("SOFA", "ROE"):
            if rng.random() < fam.legal_never:
                continue
            out.append(LegalInstrument(nation=c, host=UKRAINE, kind=kind, in_force_from=rng.randint(*fam.legal_late)))
    return out


def _tasks(
    rng: random.Random,
    fam: Family,
    count: int,
    codes: Sequence[str],
    units: Sequence[Unit],
    rate: dict[str, float],
    flags: dict[str, bool],
) -> list[Task]:
    n = fam.periods
    n_tasks = tasks_for(count)
    # Tasks per capability in proportion to its units, at least one where there are units.
    by_cap: dict[str, list[Unit]] = {}
    for u in units:
        if u.capability != STAFF:  # headquarters tasks are made apart (_headquarters)
            by_cap.setdefault(u.capability, []).append(u)
    caps = sorted(by_cap)
    per = {c: 1 for c in caps}
    for _ in range(max(0, n_tasks - len(caps))):
        c = rng.choices(caps, [len(by_cap[k]) for k in caps])[0]
        per[c] += 1
    where = {c[0]: c[1] for c in CAPABILITIES}
    out: list[Task] = []
    for cap in caps:
        # Rotational supply of the capability: units whose conditions hold, at their rotation rate.
        supply = sum(rate[u.id] for u in by_cap[cap] if all(flags[f] for f in u.conditions))
        split = [rng.uniform(0.5, 1.5) for _ in range(per[cap])]
        factor = rng.uniform(*fam.demand)
        for j, part in enumerate(split):
            location = rng.choice(where[cap])
            level = max(1.0, supply * factor * part / sum(split))
            # Drawn in the order the fields were always drawn, so the other families' problems stay as they were.
            demand = _profile(rng, n, level)
            priority = rng.randint(1, 5)
            requires = _requires(rng, fam, location)
            allowed = _nation_list(rng, fam, codes, by_cap[cap])
            out.append(
                Task(
                    id=f"{cap.split('_')[0][:5].upper()}-{location[:3].upper()}-{j + 1}",
                    capability=cap,
                    location=location,
                    demand=demand,
                    priority=priority,
                    requires_legal=requires,
                    nations=allowed,
                    **_optional_task_keys(rng, fam, [u for u in by_cap[cap] if allowed is None or u.nation in allowed]),
                )
            )
    return out


def _profile(rng: random.Random, n: int, level: float) -> list[int] | int:
    """Return a demand profile around `level`: flat, a ramp up, or a surge in the middle."""
    shape = rng.random()
    if shape < 0.4:
        return max(1, round(level))
    if shape < 0.7:
        ramp = max(1, n // 6)
        return [max(1, round(level * min(1.0, 0.5 + 0.5 * t / ramp))) for t in range(n)]
    lo, hi = sorted(rng.sample(range(n), 2))
    return [max(1, round(level * (1.25 if lo <= t <= hi else 0.9))) for t in range(n)]


def _requires(rng: random.Random, fam: Family, location: Location) -> list[str]:
    if location not in ("inside", "adjacent") or rng.random() >= fam.legal_tasks:
        return []
    return ["SOFA"] if rng.random() < 0.7 else ["SOFA", "ROE"]


def _nation_list(rng: random.Random, fam: Family, codes: Sequence[str], units: Sequence[Unit]) -> list[str] | None:
    if rng.random() >= fam.restricted:
        return None
    present = sorted({u.nation for u in units})
    keep = rng.sample(present, max(1, min(len(present), rng.randint(3, 8))))
    extra = [c for c in codes if c not in present][: rng.randint(0, 1)]  # a listed nation with no unit here
    return sorted(keep + extra)


def _optional_task_keys(rng: random.Random, fam: Family, units: Sequence[Unit]) -> dict[str, Any]:
    """Return the optional §3 rule keys of one task of the `partnered` family (none for the others, drawing nothing
    from `rng`): about a third bilateral (two or three partners among the nations with most units of the
    capability), a third multinational (two or three nations at once, none above 40–60 % of the units), the rest
    open; a lead nation on most bilateral tasks and on half the others, always one with a unit of the capability
    (`units`: those of the nations the task allows)."""
    if not fam.partnered:
        return {}
    count: dict[str, int] = {}
    for u in units:
        count[u.nation] = count.get(u.nation, 0) + 1
    present = sorted(count, key=lambda c: (-count[c], c))
    kind = rng.random()
    out: dict[str, Any] = {}
    if kind < 0.35 and len(present) >= 2:
        pool = present[: max(2, min(6, len(present)))]
        partners = sorted(rng.sample(pool, min(len(pool), rng.randint(2, 3))))
        out = {"component": "bilateral", "partners": partners}
        if rng.random() < 0.8:
            out["lead"] = rng.choice(partners)
    elif kind < 0.7 and len(present) >= 2:
        out = {"component": "multinational", "min_nations": min(len(present), rng.randint(2, 3)),
               "max_share": rng.choice((0.4, 0.5, 0.6))}
        if rng.random() < 0.5:
            out["lead"] = rng.choice(present[:4])
    elif rng.random() < 0.5:
        out["lead"] = rng.choice(present[:4])
    return out


def _staff(rng: random.Random, fam: Family, count: int, codes: Sequence[str], weight: dict[str, float]) -> list[Unit]:
    """Return headquarters staff units, one per 50 units of the coalition (at least three), from its six largest
    nations, each able to man a land, sea or air headquarters."""
    big = sorted(codes, key=lambda c: (-weight[c], c))[:6]
    out = []
    for i in range(max(3, count // 50)):
        nation = big[i % len(big)]
        out.append(Unit(id=f"{nation}-HQ-{i // len(big) + 1}", nation=nation, capability=STAFF,
                        personnel=round(rng.uniform(120, 250)), available_from=0, available_to=fam.periods - 1,
                        max_tour=rng.randint(*fam.tour), min_dwell=rng.randint(*fam.dwell),
                        locations=["inside", "sea", "air"]))
    return out


def _headquarters(rng: random.Random, tasks: Sequence[Task], units: Sequence[Unit]) -> list[Task]:
    """Put a component headquarters over each domain's tasks (land inside, sea, air): one staff unit demanded, led
    by one of the staff nations on most, manned only while a task under it is (rule command_chain)."""
    staff = sorted({u.nation for u in units if u.capability == STAFF})
    heads: list[Task] = []
    parent: dict[str, str] = {}
    for location in ("inside", "sea", "air"):
        under = [t.id for t in tasks if t.location == location]
        if not under or not staff:
            continue
        hq_id = f"HQ-{location[:3].upper()}"
        heads.append(Task(id=hq_id, capability=STAFF, location=location, demand=1, priority=5, requires_legal=[],
                          lead=rng.choice(staff) if rng.random() < 0.7 else None))
        parent.update(dict.fromkeys(under, hq_id))
    return heads + [t.model_copy(update={"parent": parent[t.id]}) if t.id in parent else t for t in tasks]
