"""A live server (uvicorn in a thread, real job worker) on a SQLite or a PostgreSQL database with the bundled data,
incidents and users of two nations with passwords; the Debian chromium driven by Playwright (skipped, with the
reason, without it)."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from reassure import migrations as migrate
from reassure.core.identity import Role
from reassure.db.uow import engine_for, lookup_session, unit_of_work
from reassure.domains.followups.actions import open_followup
from reassure.domains.incidents.actions import load_bundled_accounts
from reassure.domains.preferences.actions import set_default_scenario
from reassure.domains.requests.actions import create_ask, send_ask
from reassure.domains.scenarios.importing import load_bundled
from reassure.domains.users.actions import hash_password
from reassure.domains.users.models import User
from reassure.settings import Settings
from tests.api.conftest import Api, attacks_csv
from tests.conftest import PG_ENV, SHARED_DATA, empty_url, who

PASSWORD = "correct horse battery staple"
SCREENS = Path(os.environ.get("REASSURE_SCREENSHOTS", Path(__file__).resolve().parents[2] / "var" / "screenshots"))
SHARED_BOUNDARIES = SHARED_DATA / "boundaries" / "geoBoundaries-UKR-ADM1_simplified.geojson"
# What the map page shows once drawn: the oblasts when the shared boundaries are present, else its "no boundaries"
# paragraph (the page walks then still measure the page, instead of waiting 30 s for a map that cannot be drawn).
MAP_DRAWN = "#theatre-map[data-ready='1']" if SHARED_BOUNDARIES.is_file() else "#no-boundaries"


def need_boundaries() -> None:
    """Skip a test that reads the drawn oblasts when ../shared/data has no boundaries."""
    if not SHARED_BOUNDARIES.is_file():
        pytest.skip(f"../shared/data not present: {SHARED_BOUNDARIES} is missing (set REASSURE_SHARED_DATA)")


def chromium_path() -> str | None:
    """Return the Debian chromium's path (CI installs it), if present."""
    for name in ("chromium", "chromium-browser"):
        if found := shutil.which(name):
            return found
    return None


@dataclass
class LiveServer:
    """The served app and what the tests know about its data."""

    url: str
    settings: Settings
    fra_plan: str


def _users(settings: Settings) -> None:
    with lookup_session(settings) as db:
        for name, nation, roles in (("fra-planner", "FRA", ["analyst", "planner"]), ("deu-viewer", "DEU", ["viewer"]),
                                    ("fra-admin", "FRA", ["admin"]), ("gbr-viewer", "GBR", ["viewer"])):
            db.add(User(name=name, nation=nation, roles=roles, active=True, password_hash=hash_password(PASSWORD)))


WIDTH_PARAMETERS = ("width", "size")  # the parameter a test walked at two page widths is parametrized by


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run every browser module's live server on both databases; a test walked at two page widths walks the first on
    SQLite and the second on PostgreSQL.

    Every width of every walk on both databases cost about five minutes more of a CI run near its 30-minute limit
    (measured in session 8: the four modules that ran on SQLite alone took 153 s on PostgreSQL with `-n 2`, the four
    that ran on PostgreSQL alone 98 s on SQLite, the width walks most of it). Split so, each module meets both
    databases and each width is walked once. Without PostgreSQL configured, every test runs on SQLite, each width."""
    with_postgres = bool(os.environ.get(PG_ENV))
    keep: list[pytest.Item] = []
    drop: list[pytest.Item] = []
    for item in items:
        callspec = getattr(item, "callspec", None)
        database = callspec.params.get("live_db_url") if callspec is not None else None
        if database is None:
            keep.append(item)
            continue
        if not with_postgres:
            (keep if database == "sqlite" else drop).append(item)
            continue
        width = next((callspec.indices[name] for name in WIDTH_PARAMETERS if name in callspec.indices), None)
        wanted = database if width is None else ("sqlite", "postgres")[width % 2]
        (keep if database == wanted else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def live_db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The live server's empty database, per test module: a SQLite file, or a fresh PostgreSQL schema (the browser
    tests run on both, as a deployment would)."""
    yield from empty_url(request.param, tmp_path_factory.mktemp("live-db") / "live.sqlite")


