"""asks to nations and their answers (issue 26)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 11:00:00

- `force_asks`: an ask to a nation (capability, units, window, the gaps it would close), its state (drafted, sent,
  answered, pledged) with each step's date and source, the answer (full, part, declined; units accepted,
  conditions) and the pledge it became; marked, with an opaque public id (docs/adr/0041).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "force_asks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=25), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("nation_code", sa.String(length=3), nullable=False),
        sa.Column("capability", sa.String(length=40), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("personnel_per_unit", sa.Integer(), nullable=False),
        sa.Column("locations", sa.JSON(), nullable=False),
        sa.Column("available_from", sa.Date(), nullable=False),
        sa.Column("available_to", sa.Date(), nullable=False),
        sa.Column("max_tour", sa.Integer(), nullable=False),
        sa.Column("min_dwell", sa.Integer(), nullable=False),
        sa.Column("closes", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("author", sa.String(length=120), nullable=False),
        sa.Column("drafted_on", sa.Date(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("sent_source_id", sa.String(length=80), nullable=True),
        sa.Column("answer", sa.String(length=12), nullable=True),
        sa.Column("accepted", sa.Integer(), nullable=True),
        sa.Column("conditions", sa.Text(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("answer_source_id", sa.String(length=80), nullable=True),
        sa.Column("pledge_id", sa.Integer(), nullable=True),
        sa.Column("pledged_on", sa.Date(), nullable=True),
        sa.Column("rel_to", sa.String(length=400), nullable=False),
        sa.Column("owner_nation", sa.String(length=3), nullable=True),
        sa.ForeignKeyConstraint(["scenario_id"], ["scenarios.id"], name=op.f("fk_force_asks_scenario_id_scenarios"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_force_asks_plan_id_plans"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["nation_code"], ["nations.code"], name=op.f("fk_force_asks_nation_code_nations")),
        sa.ForeignKeyConstraint(["sent_source_id"], ["sources.id"],
                                name=op.f("fk_force_asks_sent_source_id_sources")),
        sa.ForeignKeyConstraint(["answer_source_id"], ["sources.id"],
                                name=op.f("fk_force_asks_answer_source_id_sources")),
        sa.ForeignKeyConstraint(["pledge_id"], ["pledges.id"], name=op.f("fk_force_asks_pledge_id_pledges"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_force_asks")),
        sa.UniqueConstraint("public_id", name=op.f("uq_force_asks_public_id")),
    )
    with op.batch_alter_table("force_asks", schema=None) as batch_op:
        for column in ("scenario_id", "plan_id", "nation_code", "state", "rel_to"):
            batch_op.create_index(batch_op.f(f"ix_force_asks_{column}"), [column], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("force_asks")
