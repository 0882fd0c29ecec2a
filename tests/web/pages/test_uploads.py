"""Kept uploads (web/pages/uploads.py) attacked over HTTP: one preview is imported once, even when two confirms of it
are sent at the same moment."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from reassure.core.errors import NotFound
from reassure.web.pages import uploads
from tests.scenario_io.samples import VALID
from tests.web.pages.test_admin import new_signed_in


@pytest.fixture
def planner(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, str]:
    from reassure.settings import Settings

    monkeypatch.setattr(uploads, "FOLDER", tmp_path / uploads.FOLDER.name)  # not the machine's shared temp folder
    return new_signed_in(Settings(database_url=db_url), "fra-planner", "FRA", ["planner"])


def _preview(client: Any, csrf: str) -> dict[str, str]:
    answer = client.post("/imports/preview", data={"csrf": csrf},
                         files={"file": ("small.yaml", VALID.encode(), "application/yaml")})
    assert answer.status_code == 200, answer.text
    found = {name: re.search(rf'name="{name}" value="([^"]+)"', answer.text) for name in ("upload_id", "sha256")}
    return {name: match[1] for name, match in found.items() if match is not None}


def test_two_confirms_of_one_preview_at_once_import_it_once(planner: tuple[Any, str],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    client, csrf = planner
    form = {**_preview(client, csrf), "csrf": csrf}
    second: list[str] = []
    check = uploads._stored

    def second_confirm_meanwhile(*args: Any) -> Any:
        kept = check(*args)  # this confirm passed the check and has not imported yet: a second one is checked
        try:
            check(*args)
        except NotFound:
            second.append("refused")
        else:
            second.append("passed the check: the preview would be imported twice")
        return kept

    monkeypatch.setattr(uploads, "_stored", second_confirm_meanwhile)
    first = client.post("/imports/confirm", data=form)
    assert (first.status_code, second) == (200, ["refused"]), first.text
    assert not list(uploads.FOLDER.iterdir())  # nothing left behind
    assert client.post("/imports/confirm", data=form).status_code == 404  # and confirmed once only


def test_an_upload_is_never_kept_in_a_folder_another_local_user_made_first(planner: tuple[Any, str]) -> None:
    client, csrf = planner
    uploads.FOLDER.mkdir()
    uploads.FOLDER.chmod(0o777)  # made first by someone else in the shared temporary folder, writable by them
    with pytest.raises(PermissionError):
        _preview(client, csrf)
    assert not list(uploads.FOLDER.iterdir())
