"""Command arrangements: coalition HQ → components → sectors → national contingents."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from reassure.db.base import Base
from reassure.db.mixins import Marked

NODE_KINDS = ("coalition_hq", "component", "sector", "contingent", "cell")
RELATIONSHIPS = ("national_command", "opcon", "tacon", "coordination")


class CommandNode(Marked, Base):
    """One node of the command tree, its lead nation and its relationship to the parent."""

    __tablename__ = "command_nodes"
    __table_args__ = (UniqueConstraint("scenario_id", "key", "rel_to"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    parent_key: Mapped[str | None] = mapped_column(String(80))
    lead_nation: Mapped[str | None] = mapped_column(ForeignKey("nations.code"))
    relationship_to_parent: Mapped[str | None] = mapped_column(String(20))
    multinational: Mapped[bool] = mapped_column(default=True)
    location: Mapped[str | None] = mapped_column(String(120))
