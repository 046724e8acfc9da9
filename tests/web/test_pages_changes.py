"""The "Changes" box reads in words: names for ids, field labels, amounts and dates as the desk writes them; an
MoU's box shows its blockers; a lead read from a document shows that document and its sentence."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from html import escape
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from investdesk.blockers import service as blockers
from investdesk.blockers.schemas import BlockerCreate, BlockerResolve
from investdesk.documents import review
from investdesk.models import Opportunity, User
from investdesk.models.enums import BlockerCategory, Role
from investdesk.mous import service as mous
from investdesk.mous.schemas import MouCreate
from investdesk.pipeline import service as pipeline
from investdesk.pipeline.schemas import AmountIn, OpportunityCreate, OpportunityUpdate
from tests import factories
from tests.documents.helpers import S3, store

Pages = Callable[..., TestClient]


def _box(html: str) -> str:
    found = re.search(r'<section class="card" id="changes">(.*?)</section>', html, re.S)
    assert found, "the page has a Changes box"
    return re.sub(r"<[^>]+>", " ", found.group(1))


def test_a_lead_history_names_people_and_formats_amounts_and_dates(pages: Pages, engine: Engine) -> None:
    with Session(engine) as s:
        rahul = User(email="rahul@invest.up.gov.in", name="Rahul Mishra", role=Role.officer)
        s.add(rahul)
        s.flush()
        tanaka = factories.create_organization(s, name="Tanaka Electric Co. Ltd.", acronym=None, kind="company")
        lead = pipeline.create(s, actor=factories.SYSTEM, data=OpportunityCreate(
            title="Magnet plant", amount=AmountIn(value=1200, currency="INR", unit="crore")))
        pipeline.update(s, actor=factories.SYSTEM, opportunity_id=lead.id, data=OpportunityUpdate(
            owner_id=rahul.id, counterpart_id=tanaka.id, next_action_due=dt.date(2026, 2, 14),
            amount=AmountIn(value=50, currency="USD", unit="million"), version=lead.version))
        s.commit()
        lead_id = lead.id
    text = " ".join(_box(pages().get(f"/opportunities/{lead_id}").text).split())
    assert "Owner: — → Rahul Mishra" in text
    assert "Investor: — → Tanaka Electric Co. Ltd." in text
    assert "Due: — → 14 Feb 2026" in text
    assert re.search(r"Amount: ₹1,200 crore → ₹\d{3}(\.\d+)? crore", text)
    for internal in ("Owner id", "Amount inr crore", "2026-02-14", "counterpart_id"):
        assert internal not in text


def test_an_mou_history_shows_its_blockers_raised_and_resolved(pages: Pages, engine: Engine) -> None:
    with Session(engine) as s:
        mou = mous.create(s, actor=factories.SYSTEM, data=MouCreate(title="Warehouse MoU", district="Agra",
                                                                    signed_date=dt.date(2025, 6, 1)))
        s.flush()
        blocker = blockers.add(s, actor=factories.SYSTEM, mou_id=mou.id, data=BlockerCreate(
            category=BlockerCategory.land, department="Revenue", description="Land transfer pending",
            raised_on=dt.date(2026, 1, 5)))
        s.flush()
        blockers.resolve(s, actor=factories.SYSTEM, blocker_id=blocker.id,
                         data=BlockerResolve(resolved_on=dt.date(2026, 3, 2)))
        s.commit()
        mou_id = mou.id
    text = " ".join(_box(pages().get(f"/mous/{mou_id}").text).split())
    assert "Blocker raised" in text and "Land: Land transfer pending · Revenue" in text
    assert "Blocker resolved" in text and "Resolved: — → 2 Mar 2026" in text


def test_a_lead_page_links_its_document_and_sentence(pages: Pages, engine: Engine, tmp_path: Path) -> None:
    with Session(engine) as s:
        doc = store(s, tmp_path).document
        item_id = next(i.id for i in doc.items if i.field == "opportunities")
        review.accept_all(s, actor=factories.SYSTEM, document_id=doc.id)
        s.commit()
        lead = s.scalars(select(Opportunity)).one()
        lead_id, doc_id = lead.id, doc.id
    html = pages().get(f"/opportunities/{lead_id}").text
    assert f'href="/documents/{doc_id}#item-{item_id}"' in html
    assert f"“{escape(S3)}”" in html
    assert "manufacturing R&amp;D base" in html and "rnd" not in html.split("<title>")[1].split("</title>")[0]
