"""A Dask worker killed (SIGKILL) while it solves a sweep's run, on both databases (ADR 0053): the scheduler runs
the lost task again on a worker that lives (its nanny starts a new one) and the sweep stores every run once; when
the scheduler may not retry, the sweep fails with a clear error and stores nothing, and no job is left running."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from reassure.core.errors import Unavailable
from reassure.db.uow import unit_of_work
from reassure.domains.audit.models import AuditEntry
from reassure.domains.plans.models import StoredPlan
from reassure.domains.scenarios.importing import load_bundled
from reassure.domains.sweeps.models import Sweep
from reassure.services.sweep_files import read_sweep
from reassure.services.sweeps import DaskExecutor, run_sweep
from reassure.settings import Settings
from tests.conftest import raw_counts, who

# Three runs of the demo's scenario (base, Poland and Germany withdrawn together, the flag), each solved for its whole
# 2 s (the scenario is too large to be proved optimal sooner) on two single-thread workers: a kill finds one solving.
SPEC = read_sweep("name: killed\nscenario: illustrative\nseconds: 2\nvariants:\n  withdrawals: [POL, DEU]\n"
                  "  flags: {us_backstop: false}\n")


def _cluster(allowed_failures: int) -> Iterator[str]:
    import logging

    import dask
    from distributed import LocalCluster

    with dask.config.set({"distributed.scheduler.allowed-failures": allowed_failures}), \
            LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                         silence_logs=logging.CRITICAL, host="127.0.0.1") as cluster:
        yield str(cluster.scheduler_address)


@pytest.fixture(scope="module")
def retrying() -> Iterator[str]:
    """A local cluster whose scheduler runs a lost task again (Dask's default: three more tries)."""
    yield from _cluster(3)


@pytest.fixture(scope="module")
def not_retrying() -> Iterator[str]:
    """A local cluster whose scheduler gives a lost task up at once."""
    yield from _cluster(0)


def _killer(address: str, killed: list[str]) -> threading.Thread:
    """Kill, with SIGKILL, the process of the first worker seen solving a task (within 30 s); note its address."""
    from distributed import Client

    def kill() -> None:
        with Client(address, timeout=30) as client:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                busy = [worker for worker, keys in client.processing().items() if keys]
                if busy:
                    pid = client.run(os.getpid, workers=busy[:1])[busy[0]]
                    time.sleep(0.5)  # well inside the run's 2 s solve
                    os.kill(pid, signal.SIGKILL)
                    killed.append(busy[0])
                    return
                time.sleep(0.05)

    return threading.Thread(target=kill, daemon=True)


def _loaded(settings: Settings) -> None:
    with unit_of_work(settings, identity=who("FRA")) as db:
        load_bundled(db=db)


def _sweep(settings: Settings, address: str) -> Any:
    gbr = who("GBR")

    def read(work: Any) -> Any:
        with unit_of_work(settings, identity=gbr) as db:
            return work(db)

    return run_sweep(SPEC, read=read, write=read, executor=DaskExecutor(scheduler=address),
                     where={"scheduler": address})


def _workers(address: str) -> set[str]:
    """The addresses of the cluster's workers, once it has two again."""
    from distributed import Client

    with Client(address, timeout=30) as client:
        client.wait_for_workers(2, timeout=30)
        return set(client.scheduler_info()["workers"])


@pytest.mark.slow
def test_a_worker_killed_mid_solve_is_replaced_and_every_run_stored_once(settings: Settings, retrying: str,
                                                                         ) -> None:
    _loaded(settings)
    killed: list[str] = []
    killer = _killer(retrying, killed)
    killer.start()
    detail = _sweep(settings, retrying)
    killer.join(timeout=35)
    assert killed and killed[0] not in _workers(retrying), "no worker was killed mid-solve"
    assert sorted(r.key for r in detail.runs) == ["base", "flags-us_backstop=false", "without-POL-DEU"]
    assert raw_counts(settings.database_url, Sweep, StoredPlan) == (1, 3)  # each run once, none lost or doubled


@pytest.mark.slow
def test_a_worker_killed_with_no_retry_fails_the_sweep_clearly_and_stores_nothing(
        settings: Settings, not_retrying: str) -> None:
    _loaded(settings)
    before = raw_counts(settings.database_url, Sweep, StoredPlan, AuditEntry)
    killed: list[str] = []
    killer = _killer(not_retrying, killed)
    killer.start()
    with pytest.raises(Unavailable, match=r"Dask worker died while solving it .*nothing was stored; run the sweep"):
        _sweep(settings, not_retrying)
    killer.join(timeout=35)
    assert killed, "no worker was killed mid-solve"
    assert raw_counts(settings.database_url, Sweep, StoredPlan, AuditEntry) == before == (0, 0, before[2])
