"""movement restrictions: the force's freedom of movement (denied access, checkpoints, airspace closures)

Revision ID: 0023
Revises: 0018
Create Date: 2026-12-07 11:00:00

- `movement_restrictions`: kind, start and end, region code, place, description, linked scenario tasks, source,
  Admiralty grade and standing, who recorded it; marked (docs/adr/0045).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "movement_restrictions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=25), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("start", sa.DateTime(), nullable=False),
        sa.Column("end", sa.DateTime(), nullable=True),
        sa.Column("region", sa.String(length=8), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("scenario", sa.String(length=120), nullable=True),
        sa.Column("task_keys", sa.JSON(), nullable=False),
        sa.Column("source_id", sa.String(length=80), nullable=False),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("standing", sa.String(length=12), nullable=False),
        sa.Column("reliability", sa.String(length=1), nullable=True),
        sa.Column("credibility", sa.Integer(), nullable=True),
        sa.Column("rel_to", sa.String(length=400), nullable=False),
        sa.Column("owner_nation", sa.String(length=3), nullable=True),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name=op.f("fk_movement_restrictions_source_id_sources")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_movement_restrictions")),
        sa.UniqueConstraint("public_id", name=op.f("uq_movement_restrictions_public_id")),
    )
    with op.batch_alter_table("movement_restrictions", schema=None) as batch_op:
        for column in ("kind", "start", "region", "source_id", "rel_to"):
            batch_op.create_index(batch_op.f(f"ix_movement_restrictions_{column}"), [column], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("movement_restrictions")
