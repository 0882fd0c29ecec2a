"""The incident frame: one row per incident x weapon line, its schema, checks, grade filter and test data."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, TypeVar

import numpy as np
import polars as pl

from reassure.core.grading import AdmiraltyGrade, parse_grade
from reassure.core.regions import region_code
from reassure.monitoring.report import CATEGORIES as REPORT_CATEGORIES
from reassure.monitoring.report import COUNT_FIELDS

INCIDENT_KINDS: tuple[str, ...] = ("air_attack", "ceasefire_violation", "other")
# "movement": a restriction on the force's freedom of movement (domains/movement, docs/adr/0045), counted beside the
# incidents by the movement indicator; only the frames the rules read hold such rows.
MOVEMENT_KINDS: tuple[str, ...] = ("denied_access", "checkpoint", "airspace_closure", "other")
KINDS: tuple[str, ...] = (*INCIDENT_KINDS, "movement")
CATEGORIES: tuple[str, ...] = REPORT_CATEGORIES  # DESIGN §4, defined once in monitoring.report
DRONE_CATEGORIES: tuple[str, ...] = ("drone", "decoy_drone")
MISSILE_CATEGORIES: tuple[str, ...] = ("cruise_missile", "ballistic_missile", "guided_air_missile", "missile")
# Weapon families a `category` cut may name instead of single categories: drones alone, missiles alone, bombs.
CATEGORY_GROUPS: dict[str, tuple[str, ...]] = {
    "drones": DRONE_CATEGORIES,
    "missiles": MISSILE_CATEGORIES,
    "bombs": ("guided_bomb",),
}
COUNT_COLUMNS: tuple[str, ...] = COUNT_FIELDS

INCIDENT_SCHEMA: dict[str, pl.DataType] = {
    "incident_id": pl.Utf8(),
    "kind": pl.Utf8(),
    "start": pl.Datetime("us"),
    "end": pl.Datetime("us"),
    "region": pl.Utf8(),
    "category": pl.Utf8(),
    "model": pl.Utf8(),
    "launched": pl.Int64(),
    "destroyed": pl.Int64(),
    "suppressed": pl.Int64(),
    "neutralized": pl.Int64(),
    "impacted": pl.Int64(),
    "fatalities": pl.Int64(),
    "reliability": pl.Utf8(),
    "credibility": pl.Int64(),
    "sources": pl.List(pl.Utf8()),
}
# Optional columns (docs/adr/0019): a frame without them is read as if they were null, so frames built before them
# (and by other tools) stay valid; the incidents service always fills them.
OPTIONAL_SCHEMA: dict[str, pl.DataType] = {
    "regions": pl.List(pl.Utf8()),  # ISO 3166-2:UA codes of every region the visible reports name
    "event_type": pl.Utf8(),  # UCDP's type of violence: state_based, non_state, one_sided; null when not coded
}
FULL_SCHEMA: dict[str, pl.DataType] = {**INCIDENT_SCHEMA, **OPTIONAL_SCHEMA}
# The column of movement rows only (the restriction's kind): added as null to a frame without it when it is read for
# indicators, never part of the incidents' own frame (FULL_SCHEMA), whose output stays as it was.
MOVEMENT_SCHEMA: dict[str, pl.DataType] = {"restriction": pl.Utf8()}
NON_NULL_COLUMNS: tuple[str, ...] = ("incident_id", "kind", "start", "end", "reliability", "credibility")

FrameT = TypeVar("FrameT", pl.DataFrame, pl.LazyFrame)


class IncidentFrameError(ValueError):
    """An incident frame that does not follow INCIDENT_SCHEMA."""


def validate_incident_frame(df: FrameT, *, check_values: bool = False) -> FrameT:
    """Check columns and dtypes against INCIDENT_SCHEMA (values too if asked) and return the frame."""
    schema = df.collect_schema() if isinstance(df, pl.LazyFrame) else df.schema
    missing = [name for name in INCIDENT_SCHEMA if name not in schema]
    mistyped = [
        f"{name}: expected {expected}, got {schema[name]}"
        for name, expected in FULL_SCHEMA.items()
        if name in schema and schema[name] != expected
    ]
    problems = []
    if missing:
        problems.append("missing columns: " + ", ".join(missing))
    if mistyped:
        problems.append("wrong dtypes: " + "; ".join(mistyped))
    if problems:
        raise IncidentFrameError("incident frame does not match INCIDENT_SCHEMA: " + " | ".join(problems))
    if check_values:
        _check_values(df.collect() if isinstance(df, pl.LazyFrame) else df)
    return df


def _check_values(df: pl.DataFrame) -> None:
    """Raise on nulls in required columns, unknown kinds/categories, bad grades or negative counts."""
    checks: dict[str, pl.Expr] = {
        **{f"null {name}": pl.col(name).is_null() for name in NON_NULL_COLUMNS},
        "unknown kind": ~pl.col("kind").is_in(list(KINDS)),
        "unknown category": pl.col("category").is_not_null() & ~pl.col("category").is_in(list(CATEGORIES)),
        "reliability not A-F": ~pl.col("reliability").is_in(list("ABCDEF")),
        "credibility not 1-6": ~pl.col("credibility").is_between(1, 6),
        "end before start": pl.col("end") < pl.col("start"),
        **{f"negative {name}": pl.col(name) < 0 for name in (*COUNT_COLUMNS, "fatalities")},
    }
    counts = df.select(**{label: expr.fill_null(False).sum() for label, expr in checks.items()}).row(
        0, named=True
    )
    bad = [f"{label} ({n} rows)" for label, n in counts.items() if n]
    if bad:
        raise IncidentFrameError("incident frame has invalid values: " + ", ".join(bad))


def empty_incident_frame() -> pl.DataFrame:
    """Return an empty frame with INCIDENT_SCHEMA."""
    return pl.DataFrame(schema=INCIDENT_SCHEMA)


def build_incident_frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Build an incident frame from partial row dicts, defaulting id, kind, end, grade and sources."""
    filled = [
        {
            "incident_id": f"I{i:05d}",
            "kind": "air_attack",
            "reliability": "B",
            "credibility": 2,
            "sources": ["test source"],
            **row,
            "end": row.get("end", row.get("start")),
        }
        for i, row in enumerate(rows, start=1)
    ]
    return pl.DataFrame(filled, schema=FULL_SCHEMA)


