"""identity and markings: users and API tokens; every record marked; natural keys unique per marking

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 09:30:00

- users and api_tokens (identity from the database, docs/adr/0007);
- rel_to on the records that had none (pledge history, scenario changes, memberships, nation figures,
  audit rows): children take their parent's marking, reference rows stay PUBLIC, existing audit rows are
  released to the actor's nation only;
- natural keys (scenario names, claim, incident and scenario-child keys, source ids) become unique per
  marking, so a hidden record never blocks nor reveals itself through a visible one; sources get a `key`;
- the nations table holds every ISO 3166-1 country, so no import ever adds one.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table, old unique columns (named by the convention), index on the key column to add
KEYS = [
    ("scenarios", ["name"], "name"),
    ("claims", ["key"], None),
    ("incidents", ["key"], "key"),
    ("pledges", ["scenario_id", "key"], None),
    ("tasks", ["scenario_id", "key"], None),
    ("command_nodes", ["scenario_id", "key"], None),
    ("legal_instruments", ["scenario_id", "key"], None),
    ("memberships", ["nation_code", "organisation", "start"], None),
    ("nation_figures", ["nation_code", "indicator", "year"], None),
    ("incident_reports", ["incident_id", "source_id", "revision"], None),
]
NEW_MARKED = ["pledge_status_events", "scenario_changes", "memberships", "nation_figures", "audit_log"]


def _uq(table: str, columns: list[str]) -> str:
    return f"uq_{table}_{'_'.join(columns)}"


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("nation", sa.String(length=3), nullable=False),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["nation"], ["nations.code"], name=op.f("fk_users_nation_nations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("name", name=op.f("uq_users_name")),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_tokens_user_id"), ["user_id"], unique=False)

    for table in NEW_MARKED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("rel_to", sa.String(length=400), nullable=True))
    op.execute("UPDATE pledge_status_events SET rel_to = (SELECT p.rel_to FROM pledges p "
               "WHERE p.id = pledge_status_events.pledge_id)")
    op.execute("UPDATE scenario_changes SET rel_to = (SELECT s.rel_to FROM scenarios s "
               "WHERE s.id = scenario_changes.scenario_id)")
    op.execute("UPDATE memberships SET rel_to = 'PUBLIC'")
    op.execute("UPDATE nation_figures SET rel_to = 'PUBLIC'")
    # Old audit rows were unmarked: release each only to its actor's nation (nobody's when none was given).
    op.execute("UPDATE audit_log SET rel_to = CASE WHEN actor_nation IS NULL THEN ',' "
               "ELSE ',' || actor_nation || ',' END")
    for table in NEW_MARKED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("rel_to", existing_type=sa.String(length=400), nullable=False)
            batch_op.create_index(batch_op.f(f"ix_{table}_rel_to"), ["rel_to"], unique=False)
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("outcome", sa.String(length=10), nullable=False, server_default="done"))
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.alter_column("outcome", existing_type=sa.String(length=10), server_default=None)
        batch_op.create_index(batch_op.f("ix_audit_log_outcome"), ["outcome"], unique=False)

    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("key", sa.String(length=80), nullable=True))
    op.execute("UPDATE sources SET key = id")
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.alter_column("key", existing_type=sa.String(length=80), nullable=False)
        batch_op.create_index(batch_op.f("ix_sources_key"), ["key"], unique=False)
        batch_op.create_unique_constraint(batch_op.f("uq_sources_key_rel_to"), ["key", "rel_to"])

    for table, columns, index in KEYS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(_uq(table, columns), type_="unique")
            batch_op.create_unique_constraint(_uq(table, [*columns, "rel_to"]), [*columns, "rel_to"])
            if index:
                batch_op.create_index(f"ix_{table}_{index}", [index], unique=False)

    from reassure.core.nations import all_nations

    nations = sa.table("nations", sa.column("code", sa.String), sa.column("name", sa.String))
    known = {row[0] for row in op.get_bind().execute(sa.select(nations.c.code))}
    missing = [{"code": code, "name": name} for code, name in all_nations() if code not in known]
    if missing:
        op.bulk_insert(nations, missing)


def downgrade() -> None:
    """Revert this revision (nations stay: they are reference data)."""
    for table, columns, index in reversed(KEYS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            if index:
                batch_op.drop_index(f"ix_{table}_{index}")
            batch_op.drop_constraint(_uq(table, [*columns, "rel_to"]), type_="unique")
            batch_op.create_unique_constraint(_uq(table, columns), columns)
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_sources_key_rel_to"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_sources_key"))
        batch_op.drop_column("key")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_outcome"))
        batch_op.drop_column("outcome")
    for table in reversed(NEW_MARKED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_rel_to"))
            batch_op.drop_column("rel_to")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_user_id"))
    op.drop_table("api_tokens")
    op.drop_table("users")
