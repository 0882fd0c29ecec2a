"""An incident's page picture: every account side by side and the figures its sources disagree on."""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy.orm import Session

from reassure.domains.incidents.schemas import IncidentDetail
from reassure.domains.incidents.service import get_incident


class IncidentPicture(BaseModel):
    """An incident and the weapon figures (launched, destroyed, ...) on which its sources conflict."""

    incident: IncidentDetail
    conflicts: set[str]


def conflicts(detail: IncidentDetail) -> set[str]:
    """Return the figures whose sources conflict, by their last word ("drones launched" -> "launched"), as the
    accounts' columns are named."""
    return {f.figure.rsplit(" ", 1)[-1] for f in detail.figures if f.verdict == "conflict"}


def incident_picture(key: str, *, db: Session) -> IncidentPicture:
    """Return a visible incident with its conflicting figures, or IncidentNotFound."""
    detail = get_incident(key, db=db)
    return IncidentPicture(incident=detail, conflicts=conflicts(detail))
