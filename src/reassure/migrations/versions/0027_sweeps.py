"""scenario sweeps: a sweep of a scenario and the plans of its runs

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 16:10:00

- `sweeps`: one sweep (its file, the comparison of its runs, where it ran), marked like the most restrictive record
  its problem rests on; stored whole in one transaction when every run has finished (docs/adr/0053).
- `plans.sweep_id` (NULL): the sweep a plan is a run of; deleting the sweep deletes its plans.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "sweeps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=25), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("scenario", sa.String(length=80), nullable=False),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.Column("variants", sa.Integer(), nullable=False),
        sa.Column("comparison", sa.JSON(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("author", sa.String(length=64), nullable=False),
        sa.Column("author_nation", sa.String(length=3), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rel_to", sa.String(length=400), nullable=False),
        sa.Column("owner_nation", sa.String(length=3), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sweeps")),
        sa.UniqueConstraint("public_id", name=op.f("uq_sweeps_public_id")),
    )
    with op.batch_alter_table("sweeps", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sweeps_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_sweeps_rel_to"), ["rel_to"], unique=False)
        batch_op.create_index(batch_op.f("ix_sweeps_scenario"), ["scenario"], unique=False)
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sweep_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_plans_sweep_id"), ["sweep_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_plans_sweep_id_sweeps"), "sweeps", ["sweep_id"], ["id"],
                                    ondelete="CASCADE")


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_plans_sweep_id_sweeps"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_plans_sweep_id"))
        batch_op.drop_column("sweep_id")
    with op.batch_alter_table("sweeps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sweeps_scenario"))
        batch_op.drop_index(batch_op.f("ix_sweeps_rel_to"))
        batch_op.drop_index(batch_op.f("ix_sweeps_created_at"))
    op.drop_table("sweeps")
