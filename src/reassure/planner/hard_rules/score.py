"""Coverage of a set of tours, computed directly from the tours (no solver)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reassure.planner.index import Instance
from reassure.planner.instance import Tour


@dataclass(frozen=True)
class Score:
    """Covered and demanded weight, coverage and tour count of a set of tours."""

    covered_weight: int
    demand_weight: int
    tours_count: int

    @property
    def coverage(self) -> float:
        """Return covered_weight / demand_weight (1.0 when nothing is demanded)."""
        return self.covered_weight / self.demand_weight if self.demand_weight else 1.0

    def better_than(self, other: Score) -> bool:
        """Tell whether this score wins lexicographically: more weight, then fewer tours."""
        return (self.covered_weight, -self.tours_count) > (other.covered_weight, -other.tours_count)


@dataclass(frozen=True)
class GapCells:
    """Consecutive periods where a task is short by the same number of units."""

    task: str
    first: int
    last: int
    missing: int

    def periods(self) -> list[int]:
        """Return the periods of the gap."""
        return list(range(self.first, self.last + 1))


def on_task(inst: Instance, tours: Sequence[Tour]) -> list[list[int]]:
    """Return the number of distinct units on each task in each period."""
    seen: set[tuple[str, str, int]] = set()
    counts = [[0] * inst.periods for _ in inst.tasks]
    for tour in tours:
        k = inst.task_index.get(tour.task)
        if k is None:
            continue
        for t in range(max(tour.start, 0), min(tour.end, inst.periods - 1) + 1):
            if (tour.unit, tour.task, t) not in seen:
                seen.add((tour.unit, tour.task, t))
                counts[k][t] += 1
    return counts


def score(inst: Instance, tours: Sequence[Tour]) -> Score:
    """Return Σ priority × min(demand, units on task) over tasks and periods, and the tour count."""
    counts = on_task(inst, tours)
    covered = 0
    for k, task in enumerate(inst.tasks):
        covered += task.priority * sum(min(d, c) for d, c in zip(inst.demand[k], counts[k], strict=True))
    return Score(covered, inst.demand_weight(), len(tours))


def gap_cells(inst: Instance, tours: Sequence[Tour]) -> list[GapCells]:
    """Group each task's shortfall into runs of consecutive periods with the same missing count."""
    counts = on_task(inst, tours)
    out = []
    for k, task in enumerate(inst.tasks):
        run: GapCells | None = None
        for t in range(inst.periods):
            missing = max(0, inst.demand[k][t] - counts[k][t])
            if run is not None and (missing != run.missing or missing == 0):
                out.append(run)
                run = None
            if missing > 0:
                run = GapCells(task.id, t if run is None else run.first, t, missing)
        if run is not None:
            out.append(run)
    return out


def cut(tour: Tour, start: int, end: int) -> Tour | None:
    """Return the tour shortened to `start`..`end`, or None when nothing is left."""
    return tour.model_copy(update={"start": start, "end": end}) if start <= end else None


def tour_weight(inst: Instance, counts: list[list[int]], tour: Tour | None) -> int:
    """Return the covered weight a tour contributes, given counts per (task, period) that include it."""
    if tour is None:
        return 0
    k = inst.task_index[tour.task]
    prio = inst.tasks[k].priority
    return sum(prio for t in tour.periods() if counts[k][t] <= inst.demand[k][t])
