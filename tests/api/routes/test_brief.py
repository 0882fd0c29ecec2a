"""GET /brief: the accounts side by side chosen by attack date or incident key; a hidden incident is 404."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from reassure.db.uow import unit_of_work
from reassure.domains.scenarios.importing import load_bundled
from tests.api.conftest import Api, attacks_csv
from tests.conftest import who


def test_the_brief_shows_the_attack_asked_for(api: Api, tmp_path: Path) -> None:
    with unit_of_work(api.settings, identity=who("FRA")) as db:
        load_bundled(db=db)
    api.ingest(tmp_path, attacks_csv(1, days=3), nation="DEU", marking="PUBLIC")
    api.ingest(tmp_path, attacks_csv(2, days=1), nation="FRA", marking=",FRA,")
    first = "mmau:2025-01-01T18:00/2025-01-02T08:00"
    by_key = api.get("/brief", "DEU", format="html", scenario="illustrative", incident=first)
    assert by_key.status_code == 200 and f"incident {first}, as asked" in by_key.text
    by_date = api.get("/brief", "DEU", format="html", scenario="illustrative", attack_date="2025-01-03")
    assert by_date.status_code == 200 and "mmau:2025-01-02T18:00/2025-01-03T08:00" in by_date.text
    assert first not in by_date.text.split('id="attack-choice"')[1].split("Planning assumptions")[0]
    hidden = api.get("/brief", "DEU", format="html", scenario="illustrative",
                     incident="mmau:2025-02-01T18:00/2025-02-02T08:00")
    absent = api.get("/brief", "DEU", format="html", scenario="illustrative", incident="mmau:nothing")
    assert hidden.status_code == absent.status_code == 404
    assert api.get("/brief", "DEU", format="html", scenario="illustrative", attack_date="2025-13-01").status_code == 422


def test_the_brief_for_a_minister_or_for_staff(api: Api, tmp_path: Path) -> None:
    """format=minister|staff is the PDF of that brief, as `reassure brief --format`; `audience` picks it for HTML;
    the two contradicting each other is refused, naming the parameter."""
    with unit_of_work(api.settings, identity=who("FRA")) as db:
        load_bundled(db=db)
    pdf = api.get("/brief", "FRA", format="minister", scenario="illustrative")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    prepared = datetime.now(UTC).date().isoformat()  # named by the day it was prepared, not the data's date
    assert f'filename="reassure-minister-brief-illustrative-{prepared}.pdf"' in pdf.headers["content-disposition"]
    html = api.get("/brief", "FRA", format="html", audience="minister", scenario="illustrative")
    assert html.status_code == 200 and "Decisions needed" in html.text and "Verified facts" not in html.text
    refused = api.get("/brief", "FRA", format="minister", audience="staff", scenario="illustrative")
    assert refused.status_code == 422 and "audience" in refused.text
    assert api.get("/brief", "FRA", format="cabinet", scenario="illustrative").status_code == 422
