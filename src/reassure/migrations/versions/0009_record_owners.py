"""record owners

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 01:00:00

Every marked record gets `owner_nation`: the nation of the user who wrote it first, set at insert from the writer's
identity (db/access). A reader who sees several records of one key sees their own nation's first (db/keys,
docs/adr/0011), so no nation can replace another's record in its owners' view by writing a narrower copy.
Existing rows marked REL TO one nation get that nation (only its users could have written them: a writer may only
mark what they can read); other existing rows stay NULL (writer unknown: ranked like the reader's own,
so a copy another nation writes after the upgrade never displaces it).
Jobs have had `owner_nation` since revision 0006.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MARKED = ("audit_log", "command_nodes", "rule_evaluations", "incidents", "incident_reports", "weapon_counts",
          "legal_instruments", "memberships", "nation_figures", "plans", "pledges", "pledge_status_events",
          "nation_preferences", "scenarios", "scenario_changes", "sources", "claims", "tasks")


def upgrade() -> None:
    bind = op.get_bind()
    for table in MARKED:
        op.add_column(table, sa.Column("owner_nation", sa.String(3), nullable=True))
        # ',FRA,' (one nation, as core/markings stores it) is five characters: that nation wrote it.
        bind.execute(sa.text(f"UPDATE {table} SET owner_nation = substr(rel_to, 2, 3) "
                             "WHERE length(rel_to) = 5 AND rel_to LIKE ',%,'"))


def downgrade() -> None:
    for table in MARKED:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("owner_nation")
