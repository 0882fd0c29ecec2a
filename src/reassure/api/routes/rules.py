"""Exit conditions, political triggers and alerts: their states now, stored evaluations, backtests."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel

from reassure.api.deps import CallerDep
from reassure.api.pages import Limit, Offset, Page, page
from reassure.core.days import Day
from reassure.core.errors import NotFound
from reassure.domains.evaluations.actions import store_evaluations
from reassure.domains.evaluations.schemas import EvaluationRead
from reassure.domains.evaluations.service import page_evaluations
from reassure.rules.model import Rule
from reassure.rules.results import Timeline
from reassure.services.situation import RuleState, backtest_rule, rule_states

router = APIRouter(tags=["rules"])
RuleId = Annotated[str, Path(min_length=1, max_length=80)]
ScenarioName = Annotated[str | None, Query(max_length=80, description="the scenario whose ceasefire date starts the "
                                           "count of violations (default: your nation's default scenario)")]


class RuleRead(BaseModel):
    """A rule as loaded (the bundled rules are illustrative planning assumptions, not agreed coalition policy)."""

    bundled: bool
    rule: Rule


def _bundled() -> list[Rule]:
    from reassure.rules import load_bundled_rules

    return load_bundled_rules()


def _rule(rule_id: str) -> Rule:
    found = next((r for r in _bundled() if r.id == rule_id), None)
    if found is None:
        raise NotFound(f"no rule {rule_id!r}")
    return found


@router.get("/rules", response_model=list[RuleRead])
def rules(caller: CallerDep) -> list[RuleRead]:
    """The bundled rules (definitions only; their states over your incidents: /rules/states). Like every route but
    the health check and the spec, it needs a caller."""
    return [RuleRead(bundled=True, rule=r) for r in _bundled()]


@router.get("/rules/states", response_model=list[RuleState])
def states(caller: CallerDep, at: Day | None = None, scenario: ScenarioName = None) -> list[RuleState]:
    """Every bundled rule's state over the incidents you see (`state`: met, not_met or unknown, when a condition
    rests on periods no source covers), with conditions, values, evidence and the days each source covers
    (violations count from the scenario's ceasefire date; without one a condition over violations is unknown)."""
    return caller.read(lambda db: rule_states(_bundled(), db=db, at=at, bundled=True, scenario=scenario))


@router.get("/rules/{rule_id}/backtest", response_model=Timeline)
def backtest(caller: CallerDep, rule_id: RuleId, since: Day | None = None, until: Day | None = None,
             scenario: ScenarioName = None) -> Timeline:
    """Replay a rule over your incidents: when it fired and was released."""
    rule = _rule(rule_id)
    timeline = caller.read(lambda db: backtest_rule(rule, db=db, start=since, end=until, scenario=scenario))
    if timeline is None:
        raise NotFound("no incidents visible to you: nothing to replay")
    return timeline


@router.get("/evaluations", response_model=Page[EvaluationRead])
def evaluations(caller: CallerDep, rule_id: Annotated[str | None, Query(max_length=80)] = None,
                limit: Limit = 50, offset: Offset = 0) -> Page[EvaluationRead]:
    """Stored evaluations, newest first (a rule's history with `rule_id`)."""
    return page(*caller.read(lambda db: page_evaluations(db=db, rule_id=rule_id, limit=limit, offset=offset)),
                limit, offset)


@router.post("/evaluations", response_model=list[EvaluationRead], status_code=201)
def store(caller: CallerDep, at: Day | None = None, scenario: ScenarioName = None) -> list[EvaluationRead]:
    """Evaluate the bundled rules now and keep the results (analysts); audited, marked like their incidents."""
    return caller.write(lambda db: store_evaluations(
        [s.evaluation for s in rule_states(_bundled(), db=db, at=at, bundled=True, scenario=scenario)], db=db))
