"""Alert notifications: the JSON payload of a rule state change, its HMAC-SHA256 signature, and one delivery attempt
by webhook (HTTP POST) or e-mail (SMTP), each saying whether a later attempt may succeed.

Nothing here reads the database: the alerts job (jobs/alerts.py) builds the payload from what the channel's nation
may read, and logs each attempt.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

from reassure.core.labels import condition_label, label
from reassure.domains.alerts.schemas import StateChangeRead
from reassure.domains.alerts.targets import forbidden_address
from reassure.domains.evaluations.schemas import EvaluationRead
from reassure.settings import Settings

SIGNATURE_HEADER = "X-Reassure-Signature"
TIMESTAMP_HEADER = "X-Reassure-Timestamp"
DELIVERY_HEADER = "X-Reassure-Delivery"
TEST_PAYLOAD = {"type": "test", "message": "a test notification from reassure: this channel is configured"}


@dataclass(frozen=True)
class Outcome:
    """One attempt's result: delivered, or failed (`retry`: a later attempt may succeed) with the reason."""

    delivered: bool
    retry: bool = False
    http_status: int | None = None
    error: str = ""


def payload(change: StateChangeRead, evaluation: EvaluationRead, *, marking: str) -> dict[str, Any]:
    """Return the JSON payload of a state change (docs/user-guide.md, "Alerts": the format is documented there)."""
    e = evaluation.evaluation
    return {
        "type": "rule.state_changed",
        "change": change.id,
        "nation": change.nation,
        "rule": {"id": change.rule_id, "name": change.rule_name, "kind": change.kind, "action": e.get("action", "")},
        "from": change.from_state,
        "to": change.to_state,
        "as_of": change.as_of.isoformat(),
        "evaluation": change.evaluation,
        "previous_evaluation": change.previous,
        "summary": e.get("summary", ""),
        "conditions": [{"key": c.get("key"), "label": c.get("label"), "value": c.get("value"),
                        "threshold": c.get("threshold"), "met": c.get("met"), "last_period": c.get("last_period"),
                        "incidents": len(c.get("incident_ids") or [])} for c in e.get("conditions", [])],
        "marking": marking,
        "changed_at": change.at.isoformat(),
    }


def body_of(data: dict[str, Any]) -> bytes:
    """Return the exact bytes sent (and signed): compact JSON, keys sorted, UTF-8."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """Return the signature header's value: `sha256=` and the hex HMAC-SHA256, keyed by the shared secret, of the
    timestamp header's value, a full stop, and the body."""
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, header: str, *, now: datetime | None = None,
           tolerance: int = 300) -> bool:
    """Tell whether a received body is signed with the secret and was sent within `tolerance` seconds (a receiver's
    check; the user guide shows the same in a few lines)."""
    try:
        sent = int(timestamp)
    except ValueError:
        return False
    current = (now or datetime.now(UTC)).timestamp()
    return abs(current - sent) <= tolerance and hmac.compare_digest(signature(secret, timestamp, body), header)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Follow no redirect: a 3xx answer ends the delivery (else a receiver could send the server anywhere)."""

    def redirect_request(self, *_args: Any, **_kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def post_webhook(url: str, body: bytes, secret: str, *, delivery: str, timeout: float,
                 now: datetime | None = None) -> Outcome:
    """POST a signed body once; a connection error, a timeout, 429 or a 5xx answer may succeed later. A host that
    resolves into a private network is refused (no retry), and a redirect is not followed."""
    if (refused := forbidden_address(urlsplit(url).hostname or "")) is not None:
        return Outcome(False, retry=False, error=f"not sent: {refused}"[:300])
    timestamp = str(int((now or datetime.now(UTC)).timestamp()))
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json", "User-Agent": "reassure-alerts", TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: signature(secret, timestamp, body), DELIVERY_HEADER: delivery})
    try:
        with _OPENER.open(request, timeout=timeout) as answer:
            return Outcome(True, http_status=answer.status)
    except urllib.error.HTTPError as error:
        status = error.code
        return Outcome(False, retry=status >= 500 or status == 429, http_status=status,
                       error=f"HTTP {status} {error.reason}"[:300])
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as error:
        reason = getattr(error, "reason", error)
        return Outcome(False, retry=True, error=f"cannot connect: {reason}"[:300])


def _condition_words(c: dict[str, Any]) -> str:
    """Return a stored condition result in words (the label catalogue), or its stored test when it lacks a part."""
    try:
        return condition_label(c["indicator"], c.get("params") or {}, period=c["period"], window=c.get("window", 1),
                               aggregate=c.get("aggregate", "last"), comparator=c["comparator"],
                               threshold=c["threshold"], consecutive=c.get("consecutive", 1))
    except KeyError:
        return str(c.get("label"))


def email_text(change: StateChangeRead, evaluation: EvaluationRead, *, marking: str) -> tuple[str, str]:
    """Return the subject and plain text of a state change's e-mail (labels, not internal ids)."""
    kind = label("rule_kind", change.kind)
    to_state = change.to_state.upper() if change.to_state == "met" else change.to_state
    subject = f"[{marking}] {change.rule_name}: now {to_state} (was {change.from_state})"
    e = evaluation.evaluation
    lines = [f"Marking: {marking}", "",
             f"{change.rule_name} ({kind}) changed from {change.from_state} to {to_state} as of {change.as_of} "
             f"in {change.nation}'s view.", "",
             f"Summary: {e.get('summary', '')}",
             f"Action {'now due' if change.to_state == 'met' else 'when met'}: {e.get('action', '')}", "",
             "Conditions:"]
    for c in e.get("conditions", []):
        value = "—" if c.get("value") is None else f"{c['value']:.4g}"
        lines.append(f"- {_condition_words(c)}: {value} ({'met' if c.get('met') else 'not met'}; "
                     f"last period {c.get('last_period') or '—'}; {len(c.get('incident_ids') or [])} incident(s))")
    lines += ["", f"Evaluation {change.evaluation} (previous: {change.previous}), recorded {change.at:%Y-%m-%d %H:%M} "
              "UTC.", "Bundled rules are illustrative planning assumptions, not agreed coalition policy."]
    return subject, "\n".join(lines) + "\n"


def send_email(settings: Settings, to: list[str], subject: str, text: str) -> Outcome:
    """Send one message through the configured SMTP server; a connection error or a 4xx answer may succeed later."""
    if not settings.smtp_host:
        return Outcome(False, retry=False, error="no SMTP server configured (REASSURE_SMTP_HOST)")
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = settings.smtp_from, ", ".join(to), subject
    message.set_content(text)
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.alerts_timeout_seconds) as smtp:
            if settings.smtp_starttls:
                cafile = str(settings.smtp_ca_file) if settings.smtp_ca_file else None
                smtp.starttls(context=ssl.create_default_context(cafile=cafile))
            if settings.smtp_user:
                password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
                smtp.login(settings.smtp_user, password)
            smtp.send_message(message)
        return Outcome(True)
    except smtplib.SMTPRecipientsRefused as error:
        return Outcome(False, retry=False, error=f"recipients refused: {', '.join(error.recipients)}"[:300])
    except smtplib.SMTPResponseException as error:
        return Outcome(False, retry=400 <= error.smtp_code < 500,
                       error=f"SMTP {error.smtp_code}: {_text(error.smtp_error)}"[:300])
    except (smtplib.SMTPException, OSError) as error:
        return Outcome(False, retry=True, error=f"cannot send: {error}"[:300])


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value
