"""Pages of the pitch desk: calculator, policies (edited by managers), matchmaking; with the demo data."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from investdesk.demo import service as demo
from investdesk.models import AuditEvent, Mou, Offering, Opportunity, Organization
from investdesk.models.enums import Role
from tests.factories import SYSTEM

Pages = Callable[..., TestClient]


def load_demo(engine: Engine) -> None:
    with Session(engine) as s, s.begin():
        demo.load(s, actor=SYSTEM)


def test_calculator_page_by_hand_and_from_records(engine: Engine, pages: Pages) -> None:
    load_demo(engine)
    web = pages(Role.viewer)
    blank = web.get("/incentives")
    assert blank.status_code == 200 and "Incentive calculator" in blank.text
    page = web.get("/incentives", params={"sector": "semiconductors", "district": "Jhansi", "land": "50",
                                          "building": "400", "plant_machinery": "600", "foreign_share": "0.26"})
    assert page.status_code == 200
    assert "Indicative, subject to the Letter of Comfort" in page.text and "Policy data of" in page.text
    assert "₹350 crore" in page.text and "7 × ₹50 crore" in page.text
    assert "not computed" in page.text and 'title="business-standard.com' in page.text
    bad = web.get("/incentives", params={"sector": "semiconductors", "district": "Atlantis", "land": "-4"})
    assert bad.status_code == 422 and "greater than or equal to 0" in bad.text
    with Session(engine) as s:
        mou_id = s.scalars(select(Mou.id).where(Mou.sector_id.is_not(None), Mou.district.is_not(None))).first()
        opp_id = s.scalars(select(Opportunity.id)).first()
    assert f"/incentives?mou_id={mou_id}" in web.get(f"/mous/{mou_id}").text
    assert f"/incentives?opportunity_id={opp_id}" in web.get(f"/opportunities/{opp_id}").text
    from_mou = web.get("/incentives", params={"mou_id": mou_id})
    assert from_mou.status_code == 200 and "Pre-filled from MoU" in from_mou.text
    assert "is not split" in from_mou.text and "Not eligible, or not settled" in from_mou.text


def test_lead_and_mou_pages_show_their_incentives_in_place(engine: Engine, pages: Pages) -> None:
    """The Incentives section answers from the record's own figures, the same policies and totals as the calculator;
    a record without a sector or a district says which it lacks instead."""
    import html

    from investdesk.incentives import service as incentives
    from investdesk.incentives.calculator import crore
    from investdesk.incentives.schemas import CalculateIn
    from investdesk.pipeline import service as pipeline
    from investdesk.pipeline.schemas import OpportunityCreate

    load_demo(engine)
    with Session(engine) as s, s.begin():
        mou_id = s.scalars(select(Mou.id).where(Mou.sector_id.is_not(None), Mou.district.is_not(None))).first()
        assert mou_id is not None
        expected = incentives.calculate(s, actor=SYSTEM, data=CalculateIn(mou_id=mou_id))
        bare = pipeline.create(s, actor=SYSTEM, data=OpportunityCreate(title="Unplaced lead", stage="identified")).id
    assert expected.eligible, "the demo's MoU should be open to at least one policy"
    section = html.unescape(pages(Role.viewer).get(f"/mous/{mou_id}").text.split('id="incentives"')[1]
                            .split("</section>")[0])
    for policy in expected.eligible[:4]:
        assert policy.short_name in section
        assert (crore(policy.total) if policy.total or not policy.total_note else "not computed") in section
    assert "Indicative, subject to the Letter of Comfort" in section and f"/incentives?mou_id={mou_id}" in section
    lacking = html.unescape(pages(Role.viewer).get(f"/opportunities/{bare}").text.split('id="incentives"')[1]
                            .split("</section>")[0])
    assert "Not worked out from this record: sector" in lacking and "Indicative total" not in lacking


def test_policy_pages_and_edit_by_a_manager(engine: Engine, pages: Pages) -> None:
    listing = pages(Role.viewer).get("/incentives/policies")
    assert listing.status_code == 200 and "FDI &amp; FCI Policy 2023" in listing.text
    viewer_page = pages(Role.viewer).get("/incentives/policies/fdi_fci_2023")
    assert viewer_page.status_code == 200 and "Save a new version" not in viewer_page.text
    assert "conf-unknown" in viewer_page.text and 'id="src-S4"' in viewer_page.text
    manager = pages(Role.manager)
    page = manager.get("/incentives/policies/fdi_fci_2023")
    token = re.search(r'name="csrf_token" value="([^"]*)"', page.text)
    assert token is not None and "Save a new version" in page.text
    text = re.search(r'<textarea id="f-document"[^>]*>(.*?)</textarea>', page.text, re.S)
    assert text is not None
    import html
    document = html.unescape(text.group(1))
    broken = manager.post("/incentives/policies/fdi_fci_2023", data={
        "csrf_token": token.group(1), "effective_from": "2026-01-01",
        "document": document.replace("rate: 100\n", "rate: x\n", 1)})
    assert broken.status_code == 422 and "fdi_fci_2023 (edited) line" in broken.text
    saved = manager.post("/incentives/policies/fdi_fci_2023", data={
        "csrf_token": token.group(1), "effective_from": "2026-01-01", "note": "G.O. checked",
        "document": document.replace("madhyanchal: 30, paschimanchal: 30", "madhyanchal: 32, paschimanchal: 30")})
    assert saved.status_code == 303
    with Session(engine) as s:
        assert s.scalars(select(AuditEvent).where(AuditEvent.entity_type == "incentive_policy")).one()
    result = manager.get("/incentives", params={"sector": "textiles", "district": "Lucknow", "building": "1000",
                                                "foreign_share": "1"})
    assert "₹320 crore" in result.text and "edited, in force from 2026-01-01" in result.text


def test_matchmaking_pages(engine: Engine, pages: Pages) -> None:
    load_demo(engine)
    web = pages(Role.viewer)
    index = web.get("/match")
    assert index.status_code == 200 and "A trip" in index.text
    with Session(engine) as s:
        offering = s.scalars(select(Offering)).first()
        org = s.scalars(select(Organization).where(Organization.country == "JP")).first()
    assert org is not None
    if offering is not None:
        assert web.get(f"/match/offering/{offering.id}").status_code == 200
    assert web.get(f"/match/organization/{org.id}").status_code == 200
    assert web.get("/match/organization", params={"organization_id": org.id}).headers["location"] == \
        f"/match/organization/{org.id}"
    policy = web.get("/match/policy/fdi_fci_2023")
    assert policy.status_code == 200 and "Who fits" in policy.text and "foreign investor" in policy.text
    trip = web.get("/match/trip", params={"country": "JP", "cities": "Tokyo, Osaka"})
    assert trip.status_code == 200 and "Whom to meet" in trip.text
    assert web.get("/match/trip", params={"country": "Japan"}).status_code == 422
    assert web.get("/match/policy/nope").status_code == 404
