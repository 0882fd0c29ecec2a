"""A client generated from the live `/api/v1/openapi.json` by a real generator (OpenAPI Generator's `python`
generator, the `openapi-generator-cli` dev dependency, which runs on Java) authenticates with the spec's bearer scheme
unedited: with a token it lists scenarios, reads pledges and downloads exports; without one it gets 401."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest

from reassure import migrations as migrate
from reassure.db.uow import engine_for
from reassure.settings import Settings
from tests.api.conftest import Api, attacks_csv

pytestmark = pytest.mark.slow
PACKAGE = "reassure_client"


def generator() -> list[str]:
    """Return the generator's command line, or skip (fail in CI) when it or Java is missing."""
    found = shutil.which("openapi-generator-cli", path=str(Path(sys.executable).parent)) or \
        shutil.which("openapi-generator-cli")
    missing = "openapi-generator-cli (pip install -e '.[dev]')" if not found else \
        "java (apt-get install default-jre-headless)" if not shutil.which("java") else None
    if missing:
        if os.environ.get("REASSURE_REQUIRE_JAVA"):
            pytest.fail(f"REASSURE_REQUIRE_JAVA is set but {missing} is missing")
        pytest.skip(f"no {missing}: the generated-client test needs it (CI installs it)")
    assert found is not None
    return [found]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Api, int]]:
    """Serve the API on a free loopback port with the sample scenario, a stored plan and incidents."""
    import uvicorn

    from reassure.api.app import create_app

    folder = tmp_path_factory.mktemp("client")
    settings = Settings(database_url=f"sqlite:///{folder / 'client.sqlite'}")
    migrate.upgrade(engine_for(settings))
    api = Api(settings.database_url)
    api.load_sample(folder)
    plan = api.store_sample_plan("FRA")
    api.ingest(folder, attacks_csv(1), nation="FRA", marking="PUBLIC")
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}", api, plan
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def client_module(server: tuple[str, Api, int], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Generate a Python client from the live spec into a temporary folder and import it (nothing edited)."""
    command = generator()
    url, _, _ = server
    folder = tmp_path_factory.mktemp("generated")
    spec = folder / "openapi.json"
    spec.write_text(json.dumps(httpx.get(f"{url}/api/v1/openapi.json", timeout=10).json()), encoding="utf-8")
    done = subprocess.run([*command, "generate", "-g", "python", "-i", str(spec), "-o", str(folder / "out"),
                           "--package-name", PACKAGE], capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    sys.path.insert(0, str(folder / "out"))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder / "out"))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def _client(module: Any, url: str, token: str | None) -> Any:
    configuration = module.Configuration(host=url, access_token=token)
    return module.ApiClient(configuration)


def test_a_generated_client_authenticates_with_the_bearer_scheme(client_module: Any,
                                                                 server: tuple[str, Api, int]) -> None:
    url, api, plan = server
    with _client(client_module, url, api.token("FRA")) as client:
        registry, exports = client_module.RegistryApi(client), client_module.ExportsApi(client)
        scenarios = registry.scenarios_api_v1_scenarios_get()
        assert scenarios.total >= 1 and "small" in [s.name for s in scenarios.items]
        pledges = registry.pledges_api_v1_pledges_get(scenario="small")
        assert {p.key for p in pledges.items} == {"FRA-FS", "GBR-FS"}  # GBR-FS is REL TO GBR, FRA
        table = exports.pledges_table_api_v1_scenarios_name_pledges_fmt_get(name="small", fmt="csv")
        text = table.decode() if isinstance(table, bytes | bytearray) else str(table)
        assert text.splitlines()[0].startswith("key,") and "GBR-FS" in text
        incidents = exports.incidents_file_api_v1_incidents_fmt_get(fmt="json")
        assert len(incidents) == 8 and incidents[0].key
        tours = exports.tours_file_api_v1_plans_plan_id_tours_fmt_get(plan_id=plan, fmt="ics")
        calendar = tours.decode() if isinstance(tours, bytes | bytearray) else str(tours)
        assert calendar.startswith("BEGIN:VCALENDAR")
    with _client(client_module, url, api.token("DEU")) as client:  # the same calls, another nation's view
        pledges = client_module.RegistryApi(client).pledges_api_v1_pledges_get(scenario="small")
        assert {p.key for p in pledges.items} == {"FRA-FS"}


def test_a_generated_client_without_a_token_is_refused(client_module: Any, server: tuple[str, Api, int]) -> None:
    url, _, _ = server
    with _client(client_module, url, None) as client:
        with pytest.raises(client_module.exceptions.UnauthorizedException) as refused:
            client_module.RegistryApi(client).scenarios_api_v1_scenarios_get()
        assert refused.value.status == 401 and "unauthenticated" in refused.value.body
        health = client_module.AdminApi(client).health_api_v1_health_get()
        assert health.status == "ok"
