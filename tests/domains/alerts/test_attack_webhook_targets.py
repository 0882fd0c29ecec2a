"""Attack (issue 22, alerts): a nation's admin points a webhook channel at the server's own network.

`add_channel` accepts any http(s) URL: the cloud metadata service (169.254.169.254), link-local and private
addresses (10/8, 172.16/12, 192.168/16, fd00::/8) alike. The alerts run (as any nation with a channel, on the
worker's schedule and after every ingest) and `POST /alerts/channels/{id}/test` then POST from inside the deployment
to that address, and the delivery log and the test-send answer return the outcome to the admin: "HTTP 404 Not
Found", "HTTP 401 Unauthorized", "cannot connect: [Errno 111] Connection refused" - a port and service scanner of
the hosting nation's internal network, for every coalition partner's admin (server-side request forgery). A webhook
target must be a public address (or one an operator allows explicitly), checked when the channel is added.
"""

from __future__ import annotations

import pytest

from reassure.core.errors import InputError
from reassure.core.identity import Role
from reassure.db.uow import unit_of_work
from reassure.domains.alerts.actions import add_channel
from reassure.domains.alerts.schemas import ChannelCreate
from reassure.settings import Settings
from tests.conftest import who

INTERNAL = ["http://169.254.169.254/latest/meta-data/iam/security-credentials/",
            "http://10.0.0.5:5432/", "http://192.168.1.1/admin", "http://172.16.0.10:6379/",
            "http://[fd00::1]:8080/"]


@pytest.mark.parametrize("target", INTERNAL)
def test_a_webhook_to_an_internal_address_is_refused(settings: Settings, target: str) -> None:
    with pytest.raises(InputError), unit_of_work(settings, identity=who("FRA", Role.ADMIN, user="fra-admin")) as db:
        add_channel(ChannelCreate(kind="webhook", label="probe", target=target, secret="s" * 20), db=db)
