"""`reassure serve`: the dashboard, the REST API and a job worker on the configured database (uvicorn)."""

from __future__ import annotations

import typer

from reassure.cli.context import console, state
from reassure.cli.registry import require_schema
from reassure.settings import Settings


def serve_command(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", help="address to listen on (loopback by default; 0.0.0.0 for all)"),
    port: int = typer.Option(8000, min=1, max=65535, help="TCP port"),
    workers: int = typer.Option(1, min=0, max=16, help="job worker threads in this process (0: run none here)"),
) -> None:
    """Serve the dashboard and /api/v1 (sign in with a stored user's password; API calls with a token)."""
    require_schema(ctx)
    serve(state(ctx).settings, host=host, port=port, workers=workers)


def serve(settings: Settings, *, host: str, port: int, workers: int) -> None:
    """Run the server until interrupted, with `workers` job worker threads."""
    import uvicorn

    from reassure.jobs.worker import JobQueue, job_queue
    from reassure.web.app import create_server

    app = create_server(settings)
    queue: JobQueue = job_queue(settings)
    app.state.queue = queue
    if workers:
        queue.start_worker(workers)
    console.print(f"serving http://{host}:{port}/ (API at /api/v1, docs at /api/v1/docs) on "
                  f"{settings.database_url.split('@')[-1]}; {workers} job worker(s); Ctrl-C stops", highlight=False)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        queue.stop_worker()
