"""A sweep as a job (docs/adr/0053): run as the job's owner, each finished run as the job's progress, on the Dask
scheduler the settings name or, with none, one run after another in the job worker."""

from __future__ import annotations

from reassure.planner.solver.runtime import CancelToken
from reassure.services.caller import Caller
from reassure.services.job_requests import SweepJob
from reassure.services.runs import OnMarking, OnProgress, RunResult
from reassure.services.sweeps import DaskExecutor, Executor, run_inline, run_sweep


def run_sweep_job(request: SweepJob, *, caller: Caller, on_progress: OnProgress, cancel: CancelToken,
                  on_marking: OnMarking) -> RunResult:
    """Run the sweep and store it; the job's result names the sweep, its plan is the base run's."""
    scheduler = caller.settings.sweep_scheduler
    executor: Executor = DaskExecutor(scheduler=scheduler) if scheduler else run_inline
    where = {"scheduler": scheduler or "inline", "via": "job"}

    def finished(done: int, total: int, label: str) -> None:
        on_progress(done / total, None, None, f"{done} of {total} runs finished (last: {label})")

    detail = run_sweep(request.sweep, read=caller.read, write=caller.write, executor=executor, where=where,
                       on_result=finished, on_marking=on_marking, cancel=cancel, file="spec")
    base = detail.runs[0]
    worst = max(detail.runs[1:], key=lambda r: (r.loss, r.key), default=None)
    return RunResult({"sweep": detail.id, "runs": len(detail.runs), "base_coverage": base.coverage,
                      "worst": worst.label if worst else None, "worst_loss": worst.loss if worst else None},
                     base.plan)
