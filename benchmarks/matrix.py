"""The planner's family x size x seed matrix (run through `benchmarks/planner.py --matrix`, see its docstring).

Each run (greedy walk, fill, solver at 10 s, 60 s or a long limit) goes in a fresh process, so its peak RSS
(getrusage, with the planner's child processes) and CPU seconds (user + system, children included) are its
own. Every run is stored at once in benchmarks/results/matrix.json under the code commit (`git rev-parse HEAD`,
`+dirty` when src/ has uncommitted changes; or `--commit` for a copy of older code on PYTHONPATH) and the cell,
so a long matrix on a busy machine can stop and `--resume`. The best plan and least bound of a cell are taken
over every run of every commit stored, so a long run once made keeps serving as the reference.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "matrix.json"
HELD_OUT = (4, 5)  # seeds kept out of all tuning
LIMITS = (10.0, 60.0)


def code_commit(src: Path) -> str:
    """Return the commit of the code under `src` (`+dirty` if it has uncommitted changes)."""
    try:
        head = subprocess.run(["git", "-C", str(src), "rev-parse", "--short=10", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(src), "status", "--porcelain", "--", "."], capture_output=True,
                               text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")


def _usage() -> tuple[float, float]:
    """Return (CPU seconds, peak RSS MB) of this process and its waited-for children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
    return cpu, (own.ru_maxrss + kids.ru_maxrss) / 1024


def run_one(family: str, units: int, seed: int, method: str, limit: float, workers: int) -> dict[str, Any]:
    """Run one method on one cell in this process and return its figures (called in a fresh process)."""
    from reassure.planner.families import family_problem
    from reassure.planner.hard_rules.validate import validate
    from reassure.planner.index import Instance
    from reassure.planner.solver.baseline import fill_tours, greedy_tours
    from reassure.planner.solver.result import make_plan

    problem = family_problem(family, units, seed)
    cpu0, _ = _usage()
    began = time.perf_counter()
    note = ""
    if method == "lp":
        return {**_lp_bound(problem, limit), "load": os.getloadavg()[0]}
    if method in ("greedy", "fill"):
        inst = Instance(problem)
        tours = greedy_tours(inst) if method == "greedy" else fill_tours(inst)
        plan = make_plan(inst, tours, "feasible", 1.0, time.perf_counter() - began)
        bound = None
    else:
        from reassure.planner.solver.processes import pool as processes
        from reassure.planner.solver.solve import solve_report

        report = solve_report(problem, time_limit=limit, seed=seed, workers=workers)
        processes.stop_all()  # waited for, so their CPU time and peak memory count
        plan, bound = report.plan, report.plan.bound
        note = f"{report.parts} parts" + (", greedy returned" if report.used_greedy else "")
        origin = getattr(report, "origin", None)
        note += f", start {origin}" if origin else ""
    wall = time.perf_counter() - began
    cpu1, peak = _usage()
    return {
        "coverage": plan.coverage, "bound": bound, "status": plan.status, "tours": plan.tours_count,
        "wall": round(wall, 2), "cpu": round(cpu1 - cpu0, 2), "peak_mb": round(peak), "load": os.getloadavg()[0],
        "valid": validate(problem, plan).valid, "note": note,
    }


def _lp_bound(problem: Any, limit: float) -> dict[str, Any]:
    """Return the column-generation LP bound of a problem, each part's and the whole's grown up to `limit` seconds
    in all (no plan: coverage 0): a reference bound for the matrix, cheap on 150 units."""
    import math

    from reassure.planner.index import Instance
    from reassure.planner.solver.baseline import start_tours
    from reassure.planner.solver.columns.generation import ColumnGeneration
    from reassure.planner.solver.decompose import parts, sub_instance, tours_of

    cpu0, _ = _usage()
    began = time.perf_counter()
    inst = Instance(problem)
    start, _name = start_tours(inst)
    plist = parts(inst)
    total = 0.0
    converged = True
    for p in plist:
        sub = sub_instance(inst, p)
        pool = ColumnGeneration(sub, tours_of(p, inst, start)).grow(limit / 2 * p.size / sum(q.size for q in plist))
        total += min(pool.bound, float(sub.demand_weight()))
        converged &= pool.converged
    whole = ColumnGeneration(inst, start).grow(max(1.0, limit - (time.perf_counter() - began)))
    bound = min(total, whole.bound, float(inst.demand_weight()))
    cpu1, peak = _usage()
    weight = inst.demand_weight() or 1
    return {"coverage": 0.0, "bound": math.floor(bound + 1e-6) / weight, "status": "bound", "tours": 0,
            "wall": round(time.perf_counter() - began, 2), "cpu": round(cpu1 - cpu0, 2), "peak_mb": round(peak),
            "valid": True, "note": f"parts converged {converged}, whole converged {whole.converged}"}


