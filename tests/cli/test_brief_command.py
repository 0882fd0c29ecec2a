"""`reassure brief`: writes the PDF or HTML for the user's nation, PUBLIC only, or an admin's preview of a nation."""

from __future__ import annotations

from pathlib import Path

import pytest

from reassure.brief.files import prepared_day
from tests.conftest import Cli
from tests.scenario_io.samples import VALID, write

pytestmark = pytest.mark.slow


def test_brief_for_a_nation_public_and_an_admins_preview(cli: Cli, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli("import", str(write(tmp_path, VALID)), nation="FRA")[0] == 0
    code, out, err = cli("brief", "--out", str(tmp_path / "gbr.html"), "--scenario", "small", nation="GBR")
    assert code == 0 and "marked REL TO FRA, GBR, for GBR" in " ".join(out.split()), err
    assert "No flights east of the Dnipro" in (tmp_path / "gbr.html").read_text(encoding="utf-8")
    code, out, err = cli("brief", "--out", str(tmp_path / "public.html"), "--scenario", "small", "--public",
                         nation="GBR")
    public = (tmp_path / "public.html").read_text(encoding="utf-8")
    assert code == 0 and "No flights east of the Dnipro" not in public, err
    monkeypatch.chdir(tmp_path)  # without --out: a PDF here, named after the day it was prepared (docs/adr/0040)
    code, out, err = cli("brief", "--scenario", "small", "--for", "DEU", "--map-period", "2025-10", admin=True,
                         nation="GBR")
    assert code == 0 and "preview of DEU by GBR admin: records released to both GBR and DEU" in " ".join(out.split())
    assert (tmp_path / f"reassure-brief-small-{prepared_day().isoformat()}.pdf").read_bytes().startswith(b"%PDF")
    code, _, err = cli("brief", "--scenario", "small", "--map-period", "last week", nation="GBR")
    assert code != 0 and "map period 'last week': expected a month" in " ".join(err.split())
    code, _, err = cli("brief", "--out", str(tmp_path / "x.pdf"), "--scenario", "small", "--for", "DEU", nation="GBR")
    assert code == 5 and "only an admin" in err
    code, _, err = cli("brief", "--out", str(tmp_path / "x.doc"), nation="GBR")
    assert code == 2 and ".pdf or .html" in err
