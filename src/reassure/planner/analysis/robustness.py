"""Monte Carlo robustness of a fixed plan (docs/adr/0023): what the plan as drawn keeps when pledges fall short.

Each sample draws, independently:
- each pledge's size across its range (`problem.pledges[]`: a range or an undisclosed size's prior; the best estimate
  or prior value most likely): units above the drawn size are absent;
- each unit's failure to materialise (`units[].probability`);
- each nation's government withdrawing all its units at once (`nations[].probability`);
- each legal instrument still under negotiation not coming into force (`legal[].probability` where given): the tours
  that need it cannot start.
Coverage is recomputed for the plan with the lost tours removed (no re-solve per sample), vectorised over samples
with numpy; the same seed gives the same figures. Units a range or prior may add above the planned size are not in
the plan, so the distribution is what the plan as drawn keeps, not what a re-plan could gain.

Beside the distribution, the nations and pledges whose loss (or shortfall to the low end of their range) hurts most
are ranked by the coverage they take with them, everything else as planned.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel, ConfigDict

from reassure.core.capabilities import CAPABILITIES
from reassure.core.nations import nation_label
from reassure.planner.index import Instance
from reassure.planner.instance import PledgeEstimate, Problem, Tour
from reassure.planner.solver.runtime import CancelToken

BATCH = 2000  # samples per matrix product: bounds memory at BATCH × cells
PERCENTILES = (5, 10, 25, 50, 75, 90, 95)


class Bin(BaseModel):
    """One histogram bin of sampled coverage."""

    model_config = ConfigDict(extra="forbid")

    low: float
    high: float
    count: int


class UnitImpact(BaseModel):
    """How much coverage depends on one unit of the plan."""

    model_config = ConfigDict(extra="forbid")

    unit: str
    probability: float
    drop_if_lost: float  # expected coverage lost if this unit fails (others random)
    expected_loss: float  # (1 - probability) × drop_if_lost


class NationImpact(BaseModel):
    """The coverage a nation takes with it if its government withdraws every unit (everything else as planned)."""

    model_config = ConfigDict(extra="forbid")

    nation: str
    name: str
    probability: float  # the chance it keeps its units (1 when the problem states none)
    drop_if_lost: float
    expected_loss: float  # (1 - probability) × drop_if_lost


class PledgeImpact(BaseModel):
    """The coverage a pledge takes with it if it is lost, and if it delivers only the low end of its range."""

    model_config = ConfigDict(extra="forbid")

    pledge: str
    label: str  # for people: nation and capability
    basis: str  # stated | at_least | range | prior
    planned: int
    low: int
    high: int
    drop_if_lost: float
    drop_at_low: float  # 0 when the pledge's size is stated
    note: str


class RobustnessReport(BaseModel):
    """Distribution of a plan's coverage under pledge uncertainty, and the units, nations and pledges that matter most.
    """

    model_config = ConfigDict(extra="forbid")

    samples: int
    seed: int
    plan_coverage: float
    mean: float
    p5: float
    p50: float
    minimum: float
    maximum: float
    histogram: list[Bin]
    critical: list[UnitImpact]
    p10: float
    p25: float
    p75: float
    p90: float
    p95: float
    nations: list[NationImpact]  # most coverage lost first
    pledges: list[PledgeImpact]  # most coverage lost (or short) first
    assumptions: list[str]  # what was sampled, in words: planning assumptions
    sampled_legal: list[str]  # instruments under negotiation sampled, in words


def _label(nation: str, capability: str) -> str:
    return f"{nation_label(nation)}: {CAPABILITIES.get(capability, (None, capability))[1].lower()}"


class _Plan:
    """The plan as matrices: one row per tour (cells it covers), with the unit, nation and legal needs of each."""

    def __init__(self, problem: Problem, tours: Sequence[Tour]) -> None:
        inst = Instance(problem)
        self.inst = inst
        self.weight = float(inst.demand_weight()) or 1.0
        cells = [(k, t) for k, task in enumerate(inst.tasks) if task.priority > 0
                 for t in range(inst.periods) if inst.demand[k][t] > 0]
        col = {c: j for j, c in enumerate(cells)}
        self.tours = [t for t in tours if inst.unit(t.unit) is not None and t.task in inst.task_index]
        self.units = sorted({t.unit for t in self.tours})
        unit_row = {u: i for i, u in enumerate(self.units)}
        self.cover = np.zeros((len(self.tours), len(cells)), dtype=np.float32)
        for r, tour in enumerate(self.tours):
            k = inst.task_index[tour.task]
            for t in range(max(tour.start, 0), min(tour.end, inst.periods - 1) + 1):
                j = col.get((k, t))
                if j is not None:
                    self.cover[r, j] = 1.0
        self.demand = np.array([inst.demand[k][t] for k, t in cells], dtype=np.float32)
        self.prio = np.array([inst.tasks[k].priority for k, _t in cells], dtype=np.float32)
        self.row_unit = np.array([unit_row[t.unit] for t in self.tours], dtype=np.int64)
        self.unit_of = {u.id: u for u in problem.units}

    def coverage(self, counts: np.ndarray) -> np.ndarray:
        """Return coverage per sample (rows of counts per cell)."""
        return np.asarray(np.minimum(counts, self.demand) @ self.prio / self.weight)

    def without(self, rows: np.ndarray) -> float:
        """Return the plan's coverage with some tours removed (a boolean mask over rows)."""
        counts = self.cover[~rows].sum(axis=0) if self.tours else np.zeros(self.demand.size, np.float32)
        return float(self.coverage(counts[None, :])[0])


