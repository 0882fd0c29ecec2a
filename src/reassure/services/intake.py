"""Report intake from another system (issue 26 item 9, docs/adr/0045): report texts and air-attack rows posted
through the API go through the same extraction and ingest actions as files (domains/incidents/actions
`ingest_report`, `import_air_attacks`), so they are checked, graded, marked and audited the same way.

Idempotent: a text posted without a name is named by its fingerprint, so posting it again is the same report with
the same text (unchanged); air-attack rows are keyed by their attack window whatever the name. A post that changes
nothing writes nothing (no audit row either) and says so."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import tempfile
from datetime import date
from pathlib import Path

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from reassure.domains.incidents.actions import ImportResult, import_air_attacks, ingest_report
from reassure.domains.incidents.schemas import ImportSummary

AIR_COLUMNS = ("time_start", "time_end", "model", "target", "launched", "destroyed", "not_reach_goal", "source")


class IntakeResult(BaseModel):
    """What a post did: the import's summary, whether anything was written, in words, and the rows it rejected."""

    summary: ImportSummary
    changed: bool
    message: str
    problems: list[str] = Field(default_factory=list)


def _fingerprint(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8")).hexdigest()[:16]


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.")[:120] or "post"


def _result(result: ImportResult) -> IntakeResult:
    s = result.summary
    message = (f"{s.changes} report(s) written: {s.incidents_created} incident(s) created, {s.reports_revised} "
               "revised" if s.changes else "already stored: nothing changed" if s.rows else
               "no row to read: nothing written")
    return IntakeResult(summary=s, changed=s.changes > 0, message=message, problems=[str(p) for p in result.problems])


def intake_report(text: str, *, db: Session, rel_to: str, name: str | None = None, source: str | None = None,
                  publisher: str | None = None, on_date: date | None = None, grade: str | None = None,
                  reported_by: str | None = None) -> IntakeResult:
    """Ingest a posted report text as `ingest_report` ingests a file's (named `name`, else by the text's
    fingerprint); return what it wrote, or that it was already stored."""
    file_name = _safe(name) if name else f"post-{_fingerprint(text)}.txt"
    return _result(ingest_report(text, db=db, name=file_name, source_id=source, publisher=publisher,
                                 rel_to=rel_to, on_date=on_date, grade=grade, reported_by=reported_by))


def intake_air_attacks(rows: list[dict[str, str | int | None]], *, db: Session, rel_to: str, name: str | None = None,
                       strict: bool = False) -> IntakeResult:
    """Import posted air-attack rows (the columns of the Air Force per-attack CSV, DESIGN §4) as `import_air_attacks`
    imports the file: written as that CSV into a private folder, read by the same reader, removed after."""
    columns = [*AIR_COLUMNS, *sorted({k for row in rows for k in row} - set(AIR_COLUMNS))]
    file_name = _safe(name) if name else f"post-{_fingerprint(json.dumps(rows, sort_keys=True, default=str))}.csv"
    with tempfile.TemporaryDirectory(prefix="reassure-intake-") as folder:
        path = Path(folder) / (file_name if file_name.endswith(".csv") else f"{file_name}.csv")
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=columns)
            writer.writeheader()
            for row in rows:
                writer.writerow({k: "" if v is None else v for k, v in row.items()})
        return _result(import_air_attacks(path, db=db, rel_to=rel_to, strict=strict))
