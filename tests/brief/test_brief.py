"""The demo brief rendered to HTML and PDF for three readers: each section is there with the right numbers, a record
released only to GBR shows only in GBR's brief, no total includes a figure hidden from its reader, assumptions are
labelled, the PDF's pages are neither empty nor overflowing (kept as PNGs in var/brief-pages/), and the rendering
is audited."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from reassure import migrations as migrate
from reassure.brief.produce import Produced, produce
from reassure.core.identity import Role
from reassure.db.uow import engine_for, unit_of_work
from reassure.domains.audit.service import recent
from reassure.domains.incidents.actions import load_bundled_accounts
from reassure.domains.planning.problem import problem_and_marking, problem_json
from reassure.domains.plans.actions import attach_asks, store_plan
from reassure.domains.scenarios.importing import import_document, load_bundled
from reassure.domains.scenarios.service import coalition_summary
from reassure.planner.analysis.asks import find_asks
from reassure.planner.analysis.whatif import FlagChange, replan
from reassure.planner.solver.solve import solve
from reassure.scenario_io.load import load_document
from reassure.settings import Settings
from tests.conftest import SHARED_DATA, who
from tests.core.test_labels import identifiers_in

pytestmark = pytest.mark.slow
PAGES = Path(os.environ.get("REASSURE_BRIEF_PAGES", Path(__file__).resolve().parents[2] / "var" / "brief-pages"))
BOUNDARIES = SHARED_DATA / "boundaries" / "geoBoundaries-UKR-ADM1_simplified.geojson"
SECRET = "The British contingent would be ready within 14 days of a ceasefire."
GBR_ONLY = f"""\
format: reassure-scenario/1
marking: REL TO GBR
sources:
  - {{id: gbr-note-1, publisher: UK MOD, title: Internal planning note, reliability: B}}
claims:
  - {{key: gbr.readiness, topic: readiness, nation: GBR, statement: "{SECRET}", standing: unconfirmed, grade: B3,
     sources: [gbr-note-1]}}
"""
HIDDEN_PLEDGE = ("key,nation,capability,quantity,personnel_per_unit,where,available_from,available_to,max_tour,"
                 "min_dwell,marking\nGBR-SECRET-ENG,GBR,engineer_company,7,999,inside,2027-01-01,2029-12-31,6,12,"
                 "REL TO GBR\n")


@dataclass
class Briefs:
    settings: Settings
    fra: Produced
    gbr: Produced
    public: Produced
    plan_id: str
    whatif_coverage: float


_PAGES: dict[bytes, list[str]] = {}  # a PDF's pages' text, extracted once (pypdf takes seconds on a loaded machine)


def _pages(produced: Produced) -> list[str]:
    """Return the text of each page of a brief's PDF, whitespace squeezed."""
    assert produced.pdf is not None
    if produced.pdf not in _PAGES:
        _PAGES[produced.pdf] = [" ".join((page.extract_text() or "").split())
                                for page in PdfReader(io.BytesIO(produced.pdf)).pages]
    return _PAGES[produced.pdf]


def _text(produced: Produced) -> str:
    return " ".join(_pages(produced))