def _legal_needs(problem: Problem, plan: _Plan) -> tuple[list[str], list[tuple[int, list[list[int]]]]]:
    """Return the instruments under negotiation (described) and, per tour resting on one, for each instrument kind
    it needs the uncertain instruments any one of which would do (a kind also met by a certain instrument in force
    in time is no need)."""
    uncertain = [(i, lg) for i, lg in enumerate(problem.legal) if float(getattr(lg, "probability", 1.0)) < 1.0]
    if not uncertain:
        return [], []
    index = {i: n for n, (i, _) in enumerate(uncertain)}
    described = [f"{nation_label(lg.nation)}'s {lg.kind} with {nation_label(lg.host)} comes into force with a "
                 f"{float(getattr(lg, 'probability', 1.0)):.0%} chance (planning assumption)" for _, lg in uncertain]
    needs: list[tuple[int, list[list[int]]]] = []
    tasks = {t.id: t for t in problem.tasks}
    for r, tour in enumerate(plan.tours):
        nation = plan.unit_of[tour.unit].nation
        groups: list[list[int]] = []
        for kind in tasks[tour.task].requires_legal:
            fits = [i for i, lg in enumerate(problem.legal)
                    if lg.nation == nation and lg.kind == kind and lg.host == "UKR" and lg.in_force_from <= tour.start]
            if fits and all(i in index for i in fits):
                groups.append([index[i] for i in fits])
        if groups:
            needs.append((r, groups))
    return described, needs


