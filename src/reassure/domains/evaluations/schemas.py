"""Stored evaluations as listings show them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel


class EvaluationRead(BaseModel):
    """One stored evaluation; `evaluation` is the whole result (conditions, values, sources, grades)."""

    id: str  # public id (`eval_…`)
    rule_id: str
    rule_name: str
    kind: str
    as_of: date
    met: bool  # True only when met
    state: str = "not_met"  # met, not_met or unknown (the data did not cover what a condition needed)
    evidence: list[str]
    author: str
    created_at: datetime
    marking: str
    evaluation: dict[str, Any]
