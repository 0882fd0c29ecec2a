"""`reassure sweep` on a real Dask LocalCluster (started once for the module) and SQLite: every run stored as a plan
of the sweep, compared side by side; a submitter sees only their nation's releasable pledges in the stored plans; a
bad sweep file names its line and field and writes nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reassure.db.uow import unit_of_work
from reassure.domains.audit.models import AuditEntry
from reassure.domains.plans.models import StoredPlan
from reassure.domains.scenarios.importing import import_document
from reassure.domains.sweeps.models import Sweep
from reassure.scenario_io.load import load_document
from tests.conftest import Cli, raw_counts, who
from tests.scenario_io.samples import VALID, write

SWEEP = """\
name: small withdrawals
scenario: small
seconds: 1
seed: 1
variants:
  withdrawals: each
  flags: {us_backstop: false}
  surges:
    - {task: AIR-WEST, factor: 1.5, from: 0, to: 5}
"""


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A local Dask cluster of two worker processes, shared by the module (starting one takes a few seconds)."""
    import logging

    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR, host="127.0.0.1") as local:
        yield str(local.scheduler_address)


@pytest.fixture
def sqlite_cli(tmp_path: Path) -> Cli:
    """The CLI on a migrated SQLite file (the API's sweeps run on both databases: tests/api/routes/test_sweeps.py)."""
    from reassure import migrations
    from reassure.db.uow import engine_for
    from reassure.settings import Settings

    url = f"sqlite:///{tmp_path / 'sweep.sqlite'}"
    migrations.upgrade(engine_for(Settings(database_url=url)))
    return Cli(url)


def _load(cli: Cli, tmp_path: Path) -> None:
    from reassure.settings import Settings

    with unit_of_work(Settings(database_url=cli.url), identity=who("FRA")) as db:
        import_document(load_document(write(tmp_path, VALID)), db=db, origin="tests")


@pytest.mark.slow
def test_a_sweep_runs_on_a_local_cluster_as_its_submitter_and_stores_every_run(sqlite_cli: Cli, cluster: str,
                                                                               tmp_path: Path) -> None:
    _load(sqlite_cli, tmp_path)
    file = write(tmp_path, SWEEP, "sweep.yaml")
    code, out, err = sqlite_cli("sweep", str(file), "--scheduler", cluster, "--json", nation="GBR")
    assert code == 0, err
    detail: dict[str, Any] = json.loads(out)[0]
    keys = [r["key"] for r in detail["runs"]]
    assert keys[0] == "base" and sorted(keys[1:]) == ["flags-us_backstop=false", "surge-AIR-WEST-×1.5-0-5",
                                                       "without-FRA", "without-GBR"]
    runs = {r["key"]: r for r in detail["runs"]}
    # FRA's squadrons serve only with the US backstop: without it (or without France) coverage falls the same way.
    assert runs["without-FRA"]["loss"] > 0 and runs["without-FRA"]["earliest"]
    assert runs["flags-us_backstop=false"]["coverage"] == pytest.approx(runs["without-FRA"]["coverage"])
    assert runs["base"]["loss"] == 0 and "asks job" in runs["base"]["asks_note"]
    assert detail["marking"] == "REL TO FRA, GBR"  # the GBR pledge is REL TO GBR, FRA: most restrictive input
    assert raw_counts(sqlite_cli.url, Sweep, StoredPlan) == (1, 5)
    code, out, _ = sqlite_cli("plans", "list", "--json", nation="GBR")
    plans = json.loads(out)
    assert {p["id"] for p in plans} == {r["plan"] for r in detail["runs"]}
    base_plan = runs["base"]["plan"]
    assert all(p["base"] == base_plan for p in plans if p["id"] != base_plan)
    code, out, _ = sqlite_cli("sweeps", "show", detail["id"], nation="GBR")
    assert code == 0 and "without France" in out and "opens first" in out
    code, out, _ = sqlite_cli("sweeps", "list", nation="DEU")  # not released to Germany: none listed
    assert code == 0 and detail["id"] not in out

    # A German planner sweeps the same scenario: only what Germany reads goes into the problems (FRA-FS is PUBLIC,
    # GBR-FS is REL TO GBR, FRA), so the sweep is PUBLIC, GBR is no contributor, and no GBR unit is stored.
    file = write(tmp_path, SWEEP.replace("withdrawals: each", "withdrawals: [each]"), "sweep-deu.yaml")
    code, out, err = sqlite_cli("sweep", str(file), "--scheduler", cluster, "--json", nation="DEU")
    assert code == 0, err
    detail = json.loads(out)[0]
    assert detail["marking"] == "PUBLIC"
    assert sorted(r["key"] for r in detail["runs"]) == ["base", "flags-us_backstop=false", "surge-AIR-WEST-×1.5-0-5",
                                                        "without-FRA"]  # GBR contributes nothing Germany reads
    code, out, _ = sqlite_cli("plans", "show", detail["runs"][0]["plan"], "--json", nation="DEU")
    units = json.loads(out)[0]["problem"]["units"]
    assert units and {u["nation"] for u in units} == {"FRA"}
    code, out, _ = sqlite_cli("plans", "list", "--json", nation="DEU")  # GBR's sweep's plans stay hidden
    assert {p["id"] for p in json.loads(out)} == {r["plan"] for r in detail["runs"]}


