"""Benchmark report-text extraction.

Run: ``.venv/bin/python benchmarks/extraction.py``

1. Accuracy of count fields on ``benchmarks/data/extraction_labelled.yaml`` (texts written for the
   project in the style of real reports, labelled before tuning). Every expected weapon contributes its
   five count fields (value and qualifier must both match; an expected null must come out null); a
   weapon the extractor invents contributes each of its non-null fields as an error. Also shown: the
   same over the stated (non-null) fields only, category/model/date hits, and time per report.
2. If ``../shared/data/ua-airforce-report-texts`` exists (or ``$REASSURE_SHARED_DATA``): agreement of
   the destroyed counts extracted from 310 real Air Force "ЗНИЩЕНО" texts with
   ``destroyed_targets_parsed.csv`` per date and category. That table came from the original author's
   LLM tooling, so this is agreement with an LLM-produced reference, not accuracy.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from reassure.monitoring.extraction.extract import extract_report  # noqa: E402
from reassure.monitoring.report import COUNT_FIELDS, AirAttackReport, WeaponCounts  # noqa: E402

LABELLED = ROOT / "benchmarks" / "data" / "extraction_labelled.yaml"

# Reference-table columns → §4 category (aircraft and helicopter columns are not weapons: left out).
REFERENCE_COLUMNS = {
    "uav_drones": "drone", "shahed": "drone", "orlan": "drone", "orion": "drone", "lancet": "drone",
    "merlin": "drone", "granat_4": "drone", "zala": "drone", "mohajer_6": "drone", "missiles": "missile",
    "ballistic_missiles": "ballistic_missile", "kinzhal_missile": "ballistic_missile",
    "iskander_m_missile": "ballistic_missile", "missile_kh_31p": "guided_air_missile",
    "kh_59_missile": "guided_air_missile", "cruise_missiles": "cruise_missile",
    "kalibr_missile": "cruise_missile", "iskander_k_missile": "cruise_missile",
}  # fmt: skip


def shared_data() -> Path:
    """Return the shared data directory (``$REASSURE_SHARED_DATA`` or ``../shared/data``)."""
    env = os.environ.get("REASSURE_SHARED_DATA")
    return Path(env) if env else (ROOT / ".." / "shared" / "data").resolve()


def _as_count(value: Any) -> tuple[int, str] | None:
    return None if value is None else (int(value[0]), str(value[1]))


def _got(weapon: WeaponCounts | None, name: str) -> tuple[int, str] | None:
    count = weapon.count(name) if weapon is not None else None  # type: ignore[arg-type]
    return None if count is None else (count.value, count.qualifier)


def _match(expected: list[dict[str, Any]], actual: list[WeaponCounts]) -> list[WeaponCounts | None]:
    """Pair each expected weapon with an extracted one (same category, then same model if several)."""
    free = list(actual)
    pairs: list[WeaponCounts | None] = []
    for exp in expected:
        same = [w for w in free if w.category == exp["category"]]
        model = (exp.get("model") or "").lower()
        best = next((w for w in same if (w.model or "").lower() == model), same[0] if len(same) == 1 else None)
        if best is None and same:
            best = next((w for w in same if model and (w.model or "").lower().startswith(model[:4])), same[0])
        if best is not None:
            free.remove(best)
        pairs.append(best)
    return pairs


def labelled_accuracy(items: list[dict[str, Any]], title: str, *, details: bool) -> None:
    """Print count-field accuracy on labelled ``items``."""
    right: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    stated_right = stated_total = invented = 0
    category_hits = model_hits = weapons = date_hits = side_hits = 0
    failures: list[str] = []
    timings: list[float] = []
    for item in items:
        ref = item.get("date_arg")
        started = time.perf_counter()
        report: AirAttackReport = extract_report(item["text"], date=ref)
        timings.append(time.perf_counter() - started)
        expected = item["weapons"]
        pairs = _match(expected, report.weapons)
        for exp, got in zip(expected, pairs, strict=True):
            weapons += 1
            category_hits += got is not None
            model_hits += got is not None and (got.model or None) == (exp.get("model") or None)
            for name in COUNT_FIELDS:
                want, have = _as_count(exp.get(name)), _got(got, name)
                total[name] += 1
                ok = want == have
                right[name] += ok
                if want is not None:
                    stated_total += 1
                    stated_right += ok
                if not ok:
                    failures.append(f"{item['id']}: {exp['category']}.{name} expected {want}, got {have}")
        for extra in (w for w in report.weapons if w not in pairs):
            for name in COUNT_FIELDS:
                if _got(extra, name) is not None:
                    total[name] += 1
                    invented += 1
                    failures.append(f"{item['id']}: invented {extra.category}.{name} = {_got(extra, name)}")
        date_hits += report.date == item.get("date")
        side_hits += (report.attacker, report.defender) == (item.get("attacker", "RUS"), item.get("defender", "UKR"))
    n_fields, n_right = sum(total.values()), sum(right.values())
    print(f"{title}: {len(items)} reports, {weapons} expected weapons")
    print(f"  count fields right, overall:       {n_right}/{n_fields} = {n_right / n_fields:.1%}")
    for name in COUNT_FIELDS:
        print(f"    {name:<12} {right[name]:>4}/{total[name]:<4} = {right[name] / total[name]:.1%}")
    print(f"  stated (non-null) fields right:    {stated_right}/{stated_total} = {stated_right / stated_total:.1%}")
    print(f"  invented non-null fields:          {invented}")
    print(f"  weapons found (category):          {category_hits}/{weapons}; model as labelled: {model_hits}/{weapons}")
    print(f"  date right: {date_hits}/{len(items)}; attacker/defender right: {side_hits}/{len(items)}")
    print(
        f"  time per report: mean {statistics.mean(timings) * 1000:.2f} ms, "
        f"median {statistics.median(timings) * 1000:.2f} ms, max {max(timings) * 1000:.2f} ms"
    )
    for line in failures if details else []:
        print(f"    miss: {line}")


def reference_agreement(folder: Path) -> None:
    """Print agreement of extracted destroyed counts with the LLM-produced reference table."""
    with (folder / "report_texts.csv").open(encoding="utf-8") as handle:
        texts = list(csv.DictReader(handle))
    with (folder / "destroyed_targets_parsed.csv").open(encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    reference: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in table:
        day = dt.date.fromisoformat(row["checkpoint_date"])
        for column, category in REFERENCE_COLUMNS.items():
            if row.get(column):
                reference[day][category] += int(float(row[column]))
    extracted: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    timings: list[float] = []
    undated = 0
    for row in texts:
        posted = dt.date.fromisoformat(row["posted_at"][:10])
        started = time.perf_counter()
        report = extract_report(row["text"], date=posted)
        timings.append(time.perf_counter() - started)
        undated += report.date == posted and posted.strftime("%d.%m") not in row["text"]
        for weapon in report.weapons:
            if weapon.destroyed is not None and report.date is not None:
                extracted[report.date][weapon.category] += weapon.destroyed.value
    days = sorted(set(reference) & set(extracted))
    cells = agree = days_agree = 0
    differing: list[str] = []
    for day in days:
        categories = {c for c, v in reference[day].items() if v} | {c for c, v in extracted[day].items() if v}
        same_day = True
        for category in sorted(categories):
            cells += 1
            if reference[day].get(category, 0) == extracted[day].get(category, 0):
                agree += 1
            else:
                same_day = False
                differing.append(
                    f"{day} {category}: reference {reference[day].get(category, 0)}, "
                    f"extracted {extracted[day].get(category, 0)}"
                )
        days_agree += same_day
    print()
    print("Ukrainian Air Force ЗНИЩЕНО texts vs destroyed_targets_parsed.csv")
    print("  (agreement with an LLM-produced reference table, NOT accuracy)")
    print(f"  texts: {len(texts)}; dates in both: {len(days)}; dated by posting date (none in text): {undated}")
    print(f"  (date, category) destroyed counts agreeing: {agree}/{cells} = {agree / max(cells, 1):.1%}")
    share = days_agree / max(len(days), 1)
    print(f"  dates agreeing on every category:           {days_agree}/{len(days)} = {share:.1%}")
    print(f"  time per text: mean {statistics.mean(timings) * 1000:.2f} ms")
    for line in differing[:25]:
        print(f"    differs: {line}")
    if len(differing) > 25:
        print(f"    ... and {len(differing) - 25} more")


def main() -> None:
    """Run both benchmarks."""
    items = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))
    print(f"Labelled set {LABELLED.relative_to(ROOT)}")
    labelled_accuracy(items, "All labelled reports", details=True)
    for name in ("dev", "heldout", "heldout2"):
        subset = [item for item in items if item.get("set", "dev") == name]
        print()
        labelled_accuracy(subset, f"Subset {name!r}", details=False)
    folder = shared_data() / "ua-airforce-report-texts"
    if folder.is_dir():
        reference_agreement(folder)
    else:
        print(f"\n(skipped: {folder} not present)")


if __name__ == "__main__":
    main()
