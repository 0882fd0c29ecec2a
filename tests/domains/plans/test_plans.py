"""Stored plans: solved from a scenario, marked like the records they rest on, listed, shown, diffed, re-checked."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sqlalchemy import text

from reassure.core.identity import Role
from reassure.core.labels import rule_label
from reassure.core.public_ids import is_public_id
from reassure.db.uow import engine_for
from reassure.settings import Settings
from tests.conftest import Cli, stored_user
from tests.scenario_io.samples import VALID, write

SOLVE = ("plan", "solve", "--scenario", "small", "--store", "--time-limit", "1")
STORED = re.compile(r"stored as plan (\S+) \(([^)]*)\)")


def _stored(out: str) -> tuple[str, str]:
    """Return (public id, marking) of the plan a command says it stored."""
    found = STORED.search(out)
    assert found, out
    assert is_public_id(found.group(1), "plan"), found.group(1)
    return found.group(1), found.group(2)


def test_a_stored_plan_is_marked_like_its_most_restrictive_input(cli: Cli, tmp_path: Path) -> None:
    assert cli("import", str(write(tmp_path, VALID)))[0] == 0  # GBR-FS is REL TO FRA, GBR; the rest PUBLIC
    code, out, err = cli(*SOLVE, "--label", "with GBR", nation="GBR")
    assert code == 0, err
    first, marking = _stored(out)
    assert marking == "REL TO FRA, GBR"
    code, out, err = cli(*SOLVE, nation="DEU")  # DEU's problem rests on public records only
    assert code == 0, err
    second, marking = _stored(out)
    assert marking == "PUBLIC"
    plans = json.loads(cli("plans", "list", "--json", nation="GBR")[1])
    assert [(p["id"], p["marking"], p["label"]) for p in plans] == [
        (second, "PUBLIC", ""), (first, "REL TO FRA, GBR", "with GBR")]
    assert [p["id"] for p in json.loads(cli("plans", "list", "--json", nation="DEU")[1])] == [second]
    hidden, absent = cli("plans", "show", first, nation="DEU"), cli("plans", "show", "plan_" + "a" * 16, nation="DEU")
    assert hidden[0] == absent[0] == 3 and hidden[2].replace(first, "N") == absent[2].replace("plan_" + "a" * 16, "N")
    detail = json.loads(cli("plans", "show", first, "--json", nation="GBR")[1])[0]
    assert {u["id"] for u in detail["problem"]["units"]} >= {"GBR-FS-1", "GBR-FS-2"}
    assert detail["settings"]["time_limit"] == 1.0 and detail["author"] == "gbr-analyst-planner"


def test_stored_plans_revalidate_and_diff(cli: Cli, settings: Settings, tmp_path: Path) -> None:
    cli("import", str(write(tmp_path, VALID)))
    first, _ = _stored(cli(*SOLVE, nation="GBR")[1])
    second, _ = _stored(cli(*SOLVE, nation="DEU")[1])
    code, out, _ = cli("plans", "validate", first, nation="GBR")
    assert code == 0 and "valid against its stored problem" in out
    diff = json.loads(cli("plans", "diff", first, second, "--json", nation="GBR")[1])[0]
    assert (diff["a"], diff["b"]) == (first, second) and diff["coverage_a"] >= diff["coverage_b"]
    assert not any("GBR-FS" in t for t in diff["tours_added"])  # DEU's plan could not use GBR's hidden pledge
    assert diff["tours_kept"] + len(diff["tours_removed"]) == json.loads(
        cli("plans", "show", first, "--json", nation="GBR")[1])[0]["tours"]
    with engine_for(settings).begin() as connection:  # tamper with the stored plan: every tour twice
        row = connection.execute(text("SELECT plan FROM plans WHERE public_id = :p"), {"p": first}).scalar_one()
        plan = row if isinstance(row, dict) else json.loads(row)
        plan["tours"] = plan["tours"] + plan["tours"]
        connection.execute(text("UPDATE plans SET plan = :t WHERE public_id = :p"), {"t": json.dumps(plan), "p": first})
    code, out, _ = cli("plans", "validate", first, nation="GBR")
    assert code == 1 and "overlap" in out.lower()


def test_only_planners_store_plans(cli: Cli, tmp_path: Path) -> None:
    cli("import", str(write(tmp_path, VALID)))
    viewer = stored_user(cli.url, "GBR", Role.VIEWER, name="gbr-reader")
    code, _, err = cli(*SOLVE, user=viewer)
    assert code == 4 and "needs the planner role" in err
    assert json.loads(cli("plans", "list", "--json", user=viewer)[1]) == []


def test_a_stored_what_if_links_its_base_and_is_never_wider(cli: Cli, tmp_path: Path) -> None:
    cli("import", str(write(tmp_path, VALID)))
    code, out, err = cli(*SOLVE, nation="GBR")  # REL TO FRA, GBR
    assert code == 0, err
    base, _ = _stored(out)
    code, out, err = cli("plans", "whatif", base, "--flag", "us_backstop=false", "--store", "--time-limit", "1",
                         nation="GBR")
    assert code == 0 and f"what-if on plan {base}" in out, err
    what_if_id, marking = _stored(out)
    assert marking == "REL TO FRA, GBR"
    what_if = json.loads(cli("plans", "show", what_if_id, "--json", nation="GBR")[1])[0]
    assert what_if["base"] == base and what_if["settings"]["changes"] == ["us_backstop=false"]
    assert what_if["label"] == f"what-if on {base}"
    assert what_if["problem"]["flags"]["us_backstop"] is False or what_if["coverage"] <= 1.0
    assert cli("plans", "whatif", base, "--store", nation="GBR")[0] == 2  # no change given
    assert cli("plans", "whatif", base, "--flag", "us_backstop=false", nation="DEU")[0] == 3  # hidden base


def test_plan_picture_says_a_gap_on_a_led_task_in_words(cli: Cli, settings: Settings, tmp_path: Path) -> None:
    from reassure.db.uow import unit_of_work
    from reassure.domains.plans.service import plan_picture
    from tests.conftest import who

    # AIR-WEST is led by the UK; DEU does not see the UK's pledge, so in its plan no unit may man the task.
    text_ = VALID.replace("    command: HQ\n", "    command: HQ\n    lead_nation: GBR\n")
    assert cli("import", str(write(tmp_path, text_)))[0] == 0
    plan_id, _ = _stored(cli(*SOLVE, nation="DEU")[1])
    with unit_of_work(settings, identity=who("DEU")) as db:
        picture = plan_picture(plan_id, db=db)
    gap = picture.gaps[0]
    assert gap["task"] == "AIR-WEST" and gap["periods"][0] == 0
    assert "lead nation United Kingdom" in gap["reason"] and rule_label("lead_nation") in gap["reason"]
    assert gap["arrangement"].startswith("led by United Kingdom")


def test_a_plan_is_deleted_only_by_its_nations_planners_and_the_delete_is_audited(cli: Cli, settings: Settings,
                                                                                    tmp_path: Path) -> None:
    from reassure.core.errors import Forbidden, NotFound
    from reassure.db.uow import unit_of_work
    from reassure.domains.audit.models import AuditEntry
    from reassure.domains.plans.actions import delete_plan
    from reassure.domains.plans.service import get_stored, list_plans, plans_made_via
    from tests.conftest import who

    cli("import", str(write(tmp_path, VALID)))
    base, _ = _stored(cli(*SOLVE, "--label", "base", nation="GBR")[1])
    code, out, err = cli("plans", "whatif", base, "--flag", "us_backstop=false", "--store", "--time-limit", "1",
                         nation="GBR")
    assert code == 0, err
    whatif = STORED.search(out).group(1)  # type: ignore[union-attr]
    with unit_of_work(settings, identity=who("FRA")) as db:
        assert plans_made_via("small", "demo", db=db) == []  # France made none
        try:
            delete_plan(base, db=db)
            raise AssertionError("France deleted a British plan")
        except Forbidden:
            pass
    with unit_of_work(settings, identity=who("GBR", Role.VIEWER)) as db:
        try:
            delete_plan(base, db=db)
            raise AssertionError("a viewer deleted a plan")
        except Forbidden:
            pass
    with unit_of_work(settings, identity=who("GBR")) as db:
        assert plans_made_via("small", "demo", db=db) == []  # stored by the CLI, not by the demo
        deleted = delete_plan(base, db=db)
    assert deleted.id == base and deleted.label == "base"
    with unit_of_work(settings, identity=who("GBR")) as db:
        assert [p.id for p in list_plans(db=db)] == [whatif]
        assert get_stored(whatif, db=db).base_id is None  # the what-if stays, without its base
        try:
            get_stored(base, db=db)
            raise AssertionError("the deleted plan is still there")
        except NotFound:
            pass
        rows = [e for e in db.query(AuditEntry).filter(AuditEntry.action == "plan.delete")]
        assert [(e.actor, e.entity_key) for e in rows] == [(who("GBR").user, f"small/{base}")]
        assert rows[0].details["before"]["label"] == "base" and rows[0].rel_to == ",FRA,GBR,"


def test_the_no_backstop_re_plan_is_found_past_a_later_what_if_of_another_kind(cli: Cli, settings: Settings,
                                                                               tmp_path: Path) -> None:
    """The brief compares a plan with its newest re-plan WITHOUT the US backstop: a later what-if of another kind (a
    nation withdrawing), or one changing the flag and something else, is never taken for it."""
    from reassure.db.uow import unit_of_work
    from reassure.domains.plans.service import whatif_of
    from tests.conftest import who

    cli("import", str(write(tmp_path, VALID)))
    base, _ = _stored(cli(*SOLVE, nation="GBR")[1])
    whatif = ("plans", "whatif", base, "--store", "--time-limit", "1")
    stored = []
    for change in (["--flag", "us_backstop=false"], ["--flag", "us_backstop=false", "--withdraw", "FRA@0"],
                   ["--withdraw", "FRA@0"]):
        code, out, err = cli(*whatif, *change, nation="GBR")
        assert code == 0, err
        stored.append(_stored(out)[0])
    backstop, both, withdrawal = stored
    with unit_of_work(settings, identity=who("GBR")) as db:
        assert whatif_of(base, db=db) == withdrawal  # the newest of any kind
        assert whatif_of(base, db=db, flag="us_backstop", value=False) == backstop != both
