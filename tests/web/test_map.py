"""The common operating picture in chromium (docs/adr/0039), at desktop and phone width: the map page draws the
oblasts shaded for one period with their names and a key, the planned force and the contributors on the whole world
(the Americas and Oceania drawn inside the map); the time control changes the period shown; the command page draws
the command tree as a tree with its OPCON/TACON relations and lists every contributor in the legal matrix."""

from __future__ import annotations

from typing import Any

import pytest

from reassure.core.identity import Role
from reassure.db.uow import unit_of_work
from reassure.domains.planning.problem import problem_and_marking, problem_json
from reassure.domains.plans.actions import store_plan
from reassure.domains.pledges.service import list_pledges
from reassure.planner.solver.baseline import greedy_plan
from tests.conftest import who
from tests.web.conftest import LiveServer, sign_in_page

pytestmark = pytest.mark.slow

# Each country's drawn box against the map's: inside it (a country cropped out would be outside or absent).
INSIDE = """(names) => {
  const svg = document.querySelector('#world-map svg');
  const box = svg.getBoundingClientRect();
  return names.map((name) => {
    const shape = Array.from(svg.querySelectorAll('path[aria-label]'))
      .find((p) => p.getAttribute('aria-label').startsWith(name + ':'));
    if (!shape) { return name + ': absent'; }
    const r = shape.getBoundingClientRect();
    return r.width > 0 && r.left >= box.left - 1 && r.right <= box.right + 1 && r.top >= box.top - 1 &&
      r.bottom <= box.bottom + 1 ? name + ': inside' : name + ': cropped';
  });
}"""


@pytest.fixture(scope="module")
def planned(live_server: LiveServer) -> LiveServer:
    """France's baseline plan of the illustrative scenario (the greedy plan: quick), the force the map draws."""
    with unit_of_work(live_server.settings, identity=who("FRA", Role.PLANNER)) as db:
        problem, marking = problem_and_marking("illustrative", db=db)
        store_plan(db=db, scenario="illustrative", problem=problem_json(problem), plan=greedy_plan(problem),
                   rel_to=marking, settings={"method": "greedy"})
    return live_server


@pytest.mark.parametrize("size", [(1366, 768), (390, 844)], ids=["desktop", "phone"])
def test_the_map_draws_one_period_with_names_key_force_and_the_whole_world(planned: LiveServer, browser: Any,
                                                                        size: tuple[int, int]) -> None:
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = sign_in_page(context.new_page(), planned, "fra-planner")
    if size[0] < 700:
        page.click("#menu > summary")
    page.click("a[data-nav=map]")
    page.wait_for_selector("#theatre-map[data-ready='1'] svg", timeout=30_000)
    page.wait_for_selector("#world-map[data-ready='1'] svg", timeout=30_000)
    # France's data ends on 4 September 2025 (the bundled accounts): the default is August, the last whole month
    shown = page.inner_text("#period-shown")
    assert shown.startswith("Incidents in August 2025") and "all dates" not in page.inner_text("main")
    names = page.locator("#theatre-map svg text").all_text_contents()
    assert {"Kharkiv", "Lviv", "Odessa", "Crimea"} <= set(names)  # the oblasts' names as text on the map
    assert any("incidents, August 2025" in t for t in names) and any("units planned" in t for t in names)
    assert "grey: no incident released" in page.inner_text("#map-legend")
    force = page.locator("#theatre-map svg path[aria-label*='planning assumption']").count()
    assert force >= 5 and page.locator("#force-by-sector tbody tr").count() >= 6
    assert page.locator("#region-counts tbody tr").count() >= 27
    assert page.evaluate(INSIDE, ["United States", "Canada", "Australia", "New Zealand", "France"]) == [
        "United States: inside", "Canada: inside", "Australia: inside", "New Zealand: inside", "France: inside"]
    assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
    if size[0] < 700:
        context.close()
        return
    # The time control (the same form at both widths): a step back, then a week of February, partial
    page.click("#period-previous")
    page.wait_for_selector("#theatre-map[data-ready='1'] svg", timeout=30_000)
    assert page.inner_text("#period-shown").startswith("Incidents in July 2025")
    page.select_option("#period-every", "week")
    page.fill("#period-at", "2025-02-05")
    page.click("#time-control button[type=submit]")
    page.wait_for_selector("#theatre-map[data-ready='1'] svg", timeout=30_000)
    assert page.inner_text("#period-shown").startswith("Incidents in week of 3 February 2025")
    assert "partial: the data covers 6 of 7 days" in page.inner_text("#period-shown")  # the feed stops on 8 February
    context.close()


def test_the_command_tree_is_a_tree_and_the_legal_matrix_lists_every_contributor(live_server: LiveServer,
                                                                                 browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = sign_in_page(context.new_page(), live_server, "fra-planner")
    page.goto(f"{live_server.url}/command?scenario=illustrative")
    tree = page.locator("#command-tree")
    # Nested lists: the sectors sit under the land component under the coalition HQ, each joined by its relation
    sector = tree.locator("li.node[data-key='MNFU-HQ'] > ul > li.node[data-key='LCC'] > ul > li[data-key='SEC-WEST']")
    assert sector.locator("> .relation").inner_text() == "TACON (tactical control)"
    land = tree.locator("li.node[data-key='LCC']")
    assert land.locator("> .relation").inner_text() == "OPCON (operational control)"
    assert "lead United Kingdom" in land.locator("> .node-box").inner_text()
    connector = page.evaluate("getComputedStyle(document.querySelector(\"li[data-key='SEC-WEST']\"), '::before')"
                              ".borderLeftStyle")
    assert connector == "solid"
    rows = {r.get_attribute("data-nation"): r for r in page.locator("#legal-matrix tbody tr").all()}
    with unit_of_work(live_server.settings, identity=who("FRA")) as db:
        pledged = {p.nation for p in list_pledges(db=db, scenario="illustrative")}
    assert pledged and pledged <= set(rows)  # every contributor has a row
    assert "missing" in rows["AUS"].inner_text() and "Australia" in rows["AUS"].inner_text()
    assert "in force" in rows["FRA"].inner_text()
    context.close()
