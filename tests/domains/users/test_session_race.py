"""Issue 21 review: a sign-in that checked the old password while an admin reset it opened a session that outlived
the reset. Now the sign-in locks the account and re-reads its hash before it stores the session, and account changes
take the same lock (users/actions._own).

`domains/users/sessions.sign_in` reads the account, verifies the password against the hash it read (argon2: tens of
milliseconds), then writes the new web session; `set_password` ends the sessions that exist when it runs
(`actions._end_everything`). Nothing orders the two: no lock on the account, no check at commit that the hash is
still the one verified, no credentials version a session carries (each request re-checks `active`, so disabling the
account during a sign-in holds; a password change is not re-checked). A thief holding the old
password who keeps signing in is inside that window almost all the time, so the reset meant to lock them out leaves
them a fresh 12-hour session, on SQLite and PostgreSQL alike.

The race is made deterministic here: the password check (the slow step) lets the admin's change run in another
thread, waiting for it up to a few seconds (a fix that takes a lock makes the change wait for the sign-in instead,
and it then ends the new session). Either way, once both are done, the session the old password opened must not work.
"""

from __future__ import annotations

import threading

import pytest

from reassure.core.errors import IdentityError
from reassure.core.identity import Identity, Role
from reassure.db.uow import identify, lookup_session, unit_of_work
from reassure.domains.users import sessions
from reassure.domains.users.actions import hash_password, set_password
from reassure.domains.users.models import User
from reassure.settings import Settings

OLD = "the old password, stolen"
ADMIN = Identity(user="fra-admin", nation="FRA", roles=frozenset({Role.ADMIN}))


def test_a_sign_in_racing_a_password_reset_leaves_no_live_session(settings: Settings,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    with lookup_session(settings) as db:
        db.add(User(name="fra-admin", nation="FRA", roles=["admin"], active=True,
                    password_hash=hash_password("the admin's own password")))
        db.add(User(name="fra-ana", nation="FRA", roles=["analyst"], active=True, password_hash=hash_password(OLD)))
    real_check = sessions.check_password
    admins: list[threading.Thread] = []

    def check_while_the_admin_acts(user: User, password: str) -> bool:
        verified = real_check(user, password)

        def act() -> None:
            with unit_of_work(settings, identity=ADMIN) as db:
                set_password(ADMIN, "fra-ana", "a brand new password", db=db)

        admin = threading.Thread(target=act)
        admin.start()
        admin.join(timeout=3)  # done, or (with a lock on the account) waiting for this sign-in to finish
        admins.append(admin)
        return verified

    monkeypatch.setattr(sessions, "check_password", check_while_the_admin_acts)
    opened: sessions.OpenedSession | None = None
    try:
        with lookup_session(settings) as db:
            opened = sessions.sign_in("fra-ana", OLD, "203.0.113.9", db=db)
    except IdentityError:
        pass  # the sign-in saw the reset committed meanwhile: refused, as the old password now is
    for admin in admins:
        admin.join(timeout=60)
        assert not admin.is_alive()
    assert admins, "the race did not run"

    if opened is not None:  # the sign-in stored its session first: the reset, which waited for it, ended it
        with pytest.raises(IdentityError):
            identify(settings, lambda db: sessions.live_session(opened.secret, db=db))
    with lookup_session(settings) as db, pytest.raises(IdentityError):
        sessions.sign_in("fra-ana", OLD, "203.0.113.9", db=db)
