"""Import incidents: the air-attack CSV, UCDP GED events, and report texts; each import is one audited write."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.orm import Session

from reassure.core.errors import Denial, Forbidden, Problem
from reassure.core.grading import AdmiraltyGrade, GradeError, parse_grade, standing_for
from reassure.core.identity import Identity, Role
from reassure.core.markings import PUBLIC, Releasability
from reassure.core.text_files import InputFileError
from reassure.db.access import identity_of
from reassure.domains.audit.actions import record
from reassure.domains.incidents.relink import RelinkResult, ReportNotFound, relink_report
from reassure.domains.incidents.reviews import review_incident
from reassure.domains.incidents.schemas import ImportSummary
from reassure.domains.incidents.store import Progress, store_accounts
from reassure.domains.sources.actions import cites, create_source, ensure_source, pick, visible_source
from reassure.domains.sources.models import Source
from reassure.monitoring.extraction import ReportTooLong, extract_report
from reassure.monitoring.feeds import air_attack_csv, ucdp_csv
from reassure.monitoring.feeds.accounts import Account, ParsedFeed
from reassure.monitoring.feeds.weapons import builtin_catalogue, load_catalogue
from reassure.monitoring.report import inconsistency
from reassure.scenario_io.bundled import data_dir

__all__ = ["ImportResult", "RelinkResult", "ReportNotFound", "import_air_attacks", "import_ucdp", "ingest_report",
           "load_bundled_accounts", "relink_report", "review_incident"]

TEXT_CREDIBILITY = 3  # one text, not yet checked against others: possibly true


@dataclass
class ImportResult:
    """An import's summary and the rows it could not read (row number and reason each)."""

    summary: ImportSummary
    problems: list[Problem] = field(default_factory=list)


def _may_ingest(db: Session, rel_to: str, origin: str) -> Identity:
    """Check the analyst role and that the marking includes the writer's nation; return the identity."""
    identity = identity_of(db)
    own = Releasability.to(identity.nation).to_column()
    try:
        identity.require(Role.ANALYST, "ingest incidents")
    except Forbidden as error:
        error.denials = [Denial(action="ingest", entity="IncidentReport", key=Path(origin).name, rel_to=own,
                                details={"reason": error.message})]
        raise
    marking = Releasability.from_column(rel_to)
    if not identity.may_mark(marking):
        raise InputFileError([Problem("--marking", "", "", f"{marking} is not released to your nation "
                                         f"{identity.nation}: you may only write records you could read")],
                                denials=[Denial(action="ingest", entity="IncidentReport", key=Path(origin).name,
                                                rel_to=own, details={"marking": str(marking)})])
    return identity


def feed_source(db: Session, values: dict[str, Any]) -> Source:
    """Return the public source of a bundled feed (its description is the package's own, so it is PUBLIC)."""
    fields = {k: v for k, v in values.items() if k != "id"}
    return ensure_source(db, {"key": values["id"], **fields, "rel_to": PUBLIC}, origin="incident import")


def import_air_attacks(path: Path, *, db: Session, rel_to: str, weapons: Path | None = None, strict: bool = False,
                       on_progress: Progress | None = None) -> ImportResult:
    """Import the per-attack CSV: one incident per attack, one report from `mmau`, one weapon line per row."""
    _may_ingest(db, rel_to, str(path))
    catalogue = load_catalogue(weapons) if weapons else builtin_catalogue()
    parsed = air_attack_csv.read_air_attacks(path, catalogue, on_row=_rows(on_progress))
    return _import_feed(parsed, db=db, source=air_attack_csv.SOURCE, strict=strict, rel_to=rel_to,
                        action="incidents.import_air_attacks", on_progress=on_progress,
                        details={"weapons": Path(catalogue.origin).name})


def import_ucdp(path: Path, *, db: Session, rel_to: str, strict: bool = False,
                on_progress: Progress | None = None) -> ImportResult:
    """Import UCDP GED events: one incident per event (key ucdp:<id>), one report from `ucdp-ged`."""
    _may_ingest(db, rel_to, str(path))
    parsed = ucdp_csv.read_ucdp(path, on_row=_rows(on_progress))
    return _import_feed(parsed, db=db, source=ucdp_csv.SOURCE, strict=strict, rel_to=rel_to,
                        action="incidents.import_ucdp", on_progress=on_progress, details={})


def _rows(on_progress: Progress | None) -> Callable[[int, int], None] | None:
    if on_progress is None:
        return None
    return lambda done, total: on_progress("reading", done, total)


def _import_feed(parsed: ParsedFeed, *, db: Session, source: dict[str, Any], strict: bool, rel_to: str,
                 action: str, on_progress: Progress | None, details: dict[str, Any]) -> ImportResult:
    if parsed.problems and (strict or not parsed.accounts):
        raise InputFileError(parsed.problems)
    summary = ImportSummary(origin=Path(parsed.origin).name, source=source["id"], rows=parsed.rows,
                            bad_rows=len(parsed.problems))
    stored = feed_source(db, source)
    store_accounts(parsed.accounts, db=db, source_id=stored.id, rel_to=rel_to, one_report_per_incident=True,
                   origin=parsed.origin, summary=summary, on_progress=on_progress)
    _audit(db, action, summary, details, rel_to)
    return ImportResult(summary, parsed.problems)


