"""Write accounts as incident reports: find each one's incident (dedup), revise it, or create it, in bulk.

The matching rule is pure (monitoring/accounts.py, docs/adr/0004); this module loads the candidates it
needs, applies the result and inserts rows with Core-style bulk INSERTs (every row carries its marking).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from reassure.db.access import identity_of
from reassure.domains.incidents.models import Incident, IncidentLink, IncidentRegion, IncidentReport, WeaponCount
from reassure.domains.incidents.schemas import ImportSummary
from reassure.domains.incidents.service import preference
from reassure.monitoring.feeds.accounts import (
    Account,
    Candidate,
    MatchRules,
    count_columns,
    launched_by_category,
    match_accounts,
)
from reassure.monitoring.report import Count, WeaponCounts

Progress = Callable[[str, int, int], None]


@dataclass(eq=False)
class _Plan:
    """What to write for one account: a report on an existing incident (id) or on a new one (None)."""

    account: Account
    incident_id: int | None
    revision: int
    attached: bool  # a new report on an incident first reported by another source


def store_accounts(accounts: list[Account], *, db: Session, source_id: str, rel_to: str,
                   one_report_per_incident: bool, origin: str, summary: ImportSummary,
                   on_progress: Progress | None = None) -> ImportSummary:
    """Write the accounts in the caller's transaction; accounts already stored unchanged are left alone."""
    mine = db.execute(select(IncidentReport.id, IncidentReport.incident_id, IncidentReport.external_ref,
                             IncidentReport.digest, IncidentReport.revision, IncidentReport.rel_to)
                      .where(IncidentReport.source_id == source_id)).all()
    by_ref: dict[str, list[Any]] = defaultdict(list)
    latest: dict[int, int] = {}
    for r in mine:
        by_ref[r.external_ref].append(r)
        latest[r.incident_id] = max(latest.get(r.incident_id, 0), r.revision)
    digests = {r.digest for r in mine}
    plans: list[_Plan] = []
    pending: list[Account] = []
    for account in accounts:
        digest = account.digest()
        same = by_ref.get(account.external_ref, [])
        seen = any(r.digest == digest for r in same) if one_report_per_incident else digest in digests
        if seen:
            summary.reports_unchanged += 1
            continue
        if same and one_report_per_incident:
            newest = max(same, key=lambda r: r.revision)
            plans.append(_Plan(account, newest.incident_id, latest[newest.incident_id] + 1, attached=False))
            latest[newest.incident_id] += 1
            continue
        pending.append(account)
    pins = _pins(db, source_id, rel_to, [a.external_ref for a in pending])
    for account in [a for a in pending if a.external_ref in pins]:  # an analyst's link wins over matching
        pinned = pins[account.external_ref]
        revision = latest.get(pinned, 0) + 1
        latest[pinned] = revision
        plans.append(_Plan(account, pinned, revision, attached=revision == 1))
    pending = [a for a in pending if a.external_ref not in pins]
    if on_progress:
        on_progress("matching", 0, len(pending))
    rules = MatchRules(source_id=source_id, rel_to=rel_to, one_report_per_incident=one_report_per_incident)
    matches = match_accounts(pending, _candidates(db, pending), rules, lambda i: _figures(db, i))
    for account, incident_id in zip(pending, matches, strict=True):
        if incident_id is None:
            plans.append(_Plan(account, None, 1, attached=False))
            continue
        revision = latest.get(incident_id, 0) + 1
        latest[incident_id] = revision
        plans.append(_Plan(account, incident_id, revision, attached=revision == 1))
    if on_progress:
        on_progress("matching", len(pending), len(pending))
    _write(db, plans, source_id=source_id, rel_to=rel_to, summary=summary, on_progress=on_progress)
    return summary


def _pins(db: Session, source_id: str, rel_to: str, refs: list[str]) -> dict[str, int]:
    """Return the incidents analysts pinned this source's references to (`reassure incidents relink`), for the
    marking being written (a pin is marked like the reports it moved)."""
    wanted = sorted(set(refs))
    found: dict[str, int] = {}
    for i in range(0, len(wanted), 500):
        found.update(db.execute(select(IncidentLink.external_ref, IncidentLink.incident_id).where(
            IncidentLink.source_id == source_id, IncidentLink.rel_to == rel_to,
            IncidentLink.external_ref.in_(wanted[i:i + 500]))).all())
    return found


