"""The brief as a job (docs/adr/0040): produce it as the job's owner, its stages as the job's progress, the PDF
stored with the job and named after the day it was prepared. A kind of services/job_kinds.py whose run lives here,
above the brief's renderer (services sit below it)."""

from __future__ import annotations

from reassure.brief.files import brief_file_name
from reassure.brief.produce import produce
from reassure.core.labels import stage_label
from reassure.core.map_period import parse_map_period
from reassure.core.markings import parse_marking
from reassure.planner.solver.runtime import CancelToken
from reassure.services.caller import Caller
from reassure.services.job_requests import BriefJob
from reassure.services.runs import OnMarking, OnProgress, RunResult

# How far along a brief is when each stage begins (gathering and the PDF take most of the time; measured on the demo)
STAGES = {"gathering": 0.05, "charts": 0.4, "pdf": 0.6}


def run_brief(request: BriefJob, *, caller: Caller, on_progress: OnProgress, cancel: CancelToken,
              on_marking: OnMarking) -> RunResult:
    """Produce the brief as the PDF the job stores (audited as the owner, like `reassure brief`); narrow the job to
    the brief's own marking before its file is written."""
    def stage(name: str) -> None:
        cancel.check()
        on_progress(STAGES.get(name, 0.0), None, None, stage_label(name))

    produced = produce(caller.settings, caller.identity, scenario=request.scenario, plan_id=request.plan_id,
                       as_of=request.date, map_period=parse_map_period(request.map_period) if request.map_period
                       else None, on_stage=stage, audience=request.format)
    on_marking(parse_marking(produced.context.marking).to_column())
    assert produced.pdf is not None
    context = produced.context
    name = brief_file_name(context.scenario.scenario.name, audience=request.format)
    return RunResult({"file": name, "bytes": len(produced.pdf), "scenario": context.scenario.scenario.name,
                      "plan": context.plan.plan.id if context.plan else None, "marking": context.marking,
                      "format": request.format, "map_period": context.map_period.words}, None, produced.pdf)
