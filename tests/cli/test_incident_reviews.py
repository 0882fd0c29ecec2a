"""`reassure incidents review` and `comment` (the web's review form calls the same action) and `reassure ingest
air-attacks --dry-run` (the web's check of a table)."""

from __future__ import annotations

from pathlib import Path

from reassure.core.identity import Role
from tests.conftest import Cli, stored_user
from tests.domains.incidents.factories import AIR_ROWS, NIGHT


def test_review_and_comment_from_the_cli_and_a_dry_run_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    table = tmp_path / "air.csv"
    table.write_text(AIR_ROWS, encoding="utf-8")
    code, out, _ = cli("ingest", "air-attacks", str(table), "--marking", "PUBLIC", "--dry-run")
    assert code == 0 and "dry run: nothing written" in out
    assert cli("incidents", "--json")[1].strip() in ("[]", "")
    assert cli("ingest", "air-attacks", str(table), "--marking", "PUBLIC")[0] == 0
    code, out, _ = cli("incidents", "review", NIGHT, "--standing", "verified", "--reason", "matches the post",
                       "--marking", "PUBLIC")
    assert code == 0 and "verified" in out
    assert cli("incidents", "comment", NIGHT, "debris in Kyiv", "--marking", "REL TO GBR")[0] == 0
    code, out, err = cli("incidents", "review", NIGHT, "--standing", "true", "--reason", "x", "--marking", "PUBLIC")
    assert code != 0 and "--standing" in out + err
    out = cli("incidents", "--key", NIGHT)[1]
    assert "reviewed as verified: matches the post" in out and "comment: debris in Kyiv" in out
    assert "debris" not in cli("incidents", "--key", NIGHT, nation="FRA")[1]  # released to GBR only
    viewer = stored_user(cli.url, "GBR", Role.VIEWER)
    code, out, err = cli("incidents", "comment", NIGHT, "a viewer's comment", "--marking", "PUBLIC", user=viewer)
    assert code != 0 and "analyst" in out + err
