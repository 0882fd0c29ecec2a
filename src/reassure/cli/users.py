"""`reassure users`: accounts, roles, passwords, API tokens and sessions (admins; anyone for their own password,
tokens and sessions)."""

from __future__ import annotations

import sys

import typer
from rich.table import Table

from reassure.cli.context import JSON_OPTION, console, identity, plain, print_json, require_schema, session, state
from reassure.core.errors import InputError
from reassure.domains.users import actions, service
from reassure.services.caller import Caller

app = typer.Typer(help="Users, roles (viewer, analyst, planner, admin), passwords, API tokens and sessions.",
                  no_args_is_help=True)


def _password(from_stdin: bool) -> str | None:
    if not from_stdin:
        return None
    line = sys.stdin.readline().rstrip("\n")
    if not line:
        raise InputError("--password-stdin: no password on standard input")
    return line


@app.command("init")
def init_command(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="the first admin's user name"),
    nation: str = typer.Option(..., "--nation", help="the admin's nation (alpha-3), e.g. FRA"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="read a password from standard input"),
) -> None:
    """Create the first admin of a new database (refused once any user exists)."""
    from reassure.db.uow import lookup_session

    require_schema(ctx)
    settings = state(ctx).settings
    with lookup_session(settings) as db:
        if service.any_users(db):
            from reassure.core.errors import Conflict

            raise Conflict("accounts already exist: an admin adds users with `reassure users add`")
    from reassure.core.identity import Identity, Role

    founder = Identity(user=name, nation=nation.upper(), roles=frozenset({Role.ADMIN}))
    with Caller(founder, settings).session() as db:
        actions.first_admin(name, nation, db=db, password=_password(password_stdin))
    console.print(f"created the first admin {name} ({nation.upper()}); act as them with --user {name} "
                  f"or REASSURE_USER={name}")


@app.command("add")
def add_command(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="user name (lower case, digits, . _ - @)"),
    nation: str = typer.Option(..., "--nation", help="the user's nation (alpha-3): what is released to it"),
    role: list[str] = typer.Option(["viewer"], "--role", help="viewer, analyst, planner or admin (repeatable)"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="read a password from standard input"),
) -> None:
    """Add a user (admins only)."""
    require_schema(ctx)
    with session(ctx) as db:
        user = actions.add_user(identity(ctx), name, nation, role, db=db, password=_password(password_stdin))
    console.print(f"added {user.name} ({user.nation}) with roles {', '.join(user.roles)}")


@app.command("grant")
def grant_command(ctx: typer.Context, name: str = typer.Argument(...),
                  role: list[str] = typer.Argument(..., help="roles to grant")) -> None:
    """Grant roles to a user (admins only)."""
    require_schema(ctx)
    with session(ctx) as db:
        user = actions.set_roles(identity(ctx), name, db=db, grant=role)
    console.print(f"{user.name}: {', '.join(user.roles)}")


@app.command("revoke")
def revoke_command(ctx: typer.Context, name: str = typer.Argument(...),
                   role: list[str] = typer.Argument(..., help="roles to revoke")) -> None:
    """Revoke roles from a user (admins only)."""
    require_schema(ctx)
    with session(ctx) as db:
        user = actions.set_roles(identity(ctx), name, db=db, revoke=role)
    console.print(f"{user.name}: {', '.join(user.roles) or 'no roles (reads only)'}")


@app.command("disable")
def disable_command(ctx: typer.Context, name: str = typer.Argument(...)) -> None:
    """Disable an account: it can no longer act, its sessions end and its tokens are revoked (admins only)."""
    require_schema(ctx)
    with session(ctx) as db:
        actions.set_active(identity(ctx), name, False, db=db)
    console.print(f"disabled {name}")


@app.command("enable")
def enable_command(ctx: typer.Context, name: str = typer.Argument(...)) -> None:
    """Re-enable a disabled account (admins only): it signs in again; its old sessions and tokens stay ended."""
    require_schema(ctx)
    with session(ctx) as db:
        actions.set_active(identity(ctx), name, True, db=db)
    console.print(f"enabled {name}")


@app.command("passwd")
def passwd_command(ctx: typer.Context, name: str | None = typer.Argument(None, help="default: yourself"),
                   password_stdin: bool = typer.Option(False, "--password-stdin")) -> None:
    """Set a password (yours, or as an admin anyone's): read from standard input or asked for twice. Every web
    session of the account ends and its API tokens are revoked (make a new token with `reassure users token`)."""
    require_schema(ctx)
    password = _password(password_stdin) or typer.prompt("new password", hide_input=True,
                                                         confirmation_prompt=True)
    me = identity(ctx)
    with session(ctx) as db:
        actions.set_password(me, name or me.user, password, db=db)
    console.print(f"password set for {name or me.user}; its sessions ended and its tokens were revoked")


