"""Read verifications (only those released to the session's viewer), and the standing and readiness a pledge takes
from them (docs/adr/0042).

A pledge's standing is its newest verification's finding (by date, then as recorded): every finding is decisive, so a
later "not verified" undoes an earlier "verified". Its readiness and notice to move are those of the newest
verification that confirmed them, with that verification's date as the day they were last confirmed. A reader who
sees none of a pledge's verifications reads it as "not verified"; what they cannot see never changes what they read.
A verification belongs to one pledge record (not its key), and counts in the view of its own nation and for every
reader when recorded by the pledging nation (`counts`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from reassure.core.labels import label
from reassure.db.access import identity_of
from reassure.db.keys import first_per_key
from reassure.db.paging import paged
from reassure.domains.pledges.models import Pledge
from reassure.domains.scenario_records.lookup import find_scenario
from reassure.domains.scenario_records.models import Scenario
from reassure.domains.verifications.models import Verification
from reassure.domains.verifications.schemas import PledgeStanding, VerificationRead

NONE_TEXT = "not verified (no verification on record)"


class Checks(NamedTuple):
    """A set of pledges' visible verifications, read once: per pledge key, those that count in this view (oldest
    first) and how many others do not (`counts`)."""

    counted: dict[str, list[Verification]]
    uncounted: dict[str, int]


def read_checks(pledges: Sequence[Pledge], *, db: Session) -> Checks:
    """Read the visible verifications of some pledges in one query: those recorded on each pledge record (never on
    another nation's record of the same key), split into those that count in this view and those that do not. The
    pledges are the reader's, one record per key."""
    by_id = {p.id: p for p in pledges}
    out = Checks({p.key: [] for p in pledges}, dict.fromkeys((p.key for p in pledges), 0))
    if not by_id:
        return out
    view = _view_nation(db)
    query = (select(Verification).where(Verification.pledge_id.in_(sorted(by_id)))
             .order_by(Verification.on_date, Verification.created_at, Verification.id))
    for v in db.scalars(query):
        pledge = by_id[v.pledge_id]
        if counts(v, pledge, view):
            out.counted[pledge.key].append(v)
        else:
            out.uncounted[pledge.key] += 1
    return out


def verifications_of(pledges: Sequence[Pledge], *, db: Session) -> dict[str, list[Verification]]:
    """Return, per pledge key, the verifications a pledge's standing may rest on, oldest first: the visible ones
    recorded on that pledge record by the nation whose view this is or by the pledging nation (`read_checks`)."""
    return read_checks(pledges, db=db).counted


def _view_nation(db: Session) -> str | None:
    identity = identity_of(db)
    return None if identity.public_only else identity.viewed_nation


def counts(v: Verification, pledge: Pledge, view: str | None) -> bool:
    """Whether a verification counts towards a pledge's standing in a nation's view (docs/adr/0042, addendum): one
    recorded by the pledging nation counts for every reader; one recorded by another nation counts in that nation's
    own view only, so no nation changes another's plans by recording a finding on its pledge."""
    return v.owner_nation in {pledge.nation_code, view}


def bearing(rows: Sequence[Verification]) -> list[Verification]:
    """Return the verifications (of one pledge, oldest first) its standing and readiness rest on: the newest one,
    and the newest that confirmed readiness or notice to move. Their markings count towards anything derived from
    the standing (a plan's problem, a brief)."""
    newest = list(rows[-1:])
    confirmed = [v for v in rows if v.readiness is not None or v.notice is not None][-1:]
    return list({id(v): v for v in [*newest, *confirmed]}.values())


def standing_markings(scenario: str, *, db: Session) -> list[str]:
    """Return the markings (as people read them) of the verifications the standings of a visible scenario's pledges
    rest on (`bearing` of `verifications_of`), for a brief that shows those standings."""
    found = find_scenario(scenario, db=db)
    pledges = list(db.scalars(select(Pledge).where(Pledge.scenario_id == found.id,
                                                   first_per_key(db, Pledge, "scenario_id", "key"))))
    checks = verifications_of(pledges, db=db)
    return sorted({str(v.releasability) for rows in checks.values() for v in bearing(rows)})


def grade_of(v: Verification) -> str:
    """Return a verification's Admiralty grade as text ("B2")."""
    return f"{v.reliability}{v.credibility}"


def standing_text(v: Verification | None, pledged: str | None = None) -> str:
    """Say a verification's finding for people: "verified 2026-11-02 (visit, B2)", "verified with shortfall
    2026-11-02: 2 of 4 units found (visit, B2)", "not verified 2026-11-02 (exercise, C3)"."""
    if v is None:
        return NONE_TEXT
    what = f"({label('verification', v.kind)}, {grade_of(v)})"
    if v.finding == "shortfall":
        of = f" of {pledged}" if pledged is not None else ""
        return f"{label('verification', v.finding)} {v.on_date.isoformat()}: {v.found}{of} units found {what}"
    return f"{label('verification', v.finding)} {v.on_date.isoformat()} {what}"


def standing_of(rows: Sequence[Verification], *, pledged: str | None = None,
                notice: int | None = None, uncounted: int = 0) -> PledgeStanding:
    """Return the standing and readiness a pledge takes from its verifications that count in this view (oldest
    first), `pledged` being its quantity as pledged ("2", "1-3~2"), `notice` its notice to move as pledged (periods)
    and `uncounted` how many visible verifications of other nations do not count in this view (said, never hidden)."""
    newest = rows[-1] if rows else None
    text = standing_text(newest, pledged)
    if newest is None and uncounted:
        text = (f"not verified in your view ({uncounted} verification{'s' if uncounted > 1 else ''} by another "
                "nation on record, counted in that nation's view only)")
    confirmed = next((v for v in reversed(rows) if v.readiness is not None or v.notice is not None), None)
    if confirmed is None:
        ready = (f"not confirmed (notice to move as pledged: {notice} periods)" if notice is not None
                 else "not confirmed")
    else:
        parts = ([label("verification", confirmed.readiness)] if confirmed.readiness else []) + (
            [f"{confirmed.notice} periods' notice to move"] if confirmed.notice is not None else [])
        how = f"({label('verification', confirmed.kind)}, {grade_of(confirmed)})"
        ready = f"{', '.join(parts)}, confirmed {confirmed.on_date.isoformat()} {how}"
    return PledgeStanding(
        finding=newest.finding if newest else None, on_date=newest.on_date if newest else None,
        kind=newest.kind if newest else None, grade=grade_of(newest) if newest else None,
        found=newest.found if newest else None, text=text,
        readiness=confirmed.readiness if confirmed else None, notice=confirmed.notice if confirmed else None,
        confirmed_on=confirmed.on_date if confirmed else None, readiness_text=ready,
        rests_on=sorted({v.rel_to for v in bearing(rows)}))


def verification_read(v: Verification, scenario: str) -> VerificationRead:
    """Return a stored verification as its reader sees it."""
    return VerificationRead(scenario=scenario, pledge=v.pledge_key, on_date=v.on_date, kind=v.kind,
                            finding=v.finding, found=v.found, readiness=v.readiness, notice=v.notice,
                            source=v.source, grade=grade_of(v), notes=v.notes, author=v.author,
                            nation=v.owner_nation, at=v.created_at, marking=str(v.releasability))


def _query(scenario: Scenario, pledge: str | None, finding: str | None) -> Select[Verification]:
    query = select(Verification).where(Verification.scenario_id == scenario.id)
    if pledge:
        query = query.where(Verification.pledge_key == pledge)
    if finding:
        query = query.where(Verification.finding == finding)
    # newest first; ties by the order recorded, then the unique id (db/paging)
    return query.order_by(Verification.on_date.desc(), Verification.created_at.desc(), Verification.id.desc())


def page_verifications(scenario: str, *, db: Session, pledge: str | None = None, finding: str | None = None,
                       limit: int = 100, offset: int = 0) -> tuple[list[VerificationRead], int]:
    """Return one page of a visible scenario's visible verifications, newest first (optionally of one pledge, or
    with one finding), and how many there are (NotFound for a scenario the reader cannot see)."""
    found = find_scenario(scenario, db=db)
    rows, total = paged(db, _query(found, pledge, finding), limit=limit, offset=offset)
    return [verification_read(r, scenario) for r in rows], total


def list_verifications(scenario: str, *, db: Session, pledge: str | None = None,
                       finding: str | None = None) -> list[VerificationRead]:
    """Return every visible verification of a visible scenario, newest first (filters as page_verifications)."""
    found = find_scenario(scenario, db=db)
    return [verification_read(v, scenario) for v in db.scalars(_query(found, pledge, finding))]
