"""Alert routes: channels (admins of the nation only; the secret never shown back or audited), test-send through a
real local HTTP receiver, the delivery log (admins of that nation), recent state changes."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import text

from reassure.core.identity import Role
from reassure.db.uow import engine_for
from reassure.services.notify import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify
from tests.api.conftest import Api
from tests.jobs.receivers import webhook_receiver
from tests.jobs.test_alerts import MASS, QUIET

SECRET = "a-shared-secret-of-some-length"


def _admin(api: Api, nation: str) -> dict[str, str]:
    return api.headers(nation, Role.ADMIN, name=f"{nation.lower()}-admin")


def _add(api: Api, nation: str, **body: str) -> dict[str, object]:
    answer = api.client.post("/api/v1/alerts/channels", json=body, headers=_admin(api, nation))
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def test_channels_are_added_listed_and_removed_by_their_nations_admins_only(api: Api) -> None:
    hook = _add(api, "FRA", kind="webhook", label="ops room", target="https://hooks.example.test/x?token=abc",
                secret=SECRET)
    assert hook["secret_set"] is True and "secret" not in hook and hook["nation"] == "FRA"
    _add(api, "FRA", kind="email", label="duty", target="duty@fra.test, watch@fra.test")
    listed = api.client.get("/api/v1/alerts/channels", headers=_admin(api, "FRA")).json()
    assert [c["label"] for c in listed] == ["ops room", "duty"] and SECRET not in json.dumps(listed)
    assert api.client.get("/api/v1/alerts/channels", headers=_admin(api, "DEU")).json() == []
    assert api.get("/alerts/channels", "FRA").status_code == 403  # an analyst and planner, not an admin
    assert api.post("/alerts/channels", "FRA", json={"kind": "email", "label": "x", "target": "a@b.test"}
                    ).status_code == 403
    other = api.client.delete(f"/api/v1/alerts/channels/{hook['id']}", headers=_admin(api, "DEU"))
    assert other.status_code == 404
    removed = api.client.delete(f"/api/v1/alerts/channels/{hook['id']}", headers=_admin(api, "FRA"))
    assert removed.status_code == 200 and removed.json()["active"] is False
    assert [c["label"] for c in api.client.get("/api/v1/alerts/channels", headers=_admin(api, "FRA")).json()] == [
        "duty"]
    with engine_for(api.settings).connect() as connection:
        audit = connection.execute(text("SELECT action, details FROM audit_log WHERE action LIKE 'alerts.%'")).all()
    assert sorted(a for a, _ in audit) == ["alerts.channel.add", "alerts.channel.add", "alerts.channel.remove"]
    assert SECRET not in json.dumps([str(d) for _, d in audit]) and "token=abc" not in str(audit)


def test_bad_channels_are_refused_naming_the_field(api: Api) -> None:
    for body, word in (({"kind": "webhook", "label": "x", "target": "ftp://a.test/x", "secret": SECRET}, "target"),
                       ({"kind": "webhook", "label": "x", "target": "https://a.test/x"}, "secret"),
                       ({"kind": "webhook", "label": "x", "target": "https://u:p@a.test/x", "secret": SECRET},
                        "credentials"),
                       ({"kind": "email", "label": "x", "target": "not an address"}, "target"),
                       ({"kind": "email", "label": "x", "target": "a@b.test", "secret": SECRET}, "secret"),
                       ({"kind": "pager", "label": "x", "target": "a@b.test"}, "kind")):
        answer = api.client.post("/api/v1/alerts/channels", json=body, headers=_admin(api, "FRA"))
        assert answer.status_code == 422 and word in answer.text, (body, answer.text)
    assert api.client.get("/api/v1/alerts/channels", headers=_admin(api, "FRA")).json() == []


def test_a_test_send_is_signed_delivered_and_logged_for_that_nations_admins(api: Api) -> None:
    with webhook_receiver() as receiver:
        hook = _add(api, "FRA", kind="webhook", label="ops room", target=receiver.url, secret=SECRET)
        sent = api.client.post(f"/api/v1/alerts/channels/{hook['id']}/test", headers=_admin(api, "FRA"))
        assert sent.status_code == 200 and sent.json()["delivered"] is True
        assert api.client.post(f"/api/v1/alerts/channels/{hook['id']}/test", headers=_admin(api, "DEU")
                               ).status_code == 404
        assert api.post(f"/alerts/channels/{hook['id']}/test", "FRA").status_code == 403
    [got] = receiver.received
    assert json.loads(got.body)["type"] == "test"
    assert verify(SECRET, got.headers[TIMESTAMP_HEADER], got.body, got.headers[SIGNATURE_HEADER])
    log = api.client.get("/api/v1/alerts/deliveries", headers=_admin(api, "FRA")).json()
    assert log["total"] == 1 and log["items"][0]["status"] == "delivered" and log["items"][0]["change"] is None
    assert api.client.get("/api/v1/alerts/deliveries", headers=_admin(api, "DEU")).json()["total"] == 0
    assert api.get("/alerts/deliveries", "FRA").status_code == 403


def test_state_changes_of_the_callers_view_are_listed(api: Api, tmp_path: Path) -> None:
    api.ingest(tmp_path, QUIET, nation="FRA", marking=",FRA,")
    assert api.post("/evaluations", "FRA").status_code == 201
    assert api.get("/alerts/changes", "FRA").json()["total"] == 0  # the first evaluation is the baseline
    api.ingest(tmp_path, MASS, nation="FRA", marking=",FRA,")
    assert api.post("/evaluations", "FRA").status_code == 201
    changes = api.get("/alerts/changes", "FRA", Role.VIEWER).json()
    assert changes["total"] >= 1
    sanctions = next(c for c in changes["items"] if c["rule_id"] == "sanctions-review-mass-attacks")
    assert (sanctions["from_state"], sanctions["to_state"], sanctions["marking"]) == ("not met", "met", "REL TO FRA")
    assert sanctions["evaluation"].startswith("eval_") and sanctions["previous"].startswith("eval_")
    assert api.get("/alerts/changes", "DEU").json()["total"] == 0