def test_a_bad_sweep_file_names_line_and_field_and_writes_nothing(sqlite_cli: Cli, tmp_path: Path) -> None:
    _load(sqlite_cli, tmp_path)
    before = raw_counts(sqlite_cli.url, Sweep, StoredPlan, AuditEntry)
    bad = SWEEP.replace("seconds: 1", "seconds: soon").replace("factor: 1.5", "factor: 1.5, extra: 1")
    code, _, err = sqlite_cli("sweep", str(write(tmp_path, bad, "bad.yaml")), nation="GBR")
    assert code == 2
    assert "bad.yaml:3: seconds: expected a number of seconds" in err
    assert "bad.yaml:9: variants.surges[0]:" in err and "one of them" in err
    unknown = SWEEP.replace("flags: {us_backstop: false}", "flags: {us_backstop: false}\n  nations: [FRA]")
    code, _, err = sqlite_cli("sweep", str(write(tmp_path, unknown, "unknown.yaml")), nation="GBR")
    assert code == 2 and "unknown.yaml:8: variants.nations: unknown key" in err
    no_task = SWEEP.replace("task: AIR-WEST", "task: SEA-EAST")
    code, _, err = sqlite_cli("sweep", str(write(tmp_path, no_task, "task.yaml")), nation="GBR")
    assert code == 2 and "SEA-EAST" in err and "task.yaml" in err
    assert raw_counts(sqlite_cli.url, Sweep, StoredPlan, AuditEntry) == before


def test_a_run_above_the_base_is_said_to_be_within_the_solvers_reach(capsys: pytest.CaptureFixture[str]) -> None:
    """A withdrawal cannot add coverage: a run above the base means the base's solve stopped short of its best, and
    the comparison says so beside each run's best possible, rather than let a reader think the withdrawal helps."""
    from datetime import UTC, datetime

    from reassure.cli.sweep import show_sweep
    from reassure.domains.sweeps.schemas import SweepDetail, SweepRun

    def run(key: str, label: str, coverage: float, loss: float) -> SweepRun:
        return SweepRun(key=key, label=label, plan=None, status="feasible", coverage=coverage, bound=0.857,
                        loss=loss, gaps=3, missing=12, earliest=None, opened=[], asks=None)

    detail = SweepDetail(id="sweep_x", name="withdrawals", scenario="illustrative", variants=1, base_coverage=0.813,
                         worst=None, author="gbr-planner", created_at=datetime(2026, 12, 7, tzinfo=UTC),
                         marking="PUBLIC", spec={}, settings={}, runs=[run("base", "base", 0.813, 0.0),
                                                                      run("without-LUX", "without Luxembourg", 0.818,
                                                                          -0.005)])
    show_sweep(detail)
    out = " ".join(capsys.readouterr().out.split())
    assert "81.8% (at most 85.7%)" in out and "+0.5 pts" in out
    assert "does not mean the change helps" in out and "85.7% at most" in out
    detail.runs[1] = run("without-FRA", "without France", 0.603, 0.21)
    show_sweep(detail)
    assert "does not mean the change helps" not in capsys.readouterr().out