@pytest.fixture(scope="module")
def briefs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Briefs]:
    folder = tmp_path_factory.mktemp("brief")
    settings = Settings(database_url=f"sqlite:///{folder / 'brief.sqlite'}",
                        boundaries=BOUNDARIES if BOUNDARIES.is_file() else None)
    migrate.upgrade(engine_for(settings))
    with unit_of_work(settings, identity=who("FRA")) as db:
        load_bundled(db=db)
        load_bundled_accounts(db=db)
    for name, text, scenario in (("gbr.yaml", GBR_ONLY, None), ("hidden.csv", HIDDEN_PLEDGE, "illustrative")):
        (folder / name).write_text(text, encoding="utf-8")
        with unit_of_work(settings, identity=who("GBR")) as db:
            import_document(load_document(folder / name), db=db, origin=name, scenario_name=scenario, prune=False)
    # France's plan, marked like what it rests on: REL TO FRA, GBR (three bundled pledges are released to both only)
    with unit_of_work(settings, identity=who("FRA")) as db:
        problem, marking = problem_and_marking("illustrative", db=db)
    plan = solve(problem, time_limit=2, seed=1, workers=1)
    result = replan(problem, plan, [FlagChange(flag="us_backstop", value=False)], time_limit=2, seed=1, workers=1)
    with unit_of_work(settings, identity=who("FRA")) as db:
        base = store_plan(db=db, scenario="illustrative", problem=problem_json(problem), plan=plan, rel_to=marking,
                          settings={"method": "cp-sat"})
        whatif = store_plan(db=db, scenario="illustrative", problem=problem_json(result.problem), plan=result.plan,
                            rel_to=marking, settings={"method": "what-if"}, base=base.id)
    # What to ask nations for, stored with the no-backstop what-if: the brief lists it.
    _base, asks = find_asks(result.problem, plan.coverage, base=result.plan, solve_seconds=2, max_rounds=2, seed=1)
    with unit_of_work(settings, identity=who("FRA")) as db:
        attach_asks(whatif.id, asks, db=db, settings={"target": plan.coverage})
    yield Briefs(settings, produce(settings, who("FRA"), scenario="illustrative", plan_id=base.id),
                 produce(settings, who("GBR"), scenario="illustrative", plan_id=base.id),
                 produce(settings, who("GBR"), scenario="illustrative", public=True),  # France's plan is not PUBLIC
                 base.id, result.plan.coverage)


def test_every_section_is_there_with_its_numbers(briefs: Briefs) -> None:
    text = _text(briefs.fra)
    for section in ("Key takeaways", "Verified facts", "Unconfirmed", "Planning assumptions", "Force picture",
                    "Plan", "Security situation", "Exit conditions and triggers", "Sources", "Contents"):
        assert section in text, section
    assert "26 of the 35 countries" in text and "112" in text and "84" in text
    plan = briefs.fra.context.plan
    assert plan is not None and f"{plan.plan.coverage * 100:.1f} %" in text and f"{plan.plan.bound * 100:.1f} %" in text
    assert f"{briefs.whatif_coverage * 100:.1f} %" in text  # the no-backstop comparison
    distance = plan.plan.distance  # how far from the best possible, in words, in the takeaways and the plan section
    assert "best possible plan with these pledges" in distance and " ".join(text.split()).count(distance) >= 2
    sanctions = next(r for r in briefs.fra.context.rules if r.rule_id == "sanctions-review-mass-attacks")
    assert sanctions.rule_name in text and ("MET" if sanctions.met else "not met") in text
    assert "Page 1 of" in text and "released to FRA" in text


def test_the_asks_of_the_no_backstop_plan_are_listed_in_words(briefs: Briefs) -> None:
    whatif = briefs.fra.context.whatif
    assert whatif is not None and whatif.asks is not None and whatif.asks.units > 0
    text = _text(briefs.fra)
    assert "What to ask nations for (the plan without the US backstop)" in text
    first = " ".join(whatif.asks.lines[0].split())
    assert first[:60] in text and "ASK-" not in text
    lead = "Force generation (the plan without the US backstop): "
    assert any(t.startswith(lead) for t in briefs.fra.context.takeaways)


def test_a_record_released_only_to_gbr_shows_only_in_gbrs_brief(briefs: Briefs) -> None:
    squeezed = SECRET.replace(" ", "")
    gbr, fra, public = (_text(b).replace(" ", "") for b in (briefs.gbr, briefs.fra, briefs.public))
    assert squeezed in gbr and squeezed not in fra and squeezed not in public
    assert "GBR-SECRET-ENG" not in briefs.fra.html and "gbr-note-1" not in briefs.fra.html
    assert briefs.gbr.context.marking == "REL TO GBR" and briefs.fra.context.marking == "REL TO FRA, GBR"
    assert briefs.public.context.public and briefs.public.context.marking == "PUBLIC"


