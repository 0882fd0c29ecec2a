"""Verification actions (docs/adr/0042): an analyst records a dated verification of a visible pledge.

The verification is marked as the writer chooses, narrowed to the pledge's marking (the most restrictive of the two:
a reader of the verification can read the pledge it rests on); the choice must include the writer's nation (nobody
writes what they could not read back). Every problem with the input is raised at once (InputError naming each
field); nothing is written then. Audited.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from reassure.core.errors import Denial, Forbidden, InputError, Problem
from reassure.core.grading import GradeError, parse_grade
from reassure.core.identity import Role
from reassure.core.labels import capability_label, label
from reassure.core.markings import MarkingError, Releasability, most_restrictive, parse_marking
from reassure.db.access import identity_of
from reassure.domains.audit.actions import record
from reassure.domains.followups.actions import open_followup
from reassure.domains.pledges.service import find_pledge
from reassure.domains.verifications.models import FINDINGS, KINDS, READINESS, Verification
from reassure.domains.verifications.schemas import VerificationRead
from reassure.domains.verifications.service import verification_read

MAX_NOTES = 2000
MAX_SOURCE = 200
MAX_UNITS = 100_000
FAILED = ("shortfall", "not_verified")  # findings that open a follow-up on the pledge
FOLLOWUP_DAYS = 14  # its due date, after the verification's


def add_verification(scenario: str, pledge: str, *, db: Session, on_date: date, kind: str, finding: str,
                     source: str, grade: str, found: int | None = None, readiness: str | None = None,
                     notice: int | None = None, notes: str = "", marking: str | None = None) -> VerificationRead:
    """Record a verification of the visible pledge `pledge` of scenario `scenario`: what was checked (`kind`: visit,
    readiness_report, exercise), when, by which source and grade, the finding (verified, shortfall with the units
    `found`, not_verified) and, when it confirmed them, the readiness level and notice to move (periods). Marked
    the most restrictive of `marking` (default: the pledge's) and the pledge's. Needs the analyst role; audited."""
    identity = identity_of(db)
    entity_key = f"{scenario}/{pledge}"[:200]
    try:
        identity.require(Role.ANALYST, "verify pledges")
    except Forbidden as error:
        error.denials = [Denial(action="verification.create", entity="Pledge", key=entity_key,
                                rel_to=Releasability.to(identity.nation).to_column(),
                                details={"reason": error.message})]
        raise
    found_pledge = find_pledge(scenario, pledge, db=db)  # hidden and absent alike: NotFound
    problems: list[Problem] = []
    if kind not in KINDS:
        problems.append(Problem("", "", "--kind", f"expected one of {', '.join(KINDS)}, got {kind[:40]!r}"))
    if finding not in FINDINGS:
        problems.append(Problem("", "", "--finding", f"expected one of {', '.join(FINDINGS)}, got {finding[:40]!r}"))
    if finding == "shortfall":
        if found is None:
            problems.append(Problem("", "", "--found", "a shortfall needs the number of units found ready"))
    elif found is not None:
        problems.append(Problem("", "", "--found", "units found are given only with a shortfall finding"))
    if found is not None and not 0 <= found <= MAX_UNITS:
        problems.append(Problem("", "", "--found", f"expected 0 to {MAX_UNITS} units, got {found}"))
    if readiness is not None and readiness not in READINESS:
        problems.append(Problem("", "", "--readiness", f"expected one of {', '.join(READINESS)}, got "
                                f"{readiness[:40]!r}"))
    if notice is not None and not 0 <= notice <= 1000:
        problems.append(Problem("", "", "--notice", f"expected 0 to 1000 periods, got {notice}"))
    words = " ".join((source or "").split())
    if not words:
        problems.append(Problem("", "", "--source", "name the source of the verification (who reported it)"))
    elif len(words) > MAX_SOURCE:
        problems.append(Problem("", "", "--source", f"at most {MAX_SOURCE} characters, got {len(words)}"))
    text = (notes or "").strip()
    if len(text) > MAX_NOTES:
        problems.append(Problem("", "", "--notes", f"at most {MAX_NOTES} characters, got {len(text)}"))
    try:
        graded = parse_grade(grade)
    except GradeError as error:
        problems.append(Problem("", "", "--grade", str(error)))
        graded = None
    pledge_marking = found_pledge.releasability
    try:
        chosen = parse_marking(marking) if marking is not None else pledge_marking
    except MarkingError as error:
        problems.append(Problem("", "", "--marking", str(error)))
        chosen = None
    if chosen is not None and not identity.may_mark(chosen):
        problems.append(Problem("", "", "--marking", f"{chosen} is not released to your nation {identity.nation}: "
                                "you may only write records you could read"))
    if problems or graded is None or chosen is None:
        raise InputError(problems)
    rel_to = most_restrictive(chosen, pledge_marking).to_column()
    row = Verification(scenario_id=found_pledge.scenario_id, pledge_id=found_pledge.id, pledge_key=found_pledge.key,
                       on_date=on_date, kind=kind, finding=finding, found=found, readiness=readiness, notice=notice,
                       source=words, reliability=graded.reliability, credibility=graded.credibility, notes=text,
                       author=identity.user, created_at=datetime.now(UTC).replace(tzinfo=None), rel_to=rel_to)
    db.add(row)
    db.flush()
    record(db, action="verification.create", entity="Pledge", key=entity_key, rel_to=rel_to,
           after={"on": on_date, "kind": kind, "finding": finding, "found": found, "readiness": readiness,
                  "notice": notice, "source": words, "grade": str(graded), "notes": text})
    if finding in FAILED:  # a task for the writer's nation, marked like the verification (docs/adr/0047)
        what = f"shortfall, {found} unit(s) found ready" if finding == "shortfall" else "not verified"
        open_followup(db=db, title=f"Pledge {found_pledge.key} ({found_pledge.nation_code} "
                      f"{capability_label(found_pledge.capability, 2)}): {what} on {on_date} "
                      f"({label('verification', kind)})", follows_kind="verification",
                      follows_key=entity_key, due_on=on_date + timedelta(days=FOLLOWUP_DAYS), rests_on=rel_to)
    return verification_read(row, scenario)
