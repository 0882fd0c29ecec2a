"""Read models of asks to nations, as services return them to the CLI, API, pages and the brief."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel


class AskRead(BaseModel):
    """An ask as a reader sees it: what was asked of whom, the gaps it would close, where it stands, its marking."""

    id: str  # public id (ask_…)
    scenario: str
    plan: str | None  # the plan whose force-generation asks it came from (public id), if any you see
    nation: str
    nation_name: str
    capability: str
    capability_name: str
    quantity: int
    personnel_per_unit: int
    where: list[str]
    available_from: date
    available_to: date
    max_tour: int
    min_dwell: int
    closes: list[str]  # the gaps it would close, in words ("AIR-WEST Jan 2027 – Apr 2027")
    close_tasks: list[str]  # the keys of those gaps' tasks
    note: str
    state: str  # drafted | sent | answered | pledged
    author: str
    drafted_on: date
    sent_on: date | None
    sent_source: str | None
    answer: str | None  # full | part | declined
    accepted: int | None
    conditions: str
    answered_on: date | None
    answer_source: str | None
    pledge: str | None  # the key of the pledge it became or changed, if you see it
    pledged_on: date | None
    answer_by: date | None = None  # an answer after it is late (opens a follow-up: docs/adr/0046)
    late: bool = False  # answered after `answer_by`, or still unanswered after it (as of the day it was read)
    marking: str


class AskPage(BaseModel):
    """One page of asks and how many there are in all (as the reader sees them)."""

    items: list[AskRead]
    total: int
    limit: int
    offset: int