def test_no_total_includes_a_hidden_figure(briefs: Briefs) -> None:
    with unit_of_work(briefs.settings, identity=who("FRA")) as db:
        fra = coalition_summary("illustrative", db=db)
    with unit_of_work(briefs.settings, identity=who("GBR")) as db:
        gbr = coalition_summary("illustrative", db=db)
    changed = [(f, g) for f, g in zip(fra.domains, gbr.domains, strict=True) if f != g]
    assert len(changed) == 1  # the one domain of the hidden engineer pledge
    fra_line, gbr_line = changed[0]
    assert gbr_line.units == fra_line.units + 7 and gbr_line.personnel == fra_line.personnel + 7 * 999
    assert f"{gbr_line.personnel:,}" in _text(briefs.gbr)
    fra_text = _text(briefs.fra)
    assert f"{fra_line.personnel:,}" in fra_text and f"{gbr_line.personnel:,}" not in fra_text


def test_assumptions_are_labelled_as_such(briefs: Briefs) -> None:
    text = _text(briefs.fra)
    assert "PLANNING ASSUMPTION" in text and "Computed from planning assumptions" in text
    assert "illustrative planning assumptions, not agreed coalition policy" in text
    # An undisclosed pledge size plans on a prior and the brief says so; robustness is in words (docs/adr/0023).
    flat = " ".join(text.split())
    assert "Pledge sizes planned on a planning assumption" in flat and "TUR-FRG" in flat and "prior" in flat
    assert "How robust the plan is" in flat and "nine cases out of" in flat  # a page break may split the sentence
    assert "The nations whose withdrawal would cost most" in flat


def test_pages_are_neither_empty_nor_overflowing(briefs: Briefs) -> None:
    import pypdfium2 as pdfium

    assert briefs.fra.pdf is not None
    document = pdfium.PdfDocument(briefs.fra.pdf)
    PAGES.mkdir(parents=True, exist_ok=True)
    assert len(document) >= 8
    for number in range(len(document)):
        bitmap = document[number].render(scale=1.0)
        image = bitmap.to_pil().convert("L")
        image.save(PAGES / f"page-{number + 1:02d}.png")
        pixels = image.load()
        width, height = image.size
        body = range(int(height * 0.08), int(height * 0.92))  # below the banner, above the page number
        inked = sum(1 for y in body[::3] for x in range(0, width, 3) if pixels[x, y] < 200)
        assert inked > 200, f"page {number + 1} is (nearly) empty"
        margin = range(int(width - 14 / 210 * width), width)  # the right margin is 16 mm: nothing in its outer 14
        spilled = sum(1 for y in body for x in margin if pixels[x, y] < 200)
        assert spilled == 0, f"page {number + 1}: {spilled} dark pixels in the right margin"


def test_the_brief_is_audited_and_served(briefs: Briefs) -> None:
    with unit_of_work(briefs.settings, identity=who("GBR", Role.ADMIN, user="gbr-admin")) as db:
        rows = [r for r in recent(db=db, limit=100) if r.action == "brief.render"]
    assert {r.details["after"]["reader"] for r in rows} >= {"GBR", "PUBLIC"}
    from tests.api.conftest import Api

    api = Api(briefs.settings.database_url)
    response = api.get("/brief", "FRA", format="pdf", scenario="illustrative", plan_id=briefs.plan_id)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response.headers["x-marking"] == "REL TO FRA, GBR"


def test_a_public_brief_holds_public_records_only_whatever_a_marking_names(tmp_path: Path) -> None:
    """A marking may name any three letters; reading PUBLIC records only is a flag of the reader, not a pretend
    nation (found by review: a feed marked REL TO FRA, ZZZ reached the 'public' brief when it read as ZZZ)."""
    from tests.api.conftest import Api, attacks_csv

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'zzz.sqlite'}")
    migrate.upgrade(engine_for(settings))
    api = Api(settings.database_url)
    api.load_sample(tmp_path)
    api.ingest(tmp_path, attacks_csv(5), nation="FRA", marking=",FRA,ZZZ,")
    public = produce(settings, who("FRA"), scenario="small", public=True, pdf=False)
    assert public.context.marking == "PUBLIC" and not public.context.situation.has_incidents
    assert "ZZZ" not in public.html and "PUBLIC records only" in public.html
    own = produce(settings, who("FRA"), scenario="small", pdf=False)
    assert own.context.situation.has_incidents and own.context.marking == "REL TO FRA"


