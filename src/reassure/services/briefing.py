"""What a brief (printed or on screen) rests on, gathered once: the reported facts, the scenario's pledged force,
the planning picture and the security picture, with the viewer and the most restrictive marking of them all.

The CLI demo renders it now; the printed brief and the dashboard render the same object.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from reassure.core.markings import most_restrictive, parse_marking
from reassure.db.access import identity_of
from reassure.domains.scenarios.schemas import CoalitionSummary
from reassure.domains.scenarios.service import coalition_summary
from reassure.domains.sources.schemas import ClaimRead
from reassure.domains.sources.service import list_claims

if TYPE_CHECKING:  # only annotations here: the CLI starts without the solver and polars
    from reassure.services.planning import PlanPicture
    from reassure.services.situation import SituationPicture

STANDING_ORDER = {"verified": 0, "unconfirmed": 1, "assumption": 2}
SUMMIT_CLAIMS = "paris-2025-09-04"  # the key prefix of the seed articles' claims
POSITION_CLAIMS = "position."  # the key prefix of the reported national positions


@dataclass(frozen=True)
class FactsPicture:
    """Reported facts: an event's claims (verified, then unconfirmed, then assumptions) and each nation's reported
    positions, newest first. Every claim carries its sources and grade."""

    event: tuple[ClaimRead, ...]
    positions: dict[str, tuple[ClaimRead, ...]] = field(default_factory=dict)  # nation (or "ALL") → claims

    @property
    def markings(self) -> list[str]:
        """Return the markings of every claim shown."""
        return [c.marking for c in self.event] + [c.marking for cs in self.positions.values() for c in cs]


@dataclass(frozen=True)
class BriefContext:
    """Everything a brief shows, for one viewer; `marking` is the most restrictive marking of every part."""

    viewer: str
    reads_as: str
    generated_at: datetime
    facts: FactsPicture
    scenario: CoalitionSummary
    plan: PlanPicture | None
    situation: SituationPicture | None
    marking: str


def facts_picture(*, db: Session, event_prefix: str = SUMMIT_CLAIMS,
                  position_prefix: str = POSITION_CLAIMS) -> FactsPicture:
    """Return the claims of an event (by key prefix) and the reported national positions the viewer sees."""
    claims = list_claims(db=db)
    event = sorted((c for c in claims if c.key.startswith(event_prefix)),
                   key=lambda c: (STANDING_ORDER.get(c.standing, 9), c.key))
    by_nation: dict[str, list[ClaimRead]] = defaultdict(list)
    for c in claims:
        if c.key.startswith(position_prefix):
            by_nation[c.nation or "ALL"].append(c)
    positions = {n: tuple(sorted(cs, key=lambda c: (str(c.reported_on), c.key), reverse=True))
                 for n, cs in sorted(by_nation.items())}
    return FactsPicture(event=tuple(event), positions=positions)


def brief_context(scenario: str, *, db: Session, plan: PlanPicture | None = None,
                  situation: SituationPicture | None = None, facts: FactsPicture | None = None,
                  now: datetime | None = None) -> BriefContext:
    """Gather a brief's parts for the session's viewer (a plan or situation picture already computed may be
    passed in, since solving takes seconds); the brief's marking is the narrowest of its parts' markings."""
    identity = identity_of(db)
    facts = facts if facts is not None else facts_picture(db=db)
    summary = coalition_summary(scenario, db=db)
    markings = [*facts.markings, summary.scenario.marking]
    if plan is not None:
        markings.append(plan.marking)
    if situation is not None:
        markings.append(situation.marking)
    marking = most_restrictive(*(parse_marking(m) for m in markings))
    return BriefContext(viewer=str(identity), reads_as=identity.reads_as, generated_at=now or datetime.now(UTC),
                        facts=facts, scenario=summary, plan=plan, situation=situation, marking=str(marking))
