"""The work of `reassure demo`, step by step, each returning plain results for the CLI to print.

The first admin and the demo accounts are made through the users' actions, plans and asks are stored through the
plans' actions as `plan solve --store` stores them (a write callable: the caller's write with retry, audited), the
registry and the incidents are loaded through their domains' actions. Long steps report progress through callbacks.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy.orm import Session

from reassure.core.identity import Identity, Role
from reassure.core.markings import PUBLIC, Releasability
from reassure.db.uow import lookup_session, unit_of_work
from reassure.domains.incidents import actions as incidents
from reassure.domains.planning.problem import problem_and_marking, problem_json
from reassure.domains.plans.actions import attach_asks, delete_plan, store_plan
from reassure.domains.plans.service import plans_made_via
from reassure.domains.pledges.service import list_pledges
from reassure.domains.preferences.actions import set_default_scenario
from reassure.domains.preferences.schemas import DefaultScenarioRead
from reassure.domains.preferences.service import get_default_scenario
from reassure.domains.scenarios.importing import load_bundled
from reassure.domains.scenarios.schemas import CoalitionSummary
from reassure.domains.scenarios.service import coalition_summary
from reassure.domains.users.actions import add_user, first_admin, set_password
from reassure.domains.users.service import any_users, find_user, identity_for
from reassure.planner.analysis.asks import AskProgress
from reassure.planner.instance import Asks, Problem
from reassure.planner.solver.solve import solve
from reassure.services.asks import asks_for
from reassure.services.briefing import FactsPicture, facts_picture
from reassure.services.caller import Caller, user_caller
from reassure.services.planning import PlanReview, WhatIfPicture
from reassure.settings import Settings

if TYPE_CHECKING:
    from reassure.services.situation import SituationPicture

T = TypeVar("T")
Write = Callable[[Callable[[Session], T]], T]  # a write for the acting user, re-run whole if a concurrent writer won
RowProgress = Callable[[str, int, int], None]  # stage, rows done, rows in all

SCENARIO = "illustrative"
DEMO_ADMIN = "demo-admin"
DEMO_VIEWER, DEMO_DEU_ADMIN = "demo-viewer-deu", "demo-admin-deu"
SECOND_NATION = "DEU"  # the demo viewer's nation: it reads less than the admin's (pledges REL TO FRA, GBR)
VIA = "demo"  # the `via` of the settings of every plan the demo stores: how a re-run finds the ones it replaces
AIR_ATTACKS = ("ua-air-attacks", "missile_attacks_daily.csv")
WEAPONS = ("ua-air-attacks", "missiles_and_uavs.csv")
UCDP = ("ucdp-ged-ukraine", "ucdp_ged_ukraine_2014_2023.csv")
OBLASTS = ("boundaries", "geoBoundaries-UKR-ADM1_simplified.geojson")


@dataclass(frozen=True)
class DemoUser:
    """Who the demo acts as: the settings to use, and the first admin when the demo has just made one."""

    settings: Settings
    founder: Identity | None = None  # the first admin, made because the database had no users


@dataclass(frozen=True)
class DemoFacts:
    """What the demo prints before planning, and the scenario's problem with the marking of the data it was built
    from (column form, and as shown)."""

    facts: FactsPicture
    summary: CoalitionSummary
    problem: Problem
    marking: str
    marking_label: str


def demo_user(settings: Settings, nation: str) -> DemoUser:
    """On a database with no users make the first admin (named by the settings' user, else demo-admin) of `nation`;
    otherwise act as the settings' user or token, else as demo-admin."""
    with lookup_session(settings) as db:
        empty = not any_users(db)
    if empty:
        name = settings.user or DEMO_ADMIN
        founder = Identity(user=name, nation=nation.upper(), roles=frozenset({Role.ADMIN}))
        with unit_of_work(settings, identity=founder) as db:
            return DemoUser(settings, first_admin(name, nation, db=db))
    if settings.user is None and settings.token is None:
        return DemoUser(settings.model_copy(update={"user": DEMO_ADMIN}))
    return DemoUser(settings)


def load_registry(*, db: Session, on_file: Callable[[str], None]) -> int:
    """Load the bundled data (each file's name to `on_file` as it starts); return the number of records written."""
    return sum(r.changes for r in load_bundled(db=db, on_file=on_file))


def landing_page(settings: Settings, admin: Identity) -> DefaultScenarioRead | None:
    """Make the bundled scenario the admin's nation's default (its landing page and default brief), unless the
    nation has chosen one already; return the nation's setting, or None when the user is no admin (or previews)."""
    if not admin.has(Role.ADMIN) or admin.view_as is not None:
        return None
    with unit_of_work(settings, identity=admin) as db:
        current = get_default_scenario(db=db)
        if current.scenario is None:
            current = set_default_scenario(SCENARIO, db=db)
    return current


def demo_facts(*, db: Session) -> DemoFacts:
    """Return the reported facts, the coalition summary and the planning problem of the bundled scenario."""
    facts = facts_picture(db=db)
    summary = coalition_summary(SCENARIO, db=db)
    problem, marking = problem_and_marking(SCENARIO, db=db)
    return DemoFacts(facts, summary, problem, marking, str(Releasability.from_column(marking)))


def demo_asks(whatif: WhatIfPicture, target: float, *, seconds: float,
              callback: Callable[[AskProgress], None] | None = None) -> Asks:
    """Return the units that would restore the no-backstop re-plan to `target` (the plan's coverage with the
    backstop), verified by re-solving (computed from planning assumptions)."""
    _base, asks = asks_for(whatif.problem, target, base=whatif.plan, seconds=seconds, rounds=2, seed=1,
                           callback=callback)
    return asks


def replace_demo_plans(*, write: Write[Any]) -> int:
    """Delete the plans an earlier run of the demo stored for the writer's nation (found by their settings' `via`,
    what-ifs first), each through the audited plans action, so a re-run replaces them; return how many."""
    return int(write(_clear_demo_plans))


def _clear_demo_plans(db: Session) -> int:
    found = plans_made_via(SCENARIO, VIA, db=db)
    for plan_id in found:
        delete_plan(plan_id, db=db)
    return len(found)


def store_demo_plans(problem: Problem, marking: str, picture: PlanReview, seconds: float, *, write: Write[Any],
                     asks: Asks | None = None) -> str:
    """Keep the demo's plan and its no-backstop re-plan (linked to it, with the asks that would restore the
    coverage), so the dashboard and the brief show them; return the plan's public id."""
    settings = {"method": "cp-sat", "time_limit": seconds, "seed": 1, "via": VIA}
    base = write(lambda db: store_plan(db=db, scenario=SCENARIO, problem=problem_json(problem), plan=picture.plan,
                                       rel_to=marking, settings=settings, label="demo"))
    if picture.whatif is not None:
        whatif = picture.whatif
        stored = write(lambda db: store_plan(db=db, scenario=SCENARIO, problem=problem_json(whatif.problem),
                                             plan=whatif.plan, rel_to=marking, base=base.id,
                                             label="demo: no US backstop",
                                             settings={**settings, "method": "what-if",
                                                       "changes": ["us_backstop=false"]}))
        if asks is not None:  # stored with the what-if, so the plan page and the brief list the asks (issue 23)
            write(lambda db: attach_asks(stored.id, asks, db=db,
                                         settings={"target": picture.plan.coverage, "via": "demo"}))
    return str(base.id)


@dataclass(frozen=True)
class ReleaseDifference:
    """How many of the scenario's pledges the admin reads, how many of them a viewer of another nation reads too
    (counted through the data layer as the admin's preview of that nation: records released to both), and the
    pledges only the admin reads, counted by their marking as shown."""

    nation: str
    total: int
    seen: int
    withheld: dict[str, int]


def release_difference(settings: Settings, admin: Identity, nation: str = SECOND_NATION) -> ReleaseDifference | None:
    """Count the bundled scenario's pledges as the admin reads them and as the admin's preview of `nation` reads them
    (the preview audited as any other); None when the user is no admin, previews already or is of that nation."""
    if not admin.has(Role.ADMIN) or admin.view_as is not None or admin.nation == nation:
        return None
    mine = Caller(admin, settings).read(lambda db: list_pledges(db=db, scenario=SCENARIO))
    preview = Caller(replace(admin, view_as=nation), settings)
    preview.record_preview(f"reassure demo: the pledges of scenario {SCENARIO} as {nation} reads them")
    theirs = {p.key for p in preview.read(lambda db: list_pledges(db=db, scenario=SCENARIO))}
    withheld = Counter(p.marking for p in mine if p.key not in theirs)
    return ReleaseDifference(nation, len(mine), sum(p.key in theirs for p in mine), dict(sorted(withheld.items())))


def demo_accounts(settings: Settings, admin: Identity) -> Identity | None:
    """Make the German demo admin (through the demo admin: onboarding a nation's first account) and, through it,
    the German demo viewer, each unless it exists (no passwords: `--serve` gives them); return the German admin,
    or None when the acting user is no admin (or previews)."""
    if not admin.has(Role.ADMIN) or admin.view_as is not None:
        return None
    with lookup_session(settings) as db:
        have_deu_admin = find_user(db, DEMO_DEU_ADMIN) is not None
        have_viewer = find_user(db, DEMO_VIEWER) is not None
    if not have_deu_admin:
        with unit_of_work(settings, identity=admin) as db:
            add_user(admin, DEMO_DEU_ADMIN, SECOND_NATION, ["admin"], db=db)
    with lookup_session(settings) as db:
        deu_admin = identity_for(db, DEMO_DEU_ADMIN)
    if not have_viewer and deu_admin.has(Role.ADMIN):
        with unit_of_work(settings, identity=deu_admin) as db:
            add_user(deu_admin, DEMO_VIEWER, SECOND_NATION, ["viewer", "analyst"], db=db)
    return deu_admin if deu_admin.has(Role.ADMIN) and deu_admin.nation == SECOND_NATION else None


@dataclass(frozen=True)
class NationPlan:
    """The plan the demo stored for the second nation, from the records released to it, and how it is marked."""

    plan_id: str
    units: int
    coverage: float
    marking: str
    replaced: int


def store_nation_plan(settings: Settings, author: Identity, seconds: float) -> NationPlan:
    """Solve the bundled scenario as `author` reads it (through the data layer: only records released to their
    nation) and store it as theirs, replacing the one an earlier run stored, so that nation's plan page and brief
    open on a plan of their own (a plan built from pledges not released to them is never shown to them)."""
    caller = user_caller(settings, author.user)
    problem, marking = caller.read(lambda db: problem_and_marking(SCENARIO, db=db))
    plan = solve(problem, time_limit=seconds, seed=1)
    settings_json = {"method": "cp-sat", "time_limit": seconds, "seed": 1, "via": VIA}

    def replace_and_store(db: Session) -> tuple[int, str]:  # one transaction: never left with no plan
        replaced = _clear_demo_plans(db)
        stored = store_plan(db=db, scenario=SCENARIO, problem=problem_json(problem), plan=plan, rel_to=marking,
                            settings=settings_json, label=f"demo: the records released to {author.nation}")
        return replaced, str(stored.id)

    replaced, plan_id = caller.write(replace_and_store)
    return NationPlan(plan_id, len(problem.units), plan.coverage, str(Releasability.from_column(marking)), replaced)


def find_data(explicit: Path | None) -> Path | None:
    """Return the public data folder: the one given, else ../shared/data beside the current folder."""
    if explicit is not None:
        return explicit
    for candidate in (Path.cwd().parent / "shared" / "data", Path.cwd() / "shared" / "data"):
        if (candidate / AIR_ATTACKS[0]).is_dir():
            return candidate
    return None


def ingest_demo_incidents(data: Path | None, *, db: Session,
                          on_feed: Callable[[str], RowProgress] | None = None) -> str:
    """Ingest the seed-attack accounts, and the real feeds when a data folder is given (`on_feed` is told each
    feed's label as it starts and returns its row progress); say what was used."""
    incidents.load_bundled_accounts(db=db)
    if data is None:
        return "bundled facts only (no public data folder found; pass --data DIR)"
    for parts, label in ((AIR_ATTACKS, "air attacks"), (UCDP, "UCDP events")):
        path = data.joinpath(*parts)
        if not path.is_file():
            continue
        advance = on_feed(label) if on_feed is not None else None
        if parts is AIR_ATTACKS:
            weapons = data.joinpath(*WEAPONS)
            incidents.import_air_attacks(path, db=db, rel_to=PUBLIC, weapons=weapons if weapons.is_file() else None,
                                         on_progress=advance)
        else:
            incidents.import_ucdp(path, db=db, rel_to=PUBLIC, on_progress=advance)
    return f"public data from {data}"


def with_oblasts(settings: Settings, data: Path | None) -> Settings:
    """Return the settings with the public data folder's oblast boundaries, unless some are set or none are found."""
    folder = find_data(data or settings.shared_data)
    oblasts = folder.joinpath(*OBLASTS) if folder else None
    if settings.boundaries is None and oblasts is not None and oblasts.is_file():
        return settings.model_copy(update={"boundaries": oblasts})
    return settings


@dataclass(frozen=True)
class DemoAccounts:
    """The demo accounts' fresh passwords (shown once), and Germany's landing page as its own admin set it."""

    passwords: dict[str, str]
    deu_landing: DefaultScenarioRead | None


def demo_passwords(settings: Settings, admin: Identity) -> DemoAccounts:
    """Give the demo admin and a German viewer (made on first use, through a German admin) fresh passwords, and
    make the bundled scenario Germany's landing page, chosen by Germany's own admin (never by France's)."""
    passwords = {admin.user: secrets.token_urlsafe(12), DEMO_VIEWER: secrets.token_urlsafe(12)}
    demo_accounts(settings, admin)  # onboarding: an admin may create a nation's first account, as its admin
    with lookup_session(settings) as db:
        deu_admin = identity_for(db, DEMO_DEU_ADMIN)
    with unit_of_work(settings, identity=admin) as db:
        set_password(admin, admin.user, passwords[admin.user], db=db)
    with unit_of_work(settings, identity=deu_admin) as db:
        set_password(deu_admin, DEMO_VIEWER, passwords[DEMO_VIEWER], db=db)
    return DemoAccounts(passwords, landing_page(settings, deu_admin) if deu_admin.has(Role.ADMIN) else None)


def situation_for_demo(*, db: Session, stale_after_days: int = 14) -> SituationPicture:
    """Return the demo's picture over six months, with the attack the brief would show: the newest attack night the
    reader sees accounts of from two or more sources (services/situation.choose_attacks), not a fixed night."""
    from reassure.services.situation import situation_picture  # polars and the rules load only when needed

    return situation_picture(db=db, choose=True, every="month", last=6, stale_after_days=stale_after_days)
