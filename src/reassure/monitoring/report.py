"""Air-attack report: the JSON of DESIGN §4, as pydantic v2 models.

The shape is fixed (other tools read it): every weapon entry carries all five count keys, each either
``null`` (the text does not say) or ``{"value": n, "qualifier": ...}``; ``date`` is an ISO string or
``null``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    field_serializer,
    field_validator,
    model_serializer,
    model_validator,
)

from reassure.core.regions import REGION_LABELS
from reassure.monitoring.weapon_keys import weapon_key

Qualifier = Literal["exact", "at_least", "approx", "at_most"]
Category = Literal[
    "drone",
    "decoy_drone",
    "cruise_missile",
    "ballistic_missile",
    "guided_air_missile",
    "missile",
    "guided_bomb",
]
CountField = Literal["launched", "destroyed", "suppressed", "neutralized", "impacted"]
WindowBasis = Literal["stated", "night"]

CATEGORIES: tuple[Category, ...] = get_args(Category)
COUNT_FIELDS: tuple[CountField, ...] = get_args(CountField)

# How sharp a qualifier is, used to pick between two reports of the same figure.
QUALIFIER_RANK: dict[str, int] = {"exact": 3, "at_least": 2, "at_most": 2, "approx": 1}


class Count(BaseModel):
    """A reported number with how sure the report is about it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: int = Field(ge=0)
    qualifier: Qualifier = "exact"

    def admits(self, n: int) -> bool:
        """Return whether a true figure of ``n`` is consistent with this count (approx: within 15 % or 2)."""
        if self.qualifier == "exact":
            return n == self.value
        if self.qualifier == "at_least":
            return n >= self.value
        if self.qualifier == "at_most":
            return n <= self.value
        return abs(n - self.value) <= max(2, round(0.15 * self.value))


class WeaponCounts(BaseModel):
    """Counts for one weapon category (and model, when the report names one)."""

    model_config = ConfigDict(extra="forbid")

    category: Category
    model: str | None = None
    launched: Count | None = None
    destroyed: Count | None = None
    suppressed: Count | None = None
    neutralized: Count | None = None
    impacted: Count | None = None
    # Optional extensions of §4 (docs/adr/0016): written only when set, so old files and readers stay valid.
    key: str | None = None  # the catalogue key of `model` in any language ("Іскандер-М" → "iskander-m")
    spans: dict[CountField, list[tuple[int, int]]] | None = None  # where each figure is written in the text

    @model_validator(mode="after")
    def _fill_key(self) -> WeaponCounts:
        if self.key is None and self.model:
            self.key = weapon_key(self.model)
        return self

    @model_serializer(mode="wrap")
    def _omit_unset_extensions(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        for name in ("key", "spans"):
            if data.get(name) is None:
                data.pop(name, None)
        return data

    def count(self, field: CountField) -> Count | None:
        """Return the count stored under ``field``."""
        value: Count | None = getattr(self, field)
        return value


class ReportWindow(BaseModel):
    """The time window a report's attack took place in (optional §4 key ``window``, docs/adr/0021).

    Local (Kyiv) times without a zone, as the text gives them: ``{"from": "2025-09-13T18:00:00", "to":
    "2025-09-14T09:00:00", "basis": "stated"}``. ``basis`` is ``stated`` when the text writes the times ("from 18:00
    on 13 September"), ``night`` when it states none but says the attack was at night ("overnight", "вночі") or is
    the Air Force's morning post: the night ending on the morning of the report's date (18:00 to 09:00). A file
    without ``basis`` is ``stated``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    start: dt.datetime = Field(alias="from")
    end: dt.datetime = Field(alias="to")
    basis: WindowBasis = "stated"

    @model_validator(mode="after")
    def _ordered(self) -> ReportWindow:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("window times are local times without a zone, e.g. 2025-09-13T18:00:00")
        if self.end <= self.start:
            raise ValueError(f"the window ends ({self.end.isoformat()}) before it starts ({self.start.isoformat()})")
        return self

    @classmethod
    def of(cls, start: dt.datetime, end: dt.datetime, basis: WindowBasis) -> ReportWindow:
        """Return the window from ``start`` to ``end`` known on this basis."""
        return cls.model_validate({"from": start, "to": end, "basis": basis})

    @model_serializer(mode="plain")
    def _as_json(self) -> dict[str, str]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), "basis": self.basis}


class AirAttackReport(BaseModel):
    """One air attack as a report describes it (DESIGN §4)."""

    model_config = ConfigDict(extra="forbid")

    reported_by: str | None = None
    attacker: str | None = "RUS"
    defender: str | None = "UKR"
    date: dt.date | None = None
    weapons: list[WeaponCounts] = Field(default_factory=list)
    # Optional keys (docs/adr/0019): the regions the text names as ISO 3166-2:UA codes, in the order first named,
    # and a number of regions it states without naming them ("over six regions"). Left out of the JSON when the
    # text names none, so the output of a text without regions is as before.
    regions: list[str] = Field(default_factory=list)
    region_count: Count | None = None
    # Optional key (docs/adr/0021): the attack's time window, stated or the implied night; left out when unknown.
    window: ReportWindow | None = None

    @field_serializer("date")
    def _date_iso(self, value: dt.date | None) -> str | None:
        return value.isoformat() if value is not None else None

    @field_validator("regions")
    @classmethod
    def _known_regions(cls, value: list[str]) -> list[str]:
        unknown = [code for code in value if code not in REGION_LABELS]
        if unknown:
            raise ValueError(f"unknown region codes {unknown}: expected ISO 3166-2:UA codes such as 'UA-63'")
        return value

    @model_serializer(mode="wrap")
    def _optional_keys(self, handler: SerializerFunctionWrapHandler, info: SerializationInfo) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if not self.regions:
            data.pop("regions", None)
        if self.region_count is None:
            data.pop("region_count", None)
        if self.window is None:
            data.pop("window", None)
        return data

    def to_json_dict(self) -> dict[str, Any]:
        """Return the §4 JSON as plain Python data (all count keys present)."""
        return self.model_dump(mode="json")

    def to_json(self, *, indent: int | None = 2) -> str:
        """Return the §4 JSON text."""
        return self.model_dump_json(indent=indent)

    def weapon(self, category: str, model: str | None = None) -> WeaponCounts | None:
        """Return the first entry of ``category`` (and ``model`` when given), else None."""
        for entry in self.weapons:
            if entry.category == category and (model is None or entry.model == model):
                return entry
        return None


def inconsistency(weapon: WeaponCounts) -> str | None:
    """Say why a weapon line's figures cannot all be true (more destroyed than launched), else None.

    Only figures that bound each other are compared: a launched count that is exact or an upper bound, against
    a destroyed, suppressed or neutralized count that is exact or a lower bound.
    """
    launched = weapon.launched
    if launched is None or launched.qualifier not in ("exact", "at_most"):
        return None
    for name in ("destroyed", "suppressed", "neutralized"):
        count = getattr(weapon, name)
        if count is not None and count.qualifier in ("exact", "at_least") and count.value > launched.value:
            return f"{count.value} {name} of {launched.value} launched ({weapon.model or weapon.category})"
    return None
