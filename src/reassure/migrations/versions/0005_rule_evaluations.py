"""stored rule evaluations, marked like the incidents they rest on

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 10:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "rule_evaluations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.String(length=80), nullable=False),
        sa.Column("rule_name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("met", sa.Boolean(), nullable=False),
        sa.Column("evaluation", sa.JSON(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("author", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rel_to", sa.String(length=400), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rule_evaluations")),
    )
    with op.batch_alter_table("rule_evaluations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rule_evaluations_as_of"), ["as_of"], unique=False)
        batch_op.create_index(batch_op.f("ix_rule_evaluations_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_rule_evaluations_rel_to"), ["rel_to"], unique=False)
        batch_op.create_index(batch_op.f("ix_rule_evaluations_rule_id"), ["rule_id"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("rule_evaluations", schema=None) as batch_op:
        for column in ("rule_id", "rel_to", "created_at", "as_of"):
            batch_op.drop_index(batch_op.f(f"ix_rule_evaluations_{column}"))
    op.drop_table("rule_evaluations")
