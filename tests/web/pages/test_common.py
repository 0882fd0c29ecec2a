"""Shared page helpers: a job kind reaches people as its label from the table of job kinds, never as its key; kept
uploads wait only in a private folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from reassure.services.job_kinds import KINDS
from reassure.web.pages.common import job_label, private_folder, templates


def test_job_kinds_are_shown_by_their_labels() -> None:
    assert job_label("whatif") == "what-if" and job_label("rules") == "rule evaluation"
    assert all(job_label(kind) == kind_.label for kind, kind_ in KINDS.items())
    assert job_label("some_future_kind") == "some future kind"  # a stored row of a kind since removed
    page = templates.env.from_string("{{ kind|job_label|capitalize }} job").render(kind="whatif")
    assert page == "What-if job"


def test_kept_uploads_wait_only_in_a_private_folder_of_the_servers_user(tmp_path: Path) -> None:
    made = private_folder(tmp_path / "reassure-uploads")
    assert made.is_dir() and not made.stat().st_mode & 0o077
    planted = tmp_path / "planted"  # another local user's, made first in the shared temporary folder
    planted.mkdir(mode=0o777)
    planted.chmod(0o777)
    (tmp_path / "linked").symlink_to(made)
    for folder in (planted, tmp_path / "linked"):
        with pytest.raises(PermissionError):
            private_folder(folder)
