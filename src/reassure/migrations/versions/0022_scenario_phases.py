"""scenario phases: a scenario's mission phases with their demand per task and entry conditions

Revision ID: 0022
Revises: 0018
Create Date: 2026-12-07 11:00:00

- `scenario_phases`: a scenario's child, marked like it or narrower; its periods, demand per task (a factor or
  stated units, a task handed over to Ukrainian forces), entry condition and the monitor rule that checks it
  (docs/adr/0044).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "scenario_phases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("start_period", sa.Integer(), nullable=False),
        sa.Column("end_period", sa.Integer(), nullable=False),
        sa.Column("demand", sa.JSON(), nullable=False),
        sa.Column("entry", sa.Text(), nullable=False),
        sa.Column("rule_id", sa.String(length=120), nullable=True),
        sa.Column("rel_to", sa.String(length=400), nullable=False),
        sa.Column("owner_nation", sa.String(length=3), nullable=True),
        sa.ForeignKeyConstraint(["scenario_id"], ["scenarios.id"],
                                name=op.f("fk_scenario_phases_scenario_id_scenarios"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scenario_phases")),
        sa.UniqueConstraint("scenario_id", "key", "rel_to", name=op.f("uq_scenario_phases_scenario_id_key_rel_to")),
    )
    with op.batch_alter_table("scenario_phases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scenario_phases_rel_to"), ["rel_to"], unique=False)
        batch_op.create_index(batch_op.f("ix_scenario_phases_scenario_id"), ["scenario_id"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("scenario_phases")
