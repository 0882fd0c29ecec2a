"""sessions that end: public ids, addresses, user agents and last use of web sessions and API tokens; known devices
for sign-in throttling

Existing sessions and tokens get a fresh public id each; those of disabled accounts are ended and revoked now, so
re-enabling an account revives none of them (docs/adr/0011).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08 10:00:00.000000
"""

import base64
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID_LENGTH = 25  # reassure.core.public_ids.PUBLIC_ID_LENGTH at this revision


def _public_id(prefix: str) -> str:
    """A public id as reassure.core.public_ids makes them (copied: a migration must not change with the code)."""
    return f"{prefix}_{base64.b32encode(secrets.token_bytes(10)).decode('ascii').lower()}"


def _fill_public_ids(table: str, prefix: str) -> None:
    connection = op.get_bind()
    rows = sa.table(table, sa.column("id", sa.Integer()), sa.column("public_id", sa.String(ID_LENGTH)))
    for (row_id,) in connection.execute(sa.select(rows.c.id)).all():
        connection.execute(sa.update(rows).where(rows.c.id == row_id).values(public_id=_public_id(prefix)))


def _end_what_disabled_accounts_held() -> None:
    connection = op.get_bind()
    now = datetime.now(UTC)
    users = sa.table("users", sa.column("id", sa.Integer()), sa.column("active", sa.Boolean()))
    disabled = sa.select(users.c.id).where(users.c.active.is_(False))
    sessions = sa.table("web_sessions", sa.column("user_id", sa.Integer()),
                        sa.column("ended_at", sa.DateTime(timezone=True)))
    tokens = sa.table("api_tokens", sa.column("user_id", sa.Integer()),
                      sa.column("revoked_at", sa.DateTime(timezone=True)))
    connection.execute(sa.update(sessions).where(sessions.c.user_id.in_(disabled), sessions.c.ended_at.is_(None))
                       .values(ended_at=now))
    connection.execute(sa.update(tokens).where(tokens.c.user_id.in_(disabled), tokens.c.revoked_at.is_(None))
                       .values(revoked_at=now))


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("public_id", sa.String(length=ID_LENGTH), nullable=True))
        batch_op.add_column(sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("last_address", sa.String(length=64), nullable=True))
    with op.batch_alter_table("web_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("public_id", sa.String(length=ID_LENGTH), nullable=True))
        batch_op.add_column(sa.Column("address", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("user_agent", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True))
    _fill_public_ids("api_tokens", "tok")
    _fill_public_ids("web_sessions", "ses")
    _end_what_disabled_accounts_held()
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.alter_column("public_id", existing_type=sa.String(length=ID_LENGTH), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_api_tokens_public_id"), ["public_id"])
    with op.batch_alter_table("web_sessions", schema=None) as batch_op:
        batch_op.alter_column("public_id", existing_type=sa.String(length=ID_LENGTH), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_web_sessions_public_id"), ["public_id"])

    with op.batch_alter_table("sign_in_failures", schema=None) as batch_op:
        batch_op.add_column(sa.Column("device_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_sign_in_failures_device_id"), ["device_id"], unique=False)

    op.create_table(
        "known_devices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_known_devices_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_known_devices")),
        sa.UniqueConstraint("user_id", "secret_hash", name=op.f("uq_known_devices_user_id_secret_hash")),
    )
    with op.batch_alter_table("known_devices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_known_devices_secret_hash"), ["secret_hash"], unique=False)
        batch_op.create_index(batch_op.f("ix_known_devices_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("known_devices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_known_devices_user_id"))
        batch_op.drop_index(batch_op.f("ix_known_devices_secret_hash"))
    op.drop_table("known_devices")
    with op.batch_alter_table("sign_in_failures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_in_failures_device_id"))
        batch_op.drop_column("device_id")
    with op.batch_alter_table("web_sessions", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_web_sessions_public_id"), type_="unique")
        batch_op.drop_column("last_seen_at")
        batch_op.drop_column("user_agent")
        batch_op.drop_column("address")
        batch_op.drop_column("public_id")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_api_tokens_public_id"), type_="unique")
        batch_op.drop_column("last_address")
        batch_op.drop_column("last_seen_at")
        batch_op.drop_column("public_id")
