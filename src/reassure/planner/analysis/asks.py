"""Force-generation asks: the fewest additional units (capability, nation, from which period) that lift a plan to a
target coverage, as a force-generation conference would ask nations for them (docs/adr/0024).

Method, in rounds until the target is reached, no candidate adds coverage, or the rounds run out:
1. **Candidates**: for every capability short in the current plan, every nation that may be asked (one with a usable
   unit; when fair shares are given, one with a fair share) and every period a gap of that capability opens, a
   candidate unit shaped like the nation's own pledge of that capability (else the coalition's typical unit of
   it), available from that period to the end, under every pairwise rule (location, nation lists, legal
   prerequisites from that period, caps).
2. **Count** (CP-SAT, small, one worker): candidates alike in capability, start, rotation policy and reachable
   cells form a class; how many units of each class, and where they would serve the cells the plan leaves short,
   under a rotation relaxation (in any max_tour + min_dwell periods a unit serves at most max_tour); it must add
   the missing weight with the fewest units, then the fewest unit-months (later starts); if no count can, the most
   weight any count adds. Under `strict` a class offers only what its nations could take within their shares.
   **Assign**: each counted unit goes to the nation of its class furthest below its fair share that can take it
   (its personnel cap beside what the plan and earlier asks deploy; under `strict`, its fair share).
3. **Verification**: the asked units are added to the problem and the whole problem is re-solved by the planner
   (from the current plan as reference). The verified coverage is what is reported; short of the target, the
   next round asks for the remainder over the re-solved plan.

A nation's **fair share** is `nations[].fair_share` of the problem (stored scenarios derive it from GDP among the
nations outside the US backstop); its **pledged share** is its pledged personnel-months (personnel × months
available, units whose conditions hold) over the coalition's (nations with a fair share). `strict` asks a nation
only while its pledged share, the asks counted, stays within its fair share; `prefer` asks nations below it first
and says which asks go above; `ignore` does not look.

Pure: plain typed data in, plain typed data out; the count is seeded and single-threaded and the assignment
deterministic, so a seed gives the same asks up to the planner's own time-limited solves; a cancel token stops it
between and within solves.
"""

from __future__ import annotations

import math
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from ortools.sat.python import cp_model

from reassure.core.labels import capability_label
from reassure.core.nations import nation_label
from reassure.planner.analysis.sustainability import personnel_by_nation
from reassure.planner.hard_rules.compat import pair_window
from reassure.planner.hard_rules.score import score
from reassure.planner.hard_rules.validate import check_tours
from reassure.planner.index import Instance
from reassure.planner.instance import Ask, Asks, AskSpan, Location, Plan, Problem, Tour, Unit
from reassure.planner.solver.result import make_plan
from reassure.planner.solver.runtime import CancelToken, PartRunner, check
from reassure.planner.solver.solve import solve

FairShares = Literal["strict", "prefer", "ignore"]
FAIR_SHARE_MODES: tuple[FairShares, ...] = ("strict", "prefer", "ignore")
ASK_PREFIX = "ASK"
MAX_PER_CANDIDATE = 8  # units of one (capability, nation, start) in one round
SELECT_SECONDS = 10.0  # wall-clock cap of one count solve (the demo's take 1–3 s)
LOCATION_ORDER: tuple[Location, ...] = ("inside", "adjacent", "sea", "air")
W_UNITS = 1000  # objective: units first, then months asked (later starts): at most a few hundred


@dataclass(frozen=True)
class AskProgress:
    """A progress event of an asks run: its round, stage and the coverage verified so far."""

    round: int
    stage: str  # "base" | "select" | "verify" | "done"
    coverage: float
    bound: float | None
    share: float  # of the time budget spent


AskCallback = Callable[[AskProgress], None]


@dataclass(frozen=True)
class Candidate:
    """A unit the coalition could ask a nation for, from a period, with the short cells it could serve."""

    nation: str
    capability: str
    start: int
    unit: Unit  # the template, available from `start`
    template: str
    cells: tuple[tuple[int, int], ...]  # (task index, period)


@dataclass
class _Round:
    problem: Problem
    plan: Plan


@dataclass
class _State:
    asked: list[Unit] = field(default_factory=list)
    rounds: int = 0
    note: str = ""


def usable(problem: Problem, unit: Unit) -> bool:
    """Tell whether a unit's conditions all hold under the problem's flags."""
    return all(problem.flags.get(c, False) for c in unit.conditions)