def test_a_plan_of_another_scenario_is_refused(tmp_path: Path) -> None:
    from reassure.core.errors import InputError
    from tests.api.conftest import Api
    from tests.scenario_io.samples import VALID, write

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'two.sqlite'}")
    migrate.upgrade(engine_for(settings))
    api = Api(settings.database_url)
    api.load_sample(tmp_path)
    with unit_of_work(settings, identity=who("FRA")) as db:
        other = VALID.replace("name: small", "name: other")
        import_document(load_document(write(tmp_path, other, "other.yaml")), db=db, origin="other")
    plan = api.store_sample_plan("FRA")
    with pytest.raises(InputError, match="a plan of scenario 'small', not 'other'"):
        produce(settings, who("FRA"), scenario="other", plan_id=plan, pdf=False)


def test_a_brief_opens_on_the_nations_default_scenario_and_its_own_plan(tmp_path: Path) -> None:
    """No scenario named: the reader's nation's default (an error asking for one when it has none), and the newest
    plan of it that the reader's nation made, never a newer one of another nation's."""
    from reassure.core.errors import InputError
    from reassure.domains.preferences.actions import set_default_scenario
    from tests.api.conftest import Api

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'default.sqlite'}")
    migrate.upgrade(engine_for(settings))
    api = Api(settings.database_url)
    api.load_sample(tmp_path)
    own = api.store_sample_plan("FRA")
    api.store_sample_plan("DEU")  # newer and PUBLIC: France sees it, but it is not France's plan
    with pytest.raises(InputError, match="--scenario"):
        produce(settings, who("FRA"), pdf=False)
    with unit_of_work(settings, identity=who("FRA", Role.ADMIN)) as db:
        set_default_scenario("small", db=db)
    brief = produce(settings, who("FRA"), pdf=False)
    assert brief.context.scenario.scenario.name == "small" and brief.context.plan is not None
    assert brief.context.plan.plan.id == own
    public = produce(settings, who("FRA"), public=True, pdf=False)  # the default is France's own setting
    assert public.context.scenario.scenario.name == "small" and public.context.marking == "PUBLIC"
    assert public.context.plan is None  # France's plan rests on a REL TO record; Germany's is not France's
    with pytest.raises(InputError, match="default scenario"):
        produce(settings, who("DEU"), pdf=False)


# --- the tagged PDF ----------------------------------------------------------------------------------------------

def _structure(produced: Produced | bytes) -> tuple[PdfReader, list[tuple[str, dict[str, Any]]]]:
    """Return the PDF's reader and its structure elements in document order as (type, element)."""
    pdf = produced if isinstance(produced, bytes) else produced.pdf
    assert pdf is not None
    reader = PdfReader(io.BytesIO(pdf))
    found: list[tuple[str, dict[str, Any]]] = []

    def walk(node: Any) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict) and node.get("/Type") in (None, "/StructElem") and "/S" in node:
            found.append((str(node["/S"]).lstrip("/"), node))
            walk(node.get("/K", []))

    walk(reader.trailer["/Root"]["/StructTreeRoot"]["/K"])
    return reader, found


def test_the_pdf_is_tagged_pdf_ua_with_a_language_and_metadata(briefs: Briefs) -> None:
    reader, elements = _structure(briefs.gbr)
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root  # what `pdfinfo` reads as Tagged: yes
    assert root["/Lang"] == "en" and bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    kinds = {kind for kind, _ in elements}
    assert {"Document", "H1", "H2", "P", "L", "LI", "Table", "TR", "TH", "TD", "Figure"} <= kinds, kinds
    meta = reader.metadata
    assert meta is not None
    scenario = briefs.gbr.context.scenario.scenario
    assert scenario.title in (meta.title or "") and "REL TO GBR" in (meta.title or "")
    assert (meta.author or "").startswith(briefs.gbr.context.viewer)
    assert "REL TO GBR" in (meta.subject or "") and "as of" in (meta.subject or "")
    assert "REL TO GBR" in str(meta.get("/Keywords")) and (meta.creator or "").startswith("reassure ")
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfuaid:part="1"' in xmp  # identifies itself as PDF/UA-1


