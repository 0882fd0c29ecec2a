"""Benchmark report-text extraction: blind and tuned scores side by side, per field and per phrasing family.

Run: ``.venv/bin/python benchmarks/extraction.py [--realworld FILE] [--details]``

Labelled sets (count fields: every expected weapon contributes its five fields, value and qualifier must both
match, an expected null must come out null; a weapon the extractor adds contributes each non-null field as an
error):
- ``benchmarks/data/extraction_labelled.yaml``: 102 texts written with the extractor (the old set): TUNED.
- ``benchmarks/data/extraction_realworld.yaml`` (or ``--realworld``): real published reports labelled by a
  blind labeller before any run. Items with ``shared: {file, message_id}`` carry no text: it is read from the
  shared data folder (``$REASSURE_SHARED_DATA`` or ``../shared/data``), never from the repository. The
  real-world set is split deterministically: BLIND = the 105 items with the smallest sha256(id), recorded in
  ``benchmarks/data/extraction_blind_ids.txt`` (written by ``--record-blind``, then read); the rest is TUNED.

Printed: count fields right per field and per phrasing family (the labels' ``families``), blind and tuned side
by side; invented figures (a figure output that the label does not have and the text does not state: read at
the figure's spans when the extractor gives them, else anywhere in the text); date right; CPU and wall seconds.
``--details`` lists the misses of the TUNED items only: blind items' texts and errors are never printed.
``--tuned-only`` skips the blind items entirely (neither extracted nor scored nor printed): the flag to iterate with,
so that tuning never sees a blind figure; run the full benchmark once, at the end.

The extractor is imported from ``PYTHONPATH`` when it holds one (so the original extractor can be scored:
``PYTHONPATH=/tmp/base-extract/src``), else from this checkout's ``src``. The span reader and the weapon keys
used for scoring are always this checkout's, loaded by file path, so both extractors are scored alike.

Last: agreement of the destroyed counts extracted from the Air Force "ЗНИЩЕНО" texts with the LLM-produced
``destroyed_targets_parsed.csv`` (agreement, not accuracy), over the texts that are not blind items.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import importlib.util
import os
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
if not os.environ.get("PYTHONPATH"):  # an extractor given on PYTHONPATH wins over this checkout's
    sys.path.insert(0, str(ROOT / "src"))

from reassure.monitoring import extraction as extraction_package  # noqa: E402
from reassure.monitoring.extraction import extract_report  # noqa: E402

DATA = ROOT / "benchmarks" / "data"
LABELLED = DATA / "extraction_labelled.yaml"
REALWORLD = DATA / "extraction_realworld.yaml"
BLIND_IDS = DATA / "extraction_blind_ids.txt"
BLIND_SIZE = 105
COUNT_FIELDS = ("launched", "destroyed", "suppressed", "neutralized", "impacted")

# Reference-table columns → §4 category (aircraft and helicopter columns are not weapons: left out).
REFERENCE_COLUMNS = {
    "uav_drones": "drone", "shahed": "drone", "orlan": "drone", "orion": "drone", "lancet": "drone",
    "merlin": "drone", "granat_4": "drone", "zala": "drone", "mohajer_6": "drone", "missiles": "missile",
    "ballistic_missiles": "ballistic_missile", "kinzhal_missile": "ballistic_missile",
    "iskander_m_missile": "ballistic_missile", "missile_kh_31p": "guided_air_missile",
    "kh_59_missile": "guided_air_missile", "cruise_missiles": "cruise_missile",
    "kalibr_missile": "cruise_missile", "iskander_k_missile": "cruise_missile",
}  # fmt: skip


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


SPANS = _load("_bench_spans", ROOT / "src" / "reassure" / "monitoring" / "extraction" / "spans.py")
KEYS = _load("_bench_keys", ROOT / "src" / "reassure" / "monitoring" / "weapon_keys.py")


def shared_data() -> Path:
    """Return the shared data directory (``$REASSURE_SHARED_DATA`` or ``../shared/data``)."""
    env = os.environ.get("REASSURE_SHARED_DATA")
    return Path(env) if env else (ROOT / ".." / "shared" / "data").resolve()


def sha(item_id: str) -> str:
    """Return the hex sha256 of an item id (the blind split's order)."""
    return hashlib.sha256(item_id.encode("utf-8")).hexdigest()


def blind_ids(items: list[dict[str, Any]], *, record: bool) -> set[str]:
    """Return the blind ids: the recorded list when there is one, else the 105 smallest sha256(id).

    ``record`` writes the list (once the labelled set is complete): from then on the list is the record.
    """
    if BLIND_IDS.exists():
        lines = (line.strip() for line in BLIND_IDS.read_text(encoding="utf-8").splitlines())
        return {line for line in lines if line and not line.startswith("#")}
    chosen = sorted((str(item["id"]) for item in items), key=sha)[:BLIND_SIZE]
    if record:
        BLIND_IDS.write_text("".join(f"{i}\n" for i in chosen), encoding="utf-8")
        print(f"(wrote {len(chosen)} blind ids to {BLIND_IDS.relative_to(ROOT)})")
    return set(chosen)


def attach_texts(items: list[dict[str, Any]], folder: Path) -> tuple[list[dict[str, Any]], int]:
    """Give shared items their text from the shared data folder; return the items that have one, and the missing."""
    tables: dict[str, dict[str, str]] = {}
    kept, missing = [], 0
    for item in items:
        ref = item.get("shared")
        if ref is not None:
            name = str(ref["file"])
            if name not in tables:
                path = folder / name
                tables[name] = {}
                if path.exists():
                    with path.open(encoding="utf-8") as handle:
                        tables[name] = {row["message_id"]: row["text"] for row in csv.DictReader(handle)}
            text = tables[name].get(str(ref["message_id"]))
            if text is None:
                missing += 1
                continue
            item = {**item, "text": text}
        kept.append(item)
    return kept, missing


@dataclass
class Score:
    """Count-field tallies of one group of items."""

    items: int = 0
    right: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    total: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    invented: int = 0
    unspanned: int = 0
    dates: int = 0
    cpu: float = 0.0
    wall: float = 0.0

    def fields(self) -> tuple[int, int]:
        """Return (right, total) over all count fields."""
        return sum(self.right.values()), sum(self.total.values())


def _count(value: Any) -> tuple[int, str] | None:
    return None if value is None else (int(value[0]), str(value[1]))


def _got(weapon: Any, name: str) -> tuple[int, str] | None:
    count = getattr(weapon, name) if weapon is not None else None
    return None if count is None else (count.value, count.qualifier)


def _match(expected: list[dict[str, Any]], actual: list[Any]) -> list[Any]:
    """Pair each expected weapon with an extracted one: same category, then the same catalogue key."""
    free = list(actual)
    pairs: list[Any] = []
    for exp in expected:
        same = [w for w in free if w.category == exp["category"]]
        key = KEYS.weapon_key(exp.get("model"))
        best = next((w for w in same if KEYS.weapon_key(w.model) == key), None)
        if best is None and len(same) == 1:
            best = same[0]
        if best is None and same:
            best = next((w for w in same if key and (KEYS.weapon_key(w.model) or "").startswith(key[:4])), same[0])
        if best is not None:
            free.remove(best)
        pairs.append(best)
    return pairs


def _stated(text: str, weapon: Any, name: str, value: int) -> bool:
    spans = (getattr(weapon, "spans", None) or {}).get(name)
    if spans:
        return bool(SPANS.figure_is_written(text, spans, value))
    return value in SPANS.written_values(text)


def score_item(item: dict[str, Any], scores: list[Score], misses: list[str] | None) -> None:
    """Extract one item and add its tallies to every score in ``scores``."""
    text = item["text"]
    cpu0, wall0 = time.process_time(), time.perf_counter()
    report = extract_report(text, date=item.get("date_arg"))
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    expected = item.get("weapons") or []
    pairs = _match(expected, report.weapons)
    rows: list[tuple[str, bool, bool, bool]] = []  # field, right, invented, unspanned
    for exp, got in zip(expected, pairs, strict=True):
        for name in COUNT_FIELDS:
            want, have = _count(exp.get(name)), _got(got, name)
            ok = want == have
            differs = have is not None and (want is None or want[0] != have[0])
            invented = differs and have is not None and not _stated(text, got, name, have[0])
            unspanned = have is not None and not (getattr(got, "spans", None) or {}).get(name)
            rows.append((name, ok, invented, unspanned))
            if not ok and misses is not None:
                misses.append(f"{item['id']}: {exp['category']}/{exp.get('model')}.{name} expected {want}, got {have}")
    for extra in (w for w in report.weapons if all(w is not p for p in pairs)):
        for name in COUNT_FIELDS:
            have = _got(extra, name)
            if have is not None:
                unspanned = not (getattr(extra, "spans", None) or {}).get(name)
                rows.append((name, False, not _stated(text, extra, name, have[0]), unspanned))
                if misses is not None:
                    misses.append(f"{item['id']}: extra {extra.category}/{extra.model}.{name} = {have}")
    for score in scores:
        score.items += 1
        score.cpu += cpu
        score.wall += wall
        score.dates += report.date == item.get("date")
        for name, ok, invented, unspanned in rows:
            score.total[name] += 1
            score.right[name] += ok
            score.invented += invented
            score.unspanned += unspanned


def _pct(right: int, total: int) -> str:
    return f"{right:>4}/{total:<4} {right / total:6.1%}" if total else f"{'-':>17}"


def print_table(title: str, columns: dict[str, Score]) -> None:
    """Print one table: a column per group, rows per field, then totals, invented figures and time."""
    names = list(columns)
    print(f"\n{title}")
    print(f"  {'':<24}" + "".join(f"{n:>19}" for n in names))
    print(f"  {'items':<24}" + "".join(f"{columns[n].items:>19}" for n in names))
    right_total = {n: columns[n].fields() for n in names}
    print(f"  {'count fields right':<24}" + "".join(f"{_pct(*right_total[n]):>19}" for n in names))
    for name in COUNT_FIELDS:
        cells = "".join(f"{_pct(columns[n].right[name], columns[n].total[name]):>19}" for n in names)
        print(f"    {name:<22}" + cells)
    print(f"  {'invented figures':<24}" + "".join(f"{columns[n].invented:>19}" for n in names))
    print(f"  {'figures without a span':<24}" + "".join(f"{columns[n].unspanned:>19}" for n in names))
    print(f"  {'date right':<24}" + "".join(f"{_pct(columns[n].dates, columns[n].items):>19}" for n in names))
    times = [f"{columns[n].cpu:.2f} ({columns[n].wall:.2f})" for n in names]
    print(f"  {'CPU s (wall s)':<24}" + "".join(f"{t:>19}" for t in times))


def print_families(blind: dict[str, Score], tuned: dict[str, Score], *, tuned_only: bool = False) -> None:
    """Print count fields right per phrasing family, blind and tuned side by side (tuned alone with ``tuned_only``)."""
    print("\nPer phrasing family (real-world labels' `families`; an item counts in each of its families)")
    if tuned_only:
        print(f"  {'family':<22}{'tuned':>19}")
        for family in sorted(tuned):
            print(f"  {family:<22}{_pct(*tuned[family].fields()):>19}   invented {tuned[family].invented}")
        return
    print(f"  {'family':<22}{'blind':>19}{'tuned':>19}")
    for family in sorted(set(blind) | set(tuned)):
        b = blind.get(family, Score())
        t = tuned.get(family, Score())
        cells = f"{_pct(*b.fields()):>19}{_pct(*t.fields()):>19}"
        print(f"  {family:<22}{cells}   invented {b.invented}/{t.invented}")


def reference_agreement(folder: Path, skip_ids: set[str]) -> None:
    """Print agreement of extracted destroyed counts with the LLM-produced reference table (non-blind texts)."""
    with (folder / "report_texts.csv").open(encoding="utf-8") as handle:
        texts = [row for row in csv.DictReader(handle) if row["message_id"] not in skip_ids]
    with (folder / "destroyed_targets_parsed.csv").open(encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    reference: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in table:
        day = dt.date.fromisoformat(row["checkpoint_date"])
        for column, category in REFERENCE_COLUMNS.items():
            if row.get(column):
                reference[day][category] += int(float(row[column]))
    extracted: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    cpu0 = time.process_time()
    for row in texts:
        report = extract_report(row["text"], date=dt.date.fromisoformat(row["posted_at"][:10]))
        for weapon in report.weapons:
            if weapon.destroyed is not None and report.date is not None:
                extracted[report.date][weapon.category] += weapon.destroyed.value
    cpu = time.process_time() - cpu0
    days = sorted(set(reference) & set(extracted))
    cells = agree = 0
    for day in days:
        for category in {c for c, v in reference[day].items() if v} | {c for c, v in extracted[day].items() if v}:
            cells += 1
            agree += reference[day].get(category, 0) == extracted[day].get(category, 0)
    print("\nAir Force ЗНИЩЕНО texts vs destroyed_targets_parsed.csv (agreement with an LLM-made table, NOT accuracy)")
    print(f"  texts (blind items left out): {len(texts)}; dates in both: {len(days)}")
    share = agree / max(cells, 1)
    print(f"  (date, category) destroyed counts agreeing: {agree}/{cells} = {share:.1%}; CPU {cpu:.2f} s")


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print its tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--realworld", type=Path, default=REALWORLD, help="real-world labelled YAML")
    parser.add_argument("--record-blind", action="store_true", help=f"write {BLIND_IDS.name} if absent")
    parser.add_argument("--details", action="store_true", help="list the misses of TUNED items (never blind)")
    parser.add_argument("--tuned-only", action="store_true", help="skip the blind items entirely (for iterating)")
    args = parser.parse_args(argv)
    print(f"extractor: {Path(extraction_package.__file__).parent}")
    print(f"python {sys.version.split()[0]}; {os.uname().nodename}; {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
    old = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))
    real: list[dict[str, Any]] = []
    if args.realworld.exists():
        real = yaml.safe_load(args.realworld.read_text(encoding="utf-8")) or []
    blind = blind_ids(real, record=args.record_blind) if real else set()
    # the Air Force texts of blind items, left out of the reference agreement below
    skip = {str(i["shared"]["message_id"]) for i in real if i.get("shared") and str(i["id"]) in blind}
    if args.tuned_only:  # the blind items are dropped before their texts are even read
        real = [item for item in real if str(item["id"]) not in blind]
    real_items, missing = attach_texts(real, shared_data())
    if missing:
        print(f"({missing} real-world items skipped: their shared text is not in {shared_data()})")
    names = ["tuned (real)", "tuned (old set)", "tuned (all)"]
    groups = {name: Score() for name in (names if args.tuned_only else ["blind", *names])}
    fam_blind: dict[str, Score] = defaultdict(Score)
    fam_tuned: dict[str, Score] = defaultdict(Score)
    batches: dict[str, Score] = defaultdict(Score)
    misses: list[str] = []
    for item in real_items:
        is_blind = str(item["id"]) in blind
        families = [fam_blind[f] if is_blind else fam_tuned[f] for f in item.get("families") or ["(none)"]]
        where = [groups["blind"]] if is_blind else [groups["tuned (real)"], groups["tuned (all)"]]
        if is_blind:
            where.append(batches[f"blind, batch {item.get('batch', 1)}"])
        score_item(item, where + families, None if is_blind else misses)
    for item in old:
        score_item(item, [groups["tuned (old set)"], groups["tuned (all)"]], misses)
    shown = "blind items skipped (--tuned-only)" if args.tuned_only else f"{len(blind)} blind"
    print(f"real-world set: {args.realworld} ({len(real)} items, {shown}); old set: {len(old)} items")
    print_table("Count fields right (value and qualifier), blind and tuned side by side", groups)
    if len(batches) > 1:
        title = "Blind part by labelling batch (first runs: benchmarks/extraction-blind-first-run.md)"
        print_table(title, dict(sorted(batches.items())))
    print_families(fam_blind, fam_tuned, tuned_only=args.tuned_only)
    for line in misses if args.details else []:
        print(f"    miss (tuned): {line}")
    folder = shared_data() / "ua-airforce-report-texts"
    if folder.is_dir():
        reference_agreement(folder, skip)
    else:
        print(f"\n(skipped: {folder} not present)")


if __name__ == "__main__":
    main()
