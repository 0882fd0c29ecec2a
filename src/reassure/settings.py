"""Settings from the environment (REASSURE_*), built by a factory, never read at import time."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Where the database is and who is acting."""

    model_config = SettingsConfigDict(env_prefix="REASSURE_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///var/reassure.sqlite",
        description="SQLAlchemy URL: sqlite:///path or postgresql+psycopg://user@host/db",
    )
    user: str = Field(default="planner", description="who acts; recorded in the audit log")
    nation: str | None = Field(default=None, description="the user's nation; None sees PUBLIC only")
    shared_data: Path | None = Field(default=None, description="folder of public data sets (../shared/data)")
    echo_sql: bool = False


def get_settings(**overrides: object) -> Settings:
    """Build settings from the environment, with explicit overrides winning."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})  # type: ignore[arg-type]