def test_every_chart_and_the_map_have_a_text_alternative_written_from_their_figures(briefs: Briefs) -> None:
    _, elements = _structure(briefs.fra)
    alts = [str(node.get("/Alt", "")) for kind, node in elements if kind == "Figure"]
    context = briefs.fra.context
    drawn = briefs.fra.html.count('role="img"')
    assert len(alts) == drawn >= 4 and all(len(alt) > 60 and "(data)" in alt for alt in alts), alts

    def about(words: str) -> str:
        return next(alt for alt in alts if words in alt)

    launched = [r for r in context.situation.indicators if r.launched is not None]
    top = max(launched, key=lambda r: r.launched or 0)
    attacks = about("weapons launched and destroyed per day of data in each month")
    assert f"{top.launched:,} in {top.period_start:%b %Y}" in attacks and "destroyed not reported" in attacks
    assert f"{sum(r.launched or 0 for r in launched):,} launched" in attacks
    plan = context.plan
    assert plan is not None and f"{len(plan.tours)} tours" in about("rotations by task")
    largest = max(plan.burden, key=lambda r: r["share"])
    assert f"Largest: {largest['nation']} {largest['share']:.1%}" in about("personnel-months")
    assert "drone" in about("by category")
    if BOUNDARIES.is_file() and context.regions:
        import json

        from reassure.core.regions import region_label

        drawn = {f["properties"]["shapeISO"] for f in json.loads(BOUNDARIES.read_text())["features"]}
        on_map = {region_label(code): count for code, count in context.regions.items() if code in drawn and count}
        assert on_map  # counts are keyed by ISO code, as the boundaries are: the regions reach the map
        if on_map:
            name, count = max(on_map.items(), key=lambda kv: kv[1])
            assert f"{name} {count:,}" in about("Map (data)")


def test_headings_follow_in_order(briefs: Briefs) -> None:
    _, elements = _structure(briefs.fra)
    levels = [int(kind[1]) for kind, _ in elements if len(kind) == 2 and kind[0] == "H" and kind[1].isdigit()]
    assert levels[0] == 1 and levels.count(1) == 1 and len(levels) > 10
    assert all(b <= a + 1 for a, b in pairwise(levels)), levels


def test_the_map_is_a_figure_with_its_text_alternative_whatever_its_region_names() -> None:
    from reassure.brief.render import render_pdf, svg, with_alt
    from reassure.charts import describe
    from reassure.charts.maps import choropleth

    def square(x: float) -> dict[str, Any]:
        return {"type": "Polygon", "coordinates": [[[x, 48], [x + 1, 48], [x + 1, 49], [x, 49], [x, 48]]]}

    names = ['Oblast "North" <b>', "South & Co"]
    geo = {"features": [{"properties": {"shapeName": n}, "geometry": square(30 + i)} for i, n in enumerate(names)]}
    counts = {names[0]: 7, names[1]: 2}
    alt = describe.regions(counts, "Incidents by region", names)
    spec = choropleth(geo, counts, width=300, title="Incidents by region")
    assert spec is not None
    drawn = with_alt(svg(spec), alt)
    pdf = render_pdf(f'<!doctype html><html lang="en"><head><title>map</title></head><body><h1>Map</h1>{drawn}'
                     "</body></html>")
    _, elements = _structure(pdf)
    assert [str(node.get("/Alt")) for kind, node in elements if kind == "Figure"] == [alt]
    assert 'Oblast "North" <b> 7' in alt


def test_gap_reasons_say_the_task_arrangement_in_words(briefs: Briefs) -> None:
    plan = briefs.fra.context.plan
    assert plan is not None
    arranged = [g for g in plan.gaps if g["arrangement"]]
    assert arranged, "the demo has gaps on tasks with a lead nation, a component rule or a headquarters"
    text = _text(briefs.fra)
    assert "Task arrangement:" in text


