"""Column groups shared by records: releasability marking, Admiralty grade, uncertain quantity."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from reassure.core.grading import AdmiraltyGrade, Standing
from reassure.core.markings import Releasability
from reassure.core.public_ids import PUBLIC_ID_LENGTH, new_public_id
from reassure.core.quantities import Quantity, QuantityKind


class Marked:
    """A record with a releasability marking; the access filter hides it from other nations.

    The marking has no default: a record written without one fails (NOT NULL), it never becomes PUBLIC.
    """

    rel_to: Mapped[str] = mapped_column(String(400), index=True)
    # The nation of the user who wrote the record first (set at insert by db/access from the writer's identity,
    # never from input); NULL for a record older than revision 0009 whose marking did not name one nation. A reader
    # who sees several records of one key sees their own nation's first (db/keys), so no other nation can replace it.
    owner_nation: Mapped[str | None] = mapped_column(String(3))

    @property
    def releasability(self) -> Releasability:
        """Return the decoded marking."""
        return Releasability.from_column(self.rel_to)


def public_id_column(prefix: str) -> Any:
    """Return the column of a record's opaque public id (unique, made at insert): what users see and send instead
    of the integer key, which stays inside the database (foreign keys, ordering). See core/public_ids."""
    return mapped_column(String(PUBLIC_ID_LENGTH), unique=True, default=lambda: new_public_id(prefix))


class Graded:
    """A factual record with a standing and an Admiralty grade kept as two fields."""

    standing: Mapped[str] = mapped_column(String(12), default=Standing.ASSUMPTION.value)
    reliability: Mapped[str | None] = mapped_column(String(1))
    credibility: Mapped[int | None]

    @property
    def grade(self) -> AdmiraltyGrade | None:
        """Return the grade, or None for a planning assumption."""
        if self.reliability is None or self.credibility is None:
            return None
        return AdmiraltyGrade(self.reliability, self.credibility)


class Quantified:
    """A record whose size is an uncertain quantity (exact, range, lower bound, undisclosed)."""

    qty_kind: Mapped[str] = mapped_column(String(12), default=QuantityKind.EXACT.value)
    qty_value: Mapped[int | None]
    qty_low: Mapped[int | None]
    qty_high: Mapped[int | None]

    @property
    def quantity(self) -> Quantity:
        """Return the quantity as a value object."""
        return Quantity(kind=QuantityKind(self.qty_kind), value=self.qty_value, low=self.qty_low,
                        high=self.qty_high)

    def set_quantity(self, quantity: Quantity) -> None:
        """Store a quantity's fields."""
        self.qty_kind = quantity.kind.value
        self.qty_value, self.qty_low, self.qty_high = quantity.value, quantity.low, quantity.high
