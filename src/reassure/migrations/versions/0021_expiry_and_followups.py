"""expiry, renewal and follow-ups: pledges' as-of, valid-to and renewal dates, legal instruments' renewal dates, and
follow-up tasks with owners

Revision ID: 0021
Revises: 0018
Create Date: 2026-12-07 11:00:00

- `pledges`: `as_of`, `valid_to`, `renew_by` (dates, NULL when not known), `renewal` (what renews it, "" when none).
- `legal_instruments`: `renew_by`, `renewal` (it lapses on `in_force_to`, which it had).
- `followups`: marked, by nation and owner, following `follows_kind` + `follows_key` (docs/adr/0043).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("pledges", schema=None) as batch_op:
        batch_op.add_column(sa.Column("as_of", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("valid_to", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("renew_by", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("renewal", sa.String(length=200), server_default="", nullable=False))
    with op.batch_alter_table("legal_instruments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("renew_by", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("renewal", sa.String(length=200), server_default="", nullable=False))
    op.create_table(
        "followups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=25), nullable=False),
        sa.Column("nation", sa.String(length=3), nullable=False),
        sa.Column("owner", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("follows_kind", sa.String(length=20), nullable=False),
        sa.Column("follows_key", sa.String(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rel_to", sa.String(length=400), nullable=False),
        sa.Column("owner_nation", sa.String(length=3), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_followups")),
        sa.UniqueConstraint("public_id", name=op.f("uq_followups_public_id")),
    )
    with op.batch_alter_table("followups", schema=None) as batch_op:
        for column in ("nation", "owner", "follows_key", "due_on", "state", "rel_to"):
            batch_op.create_index(batch_op.f(f"ix_followups_{column}"), [column], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("followups")
    with op.batch_alter_table("legal_instruments", schema=None) as batch_op:
        batch_op.drop_column("renewal")
        batch_op.drop_column("renew_by")
    with op.batch_alter_table("pledges", schema=None) as batch_op:
        batch_op.drop_column("renewal")
        batch_op.drop_column("renew_by")
        batch_op.drop_column("valid_to")
        batch_op.drop_column("as_of")
