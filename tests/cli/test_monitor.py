"""`reassure incidents relink`: an analyst corrects which incident a report is about; listings still work."""

from __future__ import annotations

from pathlib import Path

from reassure.core.errors import EXIT_FORBIDDEN, EXIT_NOT_FOUND
from reassure.core.identity import Role
from tests.conftest import Cli, stored_user

CSV = ("time_start,time_end,model,launched,destroyed\n"
       "2025-01-01 18:00,2025-01-02 08:00,Shahed-136/131,101,91\n"
       "2025-01-02 18:00,2025-01-03 08:00,Shahed-136/131,102,92\n")
FIRST, SECOND = "mmau:2025-01-01T18:00/2025-01-02T08:00", "mmau:2025-01-02T18:00/2025-01-03T08:00"


def test_relink_moves_a_report_and_the_listing_shows_its_id(cli: Cli, tmp_path: Path) -> None:
    feed, text = tmp_path / "air.csv", tmp_path / "night.txt"
    feed.write_text(CSV, encoding="utf-8")
    text.write_text("From 18:00 on 1 January 2025 air defences shot down 91 Shahed drones.", encoding="utf-8")
    assert cli("ingest", "air-attacks", "--marking", "PUBLIC", str(feed))[0] == 0
    code, out, err = cli("ingest", "report", "--marking", "PUBLIC", "--publisher", "Wire", str(text))
    assert code == 0, err
    code, out, _ = cli("incidents", "--key", FIRST)
    assert code == 0 and "file-night:night.txt" in out and "verified" in out
    viewer = stored_user(cli.url, "GBR", Role.VIEWER)
    code, _, err = cli("incidents", "relink", "file-night:night.txt", "--to", SECOND, user=viewer)
    assert code == EXIT_FORBIDDEN and "analyst" in err
    code, out, err = cli("incidents", "relink", "file-night:night.txt", "--to", SECOND)
    assert code == 0, err
    assert f"from {FIRST} to incident {SECOND}" in " ".join(out.split())
    code, out, _ = cli("incidents", "--key", SECOND, "--json")
    assert code == 0 and '"file-night:night.txt"' in out
    assert cli("incidents", "relink", "file-none:x.txt", "--new")[0] == EXIT_NOT_FOUND
    code, _, err = cli("incidents", "relink", "file-night:night.txt")
    assert code != 0 and "--to INCIDENT or --new" in err
    code, out, _ = cli("incidents", "--limit", "5")
    assert code == 0 and "mmau:2025-01-02" in out
