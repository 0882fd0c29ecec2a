"""follow-up hooks: an ask's answer-by date and a nation's default follow-up owner

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 13:00:00

- `force_asks.answer_by` (NULL): the day an answer is due; unanswered after it, or answered after it, opens a
  follow-up (docs/adr/0047).
- `followup_owners`: per nation, the user who owns the follow-ups hooks open; marked REL TO that nation.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("force_asks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("answer_by", sa.Date(), nullable=True))
    op.create_table(
        "followup_owners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("nation_code", sa.String(length=3), nullable=False),
        sa.Column("owner", sa.String(length=64), nullable=False),
        sa.Column("set_by", sa.String(length=64), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rel_to", sa.String(length=400), nullable=False),
        sa.Column("owner_nation", sa.String(length=3), nullable=True),
        sa.ForeignKeyConstraint(["nation_code"], ["nations.code"], name=op.f("fk_followup_owners_nation_code_nations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_followup_owners")),
        sa.UniqueConstraint("nation_code", name=op.f("uq_followup_owners_nation_code")),
    )
    with op.batch_alter_table("followup_owners", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_followup_owners_rel_to"), ["rel_to"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("followup_owners")
    with op.batch_alter_table("force_asks", schema=None) as batch_op:
        batch_op.drop_column("answer_by")
