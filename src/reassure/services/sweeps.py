"""Run a scenario sweep (docs/sweeps.md, docs/adr/0053): build every run's problem as the submitter, solve the runs
as independent tasks on a Dask cluster (or in this process), then store the sweep and its plans in one transaction.

Only plain JSON crosses to a worker: the problem as the submitter reads it (the data layer's releasability already
applied) and the run's changes; a worker returns the plan JSON and never touches the database.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy.orm import Session

from reassure.core.errors import InputError, Problem, Unavailable
from reassure.domains.planning.problem import problem_and_marking, problem_json
from reassure.domains.sweeps.actions import FinishedRun, store_sweep
from reassure.domains.sweeps.schemas import SweepDetail
from reassure.planner.analysis.ask_text import ask_lines
from reassure.planner.analysis.sweep import BASE, SweepSpec, Variant, expand, run_variant, task_of
from reassure.planner.instance import Gap, Plan
from reassure.planner.instance import Problem as PlannerProblem
from reassure.planner.period_labels import period_label
from reassure.planner.solver.runtime import Cancelled, CancelToken
from reassure.services.planning import opened_gaps, unit_months

log = logging.getLogger(__name__)

OnResult = Callable[[dict[str, Any]], None]  # called with each run's result as it finishes
ASKS_HOW = ("not computed: add `asks: {target: 0.95}` to the sweep file (each run then takes up to rounds × seconds "
            "more), or start an asks job on this run's plan")


@dataclass(frozen=True)
class PreparedSweep:
    """A sweep ready to run: its file, the base problem as the submitter reads it, its marking, and its variants."""

    spec: SweepSpec
    problem: PlannerProblem
    marking: str  # column form: the most restrictive record the problem rests on
    variants: list[Variant]
    labels: dict[str, str] = field(default_factory=dict)

    def tasks(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """Return the base run and the variants' runs as plain JSON."""
        data = problem_json(self.problem)
        return (task_of(Variant(key=BASE, label="base"), data, self.spec),
                [task_of(v, data, self.spec) for v in self.variants])


def prepare_sweep(spec: SweepSpec, *, db: Session, file: str = "sweep") -> PreparedSweep:
    """Build the base problem as the session's user (only what their nation reads) and expand the variants on it; a
    variant the problem cannot take is an InputError naming the file."""
    problem, marking = problem_and_marking(spec.scenario, db=db)
    try:
        variants = expand(spec, problem)
    except ValueError as error:
        raise InputError([Problem(file, "", "variants", str(error))]) from None
    return PreparedSweep(spec, problem, marking, variants, {BASE: "base", **{v.key: v.label for v in variants}})


class Executor(Protocol):
    """Solves the base run, then every variant run (each given the base's result), calling `on_result` as each
    finishes; returns the base's result and the variants' in their order."""

    def __call__(self, base: dict[str, Any], variants: list[dict[str, Any]], on_result: OnResult,
                 cancel: CancelToken | None = None) -> tuple[dict[str, Any], list[dict[str, Any]]]: ...


