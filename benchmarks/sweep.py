"""Scenario sweeps on Dask (docs/adr/0053): the speed-up of one sweep with 1, 2 and 4 worker processes against the
same runs one after another in this process, and a cluster's per-task overhead (empty tasks).

Run: PYTHONPATH=src .venv/bin/python benchmarks/sweep.py [--seconds 3] [--runs 8] [--workers 1,2,4] [--empty 200]

The sweep is the bundled `illustrative` demo scenario as a GBR planner reads it (loaded into a temporary SQLite
database; nothing from ../shared/data is needed): the base, then `--runs` single-nation withdrawals, each solved for
`--seconds` with one solver thread. The cluster is started once per worker count (its start is timed apart) and the
sweep's runs go through services/sweeps.DaskExecutor, as `reassure sweep --scheduler` sends them. CPU seconds are
the runs' own (summed over the worker processes, from each run's process time) plus this process's; the load is the
1-minute load average before and after (the machine is shared: a wall time is only as good as the load beside it).
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from demo_data import demo_problem

from reassure.domains.planning.problem import problem_json
from reassure.planner.analysis.sweep import BASE, SweepSpec, Variant, expand, nothing, task_of
from reassure.services.sweeps import DaskExecutor, run_inline


def _load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def _run(executor: Any, base: dict[str, Any], tasks: list[dict[str, Any]]) -> tuple[float, float, float, str]:
    """Return wall seconds, the runs' CPU seconds, this process's CPU seconds and the load before → after."""
    before = _load()
    began, cpu = time.perf_counter(), time.process_time()
    first, rest = executor(base, tasks, lambda _: None)
    wall, here = time.perf_counter() - began, time.process_time() - cpu
    runs = sum(float(r["cpu_seconds"]) for r in [first, *rest])
    return wall, runs, here, f"{before} → {_load()}"


def _overhead(address: str, count: int) -> tuple[float, float, float]:
    """Return the wall seconds of one empty task's round trip and, per task, of `count` empty tasks mapped at once,
    with this process's CPU seconds per task."""
    from distributed import Client, wait

    with Client(address) as client:
        client.submit(nothing, 0, pure=False).result()  # warm: the function is shipped once
        began = time.perf_counter()
        for i in range(20):
            client.submit(nothing, i, pure=False).result()
        single = (time.perf_counter() - began) / 20
        began, cpu = time.perf_counter(), time.process_time()
        wait(client.map(nothing, range(count), pure=False))
        return single, (time.perf_counter() - began) / count, (time.process_time() - cpu) / count


def main() -> None:
    """Print the sweep's wall and CPU seconds per worker count, the speed-up, and the per-task overhead."""
    from distributed import LocalCluster

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="solve time of each run")
    parser.add_argument("--runs", type=int, default=8, help="variants besides the base")
    parser.add_argument("--workers", default="1,2,4", help="worker processes, comma-separated")
    parser.add_argument("--empty", type=int, default=200, help="empty tasks for the overhead")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        problem = demo_problem(Path(folder))
    spec = SweepSpec.model_validate({"name": "benchmark", "scenario": "illustrative", "seconds": args.seconds,
                                     "variants": {"withdrawals": "each"}})
    variants = expand(spec, problem)[:args.runs]
    data = problem_json(problem)
    base = task_of(Variant(key=BASE, label="base"), data, spec)
    tasks = [task_of(v, data, spec) for v in variants]
    print(f"demo problem: {len(problem.units)} units, {len(problem.tasks)} tasks; {len(tasks)} variants + base, "
          f"{args.seconds:g} s each; {os.cpu_count()} CPUs; load {_load()}")
    print("| executor | cluster start s | wall s | speed-up | runs' CPU s | submitter CPU s | load before → after |")
    print("|---|---|---|---|---|---|---|")
    wall, runs, here, load = _run(run_inline, base, tasks)
    inline = wall
    print(f"| inline (this process) | — | {wall:.1f} | 1.00 | {runs:.1f} | {here:.1f} | {load} |")
    overheads = []
    for n in (int(w) for w in args.workers.split(",")):
        began = time.perf_counter()
        with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                          silence_logs=logging.ERROR, host="127.0.0.1") as cluster:
            start = time.perf_counter() - began
            address = str(cluster.scheduler_address)
            wall, runs, here, load = _run(DaskExecutor(scheduler=address), base, tasks)
            print(f"| Dask, {n} worker{'s' if n > 1 else ''} | {start:.1f} | {wall:.1f} | {inline / wall:.2f} | "
                  f"{runs:.1f} | {here:.1f} | {load} |")
            overheads.append((n, *_overhead(address, args.empty), _load()))
    print(f"\nper-task overhead (empty tasks; {args.empty} mapped at once):")
    print("| workers | one task's round trip ms | per task, mapped ms | submitter CPU per task ms | load |")
    print("|---|---|---|---|---|")
    for n, single, mapped, cpu, load in overheads:
        print(f"| {n} | {single * 1000:.1f} | {mapped * 1000:.2f} | {cpu * 1000:.2f} | {load} |")


if __name__ == "__main__":
    main()
