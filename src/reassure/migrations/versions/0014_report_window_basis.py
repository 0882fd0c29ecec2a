"""report window basis; owners of bulk-inserted incident rows; delivery ids

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 04:00:00

- `incident_reports.window_basis`: how a report's window is known (docs/adr/0021): `stated` (the text writes the
  times), `night` (it states none but says the attack was at night, or is the Air Force's morning post: the night
  ending on the morning of its date), NULL (dates only, or a feed's own window: `timed` says which).
  Existing timed reports of a text are `stated` (before this revision only stated windows were read from texts).
- Incident rows were bulk-inserted without `owner_nation` (the flush hook that fills it does not see Core INSERTs);
  as revision 0009 did, rows marked REL TO one nation get that nation (only its users could have written them).
- `alert_deliveries.public_id` (`dlv_…`): each delivery attempt's id, which `reassure alerts resend` takes; made
  here for every existing row.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BULK = ("incidents", "incident_reports", "weapon_counts", "incident_regions")
PUBLIC_ID_LENGTH = 25  # core/public_ids.PUBLIC_ID_LENGTH when this revision was written


def _new_id(prefix: str) -> str:
    from reassure.core.public_ids import new_public_id

    return new_public_id(prefix)


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("incident_reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("window_basis", sa.String(length=8), nullable=True))
    bind = op.get_bind()
    bind.execute(sa.text("UPDATE incident_reports SET window_basis = 'stated' WHERE timed = :yes AND source_id IN "
                         "(SELECT id FROM sources WHERE key NOT IN ('mmau', 'ucdp-ged'))"), {"yes": True})
    for table in BULK:
        # ',FRA,' (one nation, as core/markings stores it) is five characters: that nation wrote it.
        bind.execute(sa.text(f"UPDATE {table} SET owner_nation = substr(rel_to, 2, 3) "
                             "WHERE owner_nation IS NULL AND length(rel_to) = 5 AND rel_to LIKE ',%,'"))
    with op.batch_alter_table("alert_deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("public_id", sa.String(length=PUBLIC_ID_LENGTH), nullable=True))
    keys = [int(row[0]) for row in bind.execute(sa.text("SELECT id FROM alert_deliveries"))]
    target = sa.table("alert_deliveries", sa.column("id", sa.Integer), sa.column("public_id", sa.String))
    if keys:
        bind.execute(sa.update(target).where(target.c.id == sa.bindparam("key"))
                     .values(public_id=sa.bindparam("public")),
                     [{"key": key, "public": _new_id("dlv")} for key in keys])
    with op.batch_alter_table("alert_deliveries", schema=None) as batch_op:
        batch_op.alter_column("public_id", existing_type=sa.String(length=PUBLIC_ID_LENGTH), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_alert_deliveries_public_id"), ["public_id"])


def downgrade() -> None:
    """Revert this revision (owners filled in stay: they are true)."""
    with op.batch_alter_table("alert_deliveries", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_alert_deliveries_public_id"), type_="unique")
        batch_op.drop_column("public_id")
    with op.batch_alter_table("incident_reports", schema=None) as batch_op:
        batch_op.drop_column("window_basis")