def robustness(
    problem: Problem, tours: Sequence[Tour], *, samples: int = 10_000, seed: int = 0, bins: int = 20, top: int = 10,
    cancel: CancelToken | None = None,
) -> RobustnessReport:
    """Sample pledge sizes, unit, nation and legal failures and report the coverage distribution and the units,
    nations and pledges that matter most (a cancelled token raises Cancelled between batches)."""
    if samples < 1:
        raise ValueError("samples must be at least 1")
    plan = _Plan(problem, tours)
    inst, units = plan.inst, plan.units
    probs = np.array([plan.unit_of[u].probability for u in units], dtype=np.float64)
    nations = sorted({n.code for n in problem.nations})
    nation_keeps = {n.code: float(n.probability) for n in problem.nations}
    unit_nation = np.array([nations.index(plan.unit_of[u].nation) for u in units], dtype=np.int64)
    nation_p = np.array([nation_keeps.get(n, 1.0) for n in nations], dtype=np.float64)
    estimates = {e.id: e for e in problem.pledges}
    sampled = [e for e in problem.pledges if e.low < e.high]
    unit_slot = {u: (plan.unit_of[u].pledge, plan.unit_of[u].slot or 0) for u in units}
    slot_of = [(sampled.index(estimates[p]), s) if p in estimates and estimates[p] in sampled else None
               for p, s in (unit_slot[u] for u in units)]
    legal_described, needs = _legal_needs(problem, plan)
    n_legal = len(legal_described)
    legal_p = np.array([float(getattr(lg, "probability", 1.0)) for lg in problem.legal
                        if float(getattr(lg, "probability", 1.0)) < 1.0], dtype=np.float64)

    full = plan.without(np.zeros(len(plan.tours), dtype=bool)) if plan.tours else 0.0
    rng = np.random.default_rng(seed)
    coverage = np.empty(samples, dtype=np.float64)
    drop = np.zeros(len(units), dtype=np.float64)
    unit_rows = [np.flatnonzero(plan.row_unit == i) for i in range(len(units))]
    touched = [np.flatnonzero(plan.cover[rows].sum(axis=0)) for rows in unit_rows]
    for lo in range(0, samples, BATCH):
        if cancel is not None:
            cancel.check()
        n = min(BATCH, samples - lo)
        alive = rng.random((n, len(units))) < probs
        alive &= (rng.random((n, len(nations))) < nation_p)[:, unit_nation]
        if sampled:
            sizes = np.stack([_draw(rng, e, n) for e in sampled], axis=1)
            for i, where in enumerate(slot_of):
                if where is not None:
                    alive[:, i] &= sizes[:, where[0]] >= where[1]
        rows_alive = alive[:, plan.row_unit]
        if n_legal:
            in_force = rng.random((n, n_legal)) < legal_p
            for r, groups in needs:
                for group in groups:
                    rows_alive[:, r] &= in_force[:, group].any(axis=1)
        counts = rows_alive.astype(np.float32) @ plan.cover if plan.tours else np.zeros((n, plan.demand.size))
        coverage[lo : lo + n] = plan.coverage(counts)
        for i, cells in enumerate(touched):
            if cells.size == 0:
                continue
            # Tours other than unit i's on each of its cells; its loss is felt where they fall short.
            own = rows_alive[:, unit_rows[i]].astype(np.float32) @ plan.cover[unit_rows[i]][:, cells]
            others = counts[:, cells] - own
            drop[i] += float(((others < plan.demand[cells]) @ plan.prio[cells]).sum())
    drop /= samples * plan.weight
    if not inst.demand_weight():
        coverage[:] = 1.0  # nothing demanded: every sample covers it all
    impacts = [UnitImpact(unit=u, probability=float(p), drop_if_lost=float(d), expected_loss=float((1 - p) * d))
               for u, p, d in zip(units, probs, drop, strict=True)]
    impacts.sort(key=lambda x: (-x.drop_if_lost, x.unit))
    counts_h, edges = np.histogram(coverage, bins=bins, range=(0.0, 1.0))
    pct = {q: float(np.percentile(coverage, q)) for q in PERCENTILES}
    base = full if inst.demand_weight() else 1.0
    return RobustnessReport(
        samples=samples, seed=seed, plan_coverage=base, mean=float(coverage.mean()),
        p5=pct[5], p10=pct[10], p25=pct[25], p50=pct[50], p75=pct[75], p90=pct[90], p95=pct[95],
        minimum=float(coverage.min()), maximum=float(coverage.max()),
        histogram=[Bin(low=float(a), high=float(b), count=int(c))
                   for a, b, c in zip(edges[:-1], edges[1:], counts_h, strict=True)],
        critical=impacts[:top],
        nations=_nation_impacts(plan, base, nation_keeps)[:top],
        pledges=_pledge_impacts(plan, base, problem)[:top],
        assumptions=_assumptions(problem, sampled),
        sampled_legal=legal_described,
    )


def _draw(rng: np.random.Generator, e: PledgeEstimate, n: int) -> np.ndarray:
    """Draw n sizes of a pledge over low … high: triangular around its most likely size when it has one (a best
    estimate or a prior's value), else uniform."""
    if e.high <= e.low:
        return np.full(n, e.low, dtype=np.int64)
    if e.mode is None:
        return rng.integers(e.low, e.high + 1, size=n)
    peak = min(max(e.mode, e.low), e.high) + 0.5
    return np.minimum(np.floor(rng.triangular(e.low, peak, e.high + 1, size=n)), e.high).astype(np.int64)


def _nation_impacts(plan: _Plan, base: float, keeps: dict[str, float]) -> list[NationImpact]:
    rows_by: dict[str, list[int]] = defaultdict(list)
    for r, tour in enumerate(plan.tours):
        rows_by[plan.unit_of[tour.unit].nation].append(r)
    out = []
    for nation, rows in rows_by.items():
        mask = np.zeros(len(plan.tours), dtype=bool)
        mask[rows] = True
        lost = max(0.0, base - plan.without(mask))
        p = keeps.get(nation, 1.0)
        out.append(NationImpact(nation=nation, name=nation_label(nation), probability=p, drop_if_lost=lost,
                                expected_loss=(1 - p) * lost))
    return sorted(out, key=lambda x: (-x.drop_if_lost, x.nation))