def pledged_months(problem: Problem) -> dict[str, int]:
    """Return each nation's pledged personnel-months: personnel × months available in the horizon, usable units."""
    out: Counter[str] = Counter()
    last = problem.horizon.periods - 1
    for u in problem.units:
        if usable(problem, u) and u.available_from <= last:
            out[u.nation] += u.personnel * (min(u.available_to, last) - u.available_from + 1)
    return dict(out)


def askable_nations(problem: Problem, fair_shares: FairShares) -> list[str]:
    """Return the nations an ask may go to: with a usable unit, and a fair share when any nation has one."""
    with_units = {u.nation for u in problem.units if usable(problem, u)}
    shared = {n.code for n in problem.nations if n.fair_share is not None}
    if shared and fair_shares != "ignore":
        with_units &= shared
    return sorted(with_units)


def template(problem: Problem, nation: str, capability: str) -> tuple[Unit, str] | None:
    """Return the unit an ask of this capability would add for this nation, and where its shape comes from: the
    nation's own pledge of it (its caveats kept), else the coalition's typical unit of it; None if nobody has one."""
    own = sorted((u for u in problem.units if u.nation == nation and u.capability == capability
                  and not u.id.startswith(f"{ASK_PREFIX}-")),
                 key=lambda u: (not usable(problem, u), u.id))
    if own:
        u = own[0]
        return (u.model_copy(update={"conditions": [], "probability": 1.0}),
                f"like {nation_label(nation)}'s pledged {capability_label(capability)} (tours of up to {u.max_tour}, "
                f"dwell of {u.min_dwell} periods)")
    pool = [u for u in problem.units if u.capability == capability and not u.id.startswith(f"{ASK_PREFIX}-")]
    if not pool:
        return None
    policy = Counter((u.max_tour, u.min_dwell) for u in pool)
    (tour, dwell), _n = min(policy.items(), key=lambda kv: (-kv[1], kv[0][1], -kv[0][0]))
    places = {loc for u in pool for loc in u.locations}
    unit = Unit(id="template", nation=nation, capability=capability,
                personnel=int(statistics.median_low(sorted(u.personnel for u in pool))), available_from=0,
                available_to=problem.horizon.periods - 1, max_tour=tour, min_dwell=dwell,
                locations=[loc for loc in LOCATION_ORDER if loc in places])
    return unit, f"the coalition's typical {capability_label(capability)} ({len(pool)} pledged)"


def short_cells(inst: Instance, tours: Sequence[Tour]) -> list[list[int]]:
    """Return, per task and period, the units demanded beyond those the tours put there."""
    there = [[0] * inst.periods for _ in inst.tasks]
    for t in tours:
        k = inst.task_index.get(t.task)
        if k is None:
            continue
        for p in range(max(0, t.start), min(t.end, inst.periods - 1) + 1):
            there[k][p] += 1
    return [[max(0, d - h) for d, h in zip(demand, row, strict=True)] for demand, row in zip(inst.demand, there,
                                                                                              strict=True)]


def candidates(problem: Problem, short: list[list[int]], fair_shares: FairShares,
               tours: Sequence[Tour] = ()) -> list[Candidate]:
    """Return the candidate asks for the short cells: per capability, askable nation and gap opening period. A
    headquarters cell is one only in periods when the `tours` man a component under it (rule command_chain: staff
    asked for a headquarters with nothing to command could not serve; a later round asks for them once the
    components are there)."""
    inst = Instance(problem)
    manned = {(inst.task_index[t.task], p) for t in tours if t.task in inst.task_index for p in t.periods()}

    def servable(k: int, t: int) -> bool:
        return k not in inst.children or any((c, t) in manned for c in inst.children[k])

    by_cap: dict[str, list[int]] = {}
    for k, task in enumerate(inst.tasks):
        if task.priority > 0 and any(short[k]):
            by_cap.setdefault(task.capability, []).append(k)
    nations = askable_nations(problem, fair_shares)
    out: list[Candidate] = []
    for cap in sorted(by_cap):
        tasks = by_cap[cap]
        opens = {t for k in tasks for t in range(inst.periods) if short[k][t] and (t == 0 or not short[k][t - 1])}
        starts = sorted(opens, reverse=True)
        for nation in nations:
            found = template(problem, nation, cap)
            if found is None:
                continue
            shape, text = found
            seen: set[tuple[tuple[int, int], ...]] = set()
            for s in starts:  # latest first: of two starts that reach the same cells, the later asks less
                unit = shape.model_copy(update={"id": f"{ASK_PREFIX}-candidate", "available_from": s,
                                                "available_to": inst.periods - 1})
                cells = []
                for k in tasks:
                    w = pair_window(inst, unit, inst.tasks[k])
                    if w is not None:
                        cells += [(k, t) for t in range(w[0], w[1] + 1) if short[k][t] and servable(k, t)]
                key = tuple(cells)
                if cells and key not in seen:
                    seen.add(key)
                    out.append(Candidate(nation, cap, s, unit, text, key))
    return out