def _candidates(db: Session, pending: list[Account]) -> list[Candidate]:
    """Load the stored incidents near the accounts' windows that the importer sees (so may add to)."""
    if not pending:
        return []
    windows = [a.match_window() for a in pending]
    low = min(w[0] for w in windows) - timedelta(days=3)
    high = max(w[1] for w in windows) + timedelta(days=1)
    kinds = sorted({a.kind for a in pending})
    near = (Incident.kind.in_(kinds), Incident.start <= high, Incident.end >= low)
    rows = db.execute(select(Incident.id, Incident.kind, Incident.start, Incident.end, Incident.timed,
                             Incident.region, Incident.rel_to).where(*near)).all()
    sources: dict[int, set[str]] = defaultdict(set)
    for incident_id, source in db.execute(select(IncidentReport.incident_id, IncidentReport.source_id)
                                          .join(Incident, IncidentReport.incident_id == Incident.id)
                                          .where(*near).distinct()):
        sources[incident_id].add(source)
    return [Candidate(id=r.id, kind=r.kind, start=r.start, end=r.end, timed=r.timed, region=r.region,
                      rel_to=r.rel_to, sources=frozenset(sources[r.id]))
            for r in rows]


def _figures(db: Session, incident_id: int) -> Mapping[str, Count]:
    """Return the launched figures per category of an incident's preferred report."""
    reports = db.execute(select(IncidentReport.id, IncidentReport.reliability, IncidentReport.credibility,
                                IncidentReport.revision, IncidentReport.reported_at)
                         .where(IncidentReport.incident_id == incident_id)).all()
    if not reports:
        return {}
    top = min(reports, key=lambda r: preference(r.reliability, r.credibility, r.revision, r.reported_at, r.id))
    lines = db.execute(select(WeaponCount.category, WeaponCount.launched, WeaponCount.launched_q)
                       .where(WeaponCount.report_id == top.id, WeaponCount.launched.is_not(None))).all()
    return launched_by_category([WeaponCounts.model_validate({"category": c, "launched": {
        "value": n, "qualifier": q or "exact"}}) for c, n, q in lines])


def _write(db: Session, plans: list[_Plan], *, source_id: str, rel_to: str, summary: ImportSummary,
           on_progress: Progress | None) -> None:
    db.flush()  # sources added by the caller must exist before reports point at them
    # Core INSERTs pass by the flush hook that sets `owner_nation` on ORM records (db/access): set it here, from the
    # writer's identity, never from input, so these rows rank as their nation's own (db/keys) like any other
    owner = {"owner_nation": identity_of(db).nation}
    fresh = [p for p in plans if p.incident_id is None]
    fresh_ids = {id(p) for p in fresh}
    keys = _unique_keys(db, [p.account for p in fresh], rel_to)
    if fresh:
        rows = [{**_incident_row(p.account, key, rel_to), **owner} for p, key in zip(fresh, keys, strict=True)]
        ids = db.execute(insert(Incident).returning(Incident.id, sort_by_parameter_order=True), rows).scalars().all()
        for plan, new_id in zip(fresh, ids, strict=True):
            plan.incident_id = new_id
        summary.incidents_created += len(fresh)
    summary.incident_keys += keys + _keys_of(db, [p.incident_id for p in plans if id(p) not in fresh_ids])
    _adopt_windows(db, [p for p in plans if id(p) not in fresh_ids], rel_to)
    if on_progress:
        on_progress("writing", 0, len(plans))
    report_rows = [{**_report_row(p, source_id, rel_to), **owner} for p in plans]
    if not report_rows:
        return
    report_ids = db.execute(insert(IncidentReport).returning(IncidentReport.id, sort_by_parameter_order=True),
                            report_rows).scalars().all()
    weapon_rows = [
        {"report_id": report_id, "position": i, "category": line.category, "model": _clip(line.model, 200),
         "external_ref": _clip(p.account.weapon_refs[i] if i < len(p.account.weapon_refs) else None, 400),
         "rel_to": rel_to, **owner, **count_columns(line)}
        for p, report_id in zip(plans, report_ids, strict=True) for i, line in enumerate(p.account.weapons)]
    if weapon_rows:
        db.execute(insert(WeaponCount), weapon_rows)
    region_rows = [{"incident_id": p.incident_id, "report_id": report_id, "code": code, "rel_to": rel_to, **owner}
                   for p, report_id in zip(plans, report_ids, strict=True) for code in p.account.region_codes()]
    if region_rows:
        db.execute(insert(IncidentRegion), region_rows)
    summary.reports_created += sum(1 for p in plans if p.revision == 1)
    summary.reports_revised += sum(1 for p in plans if p.revision > 1)
    summary.reports_attached += sum(1 for p in plans if p.attached)
    summary.weapon_lines += len(weapon_rows)
    if on_progress:
        on_progress("writing", len(plans), len(plans))


