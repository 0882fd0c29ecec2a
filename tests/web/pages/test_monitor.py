"""The analyst's checked air-attack table (web/pages/monitor.py) attacked over HTTP: one check is imported once,
even when two confirmations are sent at once, and a check is kept as long as the page says, whatever else is
uploaded meanwhile."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Any

import pytest

from reassure.settings import Settings
from reassure.web.pages import monitor, uploads
from tests.api.conftest import attacks_csv
from tests.scenario_io.samples import VALID
from tests.web.pages.test_admin import new_signed_in


@pytest.fixture
def admin(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, str]:
    """An admin of France (every role) signed in; both kept-upload folders under the test's own folder, by name."""
    monkeypatch.setattr(uploads, "FOLDER", tmp_path / uploads.FOLDER.name)
    monkeypatch.setattr(monitor, "UPLOADS", tmp_path / monitor.UPLOADS.name)
    return new_signed_in(Settings(database_url=db_url), "fra-admin", "FRA", ["admin"])


def _check(client: Any, csrf: str) -> dict[str, str]:
    answer = client.post("/security/ingest/air-attacks", data={"csrf": csrf, "marking": "REL TO FRA"},
                         files={"upload": ("attacks.csv", attacks_csv(3).encode(), "text/csv")})
    token = re.search(r'name="token" value="([^"]+)"', answer.text)
    assert answer.status_code == 200 and token is not None, answer.text
    return {"csrf": csrf, "marking": "REL TO FRA", "token": token[1]}


def test_two_confirmations_of_one_check_at_once_import_it_once(admin: tuple[Any, str],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    client, csrf = admin
    form = _check(client, csrf)
    second: list[Path | None] = []
    claim = monitor._stashed

    def second_confirmation_meanwhile(*args: Any) -> Path | None:
        kept = claim(*args)  # this one passed and has not imported yet: a second confirmation is checked
        second.append(claim(*args))
        return kept

    monkeypatch.setattr(monitor, "_stashed", second_confirmation_meanwhile)
    first = client.post("/security/ingest/air-attacks", data=form)
    assert (first.status_code, second) == (200, [None]), first.text
    assert not list(monitor.UPLOADS.iterdir())


def test_a_check_is_kept_two_hours_whatever_is_uploaded_meanwhile(admin: tuple[Any, str]) -> None:
    client, csrf = admin
    form = _check(client, csrf)
    ninety_minutes_ago = time.time() - 90 * 60
    for folder in monitor.UPLOADS.iterdir():
        os.utime(folder, (ninety_minutes_ago, ninety_minutes_ago))
    previewed = client.post("/imports/preview", data={"csrf": csrf},  # its sweep forgets its own after an hour
                            files={"file": ("small.yaml", VALID.encode(), "application/yaml")})
    assert previewed.status_code == 200, previewed.text
    imported = client.post("/security/ingest/air-attacks", data=form)
    assert imported.status_code == 200 and "no longer kept" not in imported.text, imported.text


def test_a_table_under_the_pages_limit_is_checked_not_refused_by_the_servers(admin: tuple[Any, str]) -> None:
    client, csrf = admin
    table = "no header of an air-attack table\n" + "1,2\n" * 400_000  # 1.6 MB: over the server's default limit
    assert 1024 * 1024 < len(table) < monitor.MAX_UPLOAD
    answer = client.post("/security/ingest/air-attacks", data={"csrf": csrf, "marking": "REL TO FRA"},
                         files={"upload": ("attacks.csv", table.encode(), "text/csv")})
    assert answer.status_code == 422 and 'id="table-form"' in answer.text, answer.text[:300]  # checked: its problems
    too_large = client.post("/security/ingest/air-attacks", data={"csrf": csrf, "marking": "REL TO FRA"},
                            files={"upload": ("attacks.csv", b"x" * (monitor.MAX_UPLOAD + 1), "text/csv")})
    assert too_large.status_code == 422 and "larger than 4 MB" in too_large.text
