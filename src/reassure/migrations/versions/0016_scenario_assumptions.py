"""a scenario's planning assumptions: priors for undisclosed pledges, the chance a government withdraws

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 04:00:00

- `scenarios.assumptions` (JSON, `{}` for existing scenarios): `priors` replacing rows of the bundled prior table
  and `nation_withdrawal`, as the scenario file gives them (docs/adr/0023).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("scenarios") as batch_op:
        batch_op.add_column(sa.Column("assumptions", sa.JSON(), nullable=False, server_default=sa.text("'{}'")))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("scenarios") as batch_op:
        batch_op.drop_column("assumptions")
