"""Issue 21 review: a preview's 304 did not say it is a preview.

ADR 0007: "the API answers, errors included, carry `X-Reassure-Preview`". A German admin previewing France who
revalidates a read with its ETag gets 304 Not Modified without the header: `http/conventions.HttpConventions.
send_not_modified` keeps only the caching headers of the answer (ETag, Cache-Control, Vary, ...), so the header
`api/preview.PreviewHeader` added inside it is dropped. A client that relies on the header to label what it shows
(its cached body is a preview's, narrower than the admin's own view) gets no label on this answer. The request is
audited (one `preview.read` row), so it is a preview read; its answer should say so like every other.
"""

from __future__ import annotations

from pathlib import Path

from reassure.core.identity import Role
from tests.api.conftest import Api


def test_a_previews_not_modified_answer_is_marked_as_a_preview(api: Api, tmp_path: Path) -> None:
    api.load_sample(tmp_path)
    headers = {**api.headers("DEU", Role.ADMIN, name="deu-admin"), "X-View-As": "FRA"}
    first = api.client.get("/api/v1/pledges", headers=headers)
    assert first.status_code == 200 and first.headers["X-Reassure-Preview"].startswith("preview of FRA by DEU")

    again = api.client.get("/api/v1/pledges", headers={**headers, "If-None-Match": first.headers["ETag"]})

    assert again.status_code == 304
    assert again.headers.get("X-Reassure-Preview") == first.headers["X-Reassure-Preview"]