def run_inline(base: dict[str, Any], variants: list[dict[str, Any]], on_result: OnResult,
               cancel: CancelToken | None = None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Run every run one after another in this process (a job worker with no scheduler configured)."""
    if cancel is not None:
        cancel.check()
    first = run_variant(base)
    on_result(first)
    out = []
    for task in variants:
        if cancel is not None:
            cancel.check()
        result = run_variant(task, first)
        on_result(result)
        out.append(result)
    return first, out


@contextmanager
def local_cluster(workers: int) -> Iterator[tuple[Any, Any]]:
    """Start a LocalCluster of `workers` processes on loopback that only this process may use: TLS with throw-away
    certificates both ways (distributed's Security.temporary), so another local user can neither connect to its
    scheduler nor run code in its workers, which hold problems released to the submitter's nation (ADR 0053).
    Yield the cluster and the security a client needs."""
    from distributed import LocalCluster
    from distributed.security import Security

    security = Security.temporary()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR, host="127.0.0.1", security=security) as cluster:
        yield cluster, security


@dataclass(frozen=True)
class DaskExecutor:
    """Run the runs on a Dask cluster: the scheduler at `scheduler`, or a LocalCluster of `workers` processes (one
    thread each: a run's solver uses one thread, the cluster gives the parallelism) started and stopped here."""

    scheduler: str | None = None
    workers: int = 2
    timeout: float = 30.0

    def __call__(self, base: dict[str, Any], variants: list[dict[str, Any]], on_result: OnResult,
                 cancel: CancelToken | None = None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        from distributed import Client, as_completed
        from distributed.scheduler import KilledWorker

        with ExitStack() as stack:
            try:
                if self.scheduler:
                    client = stack.enter_context(Client(self.scheduler, timeout=self.timeout))
                else:
                    cluster, security = stack.enter_context(local_cluster(self.workers))
                    client = stack.enter_context(Client(cluster, timeout=self.timeout, security=security))
            except (OSError, TimeoutError) as error:
                where = self.scheduler or "a local cluster"
                raise Unavailable(f"cannot reach the Dask scheduler at {where} ({error}); nothing was stored") \
                    from None
            first = client.submit(run_variant, base, pure=False)
            futures = [client.submit(run_variant, task, first, pure=False) for task in variants]
            every = [first, *futures]
            unhook = cancel.on_cancel(lambda: client.cancel(every)) if cancel is not None else (lambda: None)
            results: dict[str, dict[str, Any]] = {}
            try:
                for future in as_completed(every):
                    if cancel is not None:
                        cancel.check()
                    result = future.result()
                    results[future.key] = result
                    on_result(result)
            except Cancelled:
                raise
            except KilledWorker as error:  # the scheduler ran it again on other workers, and each of them died too
                last = getattr(getattr(error, "last_worker", None), "address", None) or "unknown"
                log.warning("a sweep's task was given up: its workers died (last %s)", last)  # the operator's log
                raise Unavailable(f"a run's Dask worker died while solving it (the scheduler gave up after "
                                  f"{getattr(error, 'allowed_failures', '?')} more tries): nothing was stored; "
                                  "run the sweep again") from None
            except Exception:
                if cancel is not None:
                    cancel.check()  # a cancelled future's error is the cancel
                raise
            finally:
                unhook()
            return results[first.key], [results[f.key] for f in futures]


def _first_gap(gaps: Sequence[Gap], problem: PlannerProblem) -> str | None:
    if not gaps:
        return None
    gap = min(gaps, key=lambda g: (g.periods[0], g.task))
    return f"{gap.task} from {period_label(problem.horizon, gap.periods[0])}"


def finished_runs(prepared: PreparedSweep, base: dict[str, Any],
                  variants: list[dict[str, Any]]) -> list[FinishedRun]:
    """Return the runs to store, the base first, each with its row of the side-by-side comparison."""
    base_plan = Plan.model_validate(base["plan"])
    runs = []
    for result in [base, *variants]:
        plan = Plan.model_validate(result["plan"])
        key = result["key"]
        opened = [] if key == BASE else opened_gaps(base_plan, plan)
        earliest = _first_gap(plan.gaps if key == BASE else [g for o in opened for g in o.gaps], prepared.problem)
        asks = ask_lines(plan.asks, prepared.problem.horizon) if plan.asks is not None else None
        note = "" if asks is not None else ("reaches the target: nothing to ask for" if prepared.spec.asks else
                                            ASKS_HOW)
        row = {"key": key, "label": prepared.labels.get(key, key), "status": plan.status,
               "coverage": plan.coverage, "bound": plan.bound, "loss": base_plan.coverage - plan.coverage,
               "gaps": len(plan.gaps), "missing": unit_months(plan.gaps), "earliest": earliest,
               "opened": [o.task for o in opened], "asks": asks, "asks_note": note,
               "wall_seconds": round(float(result["wall_seconds"]), 3),
               "cpu_seconds": round(float(result["cpu_seconds"]), 3)}
        settings = {"method": "sweep", "time_limit": float(prepared.spec.seconds), "seed": prepared.spec.seed}
        runs.append(FinishedRun(key=key, label=prepared.labels.get(key, key), problem=result["problem"], plan=plan,
                                settings=settings, row=row))
    return runs


def run_sweep(spec: SweepSpec, *, read: Callable[[Callable[[Session], Any]], Any],
              write: Callable[[Callable[[Session], Any]], Any], executor: Executor, where: dict[str, Any],
              on_result: Callable[[int, int, str], None] | None = None, on_marking: Callable[[str], None] | None = None,
              cancel: CancelToken | None = None, file: str = "sweep") -> SweepDetail:
    """Prepare the sweep as the caller, solve its runs with the executor, then store it whole in one write."""
    prepared: PreparedSweep = read(lambda db: prepare_sweep(spec, db=db, file=file))
    if on_marking is not None:
        on_marking(prepared.marking)
    base_task, tasks = prepared.tasks()
    total, done = len(tasks) + 1, [0]

    def finished(result: dict[str, Any]) -> None:
        done[0] += 1
        if on_result is not None:
            on_result(done[0], total, prepared.labels.get(result["key"], result["key"]))

    base, variants = executor(base_task, tasks, finished, cancel)
    runs = finished_runs(prepared, base, variants)
    settings = {**where, "seconds": float(spec.seconds), "runs": total}
    return write(lambda db: store_sweep(db=db, name=spec.name, scenario=spec.scenario,
                                        spec=spec.model_dump(mode="json", by_alias=True, exclude_none=True),
                                        rel_to=prepared.marking, runs=runs, settings=settings))
