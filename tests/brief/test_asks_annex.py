"""The staff brief's annex "Open asks to nations" (docs/adr/0046): by nation, sent and unanswered first with the days
waiting, then drafted; an answer in part with its accepted units, those still open and its conditions; by gap; only
the asks released to the reader, and the brief marked as narrowly as the asks it shows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reassure.brief.render import render_html
from reassure.db.uow import unit_of_work
from reassure.domains.requests.actions import answer_ask, create_ask, send_ask
from reassure.domains.scenarios.importing import import_document
from reassure.scenario_io.load import load_document
from reassure.services.briefing import brief_context
from reassure.settings import Settings
from tests.conftest import who
from tests.scenario_io.samples import VALID, write

WINDOW = {"available_from": date(2027, 1, 1), "available_to": date(2027, 6, 30), "tasks": ["AIR-WEST"]}


def test_the_open_asks_annex_by_nation_and_gap_as_its_reader_sees_it(settings: Settings, tmp_path: Path) -> None:
    with unit_of_work(settings, identity=who("FRA")) as db:
        import_document(load_document(write(tmp_path, VALID)), db=db, origin="tests")
    with unit_of_work(settings, identity=who("FRA")) as db:
        waiting = create_ask("small", db=db, nation="GBR", capability="fighter_squadron", quantity=2,
                             on_date=date(2026, 10, 30), marking="REL TO FRA, GBR", **WINDOW)  # type: ignore[arg-type]
        send_ask(waiting.id, db=db, on_date=date(2026, 11, 1))
        create_ask("small", db=db, nation="GBR", capability="fighter_squadron", quantity=1,
                   on_date=date(2026, 11, 20), **WINDOW)  # type: ignore[arg-type]
        part = create_ask("small", db=db, nation="FRA", capability="fighter_squadron", quantity=3,
                          on_date=date(2026, 11, 2), marking="REL TO FRA", **WINDOW)  # type: ignore[arg-type]
        send_ask(part.id, db=db, on_date=date(2026, 11, 3))
        answer_ask(part.id, db=db, answer="part", accepted=1, on_date=date(2026, 11, 9),
                   conditions="Only from the March rotation")
    shown = {}
    for nation in ("FRA", "GBR"):
        with unit_of_work(settings, identity=who(nation)) as db:
            brief = brief_context("small", db=db, as_of=date(2026, 12, 1))
            shown[nation] = (brief.marking, render_html(brief))
    marking, text = shown["FRA"]
    assert marking == "REL TO FRA"  # narrower than anything else in it: it shows France's own ask
    annex = text.split('<h2 id="asks">')[1].split('<h2 id="sources">')[0]
    assert "3 ask(s) still open as of 2026-12-01" in annex
    france, britain = annex.split("<td>France</td>")[1].split("<td>United Kingdom</td>")
    assert "1 of 3 units accepted, 2 still open; conditions: Only from the March rotation" in france
    assert britain.index("unanswered for 30 days") < britain.index("drafted 2026-11-20, not sent")
    assert "Air policing (01 Jan 2027 – 30 Jun 2027)" in annex  # the task's name and months, not its key
    by_gap = annex.split('id="asks-by-gap"')[1]
    assert ("United Kingdom: 2 fighter squadrons (sent, awaiting the answer); United Kingdom: 1 fighter squadron "
            "(drafted); France: 2 fighter squadrons (accepted in part)") in by_gap  # the units still open
    marking, text = shown["GBR"]
    annex = text.split('<h2 id="asks">')[1].split('<h2 id="sources">')[0]
    assert marking == "REL TO FRA, GBR" and "2 ask(s) still open" in annex
    assert "March rotation" not in text and "<td>France</td>" not in annex  # France's own ask is not released
