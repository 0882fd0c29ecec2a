"""What a brief's file is called: after its scenario and the day it was PREPARED (today, UTC), not the data's date
(`reassure-brief-illustrative-2026-12-07.pdf`, docs/adr/0040); the CLI's default --out, the API's and the job's
downloads alike."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def prepared_day() -> date:
    """Return the day a brief prepared now is dated by: today in UTC."""
    return datetime.now(UTC).date()


def brief_file_name(scenario: str, suffix: str = "pdf", prepared: date | None = None, *,
                    audience: str = "staff") -> str:
    """Return the file name of a brief of `scenario` prepared on `prepared` (default today, UTC), for `audience`
    ("staff": reassure-brief-…; "minister": reassure-minister-brief-…): letters, digits, dots, dashes and
    underscores only, so it is safe in a header and on any file system."""
    safe = _UNSAFE.sub("-", scenario).strip("-.")[:60] or "scenario"
    kind = "brief" if audience == "staff" else "minister-brief"
    return f"reassure-{kind}-{safe}-{(prepared or prepared_day()).isoformat()}.{suffix}"


def attachment(name: str) -> str:
    """Return the Content-Disposition header of a download named `name` (a name from brief_file_name)."""
    return f'attachment; filename="{name}"'
