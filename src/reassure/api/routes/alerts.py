"""Alerts: your nation's channels (admins: add, list, remove, test-send), the delivery log (admins), and recent rule
state changes in your nation's view."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel

from reassure.api.deps import CallerDep
from reassure.api.pages import Limit, Offset, Page, page
from reassure.domains.alerts import actions, service
from reassure.domains.alerts.schemas import ChannelCreate, ChannelRead, DeliveryRead, StateChangeRead

router = APIRouter(tags=["alerts"])
ChannelId = Annotated[str, Path(max_length=40, description="a channel's public id: chan_…")]
DeliveryId = Annotated[str, Path(max_length=40, description="a delivery attempt's public id: dlv_…")]


class TestSent(BaseModel):
    """A test notification's outcome (every attempt is in the delivery log)."""

    delivered: bool
    http_status: int | None = None
    error: str = ""


@router.get("/alerts/channels", response_model=list[ChannelRead])
def channels(caller: CallerDep) -> list[ChannelRead]:
    """Your nation's active alert channels (admins); a webhook's secret is only said to be set."""
    return caller.read(lambda db: service.list_channels(db=db))


@router.post("/alerts/channels", response_model=ChannelRead, status_code=201)
def add(caller: CallerDep, request: ChannelCreate) -> ChannelRead:
    """Add a channel for your nation (admins; audited, never with the secret): a webhook (URL and a shared secret of
    16+ characters its bodies are signed with) or e-mail (recipients separated by commas)."""
    return caller.write(lambda db: actions.add_channel(request, db=db))


@router.delete("/alerts/channels/{channel_id}", response_model=ChannelRead)
def remove(caller: CallerDep, channel_id: ChannelId) -> ChannelRead:
    """Stop sending to one of your nation's channels (admins; audited; its delivery log is kept)."""
    return caller.write(lambda db: actions.remove_channel(channel_id, db=db))


@router.post("/alerts/channels/{channel_id}/test", response_model=TestSent)
def test(caller: CallerDep, channel_id: ChannelId) -> TestSent:
    """Send a test notification to one of your nation's channels now (admins), with the usual retries."""
    from reassure.jobs.alerts import test_send

    outcome = test_send(caller.settings, caller.identity, channel_id)
    return TestSent(delivered=outcome.delivered, http_status=outcome.http_status, error=outcome.error)


@router.get("/alerts/deliveries", response_model=Page[DeliveryRead])
def deliveries(caller: CallerDep, limit: Limit = 50, offset: Offset = 0) -> Page[DeliveryRead]:
    """Every delivery attempt to your nation's channels, newest first (admins)."""
    return page(*caller.read(lambda db: service.page_deliveries(db=db, limit=limit, offset=offset)), limit, offset)


@router.post("/alerts/deliveries/{delivery_id}/resend", response_model=TestSent)
def resend(caller: CallerDep, delivery_id: DeliveryId) -> TestSent:
    """Send a delivery that gave up once more (admins of its channel's nation; audited), with the usual retries;
    409 when its newest attempt did not give up (delivered, or being sent), 404 for one you cannot see."""
    from reassure.jobs.alerts import resend as resend_delivery

    outcome = resend_delivery(caller.settings, caller.identity, delivery_id)
    return TestSent(delivered=outcome.delivered, http_status=outcome.http_status, error=outcome.error)


@router.get("/alerts/changes", response_model=Page[StateChangeRead])
def changes(caller: CallerDep, limit: Limit = 50, offset: Offset = 0) -> Page[StateChangeRead]:
    """Rule state changes in your nation's view that you may read, newest first."""
    return page(*caller.read(lambda db: service.page_changes(db=db, limit=limit, offset=offset)), limit, offset)
