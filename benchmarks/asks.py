"""Force-generation asks on the demo scenario (docs/adr/0024): without the US backstop, what to ask nations for to
get back the coverage the plan has with it; each fair-share mode, with the units asked, the coverage verified by the
planner's re-solve, a fresh re-solve with another seed, and wall and CPU seconds.

Run: .venv/bin/python benchmarks/asks.py [--seconds 10] [--seed 1] [--modes strict,prefer]

The demo is the bundled `illustrative` scenario, loaded into a temporary SQLite database as a GBR planner (nothing
from ../shared/data is needed). CPU seconds are this process's (CP-SAT's threads included); on a shared machine the
wall time is the larger.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from demo_data import demo_problem

from reassure.planner.analysis.ask_text import ask_lines
from reassure.planner.analysis.asks import asked_units, find_asks, with_asked
from reassure.planner.solver.solve import solve


def main() -> None:
    """Print the asks on the demo without the US backstop, per fair-share mode."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="time limit of each solve")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--modes", default="strict,prefer", help="fair-share modes, comma-separated")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        problem = demo_problem(Path(folder))
    began, cpu = time.perf_counter(), time.process_time()
    target = solve(problem, time_limit=args.seconds, seed=args.seed)
    print(f"with the US backstop: {target.coverage:.2%} (bound {target.bound:.2%}), "
          f"{time.perf_counter() - began:.1f} s wall, {time.process_time() - cpu:.1f} s CPU; "
          f"load {os.getloadavg()[0]:.1f}")
    without = problem.model_copy(update={"flags": {**problem.flags, "us_backstop": False}})
    print("| fair shares | plan as pledged | units asked | rounds | verified coverage | reached | fresh re-solve "
          "(seed + 1) | wall s | CPU s |")
    print("|---|---|---|---|---|---|---|---|---|")
    texts = []
    for mode in args.modes.split(","):
        began, cpu = time.perf_counter(), time.process_time()
        base, asks = find_asks(without, target.coverage, fair_shares=mode.strip(),  # type: ignore[arg-type]
                               solve_seconds=args.seconds, seed=args.seed)
        wall, used = time.perf_counter() - began, time.process_time() - cpu
        again = solve(with_asked(without, asked_units(asks)), time_limit=args.seconds, seed=args.seed + 1)
        above = sum(a.count for a in asks.asks if a.above_fair_share)
        print(f"| {mode} | {base.coverage:.2%} | {asks.units_asked} ({above} past a fair share) | {asks.rounds} | "
              f"{asks.coverage:.2%} | {'yes' if asks.reached else f'no, {asks.short_by:.2%} short'} | "
              f"{again.coverage:.2%} | {wall:.1f} | {used:.1f} |")
        texts.append((mode, ask_lines(asks, without.horizon)))
    for mode, lines in texts:
        print(f"\n{mode}:")
        for line in lines:
            print(f"  {line}")


if __name__ == "__main__":
    main()
