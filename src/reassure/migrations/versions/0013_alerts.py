"""alerts: channels per nation, rule state changes, the delivery log

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 01:20:00

A stored evaluation whose state differs from the previous one of its rule in the same nation's view (stored by a user
of that nation: `owner_nation`) records a state change; the alerts job sends it to the nation's channels and logs each
attempt (docs/adr/0020).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _marked() -> list[sa.Column]:
    return [sa.Column("rel_to", sa.String(length=400), nullable=False),
            sa.Column("owner_nation", sa.String(length=3), nullable=True)]


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "alert_channels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=25), nullable=False),
        sa.Column("nation", sa.String(length=3), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("secret", sa.String(length=200), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        *_marked(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_channels")),
        sa.UniqueConstraint("public_id", name=op.f("uq_alert_channels_public_id")),
    )
    with op.batch_alter_table("alert_channels", schema=None) as batch_op:
        for column in ("nation", "active", "rel_to"):
            batch_op.create_index(batch_op.f(f"ix_alert_channels_{column}"), [column], unique=False)
    op.create_table(
        "rule_state_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=25), nullable=False),
        sa.Column("nation", sa.String(length=3), nullable=False),
        sa.Column("rule_id", sa.String(length=80), nullable=False),
        sa.Column("rule_name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("from_state", sa.String(length=12), nullable=False),
        sa.Column("to_state", sa.String(length=12), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("previous_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        *_marked(),
        sa.ForeignKeyConstraint(["evaluation_id"], ["rule_evaluations.id"],
                                name=op.f("fk_rule_state_changes_evaluation_id_rule_evaluations")),
        sa.ForeignKeyConstraint(["previous_id"], ["rule_evaluations.id"],
                                name=op.f("fk_rule_state_changes_previous_id_rule_evaluations")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rule_state_changes")),
        sa.UniqueConstraint("public_id", name=op.f("uq_rule_state_changes_public_id")),
    )
    with op.batch_alter_table("rule_state_changes", schema=None) as batch_op:
        for column in ("nation", "rule_id", "created_at", "rel_to"):
            batch_op.create_index(batch_op.f(f"ix_rule_state_changes_{column}"), [column], unique=False)
    op.create_table(
        "alert_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("change_id", sa.Integer(), nullable=True),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        *_marked(),
        sa.ForeignKeyConstraint(["channel_id"], ["alert_channels.id"],
                                name=op.f("fk_alert_deliveries_channel_id_alert_channels")),
        sa.ForeignKeyConstraint(["change_id"], ["rule_state_changes.id"],
                                name=op.f("fk_alert_deliveries_change_id_rule_state_changes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_deliveries")),
    )
    with op.batch_alter_table("alert_deliveries", schema=None) as batch_op:
        for column in ("channel_id", "change_id", "at", "rel_to"):
            batch_op.create_index(batch_op.f(f"ix_alert_deliveries_{column}"), [column], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    for table in ("alert_deliveries", "rule_state_changes", "alert_channels"):
        op.drop_table(table)
