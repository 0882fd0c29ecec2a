"""Read models of asks to nations, as services return them to the CLI, API, pages and the brief."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel


class AskGap(BaseModel):
    """A gap an ask would close, for people: the task's name and the months (the key for links and grouping)."""

    task: str  # the task's key
    task_name: str  # its name as the scenario gives it (the key when the reader sees no task of that key)
    span: str  # the months, in words ("Jan 2027 – Apr 2027")


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
    gaps: list[AskGap] = []  # the same gaps with the tasks' names, for people
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
    answer_by: date | None = None  # an answer after it is late (opens a follow-up: docs/adr/0047)
    late: bool = False  # answered after `answer_by`, or still unanswered after it (as of the day it was read)
    marking: str
    drafting_nation: str = ""  # the nation whose planner drafted it: its planners send it
    released_to_nation: bool = True  # whether the nation asked may read it (else it cannot be sent)


class OpenAskLine(BaseModel):
    """An ask still open for the annex and page: sent and unanswered (with days waiting), drafted, answered in part
    (the units still open beside those accepted) or declined."""

    ask: AskRead
    waiting_days: int | None  # days since it was sent, for an ask sent and unanswered
    still_open: int  # units asked and not accepted


class NationAsks(BaseModel):
    """The open asks to one nation, sent and unanswered first (longest waiting first)."""

    nation: str
    nation_name: str
    lines: list[OpenAskLine]


class GapAsks(BaseModel):
    """The open asks that would close one gap (a task over some months)."""

    task: str
    task_name: str
    span: str
    lines: list[OpenAskLine]


class OpenAsks(BaseModel):
    """The coalition's open asks as the reader sees them, by nation and by gap, and the narrowest marking shown
    ("" when none is shown)."""

    scenario: str
    today: date
    nations: list[NationAsks]
    gaps: list[GapAsks]
    total: int
    marking: str


class AskPage(BaseModel):
    """One page of asks and how many there are in all (as the reader sees them)."""

    items: list[AskRead]
    total: int
    limit: int
    offset: int
