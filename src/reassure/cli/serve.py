"""`reassure serve`: the dashboard, the REST API and a job worker on the configured database (uvicorn)."""

from __future__ import annotations

import os

import typer
from pydantic import SecretStr
from rich.markup import escape

from reassure.cli.context import console, require_schema, state
from reassure.core.errors import ReassureError
from reassure.settings import Settings


def serve_command(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", help="address to listen on (loopback by default; 0.0.0.0 for all)"),
    port: int = typer.Option(8000, min=1, max=65535, help="TCP port"),
    workers: int = typer.Option(1, min=0, max=16, help="job worker threads (0: run none here)"),
    processes: int = typer.Option(1, min=1, max=32, help="server processes answering requests (one per core)"),
) -> None:
    """Serve the dashboard and /api/v1 (sign in with a stored user's password; API calls with a token)."""
    require_schema(ctx)
    serve(state(ctx).settings, host=host, port=port, workers=workers, processes=processes)


def serve(settings: Settings, *, host: str, port: int, workers: int, processes: int = 1) -> None:
    """Run the server until interrupted, with `workers` job worker threads in this process.

    With several processes, uvicorn starts them from the app factory (`reassure.web.app:create_server`, settings from
    the environment) and this process supervises them and runs the job worker. Workers of other processes or machines
    may run on the same database: each fails only the jobs of lost workers (an ended lease, or an ended process of
    this machine; docs/adr/0051)."""
    import uvicorn

    from reassure.http import request_log
    from reassure.http.protocol import server_options
    from reassure.jobs.worker import JobQueue, job_queue
    from reassure.migrations.readiness import readiness
    from reassure.web.app import create_server

    request_log.configure(settings.log_format)
    logs = request_log.uvicorn_log_config(settings.log_format)  # uvicorn's own lines in the same format
    for problem in readiness(settings).warnings:  # reported, not refused: the server's to fix (ADR 0050)
        console.print(f"[yellow]durability at risk[/yellow]: {escape(problem)}", highlight=False)
    queue: JobQueue | None = None
    try:
        queue = job_queue(settings)
    except ReassureError as error:  # a read-only database: serve its reads, refuse jobs (ADR 0015)
        console.print(f"[yellow]no job queue[/yellow]: {escape(error.message)}", highlight=False)
        workers = 0
    if workers and queue is not None:
        queue.start_worker(workers)
    console.print(f"serving http://{host}:{port}/ (API at /api/v1, docs at /api/v1/docs) on "
                  f"{settings.database_url.split('@')[-1]}; {processes} process(es), {workers} job worker(s); "
                  "Ctrl-C stops", highlight=False)
    try:
        if processes == 1:
            app = create_server(settings)
            if queue is not None:
                app.state.queue = queue
            uvicorn.run(app, host=host, port=port, log_level="warning", log_config=logs, **server_options(settings))
        else:
            os.environ.update(settings_environment(settings))
            uvicorn.run("reassure.web.app:create_server", factory=True, host=host, port=port, workers=processes,
                        log_level="warning", log_config=logs, **server_options(settings))
    finally:
        if queue is not None:
            queue.stop_worker()


IDENTITY = ("user", "token", "nation")  # a server acts for no one: each request brings its own identity


def settings_environment(settings: Settings) -> dict[str, str]:
    """Return the environment that makes `get_settings()` in a server process read these settings: every field of
    the Settings model that has a value (so a setting added later is passed on too), none naming who acts."""
    env = {}
    for name in Settings.model_fields:
        value = getattr(settings, name)
        if name in IDENTITY or value is None:
            continue
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        env[f"REASSURE_{name.upper()}"] = str(value).lower() if isinstance(value, bool) else str(value)
    for name in IDENTITY:
        os.environ.pop(f"REASSURE_{name.upper()}", None)
    return env
