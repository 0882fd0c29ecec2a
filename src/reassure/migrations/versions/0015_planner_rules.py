"""planner rules from the seeds: task component limits, pledge notice to move, legal instrument probability

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 04:00:00

A multinational task may need units of `min_nations` nations at once and cap any nation at `max_share` of its units;
a pledge's units need `notice` periods from the decision before their first tour; an instrument still under
negotiation carries the `probability` that it comes into force (docs/adr/0022).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("min_nations", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("max_share", sa.Float(), nullable=True))
    with op.batch_alter_table("pledges", schema=None) as batch_op:
        batch_op.add_column(sa.Column("notice", sa.Integer(), server_default="0", nullable=False))
    with op.batch_alter_table("legal_instruments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("probability", sa.Float(), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("legal_instruments", schema=None) as batch_op:
        batch_op.drop_column("probability")
    with op.batch_alter_table("pledges", schema=None) as batch_op:
        batch_op.drop_column("notice")
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_column("max_share")
        batch_op.drop_column("min_nations")
