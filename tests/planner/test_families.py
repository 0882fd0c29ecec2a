"""The second generator (planner/families.py): every family validates, is seeded, and has its shape."""

from __future__ import annotations

import pytest

from reassure.planner.families import FAMILIES, family_problem
from reassure.planner.index import Instance
from reassure.planner.instance import Problem, dump_json
from reassure.planner.solver.baseline import fill_tours, greedy_tours


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_each_family_validates_and_is_seeded(family: str) -> None:
    a = family_problem(family, 150, seed=4)
    assert Problem.model_validate_json(dump_json(a)) == a  # the §3 schema, through JSON
    assert a == family_problem(family, 150, seed=4) and a != family_problem(family, 150, seed=5)
    assert len(a.units) == 150


def test_families_have_their_shape() -> None:
    capped = family_problem("capped", 150, seed=1)
    serving = {u.nation for u in capped.units}
    assert all(n.max_personnel is not None for n in capped.nations if n.code in serving)
    conditional = family_problem("conditional", 150, seed=1)
    assert sum(bool(u.conditions) for u in conditional.units) > 20 and not conditional.flags["us_backstop"]
    restricted = family_problem("restricted", 150, seed=1)
    assert sum(t.nations is not None for t in restricted.tasks) >= len(restricted.tasks) // 2
    weeks = family_problem("weeks", 150, seed=1)
    assert (weeks.horizon.period, weeks.horizon.periods) == ("week", 104)
    late = family_problem("legal-late", 150, seed=1)
    assert min(i.in_force_from for i in late.legal) >= 6


def test_starved_family_leaves_a_third_or_more_uncovered() -> None:
    inst = Instance(family_problem("starved", 150, seed=1))
    from reassure.planner.hard_rules.score import score

    best = max(score(inst, greedy_tours(inst)).coverage, score(inst, fill_tours(inst)).coverage)
    assert 0.5 < best < 0.8
