"""Reports without times (docs/adr/0021): "overnight" is the night ending on the morning of the report's date; a
report with neither times nor night words matches by its date, never an attack wholly outside it (both databases)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from reassure.core.markings import PUBLIC
from reassure.db.uow import unit_of_work
from reassure.domains.incidents.actions import import_air_attacks, ingest_report
from reassure.domains.incidents.models import IncidentReport
from reassure.domains.incidents.service import get_incident
from reassure.monitoring.feeds.accounts import Account, Candidate, MatchRules, match_accounts
from reassure.monitoring.report import Count, WeaponCounts
from reassure.settings import Settings
from tests.conftest import who

HEADER = "time_start,time_end,model,target,launched,destroyed,not_reach_goal,source"
# a daytime attack on 13 September, the night of 13-14 September, and the day of 14 September (dates only)
AIR = f"""{HEADER}
2025-09-13 10:00,2025-09-13 16:00,Shahed-136/131,Ukraine,7,7,,kpszsu/posts/day13
2025-09-13 21:00,2025-09-14 09:00,Shahed-136/131,Ukraine,58,52,,kpszsu/posts/night
2025-09-14,2025-09-14,Unknown UAV,south,4,4,,PvKPivden/posts/day
"""
DAY_13 = "mmau:2025-09-13T10:00/2025-09-13T16:00"
NIGHT = "mmau:2025-09-13T21:00/2025-09-14T09:00"
DAY_14 = "mmau:2025-09-14/2025-09-14"
FRA = who("FRA")


def _air(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "air.csv"
    path.write_text(AIR, encoding="utf-8")
    with unit_of_work(settings, identity=FRA) as db:
        import_air_attacks(path, db=db, rel_to=PUBLIC)


def _ingest(settings: Settings, text: str, name: str, on: date) -> list[str]:
    with unit_of_work(settings, identity=FRA) as db:
        result = ingest_report(text, db=db, name=name, publisher="Wire service", rel_to=PUBLIC, on_date=on)
    return result.summary.incident_keys


def test_an_overnight_report_without_times_joins_the_night_not_the_day(settings: Settings, tmp_path: Path) -> None:
    _air(settings, tmp_path)
    # no launched figure to rank by: the window alone decides (by date only, the whole day 14 fitted best)
    text = "Air defences shot down 52 Shahed drones over Ukraine overnight, the Air Force said."
    assert _ingest(settings, text, "overnight.txt", date(2025, 9, 14)) == [NIGHT]
    with unit_of_work(settings, identity=who("DEU")) as db:
        night, day = get_incident(NIGHT, db=db), get_incident(DAY_14, db=db)
        basis = db.query(IncidentReport.window_basis).filter(IncidentReport.external_ref == "overnight.txt").scalar()
    (report,) = [a for a in night.accounts if a.source == "file-overnight"]
    assert (report.window_start, report.window_end) == (datetime(2025, 9, 13, 18), datetime(2025, 9, 14, 9))
    assert basis == "night" and day.sources == ["mmau"]
    assert (night.start, night.end) == (datetime(2025, 9, 13, 21), datetime(2025, 9, 14, 9))  # the feed's own times


def test_a_ukrainian_night_report_joins_the_night(settings: Settings, tmp_path: Path) -> None:
    _air(settings, tmp_path)
    text = "Вночі 14 вересня сили ППО збили 52 ударні БпЛА типу Shahed."
    assert _ingest(settings, text, "vnochi.txt", date(2025, 9, 14)) == [NIGHT]


def test_a_report_of_dates_only_never_joins_an_attack_outside_its_day(settings: Settings, tmp_path: Path) -> None:
    _air(settings, tmp_path)
    # 7 drones, as the daytime attack of 13 September: the figures agree, but the day is another one
    text = "On 14 September Russia launched 7 Shahed drones at Ukraine; all 7 were shot down."
    keys = _ingest(settings, text, "dated.txt", date(2025, 9, 14))
    assert keys == [DAY_14]  # by its date; the daytime attack of the 13th agrees on figures but is another day
    with unit_of_work(settings, identity=who("DEU")) as db:
        assert get_incident(DAY_13, db=db).sources == ["mmau"]
        basis = db.query(IncidentReport.window_basis).filter(IncidentReport.external_ref == "dated.txt").scalar()
    assert basis is None


def test_a_report_of_the_13th_by_date_only_joins_the_daytime_attack_of_that_day(settings: Settings,
                                                                               tmp_path: Path) -> None:
    _air(settings, tmp_path)
    text = "On 13 September Russia launched 7 Shahed drones at Ukraine; all 7 were shot down."
    assert _ingest(settings, text, "dated13.txt", date(2025, 9, 13)) == [DAY_13]


RULES = MatchRules(source_id="news", rel_to="PUBLIC", one_report_per_incident=False)


def _account(start: datetime, end: datetime, *, timed: bool, basis: str | None = None) -> Account:
    weapons = [WeaponCounts(category="drone", launched=Count(value=7))]
    return Account(kind="air_attack", start=start, end=end, timed=timed, external_ref="x", raw_text="t",
                   reliability="B", credibility=2, standing="unconfirmed", weapons=weapons, window_basis=basis)


def test_the_pure_rule_both_ways() -> None:
    afternoon = Candidate(id=1, kind="air_attack", start=datetime(2025, 9, 13, 13), end=datetime(2025, 9, 13, 16),
                          timed=True, region=None, rel_to="PUBLIC", sources=frozenset({"mmau"}))
    seven = {1: {"drone": Count(value=7)}}
    dated = _account(datetime(2025, 9, 14), datetime(2025, 9, 14, 23, 59, 59), timed=False)
    assert match_accounts([dated], [afternoon], RULES, seven.__getitem__) == [None]  # was joined by the noon lead
    night = _account(datetime(2025, 9, 13, 18), datetime(2025, 9, 14, 9), timed=True, basis="night")
    assert match_accounts([night], [afternoon], RULES, seven.__getitem__) == [None]
    same_day = _account(datetime(2025, 9, 13), datetime(2025, 9, 13, 23, 59, 59), timed=False)
    assert match_accounts([same_day], [afternoon], RULES, seven.__getitem__) == [1]
