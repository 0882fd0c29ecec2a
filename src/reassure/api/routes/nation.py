"""Your nation's own settings: the default scenario its pages and briefs open on (its admins set and clear it)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from reassure.api.deps import CallerDep
from reassure.domains.preferences.actions import clear_default_scenario, set_default_scenario
from reassure.domains.preferences.schemas import DefaultScenarioRead
from reassure.domains.preferences.service import get_default_scenario

router = APIRouter(tags=["nation"])


class DefaultScenarioChoice(BaseModel):
    """The scenario to open on, by name (the one that name shows you)."""

    model_config = ConfigDict(extra="forbid")
    scenario: Annotated[str, Field(min_length=1, max_length=80)]


@router.get("/nation/default-scenario", response_model=DefaultScenarioRead)
def default_scenario(caller: CallerDep) -> DefaultScenarioRead:
    """Your nation's default scenario (`scenario` is null when none is set: pages then ask, briefs need one)."""
    return caller.read(lambda db: get_default_scenario(db=db))


@router.put("/nation/default-scenario", response_model=DefaultScenarioRead)
def set_default(caller: CallerDep, choice: DefaultScenarioChoice) -> DefaultScenarioRead:
    """Make a scenario you see your nation's landing page and default brief (admins; audited, REL TO your nation)."""
    return caller.write(lambda db: set_default_scenario(choice.scenario, db=db))


@router.delete("/nation/default-scenario", response_model=DefaultScenarioRead)
def clear_default(caller: CallerDep) -> DefaultScenarioRead:
    """Remove your nation's default scenario (admins; audited)."""
    return caller.write(lambda db: clear_default_scenario(db=db))
