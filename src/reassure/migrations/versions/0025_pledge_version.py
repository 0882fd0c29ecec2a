"""faults: a pledge's version (no lost update) and a job's lease (nothing stays running)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 16:00:00

- `pledges.version` (NOT NULL, existing rows 1): bumped by every write of the pledge; an edit sends the version it
  read and a stale one is refused (docs/adr/0051).
- `jobs.lease_until` (NULL): until when the worker running a job vouches for it; renewed by its heartbeat, and a
  running job whose lease has passed is failed by any live worker (docs/adr/0051).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("pledges", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_column("lease_until")
    with op.batch_alter_table("pledges", schema=None) as batch_op:
        batch_op.drop_column("version")
