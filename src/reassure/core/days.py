"""Parameter types stricter than pydantic's lax defaults: a day is written YYYY-MM-DD (never a Unix timestamp such
as `0`), a moment is ISO 8601, and both lie within the supported range (core/bounds.py)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator

from reassure.core.bounds import day_problem

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?")


def _iso_day(value: Any) -> Any:
    if isinstance(value, str) and not _DAY.fullmatch(value):
        raise ValueError("a day is written YYYY-MM-DD")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError("a day is written YYYY-MM-DD, not a number")
    return value


def _iso_moment(value: Any) -> Any:
    if isinstance(value, str) and not _MOMENT.fullmatch(value):
        raise ValueError("a moment is written YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][+HH:MM]")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError("a moment is written in ISO 8601, not a number")
    return value


def _within_range(value: Any) -> Any:
    if isinstance(value, date) and (problem := day_problem(value)):
        raise ValueError(problem)
    return value


Day = Annotated[date, BeforeValidator(_iso_day), AfterValidator(_within_range)]
Moment = Annotated[datetime, BeforeValidator(_iso_moment), AfterValidator(_within_range)]
