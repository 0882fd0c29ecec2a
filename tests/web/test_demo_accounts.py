"""The demo's two accounts in a browser: the German demo viewer reads fewer pledges than the French demo admin (three
are released only to FRA and GBR), and each one's plan page opens on its own nation's newest baseline, never the
no-backstop what-if. The database is built by the demo's own steps (services/demo.py), run twice."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from reassure import migrations as migrate
from reassure.db.uow import engine_for, unit_of_work
from reassure.services import demo
from reassure.services.caller import Caller
from reassure.services.planning import solve_and_review
from reassure.settings import Settings
from tests.web.conftest import serve

Demo = tuple[str, dict[str, str]]


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """Serve a database the demo's steps built (its plans stored twice); yield the URL and the printed passwords."""
    settings = Settings(database_url=f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite'}")
    migrate.upgrade(engine_for(settings))
    founder = demo.demo_user(settings, "FRA").founder
    assert founder is not None
    with unit_of_work(settings, identity=founder) as db:
        demo.load_registry(db=db, on_file=lambda _: None)
    demo.landing_page(settings, founder)
    admin = Caller(founder, settings)
    facts = admin.read(lambda db: demo.demo_facts(db=db))
    review = solve_and_review(facts.problem, marking=facts.marking_label, seconds=0.5, samples=0)
    deu_admin = demo.demo_accounts(settings, founder)
    assert deu_admin is not None
    for _ in range(2):  # a re-run replaces them
        demo.replace_demo_plans(write=admin.write)
        demo.store_demo_plans(facts.problem, facts.marking, review, 0.5, write=admin.write)
        demo.store_nation_plan(settings, deu_admin, 0.5)
    accounts = demo.demo_passwords(settings, founder)
    with serve(settings) as url:
        yield url, accounts.passwords


def _signed_in(browser: Any, server: Demo, name: str) -> Any:
    url, passwords = server
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    page.goto(f"{url}/sign-in")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", passwords[name])
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")
    return page


def _pledges(page: Any, url: str) -> tuple[int, str]:
    page.goto(f"{url}/pledges?scenario=illustrative")
    found = re.match(r"(\d+) pledge\(s\) released to you", page.inner_text("#pledge-count"))
    assert found is not None
    return int(found.group(1)), page.inner_text("table.pledges")


def test_the_demo_viewer_sees_fewer_pledges_than_the_demo_admin(demo_server: Demo, browser: Any) -> None:
    url = demo_server[0]
    admin = _signed_in(browser, demo_server, demo.DEMO_ADMIN)
    viewer = _signed_in(browser, demo_server, demo.DEMO_VIEWER)
    (admin_count, admin_rows), (viewer_count, viewer_rows) = _pledges(admin, url), _pledges(viewer, url)
    assert (admin_count, viewer_count) == (75, 72)
    assert admin_rows.count("REL TO FRA, GBR") == 3 and "REL TO" not in viewer_rows
    for key in ("FRA-MECH", "FRA-MED", "GBR-ISR"):
        assert key in admin_rows and key not in viewer_rows
    assert "released to <strong>DEU</strong>" in viewer.content()


def test_each_demo_account_s_plan_page_opens_on_its_newest_baseline(demo_server: Demo, browser: Any) -> None:
    url = demo_server[0]
    admin = _signed_in(browser, demo_server, demo.DEMO_ADMIN)
    viewer = _signed_in(browser, demo_server, demo.DEMO_VIEWER)
    for page in (admin, viewer):
        page.goto(f"{url}/plan")
    title = admin.inner_text("#plan-title")
    assert "— demo (" in title and "no US backstop" not in title and "REL TO FRA, GBR" in title
    assert admin.locator("#plan-picker option").count() == 3  # two runs: the demo's two plans and Germany's, once
    german = viewer.inner_text("#plan-title")
    assert "records released to DEU" in german and "PUBLIC" in german
    assert viewer.locator("#plan-picker option").count() == 1  # France's plans rest on pledges not released to DEU
    assert viewer.locator("#plan-coverage").count() == 1
