"""Seeded generator of realistic planner instances where demand strains supply."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from reassure.planner.instance import (
    Horizon,
    LegalInstrument,
    Location,
    NationEntry,
    PeriodKind,
    Problem,
    Task,
    Unit,
)


@dataclass(frozen=True)
class Size:
    """How big an instance to generate."""

    nations: int
    units: int
    tasks: int
    periods: int
    period: PeriodKind = "month"


SIZES: dict[str, Size] = {
    "tiny": Size(3, 8, 3, 8),
    "small": Size(6, 24, 5, 12),
    "realistic": Size(26, 150, 20, 36),
    "large": Size(35, 500, 60, 156, "week"),
}

# Rough GDP in billions of USD (order of magnitude only), and a relative weight of military size.
NATIONS: dict[str, tuple[float, float]] = {
    "FRA": (3000, 10),
    "GBR": (3300, 10),
    "DEU": (4500, 8),
    "POL": (850, 7),
    "ITA": (2300, 6),
    "TUR": (1300, 6),
    "ESP": (1600, 5),
    "CAN": (2200, 4),
    "NLD": (1100, 3),
    "AUS": (1750, 3),
    "SWE": (590, 3),
    "NOR": (480, 3),
    "FIN": (300, 3),
    "DNK": (400, 2),
    "BEL": (630, 2),
    "ROU": (350, 2),
    "CZE": (340, 2),
    "GRC": (240, 2),
    "PRT": (290, 1.5),
    "JPN": (4100, 1.5),
    "EST": (40, 1),
    "LVA": (43, 1),
    "LTU": (80, 1),
    "SVK": (140, 1),
    "BGR": (110, 1),
    "IRL": (550, 1),
    "AUT": (520, 1),
    "HRV": (90, 1),
    "SVN": (70, 1),
    "LUX": (90, 1),
    "ISL": (32, 1),
    "NZL": (250, 1),
    "HUN": (220, 1),
    "ALB": (25, 1),
    "MNE": (8, 1),
}
GDP: dict[str, float] = {code: gdp for code, (gdp, _w) in NATIONS.items()}


@dataclass(frozen=True)
class Kind:
    """A capability's short code, locations, personnel range, tour and dwell (months) and task weight."""

    abbr: str
    locations: tuple[Location, ...]
    personnel: tuple[int, int]
    tour: tuple[int, int]
    dwell: tuple[int, int]
    weight: float
    scarce: bool = False  # a known shortfall area: demand outruns what the pledges sustain


KINDS: dict[str, Kind] = {
    "infantry_battalion": Kind("INF", ("inside", "adjacent"), (550, 800), (4, 6), (8, 12), 4),
    "mechanised_battalion": Kind("MECH", ("inside", "adjacent"), (600, 900), (4, 6), (8, 12), 2),
    "engineer_company": Kind("ENG", ("inside", "adjacent"), (120, 180), (4, 6), (6, 10), 1),
    "fighter_squadron": Kind("FS", ("air",), (200, 350), (2, 4), (6, 8), 3, scarce=True),
    "air_defence_battery": Kind("AD", ("inside", "adjacent"), (100, 180), (4, 6), (8, 10), 3, scarce=True),
    "aew_aircraft": Kind("AEW", ("air",), (60, 120), (2, 3), (4, 6), 1, scarce=True),
    "frigate": Kind("FFG", ("sea",), (180, 250), (4, 6), (8, 10), 2),
    "mine_countermeasures_group": Kind("MCM", ("sea",), (100, 160), (4, 6), (6, 9), 1, scarce=True),
    "isr": Kind("ISR", ("air", "adjacent"), (80, 150), (3, 4), (5, 8), 1, scarce=True),
    "logistics_battalion": Kind("LOG", ("adjacent", "inside"), (300, 500), (4, 6), (8, 12), 2),
    "hq_staff": Kind("HQ", ("inside", "adjacent"), (100, 250), (6, 6), (6, 12), 1),
    "medical_unit": Kind("MED", ("inside", "adjacent"), (60, 120), (4, 6), (6, 10), 1),
}
SECTORS = ["EAST", "WEST", "NORTH", "SOUTH", "KYIV", "ODESA", "LVIV", "DNIPRO", "BLACKSEA", "CARPATHIA"]


def _scale(months: int, period: PeriodKind) -> int:
    return max(1, round(months * 52 / 12)) if period == "week" else months


def generate(size: Size | str = "realistic", seed: int = 0) -> Problem:
    """Return a reproducible instance of the given size; demand outruns supply in the scarce capabilities."""
    sz = SIZES[size] if isinstance(size, str) else size
    rng = random.Random(seed)
    n = sz.periods
    codes = list(NATIONS)[: sz.nations]
    kinds = list(KINDS)

    tasks_cap = _task_capabilities(rng, sz.tasks, kinds)
    task_caps = sorted(set(tasks_cap))
    units = _units(rng, sz, codes, task_caps, kinds)
    tasks = _tasks(rng, sz, tasks_cap, units, codes)
    for u in units:
        same = [t.id for t in tasks if t.capability == u.capability]
        if same and rng.random() < 0.1:
            u.exclude_tasks.append(rng.choice(same))

    legal = []
    for code in codes:
        if rng.random() < 0.9:
            start = 0 if rng.random() < 0.6 else _scale(rng.randint(1, 8), sz.period)
            legal.append(LegalInstrument(nation=code, host="UKR", kind="SOFA", in_force_from=min(start, n - 1)))
        if rng.random() < 0.7:
            start = _scale(rng.randint(0, 6), sz.period)
            legal.append(LegalInstrument(nation=code, host="UKR", kind="MoU", in_force_from=min(start, n - 1)))

    total_gdp = sum(GDP[c] for c in codes)
    nations = []
    for i, code in enumerate(codes):
        pledged = sum(u.personnel for u in units if u.nation == code)
        cap = int(pledged * rng.uniform(0.45, 0.7)) if rng.random() < 0.5 and pledged else None
        fair = round(GDP[code] / total_gdp, 3) if i < 6 else None
        nations.append(NationEntry(code=code, max_personnel=cap, fair_share=fair))
    return Problem(
        horizon=Horizon(
            start=date(2026, 1, 1) if sz.period == "month" else date(2025, 12, 29), period=sz.period, periods=n
        ),
        flags={"us_backstop": True, "ceasefire": True, "parliamentary_vote": False},
        nations=nations,
        legal=legal,
        tasks=tasks,
        units=units,
    )


