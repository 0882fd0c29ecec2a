"""Factories for the incidents domain's tests: store incidents through the domain's actions, never through the CLI."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reassure.core.identity import Identity
from reassure.db.uow import unit_of_work
from reassure.domains.incidents.actions import ImportResult, import_air_attacks, ingest_report
from reassure.settings import Settings
from tests.conftest import who

HEADER = "time_start,time_end,model,target,launched,destroyed,not_reach_goal,source"
# Two attacks (a night and a day) as the Air Force table gives them.
AIR_ROWS = f"""{HEADER}
2025-09-13 21:00,2025-09-14 09:00,Shahed-136/131,Ukraine,58,52,,kpszsu/posts/night
2025-09-14,2025-09-14,Unknown UAV,south,4,4,,PvKPivden/posts/day
"""
NIGHT = "mmau:2025-09-13T21:00/2025-09-14T09:00"
DAY = "mmau:2025-09-14/2025-09-14"
NIGHT_TEXT = ("From 18:00 on 13 September, air defences shot down 52 Shahed drones over Ukraine, the Air Force "
              "said on 14 September.")


def air_attacks(settings: Settings, tmp_path: Path, *, rel_to: str, text: str = AIR_ROWS,
                identity: Identity | None = None, strict: bool = False) -> ImportResult:
    """Write an air-attack table into the test's folder and import it in one unit of work (France's analyst)."""
    path = tmp_path / "air.csv"
    path.write_text(text, encoding="utf-8")
    with unit_of_work(settings, identity=identity or who("FRA")) as db:
        return import_air_attacks(path, db=db, rel_to=rel_to, strict=strict)


def text_report(settings: Settings, text: str, *, rel_to: str, name: str = "night.txt",
                publisher: str = "Wire service", identity: Identity | None = None) -> ImportResult:
    """Ingest a text report in one unit of work (France's analyst); its date defaults to 14 September 2025."""
    with unit_of_work(settings, identity=identity or who("FRA")) as db:
        return ingest_report(text, db=db, name=name, publisher=publisher, rel_to=rel_to, on_date=date(2025, 9, 14))
