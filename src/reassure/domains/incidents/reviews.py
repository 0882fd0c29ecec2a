"""Analysts' reviews of incidents (docs/adr/0037): a standing they judge an incident to have, with the reason, or a
comment; each an audited, marked record kept by the incident's key and shown on its page beside the standing its
sources' figures give (which it never replaces: that one is computed from what each reader sees).

`review_incident` is an audited action (re-exported by domains/incidents/actions.py); the incidents service reads
them (`get_incident`).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from reassure.core.errors import Denial, Forbidden, InputError, Problem
from reassure.core.identity import Role
from reassure.core.markings import Releasability
from reassure.db.access import identity_of
from reassure.domains.audit.actions import record
from reassure.domains.incidents.models import REVIEW_STANDINGS, Incident, IncidentReview
from reassure.domains.incidents.schemas import ReviewRead
from reassure.domains.incidents.service import IncidentNotFound, review_read

MAX_TEXT = 2000


def review_incident(key: str, *, db: Session, text: str, rel_to: str, standing: str | None = None) -> ReviewRead:
    """Store an analyst's review of the visible incident `key`: with `standing` (verified, unconfirmed or
    conflicting) the standing they judge it to have and `text` their reason; without, a comment. Marked `rel_to`,
    which must include the writer's nation and be no wider than a copy of the incident they see (a reader of the
    review can read the incident). Needs the analyst role; audited."""
    identity = identity_of(db)
    action = "incidents.review" if standing is not None else "incidents.comment"
    try:
        identity.require(Role.ANALYST, "review incidents")
    except Forbidden as error:
        error.denials = [Denial(action=action, entity="Incident", key=key[:200],
                                rel_to=Releasability.to(identity.nation).to_column(),
                                details={"reason": error.message})]
        raise
    problems: list[Problem] = []
    words = " ".join((text or "").split())
    if standing is not None and standing not in REVIEW_STANDINGS:
        problems.append(Problem("", "", "--standing", f"expected one of {', '.join(REVIEW_STANDINGS)}, got "
                                f"{standing[:40]!r}"))
    if not words:
        problems.append(Problem("", "", "--reason" if standing is not None else "TEXT",
                                "give the reason for the standing" if standing is not None else "the comment is empty"))
    elif len(words) > MAX_TEXT:
        problems.append(Problem("", "", "--reason" if standing is not None else "TEXT",
                                f"at most {MAX_TEXT} characters, got {len(words)}"))
    marking = Releasability.from_column(rel_to)
    if not identity.may_mark(marking):
        problems.append(Problem("", "", "--marking", f"{marking} is not released to your nation {identity.nation}: "
                                "you may only write records you could read"))
    copies = list(db.scalars(select(Incident).where(Incident.key == key)))
    if not copies:
        raise IncidentNotFound(f"no incident {key[:120]!r}")
    if not any(marking.within(c.releasability) for c in copies):
        widest = " or ".join(sorted({str(c.releasability) for c in copies}))
        problems.append(Problem("", "", "--marking", f"{marking} is wider than the incident ({widest}): some "
                                "readers of the review could not see the incident"))
    if problems:
        raise InputError(problems)
    # the standing it replaces: the newest one every reader of this review also sees
    previous = [r for r in db.scalars(select(IncidentReview).where(
        IncidentReview.incident_key == key, IncidentReview.standing.is_not(None)).order_by(
        IncidentReview.created_at, IncidentReview.id)) if marking.within(r.releasability)]
    review = IncidentReview(incident_key=key, standing=standing, text=words, author=identity.user,
                            created_at=datetime.now(UTC).replace(tzinfo=None), rel_to=marking.to_column())
    db.add(review)
    db.flush()
    record(db, action=action, entity="Incident", key=key[:200], rel_to=marking.to_column(),
           before={"standing": previous[-1].standing} if standing is not None and previous else None,
           after={"standing": standing, "text": words} if standing is not None else {"comment": words})
    return review_read(review)