@dataclass(frozen=True)
class Selection:
    """How many units of each candidate the selection asks for, the weight it expects them to add, and why some
    units it wanted could not be placed with any nation."""

    counts: tuple[tuple[Candidate, int], ...]
    weight: int
    reaches: bool  # the model found the needed weight (else: the most it could add)
    unplaced: int = 0  # units no nation could take (caps, fair shares)


def _classes(cands: Sequence[Candidate]) -> dict[tuple[object, ...], list[Candidate]]:
    """Group candidates that cover alike: same capability, start, rotation policy and reachable cells."""
    out: dict[tuple[object, ...], list[Candidate]] = {}
    for c in cands:
        out.setdefault((c.capability, c.start, c.unit.max_tour, c.unit.min_dwell, c.cells), []).append(c)
    return out


def _count_by_class(inst: Instance, short: list[list[int]], classes: Sequence[tuple[object, ...]],
                    supply: Sequence[int], need: int | None, seed: int, seconds: float,
                    cancel: CancelToken | None) -> tuple[list[int], int] | None:
    """Phase 1 (CP-SAT): units per class reaching `need` weight with the fewest units, then the fewest unit-months
    (or, with `need` None, the most weight); None when no choice reaches it."""
    m = cp_model.CpModel()
    n_vars = [m.new_int_var(0, supply[i], f"n{i}") for i in range(len(classes))]
    on_cell: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    for i, key in enumerate(classes):
        _cap, start, tour, dwell, cells = key
        assert isinstance(start, int) and isinstance(tour, int) and isinstance(dwell, int) and isinstance(cells, tuple)
        by_t: dict[int, list[cp_model.IntVar]] = {}
        for k, t in cells:
            x = m.new_int_var(0, min(supply[i], short[k][t]), f"x{i}_{k}_{t}")
            on_cell.setdefault((k, t), []).append(x)
            by_t.setdefault(t, []).append(x)
        on = {}
        for t, row in sorted(by_t.items()):
            on[t] = m.new_int_var(0, supply[i], f"y{i}_{t}")
            m.add(sum(row) == on[t])
            m.add(on[t] <= n_vars[i])
        periods = sorted(on)
        for a in periods:  # rotation: in any max_tour + min_dwell periods a unit serves at most max_tour
            inside = [on[t] for t in periods if a <= t < a + tour + dwell]
            if len(inside) > tour:
                m.add(sum(inside) <= tour * n_vars[i])
    terms = []
    for (k, t), xs in sorted(on_cell.items()):
        c = m.new_int_var(0, short[k][t], f"c{k}_{t}")
        m.add(c <= sum(xs))
        terms.append(inst.tasks[k].priority * c)
    weight = sum(terms)
    if need is None:
        m.maximize(weight)
    else:
        m.add(weight >= need)
        months = [inst.periods - int(key[1]) for key in classes]  # type: ignore[call-overload]
        m.minimize(W_UNITS * sum(n_vars) + sum(mo * n for mo, n in zip(months, n_vars, strict=True)))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 1
    solver.parameters.linearization_level = 2  # the covering LP is what bounds the number of units
    solver.parameters.random_seed = seed
    check(cancel)
    unhook = cancel.on_cancel(solver.stop_search) if cancel is not None else (lambda: None)
    try:
        status = solver.solve(m)
    finally:
        unhook()
    check(cancel)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return [int(solver.value(n)) for n in n_vars], int(solver.value(weight))


