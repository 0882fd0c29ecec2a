"""pledge verifications: dated visits, readiness reports and exercises with findings, readiness and notice

Revision ID: 0020
Revises: 0018
Create Date: 2026-12-07 11:00:00

- `pledge_verifications`: of one pledge record (its id; its key kept for people), marked, with the kind, date,
  finding (units found for a shortfall), the readiness and notice to move it confirmed, its source and Admiralty
  grade, notes, the author and the time (docs/adr/0042).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "pledge_verifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("pledge_id", sa.Integer(), nullable=False),
        sa.Column("pledge_key", sa.String(length=80), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("finding", sa.String(length=16), nullable=False),
        sa.Column("found", sa.Integer(), nullable=True),
        sa.Column("readiness", sa.String(length=12), nullable=True),
        sa.Column("notice", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("reliability", sa.String(length=1), nullable=False),
        sa.Column("credibility", sa.Integer(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("rel_to", sa.String(length=400), nullable=False),
        sa.Column("owner_nation", sa.String(length=3), nullable=True),
        sa.ForeignKeyConstraint(["scenario_id"], ["scenarios.id"],
                                name=op.f("fk_pledge_verifications_scenario_id_scenarios"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["pledge_id"], ["pledges.id"],
                                name=op.f("fk_pledge_verifications_pledge_id_pledges"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pledge_verifications")),
    )
    with op.batch_alter_table("pledge_verifications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pledge_verifications_pledge_id"), ["pledge_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pledge_verifications_pledge_key"), ["pledge_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_pledge_verifications_rel_to"), ["rel_to"], unique=False)
        batch_op.create_index(batch_op.f("ix_pledge_verifications_scenario_id"), ["scenario_id"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("pledge_verifications")
