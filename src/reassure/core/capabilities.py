"""The capability catalogue: what a pledge offers and a task needs, by domain."""

from __future__ import annotations

from enum import StrEnum


class Domain(StrEnum):
    """Force domain of a pledge or task."""

    LAND = "land"
    SEA = "sea"
    AIR = "air"
    ENABLER = "enabler"


class Location(StrEnum):
    """Where a unit serves (DESIGN §3): inside Ukraine, a neighbouring state, at sea, in the air."""

    INSIDE = "inside"
    ADJACENT = "adjacent"
    SEA = "sea"
    AIR = "air"


CAPABILITIES: dict[str, tuple[Domain, str]] = {
    "infantry_battalion": (Domain.LAND, "Infantry battalion"),
    "mechanised_battalion": (Domain.LAND, "Mechanised battalion"),
    "armoured_squadron": (Domain.LAND, "Armoured squadron/company"),
    "engineer_company": (Domain.LAND, "Engineer company (incl. EOD)"),
    "training_team": (Domain.LAND, "Training team"),
    "special_forces_group": (Domain.LAND, "Special forces task group"),
    "fighter_squadron": (Domain.AIR, "Fighter squadron"),
    "air_defence_battery": (Domain.AIR, "Ground-based air-defence battery"),
    "tanker_aircraft": (Domain.AIR, "Air-to-air refuelling aircraft"),
    "aew_aircraft": (Domain.AIR, "Airborne early warning aircraft"),
    "frigate": (Domain.SEA, "Frigate or destroyer"),
    "mine_countermeasures_group": (Domain.SEA, "Mine countermeasures group"),
    "maritime_patrol_aircraft": (Domain.SEA, "Maritime patrol aircraft"),
    "isr": (Domain.ENABLER, "Intelligence, surveillance and reconnaissance"),
    "airlift": (Domain.ENABLER, "Strategic/tactical airlift"),
    "logistics_battalion": (Domain.ENABLER, "Logistics battalion"),
    "medical_unit": (Domain.ENABLER, "Role 2 medical unit"),
    "hq_staff": (Domain.ENABLER, "Headquarters staff element"),
    "signals_company": (Domain.ENABLER, "Signals/CIS company"),
    "cyber_team": (Domain.ENABLER, "Cyber defence team"),
}


def domain_of(capability: str) -> Domain:
    """Return the domain a capability belongs to."""
    return CAPABILITIES[capability][0]