def _audit(db: Session, action: str, summary: ImportSummary, details: dict[str, Any], rel_to: str) -> None:
    """Record one audit row for an import that wrote something (a re-import that changed nothing writes none)."""
    if not summary.changes:
        return
    counts = summary.model_dump(exclude={"origin", "source", "incident_keys"})
    keys = sorted(set(summary.incident_keys))
    if len(keys) <= 20:  # name the incidents when it is cheap; a whole feed is summarised by counts only
        details = {**details, "incidents": keys}
    record(db, action=action, entity="IncidentReport", key=Path(summary.origin).name[-200:], rel_to=rel_to,
           details={"source": summary.source, **counts, **details})


def ingest_report(text: str, *, db: Session, name: str, source_id: str | None = None, publisher: str | None = None,
                  rel_to: str, on_date: date | None = None, grade: str | None = None,
                  reported_by: str | None = None) -> ImportResult:
    """Extract an air-attack report from a text and store it, verbatim, as one source's account of an incident.

    The date comes from the text, else `on_date`. The report joins the incident it describes when one is
    stored (docs/adr/0004); a second account from the same source of that incident is a new revision. The
    report's standing rests on its own grade; corroboration by other sources shows on the incident.
    """
    _may_ingest(db, rel_to, name)
    if "\x00" in text:
        raise InputFileError([Problem(name, "", "", "the text contains a NUL character")])
    problems: list[Problem] = []
    parsed_grade: AdmiraltyGrade | None = None
    if grade:
        try:
            parsed_grade = parse_grade(grade)
        except GradeError as error:
            problems.append(Problem(name, "", "--grade", str(error)))
    source = _text_source(db, name, source_id, publisher, parsed_grade, problems, rel_to)
    try:
        report = extract_report(text, date=on_date, reported_by=reported_by)
    except ReportTooLong as error:
        raise InputFileError([*problems, Problem(name, "", "", str(error))]) from None
    if report.date is None:
        problems.append(Problem(name, "", "date", "the text gives no date of the attack: pass --date YYYY-MM-DD"))
    if not report.weapons:
        problems.append(Problem(name, "", "weapons", "found no weapon counts: is this an air-attack report?"))
    problems += [Problem(name, "", "weapons", f"the figures contradict each other: {why}")
                 for why in (inconsistency(w) for w in report.weapons) if why is not None]
    if problems or source is None or report.date is None:
        raise InputFileError(problems)
    reliability = parsed_grade.reliability if parsed_grade else source.reliability
    credibility = parsed_grade.credibility if parsed_grade else TEXT_CREDIBILITY
    published = datetime.combine(source.published, time(0)) if source.published else None
    # the report's own window when it states one ("from 18:00 on 13 September"), else the night its words imply
    # ("overnight"), else its date (docs/adr/0017, 0021)
    window = report.window
    start, end = ((window.start, window.end) if window is not None else
                  (datetime.combine(report.date, time(0)), datetime.combine(report.date, time(23, 59, 59))))
    account = Account(
        kind="air_attack", start=start, end=end, timed=window is not None, external_ref=Path(name).name[:400],
        window_basis=window.basis if window is not None else None,
        raw_text=text, reliability=reliability, credibility=credibility,
        standing=standing_for(AdmiraltyGrade(reliability, credibility), corroborating_sources=1).value,
        attacker=report.attacker, defender=report.defender, reported_at=published,
        reported_by=report.reported_by, weapons=list(report.weapons), regions=list(report.regions),
        region_count=report.region_count,
        description=f"Air attack reported by {report.reported_by or source.publisher}",
    )
    summary = ImportSummary(origin=Path(name).name, source=source.key, rows=1)
    store_accounts([account], db=db, source_id=source.id, rel_to=rel_to, one_report_per_incident=False,
                   origin=name, summary=summary)
    _audit(db, "incidents.ingest_report", summary, {"date": report.date.isoformat(),
                                                    "grade": f"{reliability}{credibility}"}, rel_to)
    return ImportResult(summary)


def _text_source(db: Session, name: str, source_id: str | None, publisher: str | None,
                 grade: AdmiraltyGrade | None, problems: list[Problem], rel_to: str) -> Source | None:
    """Return the report's source: the one named (it must be visible and at least as widely released as the
    report), or a new one marked like the report when a publisher is given (it is derived from this input)."""
    key = source_id or "file-" + re.sub(r"[^a-z0-9]+", "-", Path(name).stem.lower()).strip("-")[:70]
    visible = visible_source(db, key)
    if not source_id:  # a source derived from this text: its own marking's copy, else a new one
        visible = [s for s in visible if s.rel_to == rel_to]
    source = pick(visible, rel_to)
    if source is not None:
        if problem := cites(rel_to, source, file="--marking", where="", field=""):
            problems.append(problem)
            return None
        return source
    if visible or (source_id and not publisher):
        problems.append(Problem(name, "", "--source", f"unknown source {key!r}: give --publisher to create it"
                                if not visible else f"you see {len(visible)} sources {key!r} and none is marked "
                                "like this report: give --marking as one of them"))
        return None
    return create_source(db, {"key": key, "publisher": (publisher or "not stated")[:200],
                              "title": Path(name).name[:400], "locator": Path(name).name[:600],
                              "reliability": grade.reliability if grade else "F", "rel_to": rel_to},
                         origin=Path(name).name)


def load_bundled_accounts(*, db: Session) -> list[ImportResult]:
    """Ingest the bundled seed-article attack accounts (public, graded, each citing its article); idempotent."""
    accounts = yaml.safe_load((data_dir() / "facts" / "seed_attack_accounts.yaml").read_text(encoding="utf-8"))
    return [ingest_report(a["text"], db=db, name=f"bundled:{a['source']}", rel_to=PUBLIC, source_id=a["source"],
                          on_date=a["date"], grade=a["grade"]) for a in accounts["accounts"]]
