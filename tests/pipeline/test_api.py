from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from investdesk.db import transaction
from investdesk.models import User
from investdesk.models.enums import Role

Api = Callable[..., TestClient]


def test_lead_to_mou_over_the_api(api: Api) -> None:
    client = api()
    org = client.post("/api/organizations", json={"name": "Sakura Battery Systems", "kind": "company"}).json()
    lead = client.post("/api/opportunities", json={
        "title": "Cell line", "counterpart_id": org["id"], "stage": "engaged", "district": "Lucknow",
        "amount": {"value": 300, "currency": "USD", "unit": "million"}})
    assert lead.status_code == 201, lead.text
    assert lead.json()["amount_inr_crore"] == 2661.0
    bad = client.post(f"/api/opportunities/{lead.json()['id']}/move", json={"to_stage": "dropped", "version": 1})
    assert bad.status_code == 422 and bad.json()["field"] == "reason"
    moved = client.post(f"/api/opportunities/{lead.json()['id']}/move", json={"to_stage": "mou_signed", "version": 1})
    assert moved.json()["stage"] == "mou_signed" and len(moved.json()["history"]) == 2
    mou = client.post("/api/mous", json={"title": "Cell line MoU", "party_ids": [org["id"]], "district": "Lucknow",
                                         "opportunity_id": lead.json()["id"], "signed_date": "2025-10-01"})
    assert mou.status_code == 201, mou.text
    status = client.post(f"/api/mous/{mou.json()['id']}/status", json={"status": "land_identified", "note": "20 acres",
                                                                      "version": 1})
    assert status.json()["status"] == "land_identified" and status.json()["history"][-1]["note"] == "20 acres"
    stale = client.post(f"/api/mous/{mou.json()['id']}/status", json={"status": "approvals", "version": 1})
    assert stale.status_code == 409
    wrong = client.post(f"/api/mous/{mou.json()['id']}/status", json={"status": "half_built", "version": 2})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "status"
    blocker = client.post(f"/api/mous/{mou.json()['id']}/blockers", json={"category": "land", "department": "Revenue"})
    assert blocker.status_code == 201 and blocker.json()["blockers"][0]["category"] == "land"


def test_viewer_cannot_update_status_and_nodal_officer_sees_own_district(api: Api) -> None:
    admin = api()
    mou = admin.post("/api/mous", json={"title": "Plant", "district": "Agra"}).json()
    assert api(Role.viewer).post(f"/api/mous/{mou['id']}/status",
                                  json={"status": "approvals", "version": 1}).status_code == 403
    other = api(Role.nodal_officer, districts=("Jhansi",))
    assert other.get(f"/api/mous/{mou['id']}").status_code == 404
    assert other.get("/api/mous").json()["total"] == 0
    own = api(Role.nodal_officer, districts=("Agra",))
    moved = own.post(f"/api/mous/{mou['id']}/status", json={"status": "approvals", "version": 1})
    assert moved.json()["status"] == "approvals"


def test_an_officer_cannot_answer_another_officers_enquiry(api: Api, engine: Engine) -> None:
    with transaction(engine) as s:
        owner = User(email="asha@x.gov", role=Role.officer)
        s.add(owner)
        s.flush()
        owner_id = owner.id
    admin = api()
    enquiry = admin.post("/api/enquiries", json={"title": "Land near Noida", "owner_id": owner_id})
    assert enquiry.status_code == 201, enquiry.text
    url = f"/api/enquiries/{enquiry.json()['id']}/respond"
    refused = api(Role.officer, user_id=owner_id + 100).post(url, json={"note": "not mine"})
    assert refused.status_code == 403 and "only the leads they own" in refused.json()["detail"]
    answered = api(Role.officer, user_id=owner_id).post(url, json={"note": "Sent the land bank"})
    assert answered.status_code == 200, answered.text
    assert answered.json()["first_responded_at"] is not None


def test_each_list_answers_every_record_as_its_own_address_does(api: Api) -> None:
    """The API lists read plain columns (pipeline, mous and organizations ``list_read``), a record's own address
    reads the record: both give the same answer, related rows in the same order, on every page."""
    client = api()
    orgs = [client.post("/api/organizations", json={"name": name, "kind": "company", "country": "JP",
                                                    "sectors": sectors, "aliases": aliases}).json()
            for name, sectors, aliases in (("Sakura Battery Systems", ["electronics", "automotive"], ["SBS", "Sakura"]),
                                           ("Kestrel Foods", ["agri_food"], []),
                                           ("Orion Semiconductors", [], ["Orion"]))]
    leads = []
    for i, org in enumerate(orgs):
        lead = client.post("/api/opportunities", json={
            "title": f"Plant {i}", "counterpart_id": org["id"] if i else None, "stage": "identified",
            "district": "Agra", "sectors": ["semiconductors", "electronics"][: i + 1],
            "amount": {"value": 10 + i, "currency": "USD", "unit": "million"}}).json()
        if i:
            move = {"to_stage": "engaged", "version": 1}
            lead = client.post(f"/api/opportunities/{lead['id']}/move", json=move).json()
        leads.append(lead)
    for i, district in enumerate(("Agra", "Jhansi", "Agra")):
        mou = client.post("/api/mous", json={"title": f"MoU {i}", "party_ids": [o["id"] for o in orgs[i:]][::-1],
                                             "district": district, "signed_date": f"2024-0{i + 1}-10",
                                             "amount": {"value": 500, "currency": "INR", "unit": "crore"}})
        assert mou.status_code == 201, mou.text
        mou = mou.json()
        client.post(f"/api/mous/{mou['id']}/status", json={"status": "land_identified", "note": "20 acres",
                                                           "version": 1})
        for k in range(i + 1):
            blocker = client.post(f"/api/mous/{mou['id']}/blockers", json={
                "category": "land", "department": "Revenue", "raised_on": f"202{k}-02-01"}).json()
        client.post(f"/api/blockers/{blocker['blockers'][-1]['id']}/resolve", json={"note": "settled"})
    seen = []
    for role, scope in ((Role.admin, ()), (Role.nodal_officer, ("Agra",))):
        who = api(role, districts=scope)  # the app acts as the last client made
        for path in ("/api/organizations", "/api/opportunities", "/api/mous"):
            listed = [item for page in (1, 2) for item in
                      who.get(path, params={"per_page": 2, "page": page}).json()["items"]]
            for item in listed:
                assert item == who.get(f"{path}/{item['id']}").json()
            seen.append(len(listed))
    assert seen == [3, 3, 3, 3, 3, 2]  # a nodal officer of Agra sees neither the MoU of Jhansi
    last = api().get("/api/mous", params={"q": "MoU 2"}).json()["items"][0]
    assert [b["resolved_on"] is None for b in last["blockers"]] == [True, True, False]
    assert last["parties"] == ["Orion Semiconductors"] and orgs[0]["aliases"] == ["SBS", "Sakura"]
