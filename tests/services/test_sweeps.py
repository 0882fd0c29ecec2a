"""A sweep in process (the inline executor) on both databases: stopped part-way, or failing while it stores, it
leaves nothing stored; its plans are never the scenario's default plan; the variants a file names expand to the
what-if changes on the problem as the submitter reads it; a surge's factor becomes per-period extra units."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reassure.db.uow import unit_of_work
from reassure.domains.audit.models import AuditEntry
from reassure.domains.plans.models import StoredPlan
from reassure.domains.plans.service import default_plan
from reassure.domains.scenarios.importing import import_document
from reassure.domains.sweeps.models import Sweep
from reassure.planner.analysis.sweep import SweepSpec, drawn, expand, surge_changes
from reassure.planner.analysis.whatif import Surge, Withdraw
from reassure.planner.solver.runtime import Cancelled, CancelToken
from reassure.scenario_io.load import load_document
from reassure.services.sweep_files import read_sweep
from reassure.services.sweeps import prepare_sweep, run_inline, run_sweep
from reassure.settings import Settings
from tests.conftest import raw_counts, who
from tests.scenario_io.samples import VALID, write

SPEC = read_sweep("name: s\nscenario: small\nseconds: 0.3\nvariants:\n  withdrawals: each\n  draws: 1\n")


def _loaded(settings: Settings, tmp_path: Path) -> None:
    with unit_of_work(settings, identity=who("FRA")) as db:
        import_document(load_document(write(tmp_path, VALID)), db=db, origin="tests")


def _sweep(settings: Settings, executor: Any = run_inline, cancel: CancelToken | None = None) -> Any:
    gbr = who("GBR")

    def read(work: Any) -> Any:
        with unit_of_work(settings, identity=gbr) as db:
            return work(db)

    return run_sweep(SPEC, read=read, write=read, executor=executor, where={"scheduler": "inline"}, cancel=cancel)


def test_a_sweep_stopped_or_failing_part_way_stores_nothing(settings: Settings, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from reassure.domains.sweeps import actions

    _loaded(settings, tmp_path)
    before = raw_counts(settings.database_url, Sweep, StoredPlan, AuditEntry)
    token = CancelToken()

    def stop_after_two(base: Any, tasks: Any, on_result: Any, cancel: Any = None) -> Any:
        seen = [0]

        def count(result: Any) -> None:
            on_result(result)
            seen[0] += 1
            if seen[0] == 2:
                token.cancel()  # Ctrl-C, or a job's cancel
        return run_inline(base, tasks, count, cancel)

    with pytest.raises(Cancelled):
        _sweep(settings, stop_after_two, token)
    assert raw_counts(settings.database_url, Sweep, StoredPlan, AuditEntry) == before

    real, calls = actions.store_plan, [0]

    def third_fails(**kwargs: Any) -> Any:  # the database refusing the third plan, say
        calls[0] += 1
        if calls[0] == 3:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(actions, "store_plan", third_fails)
    with pytest.raises(RuntimeError):
        _sweep(settings)
    assert calls[0] == 3 and raw_counts(settings.database_url, Sweep, StoredPlan, AuditEntry) == before

    monkeypatch.setattr(actions, "store_plan", real)
    detail = _sweep(settings)
    assert len(detail.runs) == 4 and raw_counts(settings.database_url, Sweep, StoredPlan) == (1, 4)
    with unit_of_work(settings, identity=who("GBR")) as db:  # a sweep's plans are never a scenario's default plan
        assert default_plan("small", db=db) is None


def test_variants_expand_on_the_problem_as_read(settings: Settings, tmp_path: Path) -> None:
    _loaded(settings, tmp_path)
    spec = SweepSpec.model_validate({"name": "x", "scenario": "small", "seconds": 1, "period": 2, "variants": {
        "withdrawals": ["each", {"pairs-of-largest": 2}, ["fra", "GBR"]],
        "flags": [{"us_backstop": False}, {}], "surges": [{"task": "AIR-WEST", "factor": 1.5, "from": 3, "to": 4}],
        "draws": {"count": 2, "seed": 7}}})
    with unit_of_work(settings, identity=who("GBR")) as db:
        prepared = prepare_sweep(spec, db=db)
    keys = [v.key for v in prepared.variants]
    assert keys == ["without-FRA", "without-GBR", "without-FRA-GBR", "flags-us_backstop=false",
                    "surge-AIR-WEST-×1.5-3-4", "draw-7", "draw-8"]  # the pair and the list are one run
    pair = prepared.variants[2]
    assert pair.changes == [Withdraw(nation="FRA", period=2), Withdraw(nation="GBR", period=2)]
    assert pair.label == "without France and United Kingdom"
    assert prepared.variants[4].changes == [Surge(task="AIR-WEST", start=3, end=4, extra=1)]  # 2 × 1.5 = 3
    assert drawn(prepared.problem, 7) == drawn(prepared.problem, 7)  # a draw is repeatable
    with unit_of_work(settings, identity=who("DEU")) as db:  # GBR-FS is not released to Germany
        assert [v.key for v in prepare_sweep(spec.model_copy(update={"variants": spec.variants.model_copy(
            update={"withdrawals": "each", "flags": None, "surges": None, "draws": None})}), db=db).variants] == \
            ["without-FRA"]


def test_a_surge_factor_adds_per_period_runs() -> None:
    from reassure.planner.generate import generate

    problem = generate("small", seed=1)
    task = problem.tasks[0].model_copy(update={"demand": [1, 2, 2, 4] + [0] * (problem.horizon.periods - 4)})
    problem = problem.model_copy(update={"tasks": [task, *problem.tasks[1:]]})
    spec = SweepSpec.model_validate({"name": "x", "scenario": "s", "seconds": 1, "variants": {
        "surges": [{"task": task.id, "factor": 1.5, "to": 3}]}})
    surges = spec.variants.surges or []
    # 1, 2, 2, 4 × 1.5 rounded half up: 2, 3, 3, 6, so one unit more in periods 0-2 and two in period 3
    assert surge_changes(problem, surges[0]) == [Surge(task=task.id, start=0, end=2, extra=1),
                                                 Surge(task=task.id, start=3, end=3, extra=2)]
    with pytest.raises(ValueError, match="no variant"):
        expand(SweepSpec.model_validate({"name": "x", "scenario": "s", "seconds": 1, "variants": {}}), problem)


@pytest.mark.slow
def test_the_local_cluster_answers_only_its_own_client() -> None:
    """A sweep's own LocalCluster holds problems released to the submitter's nation: its scheduler speaks TLS with
    throw-away certificates, so a plain client, or one with other certificates, is refused (another local user)."""
    from distributed import Client
    from distributed.security import Security

    from reassure.services.sweeps import local_cluster

    with local_cluster(1) as (cluster, security):
        address = str(cluster.scheduler_address)
        assert address.startswith("tls://127.0.0.1:")
        with Client(cluster, security=security, timeout=20) as own:
            assert own.submit(sum, [1, 2], pure=False).result(timeout=20) == 3
        for intruder in ({"address": address.replace("tls://", "tcp://")},
                         {"address": address, "security": Security.temporary()}):
            with pytest.raises(Exception), Client(**intruder, timeout=3) as other:  # noqa: B017 (its error types vary)
                other.submit(sum, [1, 2], pure=False).result(timeout=3)
