"""regions per report, UCDP event types, a scenario's ceasefire date

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-07 01:00:00

- `incident_regions`: the regions (ISO 3166-2:UA codes) each report names for its incident, marked like the report
  (docs/adr/0019). Existing incidents with a region get one row per report, from the region's name.
- `incident_reports.region_count` (+ `_q`): a number of regions a report states without naming them.
- `incidents.event_type`: UCDP's type of violence (state_based, non_state, one_sided); existing UCDP incidents get
  theirs from the row their report keeps verbatim.
- `scenarios.ceasefire`: the day a ceasefire is in force from; only later events count as violations.
"""

import csv
import io
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from reassure.core.regions import region_code

revision: str = "0012"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TYPES = {"1": "state_based", "2": "non_state", "3": "one_sided"}


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "incident_regions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("rel_to", sa.String(length=400), nullable=False),
        sa.Column("owner_nation", sa.String(length=3), nullable=True),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"],
                                name=op.f("fk_incident_regions_incident_id_incidents"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["report_id"], ["incident_reports.id"],
                                name=op.f("fk_incident_regions_report_id_incident_reports"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_regions")),
        sa.UniqueConstraint("report_id", "code", name=op.f("uq_incident_regions_report_id_code")),
    )
    with op.batch_alter_table("incident_regions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incident_regions_code"), ["code"], unique=False)
        batch_op.create_index(batch_op.f("ix_incident_regions_incident_id"), ["incident_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_incident_regions_report_id"), ["report_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_incident_regions_rel_to"), ["rel_to"], unique=False)
    with op.batch_alter_table("incident_reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("region_count", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("region_count_q", sa.String(length=10), nullable=True))
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("event_type", sa.String(length=16), nullable=True))
        batch_op.create_index(batch_op.f("ix_incidents_event_type"), ["event_type"], unique=False)
    with op.batch_alter_table("scenarios", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ceasefire", sa.Date(), nullable=True))
    _backfill(op.get_bind())


def _backfill(bind: sa.Connection) -> None:
    rows = bind.execute(sa.text(
        "SELECT r.id, r.incident_id, r.rel_to, r.owner_nation, i.region FROM incident_reports r "
        "JOIN incidents i ON i.id = r.incident_id WHERE i.region IS NOT NULL")).all()
    regions = [{"incident_id": r.incident_id, "report_id": r.id, "code": code, "rel_to": r.rel_to,
                "owner_nation": r.owner_nation} for r in rows if (code := region_code(r.region)) is not None]
    if regions:
        bind.execute(sa.text("INSERT INTO incident_regions (incident_id, report_id, code, rel_to, owner_nation) "
                             "VALUES (:incident_id, :report_id, :code, :rel_to, :owner_nation)"), regions)
    ucdp = bind.execute(sa.text(
        "SELECT i.id, r.raw_text FROM incidents i JOIN incident_reports r ON r.incident_id = i.id "
        "WHERE i.key LIKE 'ucdp:%'")).all()
    types: dict[int, str] = {}
    for incident_id, raw in ucdp:
        parsed = list(csv.DictReader(io.StringIO(raw)))
        kind = _TYPES.get((parsed[0].get("type_of_violence") or "").strip()) if parsed else None
        if kind is not None:
            types[incident_id] = kind
    for kind in set(types.values()):
        ids = [i for i, k in types.items() if k == kind]
        for start in range(0, len(ids), 500):
            update = sa.text("UPDATE incidents SET event_type = :kind WHERE id IN :ids")
            bind.execute(update.bindparams(sa.bindparam("ids", expanding=True)),
                         {"kind": kind, "ids": ids[start:start + 500]})


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("scenarios", schema=None) as batch_op:
        batch_op.drop_column("ceasefire")
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incidents_event_type"))
        batch_op.drop_column("event_type")
    with op.batch_alter_table("incident_reports", schema=None) as batch_op:
        batch_op.drop_column("region_count_q")
        batch_op.drop_column("region_count")
    op.drop_table("incident_regions")