def to_lazy(df: pl.DataFrame | pl.LazyFrame) -> pl.LazyFrame:
    """Return a validated LazyFrame for a DataFrame or LazyFrame of incidents, with the optional columns (null when
    the frame has none)."""
    return with_optional_columns(validate_incident_frame(df.lazy() if isinstance(df, pl.DataFrame) else df))


def with_optional_columns(df: FrameT) -> FrameT:
    """Add the OPTIONAL_SCHEMA and MOVEMENT_SCHEMA columns a frame lacks, as nulls."""
    present = df.collect_schema() if isinstance(df, pl.LazyFrame) else df.schema
    missing = [pl.lit(None, dtype=dtype).alias(name) for name, dtype in {**OPTIONAL_SCHEMA, **MOVEMENT_SCHEMA}.items()
               if name not in present]
    return df.with_columns(missing) if missing else df


def with_effective_neutralized(lf: pl.LazyFrame) -> pl.LazyFrame:
    """Fill a missing neutralized with destroyed + suppressed when both are reported."""
    return lf.with_columns(pl.coalesce(pl.col("neutralized"), pl.col("destroyed") + pl.col("suppressed")))


def as_grade(grade: str | AdmiraltyGrade) -> AdmiraltyGrade:
    """Return an AdmiraltyGrade for a code such as 'B3' or a grade."""
    return grade if isinstance(grade, AdmiraltyGrade) else parse_grade(grade)


