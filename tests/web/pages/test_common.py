"""Shared page helpers: a job kind reaches people as its label from the table of job kinds, never as its key."""

from __future__ import annotations

from reassure.services.job_kinds import KINDS
from reassure.web.pages.common import job_label, templates


def test_job_kinds_are_shown_by_their_labels() -> None:
    assert job_label("whatif") == "what-if" and job_label("rules") == "rule evaluation"
    assert all(job_label(kind) == kind_.label for kind, kind_ in KINDS.items())
    assert job_label("some_future_kind") == "some future kind"  # a stored row of a kind since removed
    page = templates.env.from_string("{{ kind|job_label|capitalize }} job").render(kind="whatif")
    assert page == "What-if job"
