"""incident standing and relinks

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 01:40:00

`incident_links`: an analyst's pinned link of one source's reports (by the source's own reference) to an incident,
which ingestion respects, so a correction made with `reassure incidents relink` survives a re-import
(docs/adr/0017). Marked like the reports it moves. Standing is computed when read; no column changes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "incident_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.String(length=80), nullable=False),
        sa.Column("external_ref", sa.String(length=400), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("pinned_by", sa.String(length=120), nullable=False),
        sa.Column("pinned_at", sa.DateTime(), nullable=False),
        sa.Column("rel_to", sa.String(length=400), nullable=False),
        sa.Column("owner_nation", sa.String(length=3), nullable=True),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], name=op.f("fk_incident_links_incident_id_incidents"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name=op.f("fk_incident_links_source_id_sources")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_links")),
        sa.UniqueConstraint("source_id", "external_ref", "rel_to",
                            name=op.f("uq_incident_links_source_id_external_ref_rel_to")),
    )
    with op.batch_alter_table("incident_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incident_links_incident_id"), ["incident_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_incident_links_rel_to"), ["rel_to"], unique=False)
        batch_op.create_index(batch_op.f("ix_incident_links_source_id"), ["source_id"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("incident_links")