def _keys_of(db: Session, ids: list[int | None]) -> list[str]:
    wanted = sorted({i for i in ids if i is not None})
    found: list[str] = []
    for i in range(0, len(wanted), 500):
        found.extend(db.scalars(select(Incident.key).where(Incident.id.in_(wanted[i:i + 500]))))
    return found


def _unique_keys(db: Session, accounts: list[Account], rel_to: str) -> list[str]:
    """Return a key per new incident: the account's natural key, suffixed if already taken under this marking.

    Keys are unique per marking (docs/adr/0007), and the writer sees every record of the marking it writes,
    so a hidden incident never bends a key.
    """
    wanted = [a.key or f"{a.kind}:{a.start:%Y-%m-%d}:{a.digest()[:10]}" for a in accounts]
    taken: set[str] = set()
    for i in range(0, len(wanted), 500):
        taken.update(db.scalars(select(Incident.key).where(Incident.key.in_(wanted[i:i + 500]),
                                                           Incident.rel_to == rel_to)))
    out = []
    for key in wanted:
        candidate, n = key, 1
        while candidate in taken:
            n += 1
            candidate = f"{key}~{n}"
        taken.add(candidate)
        out.append(candidate)
    return out


def _clip(value: str | None, length: int) -> str | None:
    """Fit a descriptive text to its column, so SQLite and PostgreSQL store the same (PostgreSQL would refuse)."""
    return None if value is None else value[:length]


def _incident_row(a: Account, key: str, rel_to: str) -> dict[str, Any]:
    return {"key": key[:200], "kind": a.kind, "start": a.start, "end": a.end, "timed": a.timed,
            "region": _clip(a.region, 120), "latitude": a.latitude, "longitude": a.longitude,
            "attacker": _clip(a.attacker, 120), "defender": _clip(a.defender, 120), "description": a.description,
            "event_type": a.event_type, "rel_to": rel_to}


def _adopt_windows(db: Session, plans: list[_Plan], rel_to: str) -> None:
    """Give a dates-only incident the times (and region) of a timed report with the same marking."""
    ids = sorted({p.incident_id for p in plans if p.incident_id is not None and p.account.timed})
    if not ids:
        return
    current = {r.id: r for r in db.execute(select(Incident.id, Incident.timed, Incident.region, Incident.rel_to)
                                           .where(Incident.id.in_(ids)))}
    for plan in plans:
        row = current.get(plan.incident_id or -1)
        if (row is None or row.timed or row.rel_to != rel_to or not plan.account.timed
                or plan.account.window_basis == "night"):  # an implied night is no time anyone stated
            continue
        a = plan.account
        db.execute(update(Incident).where(Incident.id == row.id)
                   .values(start=a.start, end=a.end, timed=True, region=row.region or a.region))
        current.pop(row.id)


def _report_row(p: _Plan, source_id: str, rel_to: str) -> dict[str, Any]:
    a = p.account
    best, low, high = a.fatalities
    return {"incident_id": p.incident_id, "source_id": source_id, "revision": p.revision,
            "reported_at": a.reported_at, "reported_by": _clip(a.reported_by, 200), "window_start": a.start,
            "window_end": a.end, "timed": a.timed, "window_basis": a.window_basis,
            "external_ref": a.external_ref[:400], "digest": a.digest(),
            "raw_text": a.raw_text, "fatalities_best": best, "fatalities_low": low, "fatalities_high": high,
            "region_count": a.region_count.value if a.region_count else None,
            "region_count_q": a.region_count.qualifier if a.region_count else None,
            "standing": a.standing, "reliability": a.reliability, "credibility": a.credibility, "rel_to": rel_to}