def grade_expr() -> pl.Expr:
    """Return an expression giving each row's grade code such as 'B2'."""
    return pl.concat_str(pl.col("reliability"), pl.col("credibility").cast(pl.Utf8)).alias("grade")


def min_grade_mask(min_grade: str | AdmiraltyGrade) -> pl.Expr:
    """Return a boolean expression true for rows graded at least min_grade on both axes."""
    minimum = as_grade(min_grade)
    return (pl.col("reliability") <= minimum.reliability) & (pl.col("credibility") <= minimum.credibility)


def filter_min_grade(df: FrameT, min_grade: str | AdmiraltyGrade | None) -> FrameT:
    """Drop rows graded below min_grade (e.g. 'B3' keeps reliability A-B with credibility 1-3)."""
    if min_grade is None:
        return df
    return df.filter(min_grade_mask(min_grade))


# Synthetic data -------------------------------------------------------------------------------------------

_REGIONS = [
    "Kyiv",
    "Kharkiv",
    "Odesa",
    "Dnipropetrovsk",
    "Zaporizhzhia",
    "Sumy",
    "Mykolaiv",
    "Lviv",
    "Kherson",
]
_CATEGORY_P = [0.55, 0.08, 0.10, 0.10, 0.05, 0.04, 0.08]
_MODELS = [
    ["Shahed-136/131", "Geran-2"],
    ["Gerbera", "Parody"],
    ["Kh-101/Kh-555", "Kalibr"],
    ["Iskander-M", "KN-23"],
    ["Kh-59/Kh-69", "Kh-31P"],
    ["Unknown missile", "Unknown missile"],
    ["KAB-500", "UMPK"],
]
# (sources, reliability, credibility): the best source of each report and the grade it earns.
_SOURCE_SETS: list[tuple[list[str], str, int]] = [
    (["Ukrainian Air Force (kpszsu)"], "B", 2),
    (["Ukrainian Air Force (kpszsu)", "Air Command South (PvKPivden)"], "B", 1),
    (["Regional military administration"], "B", 3),
    (["OSCE-style monitoring mission"], "A", 2),
    (["Media report"], "C", 3),
    (["Social media post"], "E", 5),
]
_SOURCE_P = [0.45, 0.15, 0.15, 0.05, 0.15, 0.05]


