"""incident reviews: an analyst's standing of an incident with its reason, or a comment

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 10:00:00

- `incident_reviews`: by incident key, marked, with the author and the time; `standing` NULL for a comment
  (docs/adr/0037).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "incident_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_key", sa.String(length=200), nullable=False),
        sa.Column("standing", sa.String(length=16), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("rel_to", sa.String(length=400), nullable=False),
        sa.Column("owner_nation", sa.String(length=3), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_reviews")),
    )
    with op.batch_alter_table("incident_reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incident_reviews_incident_key"), ["incident_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_incident_reviews_rel_to"), ["rel_to"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("incident_reviews")