def _visible(html: str) -> str:
    """Return the text a reader sees in the brief's HTML: no styles, no markup, entities decoded."""
    from html import unescape

    body = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.S | re.I)
    return unescape(re.sub(r"<[^>]+>", " ", body))


def test_the_brief_shows_labels_not_identifiers(briefs: Briefs) -> None:
    """Flags, rules, reasons, capabilities and conditions read by their labels in the HTML and the PDF (issue 25)."""
    for produced in (briefs.fra, briefs.gbr, briefs.public):
        html, pdf = _visible(produced.html), _text(produced)
        assert not identifiers_in(html), identifiers_in(html)
        assert not identifiers_in(pdf), identifiers_in(pdf)
    text = _visible(briefs.fra.html)
    assert "US backstop assumed present" in text and "ceasefire in force" in text
    assert "consecutive days" in text  # the exit conditions in words


def test_the_gantt_prints_on_one_landscape_page_by_task_group(briefs: Briefs) -> None:
    """The print Gantt (docs/adr/0040) has an A4 landscape page of its own, the only one: a Gantt spilling over would
    take a second landscape page; its panels are the task groups, named in words."""
    assert briefs.fra.pdf is not None
    pages = PdfReader(io.BytesIO(briefs.fra.pdf)).pages
    landscape = [n for n, page in enumerate(pages) if page.mediabox.width > page.mediabox.height]
    assert len(landscape) == 1, landscape
    text = " ".join((pages[landscape[0]].extract_text() or "").split())
    assert "Rotations by task group" in text and "Inside Ukraine" in text and "At sea" in text
    assert round(float(pages[landscape[0]].mediabox.width)) == 842  # A4 long side, in points
    assert all("Rotations by task group" not in (p.extract_text() or "") for n, p in enumerate(pages)
               if n != landscape[0])


def test_the_brief_shows_the_mission_phases_beside_the_gantt_and_on_it(briefs: Briefs) -> None:
    """Issue 26's "Done when": the demo's phases are in the brief, as a table with each entry rule's state (never
    met when the reader has no evaluation of it) and as dashed rules named on the print Gantt (docs/adr/0044)."""
    plan = briefs.fra.context.plan
    assert plan is not None and [p.name for p in plan.phases][-1] == "Transition to Ukrainian forces"
    text = " ".join(_text(briefs.fra).split())
    assert "Phases of the mission" in text and "Oct 2029 – Dec 2029" in text
    assert "Quiet skies and a holding ceasefire: not evaluated" in text  # the entry phase's rule, no evaluation stored
    gantt = briefs.fra.html.split('id="gantt"', 1)[1]
    assert "Transition to Ukrainian forces" in gantt and "Phases marked by dashed lines" in gantt


# --- the minister's brief (issue 25) -----------------------------------------------------------------------------

@dataclass
class Ministers:
    fra: Produced
    again: Produced  # France's second minister brief, HTML: compares with the first
    deu: Produced  # Germany reads neither France's plan nor the pledges released to FRA and GBR only


@pytest.fixture(scope="module")
def ministers(briefs: Briefs) -> Ministers:
    def minister(nation: str, **kw: Any) -> Produced:
        return produce(briefs.settings, who(nation), scenario="illustrative", audience="minister", **kw)

    return Ministers(minister("FRA", plan_id=briefs.plan_id), minister("FRA", plan_id=briefs.plan_id, pdf=False),
                     minister("DEU"))


def catalogue_identifiers_in(text: str) -> set[str]:
    """Return every key of the label catalogue that differs from its label and reads as an identifier (snake_case, or
    a capability code) found as a word in a text for people."""
    from reassure.core.labels import catalogue

    keys = {e.key for e in catalogue() if e.key != e.label and ("_" in e.key or e.kind == "capability")}
    return {k for k in keys if re.search(rf"(?<![\w-]){re.escape(k)}(?![\w-])", text)}


