"""`reassure serve --processes N` passes every setting to its server processes through the environment (issue 27):
each field of the Settings model given a value other than its default comes back the same from the environment a
server process reads, and none naming who acts is passed on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from reassure.cli.serve import IDENTITY, settings_environment
from reassure.settings import Settings

# A value other than the default for every setting; a setting added later without one here fails the first test.
CHANGED: dict[str, Any] = {
    "database_url": "postgresql+psycopg://app@db.example/reassure", "user": "someone", "token": "secret-token",
    "nation": "FRA", "shared_data": Path("/srv/shared"), "boundaries": Path("/srv/oblasts.geojson"),
    "secure_cookies": True, "max_body_bytes": 4096, "max_header_bytes": 8192, "request_head_seconds": 4.5,
    "request_body_grace_seconds": 3.0, "request_body_min_rate": 2000, "stale_after_days": 3,
    "expiry_window_days": 30, "stale_record_days": 10, "sqlite_synchronous": "normal", "echo_sql": True,
    "log_format": "json", "sweep_scheduler": "tcp://sched.example:8786", "job_lease_seconds": 12.5,
    "alerts_every_minutes": 5, "alerts_attempts": 2, "alerts_backoff_seconds": 0.5, "alerts_timeout_seconds": 3.0,
    "smtp_host": "mail.example", "smtp_port": 2525, "smtp_from": "ops@example.org", "smtp_starttls": False,
    "smtp_ca_file": Path("/srv/ca.pem"), "smtp_user": "mailer", "smtp_password": SecretStr("p4ss"),
}


def _comparable(settings: Settings) -> dict[str, Any]:
    values = settings.model_dump()
    values["smtp_password"] = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    return values


def test_every_setting_reaches_a_server_process_but_who_acts(monkeypatch: pytest.MonkeyPatch) -> None:
    assert set(CHANGED) == set(Settings.model_fields), "give the new setting a changed value here"
    given = Settings(**CHANGED)
    for name in CHANGED:
        assert getattr(given, name) != Settings.model_fields[name].get_default(call_default_factory=True), name
    env = settings_environment(given)
    for name in Settings.model_fields:
        monkeypatch.delenv(f"REASSURE_{name.upper()}", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    served = _comparable(Settings())
    expected = _comparable(given) | {name: None for name in IDENTITY}
    assert served == expected
    assert not {f"REASSURE_{name.upper()}" for name in IDENTITY} & set(env)


def test_defaults_pass_through_unchanged(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    given = Settings(database_url=f"sqlite:///{tmp_path / 'x.sqlite'}")
    env = settings_environment(given)
    for name in Settings.model_fields:
        monkeypatch.delenv(f"REASSURE_{name.upper()}", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert _comparable(Settings()) == _comparable(given)


def test_the_deployment_guide_lists_every_setting() -> None:
    guide = (Path(__file__).resolve().parents[2] / "docs" / "deployment.md").read_text(encoding="utf-8")
    missing = [name for name in Settings.model_fields if f"`REASSURE_{name.upper()}`" not in guide]
    assert missing == []
