"""Settings from the environment (REASSURE_*), built by a factory, never read at import time."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_database_url() -> str:
    """Return the embedded database's URL: a SQLite file in the user's data folder, wherever commands run from.

    `$XDG_DATA_HOME/reassure/reassure.sqlite`, else `~/.local/share/reassure/reassure.sqlite`.
    """
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return f"sqlite:///{base / 'reassure' / 'reassure.sqlite'}"


class Settings(BaseSettings):
    """Where the database is and who is acting (a stored user; their nation comes from the users table)."""

    model_config = SettingsConfigDict(env_prefix="REASSURE_", extra="ignore")

    database_url: str = Field(
        default_factory=default_database_url,
        description="SQLAlchemy URL: sqlite:///path or postgresql+psycopg://user@host/db",
    )
    user: str | None = Field(default=None, description="the stored user who acts (no default: fail closed)")
    token: str | None = Field(default=None, description="an API token standing for a stored user")
    nation: str | None = Field(default=None, description="admins only: preview what this nation sees (read-only)")
    shared_data: Path | None = Field(default=None, description="folder of public data sets (../shared/data)")
    boundaries: Path | None = Field(default=None, description="GeoJSON of Ukraine's oblasts (a `shapeName` per "
                                    "feature) to draw incidents by region on the dashboard's maps")
    secure_cookies: bool = Field(default=False, description="mark the session cookie Secure (serve over HTTPS)")
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024, le=1024**3, description="the largest request body the "
                                "server reads (413 past it); the largest legitimate one, a what-if job of 50 "
                                "changes, is about 10 KB")
    max_header_bytes: int = Field(default=32 * 1024, ge=4096, le=1024 * 1024, description="the largest request "
                                  "line and headers together (431 past them)")
    request_head_seconds: float = Field(default=10.0, ge=1.0, le=300.0, description="a request's line and headers "
                                        "must arrive whole within this many seconds, else 408 (slow clients hold "
                                        "connections: nginx's client_header_timeout)")
    request_body_grace_seconds: float = Field(default=10.0, ge=1.0, le=600.0, description="seconds a request body "
                                              "may take before its rate counts")
    request_body_min_rate: int = Field(default=500, ge=1, le=100_000_000, description="bytes a second a request body "
                                       "must arrive at on average after the grace, else 408 (Apache's MinRate)")
    stale_after_days: int = Field(default=14, ge=0, le=3650, description="a security picture whose newest data "
                                  "is older than this many days says it is stale, with the date of that data")
    expiry_window_days: int = Field(default=90, ge=0, le=3650, description="pledges and legal instruments that lapse "
                                    "or must be renewed within this many days are listed on the dashboard and in the "
                                    "brief (docs/adr/0043)")
    stale_record_days: int = Field(default=365, ge=1, le=3650, description="a claim or pledge last known true longer "
                                   "ago than this many days is listed as stale")
    sqlite_synchronous: Literal["full", "normal"] = Field(
        default="full", description="SQLite only: full makes every acknowledged commit survive a power cut (about 6 ms "
        "a commit on a slow disk); normal may lose the last commits on power loss and is for scratch databases only, "
        "such as the test suite's (docs/adr/0050)")
    echo_sql: bool = Field(default=False, description="log every SQL statement (debugging only: it is verbose)")
    log_format: Literal["json", "text"] = Field(default="text", description="server logs: one JSON object a line "
                                                "(for a log collector) or plain text")
    sweep_scheduler: str | None = Field(default=None, max_length=200, description="a Dask scheduler's address "
                                        "(tcp://host:8786) where sweep jobs run their runs (none: one after another "
                                        "in the job worker; `reassure sweep` starts a local cluster instead)")
    job_lease_seconds: float = Field(default=30.0, ge=1.0, le=3600.0, description="seconds a job's worker vouches "
                                     "for a running job (renewed twice a second); a job whose lease runs out (its "
                                     "worker killed, its machine gone) is failed by any live worker (docs/adr/0051)")
    # Alerts (docs/user-guide.md, "Alerts"): rules are evaluated after each ingest and every `alerts_every_minutes`
    # by the job worker; a state change goes to each nation's channels (webhooks, e-mail through this SMTP server).
    alerts_every_minutes: int = Field(default=60, ge=0, le=24 * 60, description="minutes between scheduled rule "
                                      "evaluations by the job worker (0: only after ingests)")
    alerts_attempts: int = Field(default=4, ge=1, le=10, description="delivery attempts per notification and channel "
                                 "(a connection error, a timeout, a 5xx answer or a temporary SMTP error retries)")
    alerts_backoff_seconds: float = Field(default=2.0, ge=0.0, le=600.0, description="wait before the second attempt; "
                                          "doubled before each later one (2 s, 4 s, 8 s, …)")
    alerts_timeout_seconds: float = Field(default=10.0, gt=0.0, le=120.0, description="network timeout of one "
                                          "delivery attempt")
    smtp_host: str | None = Field(default=None, description="SMTP server for e-mail alerts (none: e-mail channels "
                                  "fail their deliveries, saying so)")
    smtp_port: int = Field(default=587, ge=1, le=65535, description="SMTP port")
    smtp_from: str = Field(default="reassure@localhost", max_length=200, description="sender address of e-mail "
                           "alerts")
    smtp_starttls: bool = Field(default=True, description="upgrade the SMTP connection with STARTTLS before sending")
    smtp_ca_file: Path | None = Field(default=None, description="a CA certificate (PEM) to trust for the SMTP "
                                      "server's STARTTLS certificate (default: the system's trust store)")
    smtp_user: str | None = Field(default=None, description="SMTP login (none: no login)")
    smtp_password: SecretStr | None = Field(default=None, description="SMTP password (never shown or logged)")


def get_settings(**overrides: object) -> Settings:
    """Build settings from the environment, with explicit overrides winning."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})  # type: ignore[arg-type]
