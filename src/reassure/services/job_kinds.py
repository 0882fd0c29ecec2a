"""The kinds of background job, in one table: `kind -> (request, role, marking rule, run function, label)`.

`domains/jobs` stores and reads job rows by a kind string and a marking it is given; it knows no kind. Submitting
looks the kind up here (who may start it, what its result will be marked), and the worker runs its run function
(services/runs.py). A new kind is its request (services/job_requests.py), its run function and one entry below
(docs/adr/0026).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Union

from pydantic import Field
from sqlalchemy.orm import Session

from reassure.core.errors import Forbidden, InputError
from reassure.core.identity import Role
from reassure.core.markings import Releasability
from reassure.db.access import identity_of
from reassure.domains.incidents.service import incidents_marking
from reassure.domains.jobs.actions import create_job
from reassure.domains.jobs.schemas import JobRead
from reassure.domains.planning.problem import problem_marking
from reassure.domains.plans.service import get_stored
from reassure.services.job_requests import (
    AsksJob,
    BriefJob,
    JobParams,
    RobustnessJob,
    RulesJob,
    SolveJob,
    SweepJob,
    WhatIfJob,
)
from reassure.services.runs import RunResult, run_asks, run_robustness, run_rules, run_solve, run_whatif
from reassure.services.sweeps import prepare_sweep

# A marking rule: the marking (column form) of the result a job will produce, read as the submitting user: the most
# restrictive of the data it rests on (NotFound for data they cannot see; any error refuses the job).
Marking = Callable[[Any, Session], str]
Run = Callable[..., RunResult]  # run(request, *, read, write, on_progress, cancel, on_marking): services/runs.py


@dataclass(frozen=True)
class JobKind:
    """One kind of job: what a caller sends, who may start it, how its result is marked, what runs it, its name."""

    request: type[JobParams]
    role: Role
    marking: Marking
    run: Run | None  # None: run by the adapter that renders its file (jobs/runner.RENDERED: the brief)
    label: str  # for people: "what-if", never the kind's key


def _scenario_marking(request: SolveJob, db: Session) -> str:
    """A solve is marked like the scenario's problem (read, not built: the run builds it once, from the data then)."""
    return problem_marking(request.scenario, db=db)


def _plan_marking(request: WhatIfJob | RobustnessJob, db: Session) -> str:
    """A what-if or robustness run is marked like the stored plan it starts from."""
    return get_stored(request.plan_id, db=db).rel_to


def _asks_marking(request: AsksJob, db: Session) -> str:
    """An asks run is marked like its plan, and only the plan's nation may store asks with it."""
    stored = get_stored(request.plan_id, db=db)
    if stored.author_nation != identity_of(db).nation:
        raise Forbidden(f"plan {stored.public_id} was made by {stored.author_nation}: only its planners may store "
                        "asks with it", action="start an asks job")
    return stored.rel_to


def _incidents_marking(request: RulesJob, db: Session) -> str:
    """A rule evaluation rests on every incident the user sees."""
    return incidents_marking(db=db)


def _brief_marking(request: BriefJob, db: Session) -> str:
    """A brief is released to the submitter's nation only (its content is narrower still when it reads a narrower
    record: the run narrows the job to the brief's own marking); a preview or PUBLIC-only reading starts none."""
    identity = identity_of(db)
    identity.require_writable("start a brief job")
    return Releasability.to(identity.nation).to_column()


def _sweep_marking(request: SweepJob, db: Session) -> str:
    """A sweep is marked like its scenario's problem as the submitter reads it; its variants are expanded on that
    problem now, so a variant it cannot take (a task or nation it lacks) refuses the job before it is queued."""
    return prepare_sweep(request.sweep, db=db, file="spec").marking


KINDS: dict[str, JobKind] = {
    "solve": JobKind(SolveJob, Role.PLANNER, _scenario_marking, run_solve, "solve"),
    "whatif": JobKind(WhatIfJob, Role.PLANNER, _plan_marking, run_whatif, "what-if"),
    "robustness": JobKind(RobustnessJob, Role.PLANNER, _plan_marking, run_robustness, "robustness"),
    "rules": JobKind(RulesJob, Role.ANALYST, _incidents_marking, run_rules, "rule evaluation"),
    "asks": JobKind(AsksJob, Role.PLANNER, _asks_marking, run_asks, "force-generation asks"),
    "brief": JobKind(BriefJob, Role.VIEWER, _brief_marking, None, "brief"),
    "sweep": JobKind(SweepJob, Role.PLANNER, _sweep_marking, None, "scenario sweep"),
}

if TYPE_CHECKING:
    JobRequest = JobParams
else:  # what POST /jobs accepts: any kind of the table, told apart by its `kind`
    JobRequest = Annotated[Union[tuple(k.request for k in KINDS.values())], Field(discriminator="kind")]  # noqa: UP007


def kind_of(kind: str) -> JobKind:
    """Return a kind's entry; InputError for a kind the table does not have (a job row of a kind since removed)."""
    try:
        return KINDS[kind]
    except KeyError:
        raise InputError(f"no job kind {kind!r}") from None


def submit_job(request: JobParams, *, db: Session) -> JobRead:
    """Queue a job for the session's user (an audited action of domains/jobs): the kind's role may start it, and it
    is marked like the result it will produce."""
    kind = kind_of(request.kind)
    return create_job(request.kind, request.model_dump(mode="json"), role=kind.role,
                      marking=lambda session: kind.marking(request, session), db=db)