def test_the_minister_brief_is_two_pages_naming_a_decision_with_its_figures(briefs: Briefs,
                                                                             ministers: Ministers) -> None:
    pages = _pages(ministers.fra)
    assert len(pages) <= 2 and "Decisions needed" in pages[0] and "Situation" in pages[-1]
    assert "Confirm the US backstop: without it, the baseline plan of " in pages[0]
    assert f"covers {briefs.whatif_coverage:.1%} of the demand" in pages[0]
    assert "Failing the backstop, ask " in pages[0] and "planning assumption" in pages[0]
    assert all("REL TO FRA, GBR — released to FRA" in page for page in pages)  # the banner on both pages
    assert briefs.plan_id not in " ".join(pages) and not catalogue_identifiers_in(" ".join(pages))
    staff = _pages(briefs.fra)
    assert "Bottom line: decisions needed" in staff[0] and not catalogue_identifiers_in(" ".join(staff[:2]))
    assert "Confirm the US backstop" in " ".join(staff[:2])


def test_the_minister_brief_names_nothing_its_reader_cannot_see(briefs: Briefs, ministers: Ministers) -> None:
    from reassure.domains.pledges.service import list_pledges

    pages = _pages(ministers.deu)
    assert len(pages) <= 2 and all("PUBLIC — released to DEU" in page for page in pages)
    with unit_of_work(briefs.settings, identity=who("DEU")) as db:
        seen = [p for p in list_pledges(db=db, scenario="illustrative") if "us_backstop" in p.conditions]
    with unit_of_work(briefs.settings, identity=who("FRA")) as db:
        fra = [p for p in list_pledges(db=db, scenario="illustrative") if "us_backstop" in p.conditions]
    units, all_units = (sum(p.planned_units for p in ps) for ps in (seen, fra))
    assert units < all_units  # FRA-MECH is released to FRA and GBR only
    backstop = next(d for d in ministers.deu.context.bottom.decisions if d.ask == "Confirm the US backstop")
    assert backstop.why.startswith(f"{units} pledged units") and f"{units} pledged units" in pages[0]
    assert f"{all_units} pledged units" not in " ".join(pages)
    text = " ".join(pages) + ministers.deu.html
    assert ministers.deu.context.plan is None and "FRA-MECH" not in text and "Failing the backstop" not in text
    assert "GBR-SECRET-ENG" not in ministers.fra.html + _text(ministers.fra)


def test_the_minister_brief_says_what_changed_since_the_previous_one(briefs: Briefs, ministers: Ministers) -> None:
    first, again = ministers.fra.context.bottom, ministers.again.context.bottom
    assert first is not None and again is not None
    assert first.changes[0].text.startswith("First brief of this scenario")
    assert again.changes[0].text.startswith("No change since the brief of")
    with unit_of_work(briefs.settings, identity=who("FRA", Role.ADMIN, user="fra-admin")) as db:
        rows = [r.details["after"] for r in recent(db=db, limit=100, action="brief.render")]
    minister = [r for r in rows if r["audience"] == "minister" and r["reader"] == "FRA"]
    assert len(minister) == 2 and minister[0]["figures"]["coverage"] == round(briefs.fra.context.plan.plan.coverage, 4)


def test_the_minister_brief_keeps_to_two_pages_when_every_rule_is_met(ministers: Ministers) -> None:
    """The longest page one the demo can give: every trigger and exit condition met asks for a decision too."""
    from dataclasses import replace
    from datetime import date

    from reassure.brief.render import render_html, render_pdf
    from reassure.services.decisions import bottom_line

    context = ministers.fra.context
    rules = [replace(r, met=True, since=date(2025, 8, 1), evidence=12) for r in context.rules]
    tasks = {g["task"]: g["task"].title() for g in context.plan.gaps} if context.plan else {}
    met = replace(context, rules=rules)
    met = replace(met, bottom=bottom_line(met, context.previous, tasks))
    assert met.bottom is not None and [d.ask for d in met.bottom.decisions][:2] == [
        "Convene a sanctions review with the coalition's political directors",
        "Put a phased drawdown of the air-policing and reassurance components to the coalition's political authority "
        "for decision"]
    pdf = render_pdf(render_html(met))
    pages = [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) <= 2 and "Convene" in pages[0] and "Confirm the US backstop" in pages[0]
