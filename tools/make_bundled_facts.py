"""Maintainer script: derive the bundled reference and position facts from ../shared/data.

Writes src/reassure/data/reference/nations.yaml and src/reassure/data/facts/reported_positions.yaml.
The output is this project's own fact file (selected figures with attribution), not a copy of the
source files. Run: .venv/bin/python tools/make_bundled_facts.py [SHARED_DATA_DIR]
"""

from __future__ import annotations

import csv
import sys
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
EXTRA = ("AUS", "NZL", "JPN", "UKR")  # partners outside NATO/EU that took part in coalition meetings
CATEGORY_STANDING = {"formal_commitments": ("verified", "B2"), "participants": ("verified", "B2"),
                     "signed_declaration_of_intent": ("verified", "B2")}


def main(shared: Path) -> None:
    """Write both fact files."""
    ref = shared / "country-reference"
    members = list(csv.DictReader((ref / "nato_eu_membership.csv").open(encoding="utf-8")))
    codes = sorted({m["iso3"] for m in members} | set(EXTRA))
    gdp = _latest(ref / "wb_gdp_current_usd.csv", codes)
    pop = _latest(ref / "wb_population.csv", codes)
    sources = [
        {"id": "wb-wdi-gdp", "publisher": "World Bank (WDI NY.GDP.MKTP.CD) via datasets/gdp",
         "title": "GDP (current US$)", "published": None, "locator": "datasets/gdp data/gdp.csv @822019c",
         "reliability": "A", "notes": "CC BY 4.0; latest year per country used"},
        {"id": "wb-wdi-pop", "publisher": "World Bank (WDI SP.POP.TOTL) via datasets/population",
         "title": "Population, total", "published": None,
         "locator": "datasets/population data/population.csv @425fc44", "reliability": "A",
         "notes": "CC BY 4.0; latest year per country used"},
        {"id": "nato-eu-lists", "publisher": "NATO and European Commission public membership lists",
         "title": "NATO and EU member states with accession dates", "published": None,
         "locator": "nato.int enlargement; europa.eu enlargement glossary (compiled 2026)",
         "reliability": "A", "notes": "Treaty entry-into-force dates"},
    ]
    nations = []
    for m in members:
        ms = []
        if m["nato_member"] == "1":
            ms.append({"organisation": "NATO", "role": "member", "start": m["nato_accession_date"],
                       "source": "nato-eu-lists"})
        if m["eu_accession_date"]:
            entry = {"organisation": "EU", "role": "member", "start": m["eu_accession_date"],
                     "source": "nato-eu-lists"}
            if m["eu_exit_date"]:
                entry["end"] = m["eu_exit_date"]
            ms.append(entry)
        nations.append({"code": m["iso3"], "memberships": ms})
    nations += [{"code": c, "memberships": []} for c in EXTRA]
    figures = [{"nation": c, "indicator": "gdp_usd", "year": y, "value": v, "source": "wb-wdi-gdp"}
               for c, (y, v) in sorted(gdp.items())]
    figures += [{"nation": c, "indicator": "population", "year": y, "value": v, "source": "wb-wdi-pop"}
                for c, (y, v) in sorted(pop.items())]
    header = ("# Nation reference facts for burden sharing: NATO/EU memberships, latest GDP and population.\n"
              "# Derived by tools/make_bundled_facts.py from World Bank WDI and NATO/EU lists (attribution\n"
              "# in each source). Facts, not assumptions.\n")
    _write(ROOT / "src/reassure/data/reference/nations.yaml", header,
           {"format": "reassure-scenario/1", "marking": "PUBLIC", "sources": sources, "nations": nations,
            "figures": figures})
    _positions(shared / "coalition-of-the-willing" / "cow_reported_positions.csv")


def _latest(path: Path, codes: list[str]) -> dict[str, tuple[int, float]]:
    out: dict[str, tuple[int, float]] = {}
    for row in csv.DictReader(path.open(encoding="utf-8")):
        code, value = row["Country Code"], row["Value"]
        if code in codes and value:
            year = int(float(row["Year"]))
            if code not in out or year > out[code][0]:
                out[code] = (year, round(float(value)))
    return out


def _positions(path: Path) -> None:
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    sources: dict[str, dict[str, object]] = {}
    claims = []
    for i, row in enumerate(rows, start=1):
        url = row["source_url"]
        sid = sources.setdefault(url, {"id": f"cow-{len(sources) + 1:02d}", "publisher": row["source_outlet"],
                                       "title": row["event"], "published": row["report_date"],
                                       "locator": url, "reliability": "C",
                                       "notes": "News report or relay (paraphrased claim)"})["id"]
        standing, grade = CATEGORY_STANDING.get(row["category"], ("unconfirmed", "C3"))
        claim: dict[str, object] = {
            "key": f"position.{row['report_date']}.{row['country_iso3'].lower()}.{row['category']}.{i:02d}",
            "topic": row["category"], "statement": row["claim_paraphrase"], "reported_on": row["report_date"],
            "standing": standing, "grade": grade, "sources": [sid]}
        if row["country_iso3"] != "ALL":
            claim["nation"] = row["country_iso3"]
        if row["figure"]:
            claim["quantity"] = int(row["figure"])
            claim["unit"] = "countries" if row["category"] in ("coalition_size", "participants",
                                                                "formal_commitments") else "troops"
        claims.append(claim)
    header = ("# Publicly reported national positions on the reassurance force, 2025-2026, one claim each,\n"
              "# paraphrased with its outlet and URL. Hand-compiled news digest, not an official list:\n"
              "# single-outlet claims are 'unconfirmed' (C3); positions change, so read the report date.\n")
    _write(ROOT / "src/reassure/data/facts/reported_positions.yaml", header,
           {"format": "reassure-scenario/1", "marking": "PUBLIC", "sources": list(sources.values()),
            "claims": claims})


def _dates(node: object) -> object:
    """Turn ISO date strings into dates so YAML writes them unquoted."""
    if isinstance(node, dict):
        return {k: _dates(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_dates(v) for v in node]
    if isinstance(node, str) and len(node) == 10 and node[4] == "-" and node[7] == "-":
        return date.fromisoformat(node)
    return node


def _write(path: Path, header: str, document: dict[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = _dates(document)  # type: ignore[assignment]
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=110)
    path.write_text(header + text, encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data")
