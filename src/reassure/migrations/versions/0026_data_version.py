"""data version: one counter bumped by every write, keying the API's identity and response caches

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 16:00:00

- `data_version` (one row, id 1): the number every writing transaction adds one to just before it commits
  (db/versions.py, docs/adr/0052). It starts at 0.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    table = op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_version")),
    )
    op.bulk_insert(table, [{"id": 1, "version": 0}])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("data_version")
