"""Every ORM model in one place, so the metadata is complete (for Alembic's environment and the tests)."""

from reassure.db.base import Base
from reassure.domains.alerts.models import AlertChannel, AlertDelivery, RuleStateChange
from reassure.domains.audit.models import AuditEntry
from reassure.domains.command.models import CommandNode
from reassure.domains.evaluations.models import StoredEvaluation
from reassure.domains.followups.models import Followup
from reassure.domains.incidents.models import (
    Incident,
    IncidentLink,
    IncidentRegion,
    IncidentReport,
    IncidentReview,
    WeaponCount,
)
from reassure.domains.jobs.models import Job
from reassure.domains.legal.models import LegalInstrument
from reassure.domains.movement.models import MovementRestriction
from reassure.domains.nations.models import Membership, Nation, NationFigure
from reassure.domains.phases.models import ScenarioPhase
from reassure.domains.plans.models import StoredPlan
from reassure.domains.pledges.models import Pledge, PledgeStatusEvent
from reassure.domains.preferences.models import FollowupOwner, NationPreference
from reassure.domains.requests.models import ForceAsk
from reassure.domains.scenario_records.models import Scenario, ScenarioChange
from reassure.domains.sources.models import Claim, Source
from reassure.domains.sweeps.models import Sweep
from reassure.domains.tasks.models import Task
from reassure.domains.users.models import ApiToken, KnownDevice, SignInFailure, User, WebSession
from reassure.domains.verifications.models import Verification

__all__ = [
    "AlertChannel",
    "AlertDelivery",
    "ApiToken",
    "AuditEntry",
    "Base",
    "Claim",
    "CommandNode",
    "Followup",
    "FollowupOwner",
    "ForceAsk",
    "Incident",
    "IncidentLink",
    "IncidentRegion",
    "IncidentReport",
    "IncidentReview",
    "Job",
    "KnownDevice",
    "LegalInstrument",
    "Membership",
    "MovementRestriction",
    "Nation",
    "NationFigure",
    "NationPreference",
    "Pledge",
    "PledgeStatusEvent",
    "RuleStateChange",
    "Scenario",
    "ScenarioChange",
    "ScenarioPhase",
    "SignInFailure",
    "Source",
    "StoredEvaluation",
    "StoredPlan",
    "Sweep",
    "Task",
    "User",
    "Verification",
    "WeaponCount",
    "WebSession",
]
