"""the file a job produced: a brief's PDF, stored with the job (docs/adr/0040)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 10:00:00

- `jobs.document` (binary, null for every existing job and for kinds that produce no file); its name is the job
  result's `file`. Read through the job, so only those who may read the job may download it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("jobs") as batch_op:
        batch_op.add_column(sa.Column("document", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("jobs") as batch_op:
        batch_op.drop_column("document")
