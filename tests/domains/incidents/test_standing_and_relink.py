"""Honest incident standing, report time windows and analysts' relinks (docs/adr/0017), on both databases."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from reassure.core.errors import Forbidden
from reassure.core.identity import Role
from reassure.core.markings import PUBLIC, Releasability
from reassure.db.uow import unit_of_work
from reassure.domains.audit.models import AuditEntry
from reassure.domains.incidents.actions import ReportNotFound, import_air_attacks, ingest_report, relink_report
from reassure.domains.incidents.service import get_incident, list_incidents
from reassure.settings import Settings
from tests.conftest import who

HEADER = "time_start,time_end,model,target,launched,destroyed,not_reach_goal,source"
# The night of 13-14 September 2025 and the day of 14 September as the Air Force table gives them.
AIR = f"""{HEADER}
2025-09-13 21:00,2025-09-14 09:00,Shahed-136/131,Ukraine,58,52,,kpszsu/posts/night
2025-09-13 21:00,2025-09-14 09:00,Iskander-M/KN-23,Ukraine,1,0,,kpszsu/posts/night
2025-09-14,2025-09-14,Unknown UAV,south,4,4,,PvKPivden/posts/day
2025-09-14,2025-09-14,Reconnaissance UAV,south,3,3,,PvKPivden/posts/day
"""
NIGHT = "mmau:2025-09-13T21:00/2025-09-14T09:00"
DAY = "mmau:2025-09-14/2025-09-14"
NIGHT_TEXT = ("From 18:00 on 13 September, air defences shot down 52 Shahed drones over Ukraine, the Air Force "
              "said on 14 September.")
REL_FRA = Releasability.to("FRA").to_column()
FRA, DEU = who("FRA"), who("DEU")


def _air(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "air.csv"
    path.write_text(AIR, encoding="utf-8")
    with unit_of_work(settings, identity=FRA) as db:
        import_air_attacks(path, db=db, rel_to=PUBLIC)


def _text(settings: Settings, text: str, *, name: str, publisher: str, rel_to: str = PUBLIC,
          identity: object = FRA) -> list[str]:
    with unit_of_work(settings, identity=identity) as db:  # type: ignore[arg-type]
        result = ingest_report(text, db=db, name=name, publisher=publisher, rel_to=rel_to, on_date=date(2025, 9, 14))
    return result.summary.incident_keys


def test_the_night_report_of_13_14_september_joins_the_night_not_the_day(settings: Settings, tmp_path: Path) -> None:
    _air(settings, tmp_path)
    with unit_of_work(settings, identity=DEU) as db:
        keys = {i.key for i in list_incidents(db=db)}
    assert {NIGHT, DAY} <= keys
    assert _text(settings, NIGHT_TEXT, name="night.txt", publisher="Wire service") == [NIGHT]
    with unit_of_work(settings, identity=DEU) as db:
        night, day = get_incident(NIGHT, db=db), get_incident(DAY, db=db)
    assert night.sources == ["file-night", "mmau"] and day.sources == ["mmau"]
    (report,) = [a for a in night.accounts if a.source == "file-night"]
    assert (report.window_start, report.window_end) == (datetime(2025, 9, 13, 18), datetime(2025, 9, 14, 9))
    assert report.id == "file-night:night.txt"
    assert night.standing == "verified" and day.standing == "unconfirmed"  # 52 destroyed, both sources
    assert [(f.figure, f.verdict) for f in night.figures] == [("drones destroyed", "agree")]


def test_disagreeing_figures_make_it_conflicting_with_both_shown(settings: Settings, tmp_path: Path) -> None:
    _air(settings, tmp_path)
    _text(settings, "From 18:00 on 13 September Russia launched 90 Shahed drones at Ukraine.", name="other.txt",
          publisher="Another outlet")
    with unit_of_work(settings, identity=DEU) as db:
        night = get_incident(NIGHT, db=db)
    assert night.standing == "conflicting" and not night.corroborated
    launched = next(f for f in night.figures if f.figure == "drones launched")
    assert launched.verdict == "conflict" and sorted(v.shown for v in launched.values) == ["58", "90"]
    assert "drones launched" in night.standing_reason and "10%" in night.tolerance


def test_a_hidden_report_changes_nothing_for_a_reader_who_cannot_see_it(settings: Settings, tmp_path: Path) -> None:
    _air(settings, tmp_path)
    with unit_of_work(settings, identity=DEU) as db:
        before = get_incident(NIGHT, db=db).model_dump()
        listed = [i.model_dump() for i in list_incidents(db=db)]
    _text(settings, "From 18:00 on 13 September Russia launched 90 Shahed drones at Ukraine.", name="fra.txt",
          publisher="French liaison", rel_to=REL_FRA)
    with unit_of_work(settings, identity=FRA) as db:
        seen = get_incident(NIGHT, db=db)
    assert seen.standing == "conflicting" and seen.marking == "REL TO FRA"  # derived: the narrowest of its inputs
    with unit_of_work(settings, identity=DEU) as db:  # hidden and absent look the same
        assert get_incident(NIGHT, db=db).model_dump() == before
        assert [i.model_dump() for i in list_incidents(db=db)] == listed
    _text(settings, NIGHT_TEXT, name="fra2.txt", publisher="French liaison 2", rel_to=REL_FRA)
    with unit_of_work(settings, identity=DEU) as db:
        assert get_incident(NIGHT, db=db).standing == "unconfirmed"


def test_a_relink_is_audited_and_survives_a_reimport(settings: Settings, tmp_path: Path) -> None:
    _air(settings, tmp_path)
    assert _text(settings, NIGHT_TEXT, name="night.txt", publisher="Wire service") == [NIGHT]
    with unit_of_work(settings, identity=who("GBR", Role.VIEWER)) as db, pytest.raises(Forbidden):
        relink_report("file-night:night.txt", db=db, to=DAY)
    with unit_of_work(settings, identity=FRA) as db:
        done = relink_report("file-night:night.txt", db=db, to=DAY)
    assert (done.before, done.after, done.moved) == ([NIGHT], DAY, 1)
    with unit_of_work(settings, identity=DEU) as db:
        assert get_incident(DAY, db=db).sources == ["file-night", "mmau"]
        assert get_incident(NIGHT, db=db).sources == ["mmau"]
    with unit_of_work(settings, identity=FRA) as db:
        audit = db.scalars(select(AuditEntry).where(AuditEntry.action == "incidents.relink")).one()
    assert audit.details["before"] == {"incidents": [NIGHT]} and audit.details["after"]["incident"] == DAY
    assert _text(settings, NIGHT_TEXT, name="night.txt", publisher="Wire service") == []  # the same text: nothing
    revised = NIGHT_TEXT.replace("52", "53")  # a revised text under the same name would match the night again
    assert _text(settings, revised, name="night.txt", publisher="Wire service") == [DAY]
    with unit_of_work(settings, identity=DEU) as db:
        day = get_incident(DAY, db=db)
    assert sorted((a.source, a.revision) for a in day.accounts) == [("file-night", 1), ("file-night", 2),
                                                                    ("mmau", 1)]
    with unit_of_work(settings, identity=FRA) as db:
        alone = relink_report("file-night:night.txt", db=db, new=True)
    assert alone.created and alone.moved == 2 and alone.after.startswith("air_attack:2025-09-13:")
    with unit_of_work(settings, identity=DEU) as db:
        assert get_incident(alone.after, db=db).sources == ["file-night"]
        assert get_incident(DAY, db=db).sources == ["mmau"]


def test_a_hidden_report_cannot_be_relinked(settings: Settings, tmp_path: Path) -> None:
    _air(settings, tmp_path)
    _text(settings, NIGHT_TEXT, name="fra.txt", publisher="French liaison", rel_to=REL_FRA)
    with unit_of_work(settings, identity=DEU) as db, pytest.raises(ReportNotFound) as hidden:
        relink_report("file-fra:fra.txt", db=db, to=DAY)
    with unit_of_work(settings, identity=DEU) as db, pytest.raises(ReportNotFound) as absent:
        relink_report("file-nope:nope.txt", db=db, to=DAY)
    assert str(hidden.value).replace("file-fra:fra.txt", "X") == str(absent.value).replace("file-nope:nope.txt", "X")
