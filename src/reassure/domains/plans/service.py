"""Read stored plans (only those released to the viewer): list, show, diff, and re-check against their problem."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, defer

from reassure.core.errors import NotFound
from reassure.core.labels import capability_label
from reassure.core.nations import nation_label
from reassure.core.public_ids import is_public_id, shown_id
from reassure.db.access import identity_of
from reassure.db.paging import paged
from reassure.domains.plans.models import StoredPlan
from reassure.domains.plans.schemas import (
    AskRow,
    AsksPicture,
    CoverageCell,
    PhaseSpan,
    PlanDetail,
    PlanDiff,
    PlanPicture,
    PlanRead,
    TourRead,
)
from reassure.planner.analysis.ask_text import ask_lines
from reassure.planner.analysis.robustness import assumed_sizes, in_words, robustness
from reassure.planner.analysis.sustainability import burden_shares
from reassure.planner.hard_rules.validate import ValidationReport, validate
from reassure.planner.instance import Plan, Problem
from reassure.planner.period_labels import period_label, period_start, span_label

ROBUSTNESS_SAMPLES = 2000  # enough for percentiles to a few tenths of a point; fast enough for a page


def get_stored(plan_id: object, *, db: Session) -> StoredPlan:
    """Return a visible stored plan by its public id, or raise NotFound: hidden, absent, an old number and any other
    text alike."""
    found = db.scalar(select(StoredPlan).where(StoredPlan.public_id == plan_id)) if is_public_id(plan_id, "plan") \
        else None
    if found is None:
        raise NotFound(f"no plan {shown_id(plan_id)}")
    return found


def public_ids_of(keys: Iterable[int | None], *, db: Session) -> dict[int, str]:
    """Return the public ids of the visible stored plans among these internal keys (a hidden one is left out)."""
    wanted = sorted({k for k in keys if k is not None})
    if not wanted:
        return {}
    return {key: public for key, public in
            db.execute(select(StoredPlan.id, StoredPlan.public_id).where(StoredPlan.id.in_(wanted)))}


def read(p: StoredPlan, bases: dict[int, str] | None = None) -> PlanRead:
    """Return a stored plan's listing; `bases` maps base keys to public ids (looked up when absent). A base hidden
    from the viewer shows as none (a what-if is never wider than its base, so this does not happen in practice)."""
    if bases is None:
        session = Session.object_session(p)
        bases = public_ids_of([p.base_id], db=session) if session is not None and p.base_id is not None else {}
    return PlanRead(id=p.public_id, scenario=p.scenario, label=p.label,
                    base=bases.get(p.base_id) if p.base_id is not None else None,
                    method=str(p.settings.get("method", "cp-sat")), status=p.status, coverage=p.coverage,
                    bound=p.bound, tours=p.tours, gaps=p.gaps, author=p.author, created_at=p.created_at,
                    marking=str(p.releasability))


def _listing(scenario: str | None) -> Select[StoredPlan]:
    # A listing needs neither the problem nor the plan (hundreds of kilobytes of JSON each): not loaded.
    query = select(StoredPlan).options(defer(StoredPlan.problem), defer(StoredPlan.plan)).order_by(StoredPlan.id.desc())
    return query.where(StoredPlan.scenario == scenario) if scenario else query


def _reads(found: list[StoredPlan], *, db: Session) -> list[PlanRead]:
    bases = public_ids_of([p.base_id for p in found], db=db)
    return [read(p, bases) for p in found]


def list_plans(*, db: Session, scenario: str | None = None) -> list[PlanRead]:
    """Return visible stored plans, newest first (by creation: the internal key, which nobody sees)."""
    return _reads(list(db.scalars(_listing(scenario))), db=db)


def page_plans(*, db: Session, scenario: str | None = None, limit: int = 50,
               offset: int = 0) -> tuple[list[PlanRead], int]:
    """Return one page of visible stored plans, newest first, and how many there are."""
    found, total = paged(db, _listing(scenario), limit=limit, offset=offset)
    return _reads(found, db=db), total


def default_plan(scenario: str, *, db: Session) -> str | None:
    """Return the public id of the plan a page or brief opens on for a scenario: the newest stored plan of it that
    is not a what-if nor a sweep's run and that the reader's own nation made; None when there is none (another
    nation's plan, however new, is listed but never anyone's default)."""
    nation = identity_of(db).viewed_nation
    query = (select(StoredPlan.public_id).where(StoredPlan.scenario == scenario, StoredPlan.base_id.is_(None),
                                                StoredPlan.sweep_id.is_(None), StoredPlan.author_nation == nation)
             .order_by(StoredPlan.id.desc()).limit(1))
    return db.scalar(query)


def plans_made_via(scenario: str, via: str, *, db: Session) -> list[str]:
    """Return the public ids of the visible stored plans of a scenario that the reader's own nation made through
    `via` (the `via` of their settings, e.g. "demo"), what-ifs before their bases (the order to delete them in)."""
    nation = identity_of(db).viewed_nation
    query = (select(StoredPlan).options(defer(StoredPlan.problem), defer(StoredPlan.plan))
             .where(StoredPlan.scenario == scenario, StoredPlan.author_nation == nation)
             .order_by(StoredPlan.id.desc()))
    found = [p for p in db.scalars(query) if p.settings.get("via") == via]
    return [p.public_id for p in sorted(found, key=lambda p: (p.base_id is None, -p.id))]


WHATIFS_SEARCHED = 50  # the newest what-ifs of a plan searched for one that changes a flag alone


def whatif_of(plan_id: str, *, db: Session, flag: str | None = None, value: bool = False) -> str | None:
    """Return the public id of the newest what-if the reader's nation made on a stored plan, if any; with `flag`, the
    newest whose one change sets that flag to `value` (e.g. the no-backstop re-plan), so a later what-if of another
    kind (a nation withdrawing) is never taken for it, nor one that changes the flag and something else (a what-if
    stored without its list of changes is judged by its flags alone)."""
    base = get_stored(plan_id, db=db)
    query = (select(StoredPlan).where(StoredPlan.base_id == base.id,
                                      StoredPlan.author_nation == identity_of(db).viewed_nation)
             .order_by(StoredPlan.id.desc()))
    if flag is None:
        found = db.scalars(query.limit(1)).first()
        return found.public_id if found is not None else None
    for candidate in db.scalars(query.limit(WHATIFS_SEARCHED)):
        changes = (candidate.settings or {}).get("changes")  # None: stored without its changes (its flags tell)
        if (changes is None or len(changes) == 1) and (candidate.problem.get("flags") or {}).get(flag) is value:
            return candidate.public_id
    return None


def _verified_only(change: object) -> int | None:
    """The period a stored what-if change counts only verified pledges from ("verified_only" as the CLI stores it,
    {"kind": "verified_only", "period": n} as a job does), else None."""
    if change == "verified_only":
        return 0
    if isinstance(change, dict) and change.get("kind") == "verified_only":
        return int(change.get("period") or 0)
    return None


def verified_whatif_of(plan_id: str, *, db: Session) -> tuple[str, int] | None:
    """Return the public id of the newest what-if the reader's nation made on a stored plan whose one change counts
    only verified pledges (docs/adr/0042, 0047), with the period it counts them from; None when there is none."""
    base = get_stored(plan_id, db=db)
    query = (select(StoredPlan).options(defer(StoredPlan.problem), defer(StoredPlan.plan))
             .where(StoredPlan.base_id == base.id, StoredPlan.author_nation == identity_of(db).viewed_nation)
             .order_by(StoredPlan.id.desc()).limit(WHATIFS_SEARCHED))
    for candidate in db.scalars(query):
        changes = (candidate.settings or {}).get("changes")
        if isinstance(changes, list) and len(changes) == 1 and (period := _verified_only(changes[0])) is not None:
            return candidate.public_id, period
    return None


def get_plan(plan_id: object, *, db: Session) -> PlanDetail:
    """Return one visible stored plan whole."""
    p = get_stored(plan_id, db=db)
    return PlanDetail(**read(p).model_dump(), settings=dict(p.settings), problem=dict(p.problem), plan=dict(p.plan))


def revalidate(plan_id: object, *, db: Session) -> ValidationReport:
    """Check a stored plan against every hard rule of its stored problem, without the solver."""
    p = get_stored(plan_id, db=db)
    return validate(Problem.model_validate(p.problem), Plan.model_validate(p.plan))


def _short(plan: Plan) -> dict[str, int]:
    short: Counter[str] = Counter()
    for gap in plan.gaps:
        short[gap.task] += gap.missing * len(gap.periods)
    return dict(sorted(short.items()))


def _tours(plan: Plan) -> set[str]:
    return {f"{t.unit} on {t.task} {t.start}-{t.end}" for t in plan.tours}


def diff_plans(a: object, b: object, *, db: Session) -> PlanDiff:
    """Compare two visible stored plans (by public id) tour by tour and gap by gap (unit-periods short per task)."""
    stored_a, stored_b = get_stored(a, db=db), get_stored(b, db=db)
    pa, pb = Plan.model_validate(stored_a.plan), Plan.model_validate(stored_b.plan)
    ta, tb = _tours(pa), _tours(pb)
    units_a, units_b = {t.unit for t in pa.tours}, {t.unit for t in pb.tours}
    changed = sorted(u for u in units_a & units_b
                     if {x for x in ta if x.startswith(f"{u} on ")} != {x for x in tb if x.startswith(f"{u} on ")})
    return PlanDiff(a=stored_a.public_id, b=stored_b.public_id, coverage_a=pa.coverage, coverage_b=pb.coverage,
                    tours_kept=len(ta & tb), tours_changed=changed, tours_added=sorted(tb - ta),
                    tours_removed=sorted(ta - tb), short_by_task_a=_short(pa), short_by_task_b=_short(pb))


def plan_tours(plan_id: object, *, db: Session, nation: str | None = None) -> list[TourRead]:
    """Return a visible stored plan's tours with real dates (one nation's with `nation`), by start, unit, task."""
    stored = get_stored(plan_id, db=db)
    problem, plan = Problem.model_validate(stored.problem), Plan.model_validate(stored.plan)
    units = {u.id: u for u in problem.units}
    tasks = {t.id: t for t in problem.tasks}
    marking = str(stored.releasability)
    out = []
    for t in sorted(plan.tours, key=lambda t: (t.start, t.unit, t.task)):
        unit, task = units.get(t.unit), tasks.get(t.task)
        if unit is None or task is None or (nation and unit.nation != nation.upper()):
            continue
        out.append(TourRead(plan=stored.public_id, unit=t.unit, nation=unit.nation, capability=unit.capability,
                            task=t.task, location=str(task.location),
                            start=period_start(problem.horizon, t.start),
                            end=period_start(problem.horizon, t.end + 1) - timedelta(days=1),
                            first_period=t.start, last_period=t.end, personnel=unit.personnel, marking=marking))
    return out


def arrangement(problem: Problem, task_id: str) -> str:
    """Say in words what a task's arrangement asks of a plan (lead nation, component, command), or "" if nothing.

    These are the planner rules from the seeds' open questions (docs/adr/0022); a gap on such a task may be due to
    them, and its reason names the rule.
    """
    task = next((t for t in problem.tasks if t.id == task_id), None)
    if task is None:
        return ""
    parts = []
    if task.lead:
        parts.append(f"led by {nation_label(task.lead)}, which must have a unit on it whenever it is manned")
    if task.component == "bilateral":
        parts.append("a bilateral component served only by " + ", ".join(nation_label(n) for n in task.partners or []))
    if task.min_nations:
        parts.append(f"multinational: units of at least {task.min_nations} nations at once")
    if task.max_share:
        parts.append(f"no nation above {task.max_share:.0%} of its units")
    below = [t.id for t in problem.tasks if t.parent == task.id]
    if below:
        parts.append("a headquarters manned only while a component under it is manned (" + ", ".join(below) + ")")
    if task.parent:
        parts.append(f"commanded by headquarters {task.parent}")
    return "; ".join(parts)


def plan_picture(plan_id: object, *, db: Session, samples: int = ROBUSTNESS_SAMPLES) -> PlanPicture:
    """Return the plan page's picture of a visible stored plan, with its robustness over `samples` draws (seed 1;
    none when 0) and the pledge sizes it assumes (docs/adr/0023)."""
    stored = get_stored(plan_id, db=db)
    problem, plan = Problem.model_validate(stored.problem), Plan.model_validate(stored.plan)
    horizon = problem.horizon
    cells = []
    for task in problem.tasks:
        demand = task.demand if isinstance(task.demand, list) else [task.demand] * horizon.periods
        there = [0] * horizon.periods
        for t in plan.tours:
            if t.task == task.id:
                for period in range(t.start, min(t.end, horizon.periods - 1) + 1):
                    there[period] += 1
        cells += [CoverageCell(task=task.id, period=i, period_start=period_start(horizon, i), demand=d,
                               covered=min(d, there[i])) for i, d in enumerate(demand) if d > 0]
    arrangements = {t.id: arrangement(problem, t.id) for t in problem.tasks}
    gaps = [{"task": g.task, "periods": g.periods, "missing": g.missing, "reason": g.reason,
             "arrangement": arrangements.get(g.task, ""),
             "from": period_start(horizon, g.periods[0]).isoformat(),
             "to": (period_start(horizon, g.periods[-1] + 1) - timedelta(days=1)).isoformat()} for g in plan.gaps]
    burden = sorted((b.model_dump() for b in burden_shares(problem, plan.tours)), key=lambda b: -b["share"])
    report = robustness(problem, plan.tours, samples=samples, seed=1, top=5) if samples else None
    return PlanPicture(plan=read(stored), tours=plan_tours(plan_id, db=db), coverage=cells, gaps=gaps, burden=burden,
                       flags=dict(problem.flags), assumptions=assumed_sizes(problem), robustness=report,
                       robustness_words=in_words(report) if report is not None else [],
                       asks=asks_picture(problem, plan), phases=phase_spans(problem))


def phase_spans(problem: Problem) -> list[PhaseSpan]:
    """Return the phases a problem carries (docs/adr/0044) with their dates; rule states are added by a service."""
    horizon = problem.horizon
    return [PhaseSpan(key=p.key, name=p.name, start=period_start(horizon, p.start),
                      end=period_start(horizon, p.end + 1) - timedelta(days=1),
                      span=span_label(horizon, p.start, p.end), entry=p.entry, rule=p.rule,
                      handover=list(p.handover)) for p in problem.phases]


def asks_picture(problem: Problem, plan: Plan) -> AsksPicture | None:
    """Return the force-generation asks a plan carries as people read them (None when it carries none)."""
    asks = plan.asks
    if asks is None:
        return None
    horizon = problem.horizon
    rows = [AskRow(capability=capability_label(a.capability), nation=nation_label(a.nation), count=a.count,
                   start=a.start, start_date=period_start(horizon, a.start), start_label=period_label(horizon, a.start),
                   personnel=a.personnel, fair_share=a.fair_share,
                   pledged_share=a.pledged_share,
                   fair="no fair share set" if a.fair_share is None else
                   "above its fair share" if a.above_fair_share else "within its fair share",
                   closes=[f"{s.task} {span_label(horizon, s.periods[0], s.periods[-1])}" for s in a.closes],
                   close_tasks=list(dict.fromkeys(s.task for s in a.closes)),
                   adds=a.adds, template=a.template) for a in asks.asks]
    return AsksPicture(target=asks.target, base_coverage=asks.base_coverage, coverage=asks.coverage, bound=asks.bound,
                       reached=asks.reached, short_by=asks.short_by, units=asks.units_asked,
                       fair_shares=asks.fair_shares, note=asks.note, seconds=asks.seconds,
                       lines=ask_lines(asks, horizon), rows=rows)


def plan_asks(plan_id: object, *, db: Session) -> AsksPicture | None:
    """Return the asks stored with a visible plan, as people read them (None when it has none)."""
    stored = get_stored(plan_id, db=db)
    return asks_picture(Problem.model_validate(stored.problem), Plan.model_validate(stored.plan))
