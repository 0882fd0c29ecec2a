"""Read scenarios and summarise a coalition's pledges (only what the viewer may see)."""

from __future__ import annotations

from collections import Counter, defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reassure.core.capabilities import Domain
from reassure.domains.pledges.models import Pledge
from reassure.domains.pledges.service import list_pledges
from reassure.domains.scenarios.lookup import find_scenario
from reassure.domains.scenarios.models import Scenario
from reassure.domains.scenarios.schemas import CoalitionSummary, DomainLine, NationLine, ScenarioRead
from reassure.domains.sources.models import Claim, Source
from reassure.domains.tasks.models import Task


def list_scenarios(*, db: Session) -> list[ScenarioRead]:
    """Return visible scenarios by name."""
    return [_read(s, db) for s in db.scalars(select(Scenario).order_by(Scenario.name, Scenario.id))]


def get_scenario(name: str, *, db: Session) -> ScenarioRead:
    """Return one scenario or raise ScenarioNotFound."""
    return _read(find_scenario(name, db=db), db)


def coalition_summary(name: str, *, db: Session) -> CoalitionSummary:
    """Summarise who pledged what by domain and nation, and the standing of pledges and claims."""
    header = get_scenario(name, db=db)
    pledges = list_pledges(db=db, scenario=name)
    domains = []
    for domain in Domain:
        rows = [p for p in pledges if p.domain == domain.value]
        domains.append(DomainLine(
            domain=domain.value, nations=len({p.nation for p in rows}), pledges=len(rows),
            units=sum(p.planned_units for p in rows),
            personnel=sum(p.planned_units * p.personnel_per_unit for p in rows),
            conditional_units=sum(p.planned_units for p in rows if p.conditions)))
    by_nation: dict[str, list] = defaultdict(list)
    for p in pledges:
        by_nation[p.nation].append(p)
    nations = [NationLine(
        nation=code, name=rows[0].nation_name,
        units_by_domain=dict(Counter({d.value: sum(p.planned_units for p in rows if p.domain == d.value)
                                      for d in Domain})),
        personnel=sum(p.planned_units * p.personnel_per_unit for p in rows),
        conditions=sorted({c for p in rows for c in p.conditions}),
        caveats=sorted({c for p in rows for c in p.caveats}),
        statuses=dict(Counter(p.status for p in rows))) for code, rows in sorted(by_nation.items())]
    claim_standing = dict(db.execute(select(Claim.standing, func.count()).group_by(Claim.standing)).all())
    return CoalitionSummary(
        scenario=header, pledge_standing=dict(Counter(p.standing for p in pledges)), domains=domains,
        nations=nations, claim_standing=claim_standing,
        sources=int(db.scalar(select(func.count(Source.id))) or 0))


def _read(s: Scenario, db: Session) -> ScenarioRead:
    pledges = db.scalar(select(func.count(Pledge.id)).where(Pledge.scenario_id == s.id)) or 0
    tasks = db.scalar(select(func.count(Task.id)).where(Task.scenario_id == s.id)) or 0
    return ScenarioRead(name=s.name, title=s.title, description=s.description, standing=s.standing,
                        horizon_start=s.horizon_start, period=s.period, periods=s.periods,
                        flags=dict(s.flags), pledges=int(pledges), tasks=int(tasks),
                        marking=str(s.releasability))
