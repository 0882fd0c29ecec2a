"""The seeded instance generator: same seed, same problem; sizes as named."""

from __future__ import annotations

from reassure.planner.generate import generate
from reassure.planner.solver.baseline import greedy_plan


def test_generator_is_seeded_and_sized() -> None:
    a, b = generate("realistic", seed=5), generate("realistic", seed=5)
    assert a == b and a != generate("realistic", seed=6)
    assert (len(a.nations), len(a.units), len(a.tasks), a.horizon.periods) == (26, 150, 20, 36)
    large = generate("large", seed=0)
    assert (len(large.nations), len(large.units), len(large.tasks), large.horizon.periods) == (35, 500, 60, 156)
    assert large.horizon.period == "week"
    assert greedy_plan(a).gaps  # demand strains supply