def _task_capabilities(rng: random.Random, count: int, kinds: list[str]) -> list[str]:
    weights = [KINDS[k].weight for k in kinds]
    distinct = min(len(kinds), max(1, count // 2))
    chosen = rng.sample(kinds, distinct) if count >= len(kinds) // 2 else rng.choices(kinds, weights, k=distinct)
    return [*chosen, *rng.choices(chosen, [KINDS[k].weight for k in chosen], k=count - len(chosen))][:count]


def _units(rng: random.Random, sz: Size, codes: list[str], task_caps: list[str], kinds: list[str]) -> list[Unit]:
    n = sz.periods
    nation_w = [NATIONS[c][1] for c in codes]
    cap_w = [KINDS[c].weight * 2 for c in task_caps]
    units: list[Unit] = []
    serial: dict[tuple[str, str], int] = {}
    # A nation applies one rotation policy (tour, dwell) to all its units of a kind.
    policy: dict[tuple[str, str], tuple[int, int]] = {}
    for _ in range(sz.units):
        nation = rng.choices(codes, nation_w)[0]
        # A few units have a capability no task needs, as real pledge lists do.
        cap = rng.choices(task_caps, cap_w)[0] if rng.random() < 0.95 else rng.choice(kinds)
        kind = KINDS[cap]
        serial[(nation, cap)] = serial.get((nation, cap), 0) + 1
        if (nation, cap) not in policy:
            policy[(nation, cap)] = (rng.randint(*kind.tour), rng.randint(*kind.dwell))
        tour, dwell = policy[(nation, cap)]
        locations = list(kind.locations)
        if "inside" in locations and rng.random() < 0.2:
            locations.remove("inside")  # national caveat: only outside Ukraine
        lo, hi = 0, n - 1
        r = rng.random()
        if r < 0.15:
            lo = min(n - 1, _scale(rng.randint(2, 12), sz.period))
        elif r < 0.3:
            hi = max(lo, n - 1 - _scale(rng.randint(3, 12), sz.period))
        r = rng.random()
        conditions = ["us_backstop"] if r < 0.25 else ["ceasefire"] if r < 0.35 else []
        if rng.random() < 0.04:
            conditions.append("parliamentary_vote")
        units.append(
            Unit(
                id=f"{nation}-{kind.abbr}-{serial[(nation, cap)]}",
                nation=nation,
                capability=cap,
                personnel=rng.randint(*kind.personnel),
                available_from=lo,
                available_to=hi,
                max_tour=_scale(tour, sz.period),
                min_dwell=_scale(dwell, sz.period),
                locations=locations,
                conditions=conditions,
                probability=round(rng.choice([rng.uniform(0.5, 0.75), rng.uniform(0.85, 0.99)]), 2),
            )
        )
    return units


def _tasks(rng: random.Random, sz: Size, caps: list[str], units: list[Unit], codes: list[str]) -> list[Task]:
    n = sz.periods
    by_cap: dict[str, list[int]] = {}
    for i, c in enumerate(caps):
        by_cap.setdefault(c, []).append(i)
    demand: dict[int, list[int]] = {}
    for cap, members in by_cap.items():
        pool = [u for u in units if u.capability == cap]
        sustain = sum(u.max_tour / (u.max_tour + u.min_dwell) for u in pool)
        strain = rng.uniform(0.85, 1.1) if KINDS[cap].scarce else rng.uniform(0.45, 0.65)
        total = max(len(members), round(sustain * strain))
        shares = [rng.uniform(0.5, 1.5) for _ in members]
        for i, s in zip(members, shares, strict=True):
            base = max(1, round(total * s / sum(shares)))
            series = [base] * n
            if rng.random() < 0.4:  # a surge in part of the horizon
                a = rng.randrange(n)
                b = min(n - 1, a + max(1, n // rng.randint(3, 6)))
                for t in range(a, b + 1):
                    series[t] += 1
            demand[i] = series
    tasks = []
    used: dict[str, int] = {}
    for i, cap in enumerate(caps):
        kind = KINDS[cap]
        location = rng.choice(kind.locations)
        name = f"{kind.abbr}-{rng.choice(SECTORS)}"
        used[name] = used.get(name, 0) + 1
        if used[name] > 1:
            name = f"{name}-{used[name]}"
        requires = ["SOFA"] if location == "inside" else []
        if location == "inside" and rng.random() < 0.3:
            requires.append("MoU")
        nations = sorted(rng.sample(codes, min(len(codes), 4))) if rng.random() < 0.1 else None
        series = demand[i]
        tasks.append(
            Task(
                id=name,
                capability=cap,
                location=location,
                demand=series[0] if len(set(series)) == 1 else series,
                priority=rng.choice([1, 2, 3, 3, 4, 5]),
                requires_legal=requires,
                nations=nations,
            )
        )
    return tasks