@pytest.fixture(scope="module")
def live_server(live_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Serve the app on a free loopback port until the module's tests are done."""
    folder = tmp_path_factory.mktemp("live")
    boundaries = SHARED_BOUNDARIES if SHARED_BOUNDARIES.is_file() else None
    settings = Settings(database_url=live_db_url, boundaries=boundaries)
    migrate.upgrade(engine_for(settings))
    with unit_of_work(settings, identity=who("FRA")) as db:
        load_bundled(db=db)
        load_bundled_accounts(db=db)
    _users(settings)
    api = Api(settings.database_url)
    api.load_sample(folder)  # scenario "small": pledge GBR-FS is REL TO GBR, FRA
    fra_plan = api.store_sample_plan("FRA")  # marked REL TO FRA, GBR
    api.ingest(folder, attacks_csv(1), nation="DEU", marking="PUBLIC")
    api.ingest(folder, attacks_csv(2), nation="FRA", marking=",FRA,")
    for nation in ("FRA", "DEU"):  # each nation's admin chooses its landing page
        with unit_of_work(settings, identity=who(nation, Role.ADMIN)) as db:
            set_default_scenario("illustrative", db=db)
    with unit_of_work(settings, identity=who("FRA", Role.PLANNER, user="fra-planner")) as db:  # one overdue
        open_followup(db=db, title="Renew the status-of-forces agreement with Ukraine before the parliamentary "
                      "approval for its period runs out (the mandate renewal is due)", follows_kind="legal",
                      follows_key="illustrative/SOFA-FRA/renewal", due_on=date.today() - timedelta(days=2),
                      rests_on="PUBLIC")
    with unit_of_work(settings, identity=who("FRA", Role.PLANNER, user="fra-planner")) as db:  # an ask, sent
        ask = create_ask("illustrative", db=db, nation="FRA", capability="infantry_battalion", quantity=2,
                         available_from=date(2027, 1, 1), available_to=date(2027, 6, 30), on_date=date.today(),
                         tasks=["HUB-KYIV"], note="Asked at the force-generation conference")
        send_ask(ask.id, db=db, on_date=date.today())
    with serve(settings) as url:
        yield LiveServer(url, settings, fra_plan)


@contextmanager
def serve(settings: Settings) -> Iterator[str]:
    """Serve the app (with a job worker) on a free loopback port; yield its base URL."""
    import uvicorn

    from reassure.jobs.worker import job_queue
    from reassure.web.app import create_server

    app = create_server(settings)
    queue = job_queue(settings)
    app.state.queue = queue
    queue.start_worker(1)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        queue.stop_worker()



@contextmanager
def reassure_serve(tmp_path: Path, **settings: str) -> Iterator[int]:
    """Run `reassure serve` (the protocol a user runs, http/protocol.py) in a subprocess on a fresh SQLite database and
    a free loopback port, with these settings (`request_head_seconds="2"`: REASSURE_REQUEST_HEAD_SECONDS=2) in its
    environment; yield the port once /api/v1/health answers."""
    import os
    import subprocess
    import sys

    import httpx2 as httpx

    from reassure import migrations as migrate
    from reassure.db.uow import engine_for
    from tests.conftest import free_port

    url = f"sqlite:///{tmp_path / 'serve.sqlite'}"
    migrate.upgrade(engine_for(Settings(database_url=url)))
    port = free_port()
    env = {**os.environ, "REASSURE_DATABASE_URL": url, **{f"REASSURE_{k.upper()}": v for k, v in settings.items()}}
    server = subprocess.Popen([sys.executable, "-m", "reassure", "serve", "--port", str(port), "--workers", "0"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """The Debian chromium, headless, through Playwright."""
    path = chromium_path()
    if path is None:
        if os.environ.get("REASSURE_REQUIRE_BROWSER"):
            pytest.fail("REASSURE_REQUIRE_BROWSER is set but there is no chromium (apt-get install chromium)")
        pytest.skip("no chromium on this machine (CI installs the Debian package `chromium`)")
    assets = Path(__file__).resolve().parents[2] / "src" / "reassure" / "web" / "static" / "vendor" / ".installed"
    if not assets.is_file():
        if os.environ.get("REASSURE_REQUIRE_BROWSER"):
            pytest.fail("the dashboard's browser assets are not installed (make, with npm)")
        pytest.skip("the dashboard's browser assets are not installed (npm missing when make ran)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        found = playwright.chromium.launch(executable_path=path, args=["--no-sandbox", "--disable-gpu"])
        yield found
        found.close()


def sign_in(browser: Any, server: LiveServer, name: str) -> Any:
    """Return a page of a fresh browser context signed in as a stored user."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    return sign_in_page(context.new_page(), server, name)


def sign_in_page(page: Any, server: LiveServer, name: str) -> Any:
    """Sign a page (of a context the caller made, e.g. with its own viewport) in as a stored user; return it."""
    page.goto(f"{server.url}/sign-in")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server.url}/")
    return page


def shot(page: Any, name: str) -> None:
    """Save a full-page screenshot as a test artefact."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


