"""Alert channels, state changes and delivery attempts as listings show them (a channel's secret never is)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field


class ChannelCreate(BaseModel):
    """A new channel: a webhook (URL and shared secret) or e-mail (recipients, comma-separated)."""

    kind: Literal["webhook", "email"]
    label: str = Field(min_length=1, max_length=80)
    target: str = Field(min_length=3, max_length=2000, description="the webhook's http(s) URL, or e-mail addresses "
                        "separated by commas")
    secret: str | None = Field(default=None, min_length=16, max_length=200, description="webhooks: the shared "
                               "secret bodies are signed with (HMAC-SHA256); never shown back")


class ChannelRead(BaseModel):
    """A channel as its nation's admins see it: the secret is only said to be set."""

    id: str
    nation: str
    kind: str
    label: str
    target: str
    secret_set: bool
    active: bool
    created_by: str
    created_at: datetime


class StateChangeRead(BaseModel):
    """A rule's state change in one nation's view, with the evaluations it compares (their public ids)."""

    id: str
    nation: str
    rule_id: str
    rule_name: str
    kind: str
    from_state: str
    to_state: str
    as_of: date
    evaluation: str
    previous: str
    at: datetime
    marking: str


class DeliveryRead(BaseModel):
    """One delivery attempt: which channel (its label), which change (rule and from → to), outcome and error."""

    id: str  # the attempt's public id (dlv_…): `reassure alerts resend` takes it when the delivery gave up
    channel: str
    channel_label: str
    change: str | None
    rule_name: str | None
    from_state: str | None
    to_state: str | None
    attempt: int
    status: str
    http_status: int | None
    error: str
    at: datetime