def synthetic_incidents(
    n: int, seed: int = 0, *, start: date = date(2023, 1, 1), days: int = 1200
) -> pl.DataFrame:
    """Build n seeded synthetic incident rows (1-3 weapon lines per incident) following INCIDENT_SCHEMA."""
    rng = np.random.default_rng(seed)
    per_incident = rng.integers(1, 4, size=max(n, 1))
    incident = np.repeat(np.arange(per_incident.size), per_incident)[:n]
    n_incidents = int(incident[-1]) + 1 if n else 0

    kind_i = rng.choice(3, size=n_incidents, p=[0.85, 0.12, 0.03])[incident]
    offset_s = rng.integers(0, days * 86_400, size=n_incidents)[incident]
    duration_s = rng.integers(1_800, 14 * 3_600, size=n_incidents)[incident]
    region_i = rng.integers(0, len(_REGIONS) + 1, size=n_incidents)[incident]  # last index means "not given"
    source_i = rng.choice(len(_SOURCE_SETS), size=n_incidents, p=_SOURCE_P)[incident]

    category_i = rng.choice(len(CATEGORIES), size=n, p=_CATEGORY_P)
    drone = category_i <= 1
    launched = np.where(drone, rng.lognormal(3.0, 1.2, n), rng.lognormal(1.0, 1.0, n)).astype(np.int64) + 1
    launched = np.minimum(launched, 900)
    destroyed = rng.binomial(launched, np.where(drone, 0.6, 0.4))
    suppressed = rng.binomial(launched - destroyed, np.where(drone, 0.5, 0.1))
    impacted = rng.binomial(launched - destroyed - suppressed, 0.7)
    pattern = rng.choice(4, size=n, p=[0.70, 0.15, 0.12, 0.03])  # how completely the line is reported

    base = pl.DataFrame(
        {
            "inc": incident,
            "kind_i": kind_i,
            "offset_s": offset_s,
            "duration_s": duration_s,
            "region_i": region_i,
            "source_i": source_i,
            "category_i": category_i,
            "model_i": rng.integers(0, 2, size=n),
            "launched": launched,
            "destroyed": destroyed,
            "suppressed": suppressed,
            "impacted": impacted,
            "pattern": pattern,
            "impacted_known": rng.random(n) < 0.5,
            "fatalities": rng.poisson(0.4, n),
            "fatalities_known": rng.random(n) < 0.4,
        }
    )
    air = pl.col("kind_i") == 0
    both = pl.col("pattern") == 0
    origin = datetime.combine(start, datetime.min.time())
    model_table = pl.Series([m for models in _MODELS for m in models], dtype=pl.Utf8)
    source_lists = pl.Series([s for s, _, _ in _SOURCE_SETS], dtype=pl.List(pl.Utf8))
    reliability = pl.Series([r for _, r, _ in _SOURCE_SETS], dtype=pl.Utf8)
    credibility = pl.Series([c for _, _, c in _SOURCE_SETS], dtype=pl.Int64)
    regions = pl.Series([*_REGIONS, None], dtype=pl.Utf8)
    region_lists = pl.Series([[region_code(r)] for r in _REGIONS] + [[]], dtype=pl.List(pl.Utf8))

    def on_air(expr: pl.Expr, known: pl.Expr | None = None) -> pl.Expr:
        cond = air if known is None else air & known
        return pl.when(cond).then(expr).otherwise(None)

    out = base.select(
        incident_id=pl.lit("SYN-") + pl.col("inc").cast(pl.Utf8).str.zfill(8),
        kind=pl.lit(pl.Series(list(KINDS), dtype=pl.Utf8)).gather(pl.col("kind_i")),
        start=pl.lit(origin) + pl.duration(seconds=pl.col("offset_s")),
        end=pl.lit(origin) + pl.duration(seconds=pl.col("offset_s") + pl.col("duration_s")),
        region=pl.lit(regions).gather(pl.col("region_i")),
        regions=pl.lit(region_lists).gather(pl.col("region_i")),
        event_type=pl.lit(None, dtype=pl.Utf8),
        category=on_air(pl.lit(pl.Series(list(CATEGORIES), dtype=pl.Utf8)).gather(pl.col("category_i"))),
        model=on_air(pl.lit(model_table).gather(pl.col("category_i") * 2 + pl.col("model_i"))),
        launched=on_air(pl.col("launched"), pl.col("pattern") != 3),
        destroyed=on_air(pl.col("destroyed"), pl.col("pattern").is_in([0, 2])),
        suppressed=on_air(pl.col("suppressed"), both),
        neutralized=on_air(pl.col("destroyed") + pl.col("suppressed"), pl.col("pattern").is_in([0, 1])),
        impacted=on_air(pl.col("impacted"), pl.col("impacted_known")),
        fatalities=pl.when(pl.col("fatalities_known")).then(pl.col("fatalities")).otherwise(None),
        reliability=pl.lit(reliability).gather(pl.col("source_i")),
        credibility=pl.lit(credibility).gather(pl.col("source_i")),
        sources=pl.lit(source_lists).gather(pl.col("source_i")),
    )
    return out.select(list(FULL_SCHEMA)).cast(FULL_SCHEMA)  # type: ignore[arg-type]


def cutoff_for(as_of: date | datetime) -> datetime:
    """Return the exclusive datetime cutoff for as_of (a date means the end of that day)."""
    if isinstance(as_of, datetime):
        return as_of
    return datetime.combine(as_of, datetime.min.time()) + timedelta(days=1)