def _pledge_impacts(plan: _Plan, base: float, problem: Problem) -> list[PledgeImpact]:
    estimates = {e.id: e for e in problem.pledges}
    rows_by: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for r, tour in enumerate(plan.tours):
        unit = plan.unit_of[tour.unit]
        if unit.pledge is not None:
            rows_by[unit.pledge].append((r, unit.slot or 0))
    out = []
    for key, rows in rows_by.items():
        e = estimates.get(key)
        first = plan.unit_of[plan.tours[rows[0][0]].unit]
        mask = np.zeros(len(plan.tours), dtype=bool)
        mask[[r for r, _ in rows]] = True
        lost = max(0.0, base - plan.without(mask))
        short = 0.0
        if e is not None and e.low < e.planned:
            low_mask = np.zeros(len(plan.tours), dtype=bool)
            low_mask[[r for r, s in rows if s > e.low]] = True
            short = max(0.0, base - plan.without(low_mask))
        planned = e.planned if e is not None else len({plan.tours[r].unit for r, _ in rows})
        out.append(PledgeImpact(pledge=key, label=_label(first.nation, first.capability),
                                basis=e.basis if e is not None else "stated", planned=planned,
                                low=e.low if e is not None else planned, high=e.high if e is not None else planned,
                                drop_if_lost=lost, drop_at_low=short, note=e.note if e is not None else ""))
    return sorted(out, key=lambda x: (-max(x.drop_if_lost, x.drop_at_low), x.pledge))


def _assumptions(problem: Problem, sampled: list[PledgeEstimate]) -> list[str]:
    """Return, in words, what the sampling assumed beyond the plan: sizes drawn and governments that may withdraw."""
    by_pledge = {u.pledge: u for u in problem.units if u.pledge is not None}
    out = []
    for e in sampled:
        unit = by_pledge.get(e.id)
        who = _label(unit.nation, unit.capability) if unit is not None else e.id
        out.append(f"{who} ({e.id}): {e.note}; sampled {e.low}–{e.high}")
    risky = sorted({(round(1 - n.probability, 4), n.code) for n in problem.nations if n.probability < 1})
    if risky:
        rates = sorted({r for r, _ in risky})
        if len(rates) == 1:
            out.append(f"each government withdraws all its units with a {rates[0]:.0%} chance (planning assumption)")
        else:
            out += [f"{nation_label(code)}'s government withdraws all its units with a {r:.0%} chance "
                    "(planning assumption)" for r, code in risky]
    return out


def assumed_sizes(problem: Problem) -> list[str]:
    """Return, in words, the pledge sizes a problem plans on that are planning assumptions (ranges, priors)."""
    by_pledge = {u.pledge: u for u in problem.units if u.pledge is not None}
    out = []
    for e in problem.pledges:
        if e.basis in ("range", "prior"):
            unit = by_pledge.get(e.id)
            who = _label(unit.nation, unit.capability) if unit is not None else e.id
            out.append(f"{who} ({e.id}): {e.note}")
    return out


def in_words(report: RobustnessReport, limit: int = 3) -> list[str]:
    """Return the report as sentences for people (the plan page and the brief): the spread, what hurts most, and
    what was assumed."""
    out = [f"Over {report.samples:,} samples of what the pledges may turn out to be, the plan as drawn keeps "
           f"{report.p50:.1%} coverage in the middle case (against {report.plan_coverage:.1%} if every pledge "
           f"arrives as planned); in nine cases out of ten it keeps at least {report.p10:.1%}, and in one case in "
           f"twenty less than {report.p5:.1%}."]
    hurt = [n for n in report.nations if n.drop_if_lost > 0][:limit]
    if hurt:
        out.append("The nations whose withdrawal would cost most: " + "; ".join(
            f"{n.name} ({n.drop_if_lost:.1%} of coverage)" for n in hurt) + ".")
    pledges = [p for p in report.pledges if max(p.drop_if_lost, p.drop_at_low) > 0][:limit]
    if pledges:
        out.append("The pledges whose loss would cost most: " + "; ".join(
            f"{p.label} ({p.drop_if_lost:.1%}" + (f", {p.drop_at_low:.1%} if only {p.low} arrive" if p.drop_at_low
                                                 else "") + ")" for p in pledges) + ".")
    if report.assumptions:
        out.append("Planning assumptions sampled: " + "; ".join(report.assumptions) + ".")
    if report.sampled_legal:
        out.append("Legal instruments still under negotiation: " + "; ".join(report.sampled_legal) + ".")
    out.append("Units a range or prior may add above the planned figure are not in this plan, so these figures are "
               "what the plan keeps, not what a re-plan could gain.")
    return out
