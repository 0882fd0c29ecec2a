"""Sessions that end (issue 21, item 4): a password reset or disabling ends every web session and revokes every API
token of the user; re-enabling revives nothing; users list and end their own sessions, admins those of their own
nation's users; sessions and tokens are addressed by opaque public ids only; every end is audited."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from reassure.core.errors import IdentityError, NotFound
from reassure.core.identity import Identity, Role
from reassure.db.access import system
from reassure.db.uow import lookup_session, unit_of_work
from reassure.domains.audit.service import recent
from reassure.domains.users.actions import hash_password
from reassure.domains.users.models import User, WebSession
from reassure.domains.users.service import identity_for_token
from reassure.domains.users.sessions import session_identity, sign_in
from reassure.settings import Settings
from tests.conftest import Cli

PASSWORD = "correct horse battery staple"


def _accounts(settings: Settings) -> None:
    with lookup_session(settings) as db:
        for name, nation, roles in (("fra-admin", "FRA", ["admin"]), ("fra-ana", "FRA", ["analyst"]),
                                    ("deu-admin", "DEU", ["admin"])):
            db.add(User(name=name, nation=nation, roles=roles, active=True, password_hash=hash_password(PASSWORD)))


def _web(settings: Settings, name: str = "fra-ana", address: str = "192.0.2.7") -> str:
    """Sign in as a browser would; return the session cookie's secret."""
    with lookup_session(settings) as db:
        return sign_in(name, PASSWORD, address, db=db).secret


def _token(cli: Cli, name: str = "fra-ana") -> str:
    code, out, err = cli("users", "token", "script", user=name)
    assert code == 0, err
    return out.strip().splitlines()[-1]


def _alive(settings: Settings, secret: str) -> bool:
    try:
        with lookup_session(settings) as db:
            session_identity(secret, db=db)
        return True
    except IdentityError:
        return False


def _token_works(settings: Settings, secret: str) -> bool:
    try:
        with lookup_session(settings) as db:
            identity_for_token(db, secret)
        return True
    except IdentityError:
        return False


def test_a_password_reset_ends_every_session_and_token(cli: Cli, settings: Settings) -> None:
    _accounts(settings)
    browsers, token = [_web(settings), _web(settings, address="198.51.100.9")], _token(cli)
    assert all(_alive(settings, b) for b in browsers) and _token_works(settings, token)
    code, _, err = cli("users", "passwd", "fra-ana", "--password-stdin", user="fra-admin",
                       stdin="a new long password\n")
    assert code == 0, err
    assert not any(_alive(settings, b) for b in browsers) and not _token_works(settings, token)
    assert _token_works(settings, _token(cli))  # a token can be made again
    code, _, err = cli("users", "passwd", "--password-stdin", user="fra-ana", stdin="another long password\n")
    assert code == 0, err  # the user's own reset ends their sessions too
    with unit_of_work(settings, identity=_admin()) as db:
        ended = [r for r in recent(db=db, limit=100) if r.action in ("session.end", "token.revoke")]
    assert len(ended) == 2 + 2 and all(r.key.startswith("fra-ana/") for r in ended)
    assert {r.details["after"]["reason"] for r in ended} == {"password changed"}


def test_disabling_ends_everything_and_enabling_revives_nothing(cli: Cli, settings: Settings) -> None:
    _accounts(settings)
    browser, token = _web(settings), _token(cli)
    assert cli("users", "disable", "fra-ana", user="fra-admin")[0] == 0
    assert cli("users", "enable", "fra-ana", user="fra-admin")[0] == 0
    assert not _alive(settings, browser) and not _token_works(settings, token)  # the old cookie and token stay dead
    assert _alive(settings, _web(settings))


def _admin() -> Identity:
    return Identity(user="fra-admin", nation="FRA", roles=frozenset({Role.ADMIN}))


