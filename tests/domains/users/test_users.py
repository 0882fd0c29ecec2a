"""Users, roles and API tokens: the only source of identity, each change audited."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from reassure.core.identity import Role
from reassure.db.uow import engine_for, lookup_session, unit_of_work
from reassure.db.versions import bump
from reassure.domains.audit.service import recent
from reassure.domains.users.actions import check_password
from reassure.domains.users.models import ApiToken
from reassure.domains.users.service import find_user
from reassure.settings import Settings
from tests.conftest import Cli, who


def test_the_first_admin_is_made_once_and_then_manages_users(cli: Cli, settings: Settings) -> None:
    code, out, err = cli("users", "init", "boss", "--nation", "FRA", user="boss")
    assert code == 0, err
    assert cli("users", "init", "other", "--nation", "DEU", user="boss")[0] == 6  # accounts exist: refused
    code, _, err = cli("users", "add", "ana", "--nation", "FRA", "--role", "analyst", user="boss")
    assert code == 0, err
    code, out, _ = cli("users", "list", user="boss")
    assert "ana" in out and "FRA" in out and "analyst" in out
    assert cli("users", "add", "eve", "--nation", "FRA", user="ana")[0] == 4  # analysts do not add users
    assert cli("users", "grant", "ana", "planner", user="boss")[0] == 0
    assert cli("users", "revoke", "boss", "admin", user="boss")[0] == 4  # an admin keeps their own admin role
    assert cli("users", "add", "bad", "--nation", "XX", user="boss")[0] == 5
    assert cli("users", "add", "bad", "--nation", "QQQ", user="boss")[0] == 5  # not an ISO country
    assert cli("users", "add", "bad", "--nation", "DEU", "--role", "god", user="boss")[0] == 5
    with unit_of_work(settings, identity=who("FRA", Role.ADMIN)) as db:
        rows = recent(db=db)
    roles = next(r for r in rows if r.action == "user.roles")
    assert roles.details == {"before": {"roles": ["analyst"]}, "after": {"roles": ["analyst", "planner"]}}
    assert roles.marking == "REL TO FRA"


def test_passwords_are_argon2_hashes(cli: Cli, settings: Settings) -> None:
    cli("users", "init", "boss", "--nation", "FRA", user="boss")
    assert cli("users", "passwd", "--password-stdin", user="boss", stdin="short\n")[0] == 2
    code, _, err = cli("users", "passwd", "--password-stdin", user="boss", stdin="correct horse battery\n")
    assert code == 0, err
    with lookup_session(settings) as db:
        user = find_user(db, "boss")
        assert user is not None and user.password_hash is not None
        assert user.password_hash.startswith("$argon2id$") and "correct horse" not in user.password_hash
        assert check_password(user, "correct horse battery") and not check_password(user, "wrong horse battery")


def test_tokens_stand_for_their_user_until_revoked_or_expired(cli: Cli, settings: Settings) -> None:
    cli("users", "init", "boss", "--nation", "FRA", user="boss")
    cli("users", "add", "ana", "--nation", "FRA", "--role", "analyst", user="boss")
    code, out, err = cli("users", "token", "script", "--for", "ana", "--days", "7", user="boss")
    assert code == 0, err
    secret = out.strip().splitlines()[-1]
    assert secret.startswith("rsr_")
    token_id = re.search(r"token (tok_[a-z2-7]{16}) for ana", out)
    assert token_id is not None, out
    code, out, err = cli("--token", secret, "scenarios", user="")
    assert code == 0, err
    assert cli("--token", secret + "x", "scenarios", user="")[0] == 5
    code, out, _ = cli("users", "tokens", "--for", "ana", user="boss")
    assert secret not in out and secret[:10] in out  # only the prefix is ever shown again
    with engine_for(settings).begin() as connection:  # a write past the actions moves the data version itself
        connection.execute(update(ApiToken).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
        bump(connection)
    assert cli("--token", secret, "scenarios", user="")[0] == 5  # expired
    with engine_for(settings).begin() as connection:
        connection.execute(update(ApiToken).values(expires_at=datetime.now(UTC) + timedelta(days=1)))
        bump(connection)
    assert cli("--token", secret, "scenarios", user="")[0] == 0
    assert cli("users", "revoke-token", "1", user="ana")[0] == 3  # integer ids are accepted nowhere
    assert cli("users", "revoke-token", token_id.group(1), user="ana")[0] == 0
    assert cli("--token", secret, "scenarios", user="")[0] == 5  # revoked
    assert cli("users", "disable", "ana", user="boss")[0] == 0
    assert cli("scenarios", user="ana")[0] == 5  # a disabled user cannot act


def test_an_admin_manages_only_their_own_nations_accounts(cli: Cli) -> None:
    """Found in review: an admin who could make or borrow another nation's account would read all it may read."""
    cli("users", "init", "boss", "--nation", "FRA", user="boss")
    assert cli("users", "add", "deu-admin", "--nation", "DEU", "--role", "planner", user="boss")[0] == 4
    assert cli("users", "add", "deu-admin", "--nation", "DEU", "--role", "admin", user="boss")[0] == 0  # onboarding
    assert cli("users", "add", "fra-p", "--nation", "FRA", "--role", "planner", user="boss")[0] == 0
    code, _, err = cli("users", "add", "ghost", "--nation", "FRA", "--role", "planner", user="deu-admin")
    assert code == 4 and "FRA's admins manage its accounts" in err
    for args in (("token", "borrowed", "--for", "fra-p"), ("grant", "fra-p", "admin"), ("disable", "fra-p"),
                 ("passwd", "fra-p", "--password-stdin")):
        code, _, err = cli("users", *args, user="deu-admin", stdin="a long enough password\n")
        assert code == 4 and "may not manage fra-p (FRA)" in err, args
    assert cli("users", "tokens", "--for", "fra-p", user="deu-admin")[0] == 3
    assert cli("users", "add", "deu-p", "--nation", "DEU", "--role", "planner", user="deu-admin")[0] == 0
    assert cli("users", "token", "svc", "--for", "deu-p", user="deu-admin")[0] == 0  # within DEU: allowed