def select(problem: Problem, tours: Sequence[Tour], need: int, fair_shares: FairShares, *, seed: int = 0,
           cancel: CancelToken | None = None, seconds: float = SELECT_SECONDS) -> Selection:
    """Choose the fewest candidate units that add `need` covered weight to the plan's tours (or, if they cannot,
    the most weight any choice adds, with the fewest units), then ask each of them of a nation.

    Phase 1 counts units per class of alike candidates (CP-SAT over the short cells); phase 2 gives each unit, in
    order of capability and start, to the nation of its class furthest below its fair share that can take it
    (personnel cap beside what the plan deploys; under `strict`, its fair share with the asks counted)."""
    inst = Instance(problem)
    short = short_cells(inst, tours)
    cands = candidates(problem, short, fair_shares, tours)
    if not cands or need <= 0:
        return Selection((), 0, need <= 0)
    pledged = dict(pledged_months(problem))
    shares = {n.code: n.fair_share for n in problem.nations if n.fair_share is not None}
    total = sum(v for k, v in pledged.items() if k in shares)
    load = personnel_by_nation(problem, tours)
    groups = _classes(cands)
    keys = list(groups)

    def takes(c: Candidate) -> int:
        """Units of this candidate its nation could take: under `strict`, within its fair share even if no other
        nation were asked for anything (asks of others only widen it): a ≤ (f·P − P_n) / (1 − f)."""
        share = shares.get(c.nation)
        if fair_shares != "strict" or share is None or share >= 1:
            return MAX_PER_CANDIDATE
        room = (share * total - pledged.get(c.nation, 0)) / (1 - share)
        return max(0, int(room // max(1, c.unit.personnel * (inst.periods - c.start))))

    supply = [min(MAX_PER_CANDIDATE, sum(takes(c) for c in groups[k])) for k in keys]
    keys = [k for k, n in zip(keys, supply, strict=True) if n > 0]
    supply = [n for n in supply if n > 0]
    if not keys:
        return Selection((), 0, False)
    found = _count_by_class(inst, short, keys, supply, need, seed, seconds, cancel)
    reaches = found is not None
    if found is None:
        most = _count_by_class(inst, short, keys, supply, None, seed, seconds, cancel)
        if most is None or most[1] <= 0:
            return Selection((), 0, False)
        found = _count_by_class(inst, short, keys, supply, most[1], seed, seconds, cancel)
        if found is None:
            return Selection((), 0, False)
    counts, weight = found
    added: Counter[str] = Counter()  # personnel-months asked of each nation so far
    extra: dict[str, list[int]] = {}  # personnel asked of each nation per period (all the time from its start)
    chosen: Counter[int] = Counter()  # candidate index → units
    index = {id(c): i for i, c in enumerate(cands)}
    unplaced = 0
    for key, count in sorted(zip(keys, counts, strict=True), key=lambda kc: (str(kc[0][0]), kc[0][1])):
        for _ in range(count):
            best: tuple[float, str, Candidate] | None = None
            for c in groups[key]:
                months = c.unit.personnel * (inst.periods - c.start)
                mine = pledged.get(c.nation, 0) + added[c.nation] + months
                everyone = total + sum(added.values()) + months
                cap = inst.caps.get(c.nation)
                if cap is not None:
                    used = load.get(c.nation, [0] * inst.periods)
                    more = extra.get(c.nation, [0] * inst.periods)
                    if any(used[t] + more[t] + c.unit.personnel > cap for t in range(c.start, inst.periods)):
                        continue  # it could not deploy beside what the plan and earlier asks already do
                share = shares.get(c.nation)
                if fair_shares == "strict" and share is not None and mine > share * everyone + 1e-9:
                    continue
                room = (share - mine / everyone) if share is not None and everyone else 0.0
                rank = (-room, c.nation)
                if best is None or rank < (best[0], best[1]):
                    best = (rank[0], rank[1], c)
            if best is None:
                unplaced += 1
                continue
            c = best[2]
            chosen[index[id(c)]] += 1
            added[c.nation] += c.unit.personnel * (inst.periods - c.start)
            row = extra.setdefault(c.nation, [0] * inst.periods)
            for t in range(c.start, inst.periods):
                row[t] += c.unit.personnel
    picked = tuple((cands[i], n) for i, n in sorted(chosen.items()))
    return Selection(picked, weight, reaches and not unplaced, unplaced)


def with_asked(problem: Problem, units: Sequence[Unit]) -> Problem:
    """Return the problem with asked units added (they are planning assumptions, not pledges)."""
    return problem.model_copy(update={"units": [*problem.units, *units]})


def asked_units(report: Asks) -> list[Unit]:
    """Return every unit an asks report added, to rebuild the problem its verified plan solved."""
    return [u for a in report.asks for u in a.units]


def _new_units(selection: Selection, taken: set[str], periods: int) -> list[Unit]:
    out = []
    for cand, count in selection.counts:
        i = 0
        for _ in range(count):
            i += 1
            uid = f"{ASK_PREFIX}-{cand.nation}-{cand.capability}-{cand.start}-{i}"
            while uid in taken:
                i += 1
                uid = f"{ASK_PREFIX}-{cand.nation}-{cand.capability}-{cand.start}-{i}"
            taken.add(uid)
            out.append(cand.unit.model_copy(update={"id": uid, "available_from": cand.start,
                                                    "available_to": periods - 1}))
    return out


def find_asks(
    problem: Problem,
    target: float,
    *,
    base: Plan | None = None,
    fair_shares: FairShares = "strict",
    solve_seconds: float = 10.0,
    max_rounds: int = 4,
    seed: int = 0,
    callback: AskCallback | None = None,
    cancel: CancelToken | None = None,
    runner: PartRunner | None = None,
) -> tuple[Plan, Asks]:
    """Return the base plan (solved when not given) and the asks that lift it to `target` coverage, verified by
    re-solving the problem with the asked units added; a cancelled token raises Cancelled."""
    if not 0 <= target <= 1:
        raise ValueError(f"target coverage must be between 0 and 100 %, got {target:.1%}")
    if fair_shares not in FAIR_SHARE_MODES:
        raise ValueError(f"fair shares are one of {', '.join(FAIR_SHARE_MODES)}, not {fair_shares!r}")
    began = time.perf_counter()
    budget = max(1e-9, solve_seconds * (max_rounds + (1 if base is None else 0)))
    inst = Instance(problem)
    weight = inst.demand_weight()
    goal = math.ceil(target * weight - 1e-9)

    def emit(rnd: int, stage: str, plan: Plan) -> None:
        if callback is not None:
            share = min(1.0, (time.perf_counter() - began) / budget)
            callback(AskProgress(rnd, stage, plan.coverage, plan.bound, share))

    if base is None:
        base = solve(problem, time_limit=solve_seconds, seed=seed, cancel=cancel, runner=runner)
    emit(0, "base", base)
    state = _State()
    current = _Round(problem, base)
    taken = {u.id for u in problem.units}
    while current.plan.covered_weight < goal and state.rounds < max_rounds:
        check(cancel)
        state.rounds += 1
        need = goal - current.plan.covered_weight
        chosen = select(current.problem, current.plan.tours, need, fair_shares, seed=seed, cancel=cancel)
        emit(state.rounds, "select", current.plan)
        if not chosen.counts:
            state.note = ("no further unit the nations may be asked for adds coverage"
                          + (" within their fair shares" if fair_shares == "strict" else "")
                          + " (caps, caveats and legal prerequisites as they stand)")
            break
        fresh = _new_units(chosen, taken, inst.periods)
        trial = with_asked(current.problem, fresh)
        plan = solve(trial, time_limit=solve_seconds, seed=seed, reference=current.plan.tours, cancel=cancel,
                     runner=runner)
        emit(state.rounds, "verify", plan)
        if plan.covered_weight <= current.plan.covered_weight:
            state.note = "the last units the selection chose added nothing when re-solved; they are not asked"
            break
        state.asked += fresh
        current = _Round(trial, plan)
        if not chosen.reaches and not chosen.unplaced and plan.covered_weight < goal:
            state.note = "the units the nations may be asked for cannot add more than this"
            break
    plan = current.plan
    if state.asked and plan.covered_weight >= goal:
        plan = prune(Instance(current.problem), plan, state.asked, goal)
    report = describe(problem, base, current.problem, plan, state.asked, target, fair_shares,
                      state.rounds, time.perf_counter() - began, state.note)
    emit(state.rounds, "done", current.plan)
    return base, report


def prune(inst: Instance, plan: Plan, asked: Sequence[Unit], goal: int) -> Plan:
    """Drop every asked unit the verified plan can do without: one at a time, the least useful first, an asked
    unit goes with its tours when the plan without them still reaches `goal` and breaks no rule. What is left is
    minimal for this plan: no single asked unit more can go (the selection rounds may overshoot by a unit or two).
    The plan's bound stays (removing units can only lower the best possible)."""
    tours = list(plan.tours)
    ids = {u.id for u in asked}
    full = score(inst, tours).covered_weight

    def adds(uid: str) -> int:
        return full - score(inst, [t for t in tours if t.unit != uid]).covered_weight

    serving = sorted({t.unit for t in tours if t.unit in ids})
    dropped = 0
    for uid in sorted(serving, key=lambda u: (adds(u), u)):
        trial = [t for t in tours if t.unit != uid]
        if score(inst, trial).covered_weight >= goal and not check_tours(inst, trial):
            tours, dropped = trial, dropped + 1
    if not dropped:
        return plan
    pruned = make_plan(inst, tours, "feasible", plan.bound, plan.solve_seconds)
    return pruned.model_copy(update={"origin": plan.origin})


def _runs(values: dict[int, int]) -> list[tuple[list[int], int]]:
    """Split {period: count} into maximal runs of consecutive periods with the same count."""
    out: list[tuple[list[int], int]] = []
    for t in sorted(values):
        if out and out[-1][0][-1] == t - 1 and out[-1][1] == values[t]:
            out[-1][0].append(t)
        else:
            out.append(([t], values[t]))
    return out


def describe(problem: Problem, base: Plan, verified_problem: Problem, verified: Plan, asked: Sequence[Unit],
             target: float, fair_shares: FairShares, rounds: int, seconds: float, note: str = "") -> Asks:
    """Group the asked units that serve in the verified plan by (nation, capability, start) and say, per group,
    where they serve, which gaps of the base plan they close and the coverage they add."""
    inst = Instance(verified_problem)
    base_short = short_cells(Instance(problem), base.tours)
    used = {t.unit for t in verified.tours}
    kept = [u for u in asked if u.id in used]  # an asked unit the re-solve left idle is not asked
    groups: dict[tuple[str, str, int], list[Unit]] = {}
    for u in kept:
        groups.setdefault((u.nation, u.capability, u.available_from), []).append(u)
    pledged = pledged_months(problem)
    shares = {n.code: n.fair_share for n in problem.nations if n.fair_share is not None}
    total = sum(v for k, v in pledged.items() if k in shares)
    added = {n: sum(u.personnel * (inst.periods - u.available_from) for u in kept if u.nation == n)
             for n in {u.nation for u in kept}}
    added_all = sum(added.values())
    full = score(inst, verified.tours).covered_weight
    weight = inst.demand_weight() or 1
    asks: list[Ask] = []
    for (nation, cap, start), units in sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][2], kv[0][0])):
        ids = {u.id for u in units}
        mine = [t for t in verified.tours if t.unit in ids]
        there: dict[str, dict[int, int]] = {}
        for t in mine:
            for p in t.periods():
                there.setdefault(t.task, {}).setdefault(p, 0)
                there[t.task][p] += 1
        serves = [AskSpan(task=task, periods=ps, units=n) for task in sorted(there) for ps, n in _runs(there[task])]
        closes = []
        for task in sorted(there):
            k = inst.task_index[task]
            closed = {p: min(n, base_short[k][p]) for p, n in there[task].items() if base_short[k][p] > 0}
            closes += [AskSpan(task=task, periods=ps, units=n) for ps, n in _runs(closed)]
        without = score(inst, [t for t in verified.tours if t.unit not in ids]).covered_weight
        share = shares.get(nation)
        pledged_share = pledged.get(nation, 0) / total if share is not None and total else None
        above = (share is not None and total + added_all > 0
                 and (pledged.get(nation, 0) + added.get(nation, 0)) / (total + added_all) > share + 1e-9)
        asks.append(Ask(nation=nation, capability=cap, start=start, count=len(units), personnel=units[0].personnel,
                        template=_template_text(problem, nation, cap), units=sorted(units, key=lambda u: u.id),
                        serves=serves, closes=closes, adds=(full - without) / weight, fair_share=share,
                        pledged_share=pledged_share, above_fair_share=above))
    goal = math.ceil(target * inst.demand_weight() - 1e-9)
    reached = verified.covered_weight >= goal
    return Asks(target=target, fair_shares=fair_shares, base_coverage=base.coverage, coverage=verified.coverage,
                covered_weight=verified.covered_weight, demand_weight=verified.demand_weight, bound=verified.bound,
                reached=reached, short_by=0.0 if reached else max(0.0, target - verified.coverage),
                units_asked=len(kept), rounds=rounds, seconds=round(seconds, 2), tours=list(verified.tours),
                asks=asks, note=note)


def _template_text(problem: Problem, nation: str, capability: str) -> str:
    found = template(problem, nation, capability)
    return found[1] if found is not None else ""