def test_users_list_and_end_their_own_sessions_by_public_id(cli: Cli, settings: Settings) -> None:
    _accounts(settings)
    first, second, token = _web(settings), _web(settings, address="198.51.100.9"), _token(cli)
    code, out, err = cli("users", "sessions", "--json", user="fra-ana")
    assert code == 0, err
    rows = json.loads(out)
    assert sorted(r["kind"] for r in rows) == ["token", "web", "web"]
    assert all(re.fullmatch(r"(ses|tok)_[a-z2-7]{16}", r["id"]) for r in rows)
    assert {r["address"] for r in rows if r["kind"] == "web"} == {"192.0.2.7", "198.51.100.9"}
    web = next(r for r in rows if r["kind"] == "web" and r["address"] == "198.51.100.9")
    assert cli("users", "end-session", "1", user="fra-ana")[0] == 3  # integer ids are accepted nowhere
    code, out, err = cli("users", "end-session", web["id"], user="fra-ana")
    assert code == 0, err
    assert _alive(settings, first) and not _alive(settings, second)
    code, _, err = cli("users", "end-session", "--all", user="fra-ana")
    assert code == 0, err
    assert not _alive(settings, first) and not _token_works(settings, token)
    assert json.loads(cli("users", "sessions", "--json", user="fra-ana")[1]) == []


def test_admins_end_sessions_of_their_own_nation_only(cli: Cli, settings: Settings) -> None:
    _accounts(settings)
    browser = _web(settings)
    code, _, err = cli("users", "sessions", "--for", "fra-ana", user="deu-admin")
    assert code == 3 and "no user named 'fra-ana' of your nation" in err  # as for an absent account
    rows = json.loads(cli("users", "sessions", "--for", "fra-ana", "--json", user="fra-admin")[1])
    assert [r["kind"] for r in rows] == ["web"] and not rows[0]["current"]
    assert cli("users", "end-session", rows[0]["id"], user="deu-admin")[0] == 3  # as for an absent session
    assert cli("users", "end-session", "--all", "--for", "fra-ana", user="deu-admin")[0] == 3
    assert cli("users", "end-session", rows[0]["id"], nation="DEU")[0] == 3  # a planner of DEU
    assert _alive(settings, browser)
    code, _, err = cli("users", "end-session", "--all", "--for", "fra-ana", user="fra-admin")
    assert code == 0, err
    assert not _alive(settings, browser)
    with unit_of_work(settings, identity=_admin()) as db:
        ended = [r for r in recent(db=db, limit=100) if r.action == "session.end" and r.actor == "fra-admin"]
    assert len(ended) == 1 and ended[0].marking == "REL TO FRA" and ended[0].key == f"fra-ana/{rows[0]['id']}"


def test_last_seen_is_written_at_most_once_a_minute(settings: Settings) -> None:
    _accounts(settings)
    start = datetime.now(UTC)
    secret = _web(settings)  # seen at sign-in, a moment after `start`
    seen = []
    for seconds in (0, 20, 59, 61, 90, 125):
        with lookup_session(settings) as db:
            session_identity(secret, db=db, now=start + timedelta(seconds=seconds))
        with lookup_session(settings) as db:
            row = db.scalar(select(WebSession).execution_options(**system("identity")))
            seen.append(int((row.last_seen_at - start).total_seconds()))
    assert seen == [0, 0, 0, 61, 61, 125]


def test_an_unknown_or_foreign_session_id_is_not_found(settings: Settings) -> None:
    from reassure.domains.users.actions import end_session

    _accounts(settings)
    deu = Identity(user="deu-admin", nation="DEU", roles=frozenset({Role.ADMIN}))
    for text in ("1", "ses_aaaaaaaaaaaaaaaa", "tok_aaaaaaaaaaaaaaaa", "job_aaaaaaaaaaaaaaaa", ""):
        with pytest.raises(NotFound), unit_of_work(settings, identity=deu) as db:
            end_session(deu, text, db=db)
