"""Plan the parts of a large problem by column generation, on as many cores as the solver may use.

With one worker, parts go one after another in the calling process, slack parts first so that the
time they do not need flows to the scarce ones. With more, parts run side by side in child processes
(processes/pool.py), those with most to gain first, each with a share of the time in proportion to what it
has to gain (its bound less its start plan's coverage); time a part does not use flows to those
after it. Every part is planned within what the others deploy when it starts, so two parts running at
once may together exceed a personnel cap: the solver then trims the joint plan back (`_repair_caps`).
Splitting the caps' room between running parts instead cost 1.3 points of coverage on the large
benchmark (ADR 0006), and the joint plan has not exceeded a cap there.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from reassure.planner.hard_rules import availability_window
from reassure.planner.index import Instance
from reassure.planner.instance import Tour
from reassure.planner.solver.columns.by_columns import ColumnOutcome, solve_by_columns
from reassure.planner.solver.decompose import Part, load_except, sub_instance
from reassure.planner.solver.processes import pool as processes
from reassure.planner.solver.runtime import CancelToken, PartRunner, RunnerError, check, child_processes_until

MIN_BUDGET = 0.05  # seconds: a part with less is left with its current plan
SOLVE_PART = "reassure.planner.solver.columns.by_columns:solve_by_columns"  # what a part runner is asked to run

OnDone = Callable[[int, ColumnOutcome, float], None]  # part, its outcome, seconds it took


def plan_parts(
    inst: Instance,
    plist: Sequence[Part],
    chosen: list[list[Tour]],
    gain: Mapping[int, float],
    end: float,
    workers: int,
    seed: int,
    on_done: OnDone,
    *,
    runner: PartRunner | None = None,
    cancel: CancelToken | None = None,
    in_process: bool = False,
) -> None:
    """Plan the parts in `gain` (part -> bound less current coverage) until `end`; update `chosen`.

    Side by side, each part runs through `runner` (default: this machine's child processes); `cancel` stops
    the planning before each part starts and when a running part finishes (raising Cancelled). `in_process`
    keeps every part in this process, one after another (short solves, where starting children costs more
    than the second core gives).
    """
    if workers <= 1 or len(gain) <= 1 or in_process:
        queue = sorted(gain, key=lambda i: strain(inst, plist[i]))
        _one_by_one(inst, plist, chosen, queue, end, max(1, workers), seed, on_done, cancel)
    else:
        weight = {i: max(1.0, g) for i, g in gain.items()}
        queue = sorted(gain, key=lambda i: -weight[i])
        _side_by_side(inst, plist, chosen, queue, weight, end, min(workers, len(queue)), seed, on_done,
                      runner, cancel)


def _one_by_one(
    inst: Instance,
    plist: Sequence[Part],
    chosen: list[list[Tour]],
    queue: list[int],
    end: float,
    workers: int,
    seed: int,
    on_done: OnDone,
    cancel: CancelToken | None,
) -> None:
    for n, i in enumerate(queue):
        check(cancel)
        total = sum(plist[j].size for j in queue[n:]) or 1
        budget = (end - time.perf_counter()) * plist[i].size / total
        if budget < MIN_BUDGET:
            continue
        began = time.perf_counter()
        within = sub_instance(inst, plist[i], load_except(inst, chosen, i))
        out = solve_by_columns(sub_instance(inst, plist[i]), chosen[i], budget, workers, seed, within, cancel=cancel)
        chosen[i] = out.tours
        on_done(i, out, time.perf_counter() - began)


def _side_by_side(
    inst: Instance,
    plist: Sequence[Part],
    chosen: list[list[Tour]],
    queue: list[int],
    weight: Mapping[int, float],
    end: float,
    workers: int,
    seed: int,
    on_done: OnDone,
    runner: PartRunner | None,
    cancel: CancelToken | None,
) -> None:
    if runner is None:
        processes.start(workers)
    run = runner or child_processes_until(cancel)
    running: dict[Future[ColumnOutcome], tuple[int, float, float]] = {}  # part, start, end of its budget
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="reassure-part") as pool:
        while queue or running:
            if cancel is not None and cancel.cancelled:
                queue.clear()  # start nothing more; the running parts end within their budgets
            while queue and len(running) < workers:
                i = queue.pop(0)
                now = time.perf_counter()
                # Core-seconds left to share: every worker until `end`, less what running parts still hold.
                spare = workers * (end - now) - sum(max(0.0, ends - now) for _i, _b, ends in running.values())
                budget = min(end - now, spare * weight[i] / sum(weight[j] for j in (i, *queue)))
                if budget < MIN_BUDGET:
                    continue
                within = sub_instance(inst, plist[i], load_except(inst, chosen, i))
                future = pool.submit(_remote, run, sub_instance(inst, plist[i]), chosen[i], budget, seed, within,
                                     cancel)
                running[future] = (i, now, now + budget)
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                i, began, _ends = running.pop(future)
                out = future.result()
                chosen[i] = out.tours
                on_done(i, out, time.perf_counter() - began)
    check(cancel)


def _remote(run: PartRunner, sub: Instance, start: list[Tour], budget: float, seed: int, within: Instance,
            cancel: CancelToken | None) -> ColumnOutcome:
    """Solve one part through the runner; in this process, with the time left, if the runner cannot."""
    began = time.perf_counter()
    try:
        out: ColumnOutcome = run(SOLVE_PART, sub, start, budget, 1, seed, within)
    except RunnerError:
        check(cancel)
        left = budget - (time.perf_counter() - began)
        return solve_by_columns(sub, start, max(MIN_BUDGET, left), 1, seed, within)
    return out


def strain(inst: Instance, part: Part) -> float:
    """Return the part's demand over the unit-periods its units can serve at their rotation policy."""
    demand = sum(sum(inst.demand[k]) for k in part.tasks)
    supply = 0
    for u in part.units:
        unit = inst.units[u]
        w = availability_window.window(inst, unit)
        q, r = divmod(w[1] - w[0] + 1 if w else 0, unit.max_tour + unit.min_dwell)
        supply += q * unit.max_tour + min(r, unit.max_tour)
    return demand / supply if supply else float("inf")
