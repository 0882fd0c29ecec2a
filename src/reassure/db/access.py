"""The access filter: every ORM statement of a session is limited to records released to its identity's nation.

Deny by default: a session without an identity cannot run any ORM statement. There is no "see everything"
switch; the only statements that skip the filter are the narrow system lookups named in SYSTEM_LOOKUPS
(identity resolution), and a test keeps that list from growing unreviewed. An admin's preview of another nation
reads only records released to both nations (`Identity.readers`), and a read-only identity (a preview, a PUBLIC-only
reader) cannot write through its session at all: both are enforced here, once.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, event, or_
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from reassure.core.errors import Forbidden, IdentityError
from reassure.core.identity import Identity, check_nation_code
from reassure.core.markings import PUBLIC
from reassure.db.mixins import Marked

IDENTITY_KEY = "identity"
SYSTEM_OPTION = "reassure_system_lookup"
# Every reason a statement may look past the identity, with where it is used. Each returns only what its
# caller needs and never hands a marked row to an adapter.
SYSTEM_LOOKUPS = {
    "identity": "domains/users/service.py, sessions.py: the users, tokens, web sessions, known devices and sign-in "
                "failures tables (no marked record) are read to establish who acts and to list and end sessions",
    "source-id": "domains/sources/actions.py: whether an internal source id is free (yes or no; internal ids "
                 "are never shown, users see the key)",
    "lost-jobs": "domains/jobs/service.py: which nations' jobs were left running when a worker starts (nation "
                 "codes only; each nation's jobs are then failed by the worker reading as that nation)",
    "alert-nations": "domains/alerts/service.py: which nations have an active alert channel or an active user "
                     "(nation codes only; each nation's rules are then evaluated, stored and sent by the alerts run "
                     "reading as that nation)",
}


def identity_of(db: Session) -> Identity:
    """Return the identity bound to a session, or raise IdentityError (fail closed)."""
    identity = db.info.get(IDENTITY_KEY)
    if not isinstance(identity, Identity):
        raise IdentityError("no identity: every read and write needs a stored user (open the session through "
                            "reassure.db.uow.unit_of_work)")
    return identity


def system(reason: str) -> dict[str, str]:
    """Return the execution options of a narrow system lookup (the reason must be listed in SYSTEM_LOOKUPS)."""
    if reason not in SYSTEM_LOOKUPS:
        raise ValueError(f"unlisted system lookup {reason!r}")
    return {SYSTEM_OPTION: reason}


def released_to(*nations: str) -> Any:
    """Return the loader criterion: PUBLIC, or a marking listing every one of these nations (one for a reader; two for
    an admin's preview of another nation, which reads what both nations share)."""
    # Bound parameters, and never a LIKE wildcard: only [A-Z]{3} reaches them. Each pattern is its own closure
    # variable, as SQLAlchemy caches the criterion by the lambda's literal values.
    patterns = [f"%,{check_nation_code(nation)},%" for nation in nations]
    if len(patterns) == 1:
        pattern = patterns[0]
        return lambda cls: or_(cls.rel_to == PUBLIC, cls.rel_to.like(pattern))
    if len(patterns) == 2:
        first, second = patterns
        return lambda cls: or_(cls.rel_to == PUBLIC, and_(cls.rel_to.like(first), cls.rel_to.like(second)))
    raise IdentityError(f"a read is for one nation, or two in a preview, not {len(patterns)}")


def public_only(cls: Any) -> Any:
    """Return the loader criterion of a PUBLIC-only reader: the PUBLIC marking, nothing else."""
    return cls.rel_to == PUBLIC


@event.listens_for(Session, "do_orm_execute")
def _filter_by_releasability(state: ORMExecuteState) -> None:
    reason = state.execution_options.get(SYSTEM_OPTION)
    if reason is not None:
        if reason not in SYSTEM_LOOKUPS:
            raise IdentityError(f"unlisted system lookup {reason!r}")
        return
    identity = identity_of(state.session)
    if identity.read_only and (state.is_insert or state.is_update or state.is_delete):
        identity.require_writable("writing")
    if state.is_select or state.is_update or state.is_delete:
        criterion = public_only if identity.public_only else released_to(*identity.readers)
        state.statement = state.statement.options(with_loader_criteria(Marked, criterion, include_aliases=True))


@event.listens_for(Session, "before_flush")
def _read_only_writes_nothing(db: Session, _context: Any, _instances: Any) -> None:
    """Refuse any write of a read-only identity's session (a preview, a PUBLIC-only reader), whatever action tries."""
    identity = db.info.get(IDENTITY_KEY)
    changed = db.new or db.deleted or any(db.is_modified(o) for o in db.dirty)
    if isinstance(identity, Identity) and identity.read_only and changed:
        raise Forbidden(f"{identity}: read-only, nothing is written", action="write while read-only")
    if isinstance(identity, Identity):
        for record in db.new:
            if isinstance(record, Marked) and record.owner_nation is None:
                record.owner_nation = identity.nation