def _child(args: tuple[Any, ...], queue: Any) -> None:
    try:
        queue.put(run_one(*args))
    except Exception as exc:  # report, don't hang the parent
        queue.put({"error": f"{type(exc).__name__}: {exc}"})


def in_child(family: str, units: int, seed: int, method: str, limit: float, workers: int) -> dict[str, Any]:
    """Run one method on one cell in a fresh process and return its figures."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=((family, units, seed, method, limit, workers), queue))
    proc.start()
    try:
        result: dict[str, Any] = queue.get(timeout=3 * limit + 300)
    except Exception:
        proc.kill()
        result = {"error": "no result in time, stopped"}
    proc.join()
    return result


def load() -> dict[str, Any]:
    """Return the stored results: commit -> cell -> method -> figures."""
    return json.loads(RESULTS.read_text()) if RESULTS.exists() else {}


def save(data: dict[str, Any], commit: str, key: str) -> None:
    """Store one cell's runs of one commit (merged under a lock, so two matrices may run at once)."""
    import fcntl

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with open(RESULTS.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        stored = load()
        stored.setdefault(commit, {})[key] = data[commit][key]
        tmp = RESULTS.with_suffix(".tmp")
        tmp.write_text(json.dumps(stored, indent=1, sort_keys=True) + "\n")
        tmp.replace(RESULTS)
        data.update({c: v for c, v in stored.items() if c != commit})


def cell_key(family: str, units: int, seed: int) -> str:
    """Return the key of a cell."""
    return f"{family}/{units}/{seed}"


def references(data: dict[str, Any]) -> dict[str, tuple[float, float]]:
    """Return per cell the best coverage and the least bound any stored run found."""
    out: dict[str, tuple[float, float]] = {}
    for cells in data.values():
        for key, runs in cells.items():
            best, bound = out.get(key, (0.0, 1.0))
            for r in runs.values():
                if "error" in r or not r.get("valid", False):
                    continue
                best = max(best, r["coverage"])
                if r.get("bound") is not None:
                    bound = min(bound, r["bound"])
            out[key] = (best, bound)
    return out


def _seeds(text: str) -> list[int]:
    if "-" in text:
        a, b = text.split("-")
        return list(range(int(a), int(b) + 1))
    return [int(x) for x in text.split(",")]


def main(argv: Sequence[str]) -> None:
    """Run the matrix (or what is asked of it) and print the table."""
    from reassure.planner.families import FAMILIES, SIZES

    parser = argparse.ArgumentParser(prog="planner.py --matrix")
    parser.add_argument("--quick", action="store_true", help="10 s on 150 units only")
    parser.add_argument("--resume", action="store_true", help="skip runs stored for this commit")
    parser.add_argument("--long", type=float, default=0.0, help="also a run of this many seconds")
    parser.add_argument("--families", default=",".join(FAMILIES))
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--seeds", default="1-5")
    parser.add_argument("--limits", default=",".join(f"{x:g}" for x in LIMITS))
    parser.add_argument("--lp", type=float, default=0.0, help="also the LP bound alone, grown up to this many s")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--commit", default="", help="label of the code on PYTHONPATH (default: its git commit)")
    parser.add_argument("--report-only", action="store_true", help="print the stored figures, run nothing")
    parser.add_argument("--raw", action="store_true", help="with --report-only: each run's own figures (markdown)")
    parser.add_argument("--against", default="", help="with --report-only: compare with this commit (markdown)")
    args = parser.parse_args(argv)
    import reassure

    commit = args.commit or code_commit(Path(reassure.__file__).resolve().parent)
    families = args.families.split(",")
    sizes = [150] if args.quick else [int(x) for x in args.sizes.split(",")]
    limits = [10.0] if args.quick else [float(x) for x in args.limits.split(",") if x]
    if args.long:
        limits.append(args.long)
    seeds = _seeds(args.seeds)
    data = load()
    mine = data.setdefault(commit, {})
    if not args.report_only:
        for units in sizes:
            for family in families:
                for seed in seeds:
                    key = cell_key(family, units, seed)
                    runs = mine.setdefault(key, {})
                    methods = [("greedy", 0.0), ("fill", 0.0)] + [(f"solve@{x:g}", x) for x in limits]
                    methods += [("lp", args.lp)] if args.lp else []
                    for method, limit in methods:
                        if args.resume and method in runs and "error" not in runs[method]:
                            continue
                        runs[method] = in_child(family, units, seed, method, limit, args.workers)
                        save(data, commit, key)
                        r = runs[method]
                        figure = r.get("error") or (f"{r['coverage']:.2%} in {r['wall']:.1f} s wall, "
                                                    f"{r['cpu']:.1f} s CPU, load {r['load']:.1f}")
                        print(f"  {commit} {key} {method}: {figure}", flush=True)
    if args.raw:
        print_raw(data, commit, families, sizes, seeds, limits)
        return
    if args.against:
        print_against(data, args.against, commit, families, sizes, seeds, limits)
        return
    print_table(data, commit, families, sizes, seeds, limits)


def print_against(
    data: dict[str, Any], old: str, new: str, families: Sequence[str], sizes: Sequence[int], seeds: Sequence[int],
    limits: Sequence[float],
) -> None:
    """Print, per cell, the old and the new commit's plan / own bound side by side, against the best simple plan,
    the best plan and the least bound any stored run found (markdown)."""
    ref = references(data)
    a, b = data.get(old, {}), data.get(new, {})
    head = "| family | units | seed | best simple | " + " | ".join(
        f"@{x:g} s old | @{x:g} s now (to best, to bound; CPU s)" for x in limits) + " | best known | least bound |"
    print(f"old {old}, now {new}\n\n{head}\n|" + "---|" * (head.count("|") - 1))
    for units in sizes:
        for family in families:
            for seed in seeds:
                key = cell_key(family, units, seed)
                ra, rb = a.get(key, {}), b.get(key, {})
                if not ra and not rb:
                    continue
                best, bound = ref.get(key, (0.0, 1.0))
                simple = max(_cov(rb or ra, "greedy"), _cov(rb or ra, "fill"))
                cells = [f"{simple:.2%}"]
                for x in limits:
                    name = f"solve@{x:g}"
                    o, n = ra.get(name), rb.get(name)
                    cells.append(f"{o['coverage']:.2%} / {o['bound']:.2%}" if o and "error" not in o else "not run")
                    if n and "error" not in n:
                        c = n["coverage"]
                        below = " **below simple**" if c < simple - 1e-9 else ""
                        cells.append(f"{c:.2%} / {n['bound']:.2%} ({(best - c) / best:.2%}, {(bound - c) / bound:.2%}; "
                                     f"{n['cpu']:.1f}){below}")
                    else:
                        cells.append("not run")
                print(f"| {family} | {units} | {seed} | " + " | ".join(cells) + f" | {best:.2%} | {bound:.2%} |")


def print_raw(
    data: dict[str, Any], commit: str, families: Sequence[str], sizes: Sequence[int], seeds: Sequence[int],
    limits: Sequence[float],
) -> None:
    """Print each run's own figures (coverage, its own bound, wall and CPU seconds, load) as a markdown table."""
    mine = data.get(commit, {})
    head = "| family | units | seed | greedy | fill | " + " | ".join(
        f"@{x:g} s plan / own bound (wall, CPU s, load)" for x in limits) + " | peak MB |"
    print(f"code {commit}\n\n{head}\n|" + "---|" * (head.count("|") - 1))
    for units in sizes:
        for family in families:
            for seed in seeds:
                runs = mine.get(cell_key(family, units, seed), {})
                cells = [f"{_cov(runs, 'greedy'):.2%}", f"{_cov(runs, 'fill'):.2%}"] if runs else ["not run", ""]
                peak = 0
                for x in limits:
                    r = runs.get(f"solve@{x:g}")
                    if not r or "error" in r:
                        cells.append("not run" if not r else f"error: {r['error'][:40]}")
                        continue
                    peak = max(peak, r["peak_mb"])
                    flag = "" if r["valid"] else " INVALID"
                    cells.append(f"{r['coverage']:.2%} / {r['bound']:.2%} ({r['wall']:.1f}, {r['cpu']:.1f}, "
                                 f"{r['load']:.1f}){flag}")
                print(f"| {family} | {units} | {seed} | " + " | ".join(cells) + f" | {peak or ''} |")


def print_table(
    data: dict[str, Any], commit: str, families: Sequence[str], sizes: Sequence[int], seeds: Sequence[int],
    limits: Sequence[float],
) -> None:
    """Print one row per cell of this commit, tuning seeds first and held-out seeds apart."""
    ref = references(data)
    mine = data.get(commit, {})
    cols = "".join(f"{'@' + format(x, 'g') + 's':>8}{'gapBK':>7}{'gapLB':>7}{'wall':>6}{'cpu':>6}" for x in limits)
    head = f"{'family':<12}{'units':>6}{'seed':>5}{'greedy':>8}{'fill':>8}{cols}"
    head += f"{'best':>8}{'bound':>8}{'MB':>6}{'load':>5}"
    print(f"\ncode {commit}; best and bound over every stored run; gapBK = (best - plan) / best, "
          "gapLB = (bound - plan) / bound; wall and CPU seconds")
    for title, group in (("tuning seeds", [s for s in seeds if s not in HELD_OUT]),
                         ("held-out seeds (never tuned on)", [s for s in seeds if s in HELD_OUT])):
        if not group:
            continue
        print(f"\n{title}\n{head}\n{'-' * len(head)}")
        for units in sizes:
            for family in families:
                for seed in group:
                    key = cell_key(family, units, seed)
                    runs = mine.get(key)
                    if not runs:
                        print(f"{family:<12}{units:>6}{seed:>5}  not run for this commit")
                        continue
                    print(_row(family, units, seed, runs, ref.get(key, (0.0, 1.0)), limits))


def _row(family: str, units: int, seed: int, runs: dict[str, Any], ref: tuple[float, float],
         limits: Sequence[float]) -> str:
    best, bound = ref

    def cov(name: str) -> str:
        r = runs.get(name)
        return f"{r['coverage']:>8.2%}" if r and "error" not in r else f"{'-':>8}"

    out = f"{family:<12}{units:>6}{seed:>5}{cov('greedy')}{cov('fill')}"
    peak, load = 0, 0.0
    for x in limits:
        r = runs.get(f"solve@{x:g}")
        if not r or "error" in r:
            out += f"{'-':>8}{'':>7}{'':>7}{'':>6}{'':>6}"
            continue
        c = r["coverage"]
        mark = "" if r["valid"] else "!"
        below = "<" if c < max(_cov(runs, "greedy"), _cov(runs, "fill")) - 1e-9 else ""
        out += f"{below + mark + format(c, '.2%'):>8}{(best - c) / best if best else 0:>7.2%}"
        out += f"{(bound - c) / bound if bound else 0:>7.2%}{r['wall']:>6.1f}{r['cpu']:>6.1f}"
        peak, load = max(peak, r["peak_mb"]), max(load, r["load"])
    return out + f"{best:>8.2%}{bound:>8.2%}{peak:>6}{load:>5.1f}"


def _cov(runs: dict[str, Any], name: str) -> float:
    r = runs.get(name)
    return float(r["coverage"]) if r and "error" not in r else 0.0
