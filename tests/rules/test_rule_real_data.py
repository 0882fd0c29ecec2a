"""Backtest the bundled rules over the real Air Force attack records in ../shared/data (skipped if absent)."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest
from tests.conftest import SHARED_DATA

from reassure.monitoring.indicators import interception_rates
from reassure.monitoring.indicators.frame import INCIDENT_SCHEMA, validate_incident_frame
from reassure.rules import backtest, evaluate_rule, load_bundled_rules, rule_by_id

DATA_DIR = SHARED_DATA / "ua-air-attacks"
CSV = DATA_DIR / "missile_attacks_daily.csv"

pytestmark = pytest.mark.shared_data

_DRONES = re.compile(
    r"shahed|uav|orlan|zala|supercam|lancet|merlin|mohajer|orion|forpost|granat|eleron|kub|"
    r"молнія|фенікс|картограф|привет",
    re.IGNORECASE,
)
_PART_CATEGORY = [
    (re.compile(r"bomb|gbu", re.I), "guided_bomb"),
    (re.compile(r"iskander-m|kn-23|kinzhal|ballistic", re.I), "ballistic_missile"),
    (re.compile(r"x-59|x-69|x-31|x-35", re.I), "guided_air_missile"),
    (re.compile(r"x-101|kalibr|iskander-k|x-22|x-32|zircon|oniks|banderol", re.I), "cruise_missile"),
]
_SOURCES = {
    "kpszsu": ("Ukrainian Air Force (kpszsu)", "B", 3),
    "PvKPivden": ("Air Command South (PvKPivden)", "B", 3),
    "pvkshid": ("Air Command East (pvkshid)", "B", 3),
    "GeneralStaff.ua": ("General Staff of the Armed Forces of Ukraine", "B", 3),
}


def category_of(model: str) -> str:
    """Map a weapon model (possibly 'A and B') to a §4 category; mixed missile types become 'missile'."""
    if _DRONES.search(model):
        return "drone"
    found = set()
    for part in model.split(" and "):
        found.add(next((cat for rx, cat in _PART_CATEGORY if rx.search(part)), "missile"))
    return found.pop() if len(found) == 1 else "missile"


def _timestamp(column: str) -> pl.Expr:
    text = pl.col(column).str.strip_chars().str.replace(r" (\d):", " 0$1:")
    return pl.coalesce(
        text.str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M", strict=False),
        text.str.strptime(pl.Date, "%Y-%m-%d", strict=False).cast(pl.Datetime("us")),
    )


def _count(column: str) -> pl.Expr:
    return pl.col(column).cast(pl.Float64, strict=False).round().cast(pl.Int64)


def read_air_attacks(path: Path) -> pl.DataFrame:
    """Read missile_attacks_daily.csv into INCIDENT_SCHEMA rows (one per attack window and model)."""
    raw = pl.read_csv(path, infer_schema_length=0)
    models = raw["model"].drop_nulls().unique().to_list()
    prefix = pl.col("source").fill_null("unknown").str.split("/").list.first()
    source_of = {k: v[0] for k, v in _SOURCES.items()}
    reliability_of = {k: v[1] for k, v in _SOURCES.items()}
    destroyed, suppressed = _count("destroyed"), _count("not_reach_goal")
    out = raw.select(
        incident_id=pl.concat_str(
            pl.col("source").fill_null("unknown"), pl.col("time_start"), pl.col("time_end"), separator="|"
        ),
        kind=pl.lit("air_attack"),
        start=_timestamp("time_start"),
        end=pl.coalesce(_timestamp("time_end"), _timestamp("time_start")),
        region=pl.when(pl.col("target") == "Ukraine").then(None).otherwise(pl.col("target")),
        category=pl.col("model").replace_strict({m: category_of(m) for m in models}, default="missile"),
        model=pl.col("model"),
        launched=_count("launched"),
        destroyed=destroyed,
        suppressed=suppressed,
        neutralized=destroyed + suppressed,  # null unless both are reported
        impacted=pl.lit(None, dtype=pl.Int64),
        fatalities=pl.lit(None, dtype=pl.Int64),
        reliability=prefix.replace_strict(reliability_of, default="C"),
        credibility=pl.lit(3, dtype=pl.Int64),
        sources=pl.concat_list(prefix.replace_strict(source_of, default="Other Ukrainian official post")),
    )
    return out.cast(INCIDENT_SCHEMA)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def incidents() -> pl.DataFrame:
    if not CSV.exists():
        pytest.skip(f"../shared/data not present: {CSV}")
    return read_air_attacks(CSV)


def test_reader_produces_a_valid_incident_frame(incidents: pl.DataFrame) -> None:
    validate_incident_frame(incidents, check_values=True)
    assert incidents.height > 3_000
    assert incidents["start"].null_count() == 0
    assert incidents["launched"].null_count() < 10  # three rows in the source leave launched empty
    rates = interception_rates(incidents, every=None).row(0, named=True)
    assert 0.5 < rates["destroyed_rate"] < 1.0
    assert rates["neutralized_rows"] < rates["destroyed_rows"]  # not_reach_goal is often not given


def test_backtest_bundled_rules_over_real_history(incidents: pl.DataFrame) -> None:
    rules = load_bundled_rules()
    timelines = {rule.id: backtest(rule, incidents) for rule in rules}
    for timeline in timelines.values():
        assert timeline.frame.height > 100
    sanctions = timelines["sanctions-review-mass-attacks"]
    assert sanctions.fired, "mass drone attacks in 2024-2026 should fire the sanctions-review trigger"
    assert all(d.year >= 2023 for d in sanctions.fired)
    assert timelines["surge-alert-launches"].fired
    exit_rule = rule_by_id(rules, "exit-quiet-skies")
    assert not evaluate_rule(exit_rule, incidents).met  # attacks still under way at the end of the data
