"""Blockers, enquiries, follow-ups and summaries over the REST API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from investdesk.models import Blocker, FollowUp, User
from investdesk.models.enums import Role

Api = Callable[..., TestClient]


def test_blocker_lifecycle_and_report(api: Api) -> None:
    client = api()
    mou = client.post("/api/mous", json={"title": "Battery plant", "district": "Jhansi",
                                         "amount": {"value": 80, "currency": "INR", "unit": "crore"}}).json()
    raised = (dt.date.today() - dt.timedelta(days=40)).isoformat()
    added = client.post(f"/api/mous/{mou['id']}/blockers", json={"category": "right_of_way", "department": "PWD",
                                                                 "raised_on": raised})
    assert added.status_code == 201, added.text
    blocker_id = added.json()["blockers"][0]["id"]
    escalated = client.post("/api/blockers/escalate").json()
    assert [(b["id"], b["escalation_level"]) for b in escalated] == [(blocker_id, "department_head")]
    listing = client.get("/api/blockers", params={"district": "Jhansi"}).json()
    assert listing["total"] == 1 and listing["items"][0]["age_days"] == 40
    report = client.get("/api/reports/blockers", params={"by": "department"}).json()
    assert report == [{"key": "PWD", "label": "PWD", "count": 1, "value_inr_crore": 80.0}]
    resolved = client.post(f"/api/blockers/{blocker_id}/resolve", json={"note": "Crossing approved"})
    assert resolved.status_code == 200 and resolved.json()["resolved_on"] == dt.date.today().isoformat()
    again = client.post(f"/api/blockers/{blocker_id}/resolve", json={})
    assert again.status_code == 422 and "already resolved" in again.json()["detail"]
    assert client.get("/api/blockers").json()["total"] == 0
    assert client.get("/api/blockers", params={"open": "false"}).json()["total"] == 1
    bad = client.post(f"/api/mous/{mou['id']}/blockers", json={"category": "bureaucracy"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "category"


def test_enquiries_over_the_api(api: Api) -> None:
    client = api()
    received = (dt.datetime.now(dt.UTC) - dt.timedelta(days=9)).isoformat()
    made = client.post("/api/enquiries", json={"title": "Warehousing land near Jewar", "received_at": received})
    assert made.status_code == 201, made.text
    assert made.json()["overdue"] is True and made.json()["stage"] == "identified"
    assert client.get("/api/enquiries", params={"overdue": "true"}).json()["total"] == 1
    answered = client.post(f"/api/enquiries/{made.json()['id']}/respond", json={"note": "Called back"})
    assert answered.json()["overdue"] is False and answered.json()["first_responded_at"]
    assert client.get("/api/enquiries", params={"overdue": "true"}).json()["total"] == 0
    lead = client.get(f"/api/opportunities/{made.json()['id']}").json()
    assert lead["kind"] == "enquiry"


def test_followups_mine_over_the_api(api: Api, engine: Engine) -> None:
    with Session(engine) as s, s.begin():
        officer = User(email="officer@x.gov", role=Role.officer)
        s.add(officer)
        s.flush()
        officer_id = officer.id
    admin = api()
    org = admin.post("/api/organizations", json={"name": "Link-J"}).json()
    me = api(Role.officer, user_id=officer_id)
    due = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    made = me.post("/api/followups", json={"entity_type": "organization", "entity_id": org["id"],
                                           "title": "Share the startup policy", "due_date": due})
    assert made.status_code == 201, made.text
    assert made.json()["owner"] == "officer@x.gov" and made.json()["overdue"] is True
    mine = me.get("/api/followups", params={"mine": "true", "overdue": "true"}).json()
    assert [f["title"] for f in mine["items"]] == ["Share the startup policy"]
    done = me.post(f"/api/followups/{made.json()['id']}/done", json={"note": "Sent"})
    assert done.status_code == 200 and done.json()["done_at"]
    assert me.get("/api/followups", params={"mine": "true"}).json()["total"] == 0
    wrong = me.post("/api/followups", json={"entity_type": "planet", "entity_id": 1, "title": "X"})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "entity_type"


def test_viewer_cannot_write_tracking_records(api: Api, engine: Engine) -> None:
    admin = api()
    mou = admin.post("/api/mous", json={"title": "Plant", "district": "Agra"}).json()
    admin.post(f"/api/mous/{mou['id']}/blockers", json={"category": "land"})
    viewer = api(Role.viewer)
    assert viewer.post(f"/api/mous/{mou['id']}/blockers", json={"category": "power"}).status_code == 403
    assert viewer.post("/api/blockers/1/resolve", json={}).status_code == 403
    assert viewer.post("/api/followups", json={"entity_type": "mou", "entity_id": mou["id"],
                                               "title": "X"}).status_code == 403
    assert viewer.post("/api/enquiries", json={"title": "X"}).status_code == 403
    assert viewer.get("/api/reports/funnel").status_code == 200
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Blocker)) == 1
        assert s.scalar(select(Blocker.resolved_on)) is None
        assert s.scalar(select(func.count()).select_from(FollowUp)) == 0


def test_summaries_over_the_api(api: Api) -> None:
    client = api()
    client.post("/api/opportunities", json={"title": "Cells", "stage": "engaged", "country": "KR",
                                            "sectors": ["Electronics"],
                                            "amount": {"value": 500, "currency": "INR", "unit": "crore"}})
    funnel = {r["stage"]: r for r in client.get("/api/reports/funnel").json()}
    assert funnel["engaged"]["count"] == 1 and funnel["identified"]["reached"] == 1
    by_country = client.get("/api/reports/pipeline", params={"by": "country"}).json()
    assert by_country[0]["key"] == "KR" and by_country[0]["stages"] == {"engaged": 1}
    client.post("/api/mous", json={"title": "Cells MoU", "signed_date": "2024-05-01", "district": "Agra"})
    conversion = client.get("/api/reports/conversion").json()
    assert conversion == [{"key": "2024", "label": "2024", "signed": 1, "grounded": 0, "rate": 0.0,
                           "value_signed_inr_crore": 0.0, "value_grounded_inr_crore": 0.0}]
    assert client.get("/api/reports/pending-mous", params={"by": "nodal_officer"}).json() == []
    bad = client.get("/api/reports/pipeline", params={"by": "planet"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "by"
