"""opaque ids and default scenarios

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-02 10:00:00

- jobs, stored plans, rule evaluations and audit rows get an opaque public id (`job_…`, `plan_…`, `eval_…`,
  `aud_…`: core/public_ids), unique, made here for every existing row; the integer keys stay inside the database.
  The numbers the rows themselves name are rewritten to public ids too (a what-if job's `plan_id`, a rules job's
  evaluation ids, the label "what-if on N", and the audit log's job and plan keys and its `plan`/`base` details),
  so no stored text keeps counting another nation's records (docs/adr/0012);
- nation_preferences: the scenario each nation's pages and briefs open on, set by its admin, REL TO that nation.
"""

import re
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PUBLIC_ID_LENGTH = 25  # core/public_ids.PUBLIC_ID_LENGTH when this revision was written
PREFIXES = {"jobs": "job", "plans": "plan", "rule_evaluations": "eval", "audit_log": "aud"}
WHATIF_LABEL = re.compile(r"^what-if on (\S+)$")
Mapping = Callable[[Any], Any]


def _new_id(prefix: str) -> str:
    from reassure.core.public_ids import new_public_id

    return new_public_id(prefix)


def _ids(table: str) -> dict[Any, Any]:
    """Return {integer key: public id} of a table's rows."""
    rows = op.get_bind().execute(sa.text(f"SELECT id, public_id FROM {table}"))
    return {int(key): public for key, public in rows}


def _map(ids: dict[Any, Any]) -> Mapping:
    """Return a function turning one id (as stored: number, digits or public id) into the other kind of id; an id
    whose record is gone becomes None (it must not keep counting)."""
    def convert(value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, str) and value.isdigit():
            value = int(value)
        return ids.get(value)
    return convert


def _rewrite_references(plan: Mapping, job: Mapping, evaluation: Mapping) -> None:
    """Rewrite the ids rows name inside their JSON and text (both directions use this, with inverse mappings)."""
    bind = op.get_bind()
    jobs = sa.table("jobs", sa.column("id", sa.Integer), sa.column("kind", sa.String), sa.column("params", sa.JSON),
                    sa.column("result", sa.JSON))
    for key, kind, params, result in bind.execute(sa.select(jobs.c.id, jobs.c.kind, jobs.c.params, jobs.c.result)):
        new_params, new_result = dict(params or {}), dict(result or {})
        if "plan_id" in new_params:
            new_params["plan_id"] = plan(new_params["plan_id"])
        if kind == "rules" and isinstance(new_result.get("evaluations"), list):
            new_result["evaluations"] = [evaluation(e) for e in new_result["evaluations"]]
        if new_params != params or new_result != result:
            bind.execute(sa.update(jobs).where(jobs.c.id == key).values(params=new_params, result=new_result))
    plans = sa.table("plans", sa.column("id", sa.Integer), sa.column("label", sa.String))
    for key, label in bind.execute(sa.select(plans.c.id, plans.c.label)):
        found = WHATIF_LABEL.match(label or "")
        if found:
            bind.execute(sa.update(plans).where(plans.c.id == key)
                         .values(label=f"what-if on {plan(found.group(1)) or 'a removed plan'}"))
    audit = sa.table("audit_log", sa.column("id", sa.Integer), sa.column("entity", sa.String),
                     sa.column("entity_key", sa.String), sa.column("details", sa.JSON))
    query = sa.select(audit.c.id, audit.c.entity, audit.c.entity_key, audit.c.details).where(
        audit.c.entity.in_(["Job", "Plan", "Brief"]))
    for key, entity, entity_key, details in bind.execute(query):
        new_key = entity_key
        if entity == "Job":
            new_key = str(job(entity_key) or "removed")
        elif entity == "Plan" and "/" in entity_key:
            scenario, _, number = entity_key.rpartition("/")
            new_key = f"{scenario}/{plan(number) or 'removed'}"
        new_details = _details(details or {}, plan)
        if new_key != entity_key or new_details != details:
            bind.execute(sa.update(audit).where(audit.c.id == key).values(entity_key=new_key[:200],
                                                                        details=new_details))


def _details(details: dict[str, Any], plan: Mapping) -> dict[str, Any]:
    """Return an audit row's details with the plan ids it names (plan, base, plan_id) converted."""
    out = dict(details)
    for side in ("before", "after"):
        part = out.get(side)
        if isinstance(part, dict):
            part = dict(part)
            for field in ("plan", "base", "plan_id"):
                if part.get(field) is not None:
                    part[field] = plan(part[field])
            out[side] = part
    return out


def upgrade() -> None:
    """Apply this revision."""
    bind = op.get_bind()
    for table in PREFIXES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("public_id", sa.String(length=PUBLIC_ID_LENGTH), nullable=True))
    for table, prefix in PREFIXES.items():
        keys = [int(row[0]) for row in bind.execute(sa.text(f"SELECT id FROM {table}"))]
        target = sa.table(table, sa.column("id", sa.Integer), sa.column("public_id", sa.String))
        if keys:
            bind.execute(sa.update(target).where(target.c.id == sa.bindparam("key"))
                         .values(public_id=sa.bindparam("public")),
                         [{"key": key, "public": _new_id(prefix)} for key in keys])
    _rewrite_references(_map(_ids("plans")), _map(_ids("jobs")), _map(_ids("rule_evaluations")))
    for table in PREFIXES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("public_id", existing_type=sa.String(length=PUBLIC_ID_LENGTH), nullable=False)
            batch_op.create_unique_constraint(batch_op.f(f"uq_{table}_public_id"), ["public_id"])

    op.create_table(
        "nation_preferences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("nation_code", sa.String(length=3), nullable=False),
        sa.Column("default_scenario_id", sa.Integer(), nullable=False),
        sa.Column("set_by", sa.String(length=64), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rel_to", sa.String(length=400), nullable=False),
        sa.ForeignKeyConstraint(["default_scenario_id"], ["scenarios.id"],
                                name=op.f("fk_nation_preferences_default_scenario_id_scenarios"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["nation_code"], ["nations.code"],
                                name=op.f("fk_nation_preferences_nation_code_nations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nation_preferences")),
        sa.UniqueConstraint("nation_code", name=op.f("uq_nation_preferences_nation_code")),
    )
    with op.batch_alter_table("nation_preferences", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_nation_preferences_default_scenario_id"), ["default_scenario_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_nation_preferences_rel_to"), ["rel_to"], unique=False)


def downgrade() -> None:
    """Revert this revision: the rows name integer ids again (public ids of removed records become None)."""
    with op.batch_alter_table("nation_preferences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_nation_preferences_rel_to"))
        batch_op.drop_index(batch_op.f("ix_nation_preferences_default_scenario_id"))
    op.drop_table("nation_preferences")

    def back(table: str) -> Mapping:
        ids = {public: key for key, public in _ids(table).items()}
        return lambda value: ids.get(value)

    _rewrite_references(back("plans"), back("jobs"), back("rule_evaluations"))
    for table in reversed(list(PREFIXES)):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f"uq_{table}_public_id"), type_="unique")
            batch_op.drop_column("public_id")
