"""The phases of a plan with their entry rules' states (docs/adr/0044): what the plan page and the brief show."""

from __future__ import annotations

from sqlalchemy.orm import Session

from reassure.domains.evaluations.service import list_evaluations
from reassure.domains.plans.schemas import PhaseSpan, PlanPicture

NOT_EVALUATED = "not evaluated"


def with_rule_states(phases: list[PhaseSpan], *, db: Session) -> list[PhaseSpan]:
    """Return the phases with each entry rule's name and its newest stored evaluation the reader may see ("met as of
    1 Dec 2026"), or "not evaluated" when there is none (never shown as met)."""
    if not any(p.rule for p in phases):
        return phases
    from reassure.rules.load import load_bundled_rules  # deferred: the rules pull in polars

    names = {r.id: r.name for r in load_bundled_rules()}
    out = []
    for phase in phases:
        if phase.rule is None:
            out.append(phase)
            continue
        found = list_evaluations(db=db, rule_id=phase.rule, limit=1)
        state, name, marking = NOT_EVALUATED, names.get(phase.rule, ""), ""
        if found:
            newest = found[0]
            state = f"{newest.state.replace('_', ' ')} as of {newest.as_of:%-d %b %Y}"
            name, marking = newest.rule_name or name, newest.marking
        out.append(phase.model_copy(update={"rule_name": name or "a rule not on record", "rule_state": state,
                                            "rule_marking": marking}))
    return out


def picture_with_rule_states(picture: PlanPicture, *, db: Session) -> PlanPicture:
    """Return a plan's picture with its phases' entry rules and their states (with_rule_states)."""
    if not picture.phases:
        return picture
    return picture.model_copy(update={"phases": with_rule_states(picture.phases, db=db)})