@app.command("list")
def list_command(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """List users with nation, roles and live tokens (admins only)."""
    require_schema(ctx)
    with session(ctx) as db:
        rows = service.list_users(identity(ctx), db=db)
    if as_json:
        print_json(rows)
        return
    table = Table(title=f"Users ({len(rows)})")
    for column in ("name", "nation", "roles", "active", "password", "tokens", "created"):
        table.add_column(column)
    for u in rows:
        table.add_row(u.name, u.nation, ", ".join(u.roles) or "viewer", "yes" if u.active else "no",
                      "yes" if u.has_password else "no", str(u.tokens), f"{u.created_at:%Y-%m-%d}")
    console.print(table)


@app.command("token")
def token_command(
    ctx: typer.Context,
    label: str = typer.Argument(..., help="what the token is for, e.g. 'reporting script'"),
    user: str | None = typer.Option(None, "--for", help="admins: make it for this user"),
    days: int = typer.Option(90, "--days", help="days until it expires (1-366)"),
) -> None:
    """Make an API token (shown once; only its hash is stored)."""
    require_schema(ctx)
    with session(ctx) as db:
        made = actions.create_token(identity(ctx), label, db=db, user=user, days=days)
    console.print(f"token {made.token.id} for {made.token.user}, expires {made.token.expires_at:%Y-%m-%d}; "
                  "shown once, keep it secret:")
    print(made.secret)


@app.command("tokens")
def tokens_command(ctx: typer.Context, user: str | None = typer.Option(None, "--for")) -> None:
    """List your tokens (admins: anyone's)."""
    require_schema(ctx)
    with session(ctx) as db:
        rows = service.list_tokens(identity(ctx), db=db, user=user)
    table = Table(title=f"Tokens ({len(rows)})")
    for column in ("id", "user", "label", "prefix", "created", "expires", "revoked"):
        table.add_column(column)
    for t in rows:
        table.add_row(t.id, t.user, t.label, t.prefix + "…", f"{t.created_at:%Y-%m-%d}",
                      f"{t.expires_at:%Y-%m-%d}", f"{t.revoked_at:%Y-%m-%d}" if t.revoked_at else "—")
    console.print(table)


@app.command("revoke-token")
def revoke_token_command(ctx: typer.Context, token_id: str = typer.Argument(..., help="the token's id, tok_…")) -> None:
    """Revoke a token (yours; admins: one of a user of your nation)."""
    require_schema(ctx)
    with session(ctx) as db:
        actions.revoke_token(identity(ctx), token_id, db=db)
    console.print(f"revoked token {token_id}")


@app.command("sessions")
def sessions_command(ctx: typer.Context, user: str | None = typer.Option(None, "--for", help="admins: a user of your "
                                                                                            "nation"),
                     as_json: bool = JSON_OPTION) -> None:
    """List your live sessions: signed-in browsers (started when, from which address, which browser, last seen) and
    API tokens (admins: a user of your nation's)."""
    require_schema(ctx)
    me = identity(ctx)
    with session(ctx) as db:
        rows = service.list_sessions(me, db=db, user=user, current=state(ctx).session_id)
    if as_json:
        print_json(rows)
        return
    table = Table(title=f"Sessions of {user or identity(ctx).user} ({len(rows)})")
    for column in ("id", "kind", "started", "from", "browser or token", "last seen", ""):
        table.add_column(column)
    for r in rows:
        what = r.user_agent or "" if r.kind == "web" else f"{r.label} ({r.prefix}…)"
        table.add_row(*plain(r.id, r.kind, f"{r.started_at:%Y-%m-%d %H:%M}", r.address or "—", what,
                             f"{r.last_seen_at:%Y-%m-%d %H:%M}" if r.last_seen_at else "—",
                             "this session" if r.current else ""))
    console.print(table)


@app.command("end-session")
def end_session_command(ctx: typer.Context,
                        session_id: str | None = typer.Argument(None, help="the session's or token's id (ses_… or "
                                                                "tok_…), from `reassure users sessions`"),
                        everything: bool = typer.Option(False, "--all", help="end every session and token"),
                        user: str | None = typer.Option(None, "--for", help="admins: a user of your nation")) -> None:
    """End one session (a signed-in browser) or revoke one API token, or with --all every one of them (yours;
    admins: a user of your nation's). Each is recorded in the audit log."""
    require_schema(ctx)
    if everything == (session_id is not None):
        raise InputError("name one session id, or --all")
    with session(ctx) as db:
        if session_id is not None:
            actions.end_session(identity(ctx), session_id, db=db)
            said = f"ended {session_id}"
        else:
            ended = actions.end_sessions(identity(ctx), db=db, user=user)
            said = f"ended {ended} session(s) and token(s) of {user or identity(ctx).user}"
    console.print(said)
