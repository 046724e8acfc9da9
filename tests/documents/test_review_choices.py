"""The review says what accepting will do (a new record or a merge), lets the reviewer choose another record,
and its edit form speaks the records' vocabularies (pipeline stages, amounts as written) with plain messages."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from investdesk.documents import edits, preview, review
from investdesk.models import Mission, Opportunity, Organization, Person
from investdesk.models.enums import ItemState
from tests.documents.helpers import store
from tests.factories import SYSTEM, create_organization

SECTORS = {"pharmaceuticals", "electronics"}


def _count(session: Session, model: type) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_each_item_says_whether_it_creates_or_merges(session: Session, tmp_path: Path) -> None:
    kpia = create_organization(session, name="Kansai Pharmaceutical Industries Assn.", acronym="KPIA", country="JP")
    other = create_organization(session, name="Kansai Pharma Traders", country="JP")
    doc = store(session, tmp_path).document
    plans = preview.plans(session, list(doc.items))
    by_name = {i.payload.get("name"): plans[i.id] for i in doc.items if i.field == "organizations"}
    assert by_name["Kansai Pharmaceutical Industries Association"].target == kpia.id
    assert by_name["Kansai Pharmaceutical Industries Association"].target_name == kpia.name
    assert other.id in {i for i, _ in by_name["Kansai Pharmaceutical Industries Association"].choices}
    assert by_name["Tanaka Electric Co. Ltd."].target is None  # a new organization
    mission = next(i for i in doc.items if i.field == "mission")
    assert plans[mission.id].record_type == "mission" and plans[mission.id].target is None
    assert mission.payload["name"] == "Uttar Pradesh delegation to Japan"


def test_the_reviewer_may_merge_into_another_record_or_create_a_new_one(session: Session, tmp_path: Path) -> None:
    kpia = create_organization(session, name="Kansai Pharmaceutical Industries Assn.", acronym="KPIA", country="JP")
    other = create_organization(session, name="Kansai Pharma Traders", country="JP")
    doc = store(session, tmp_path).document
    item = next(i for i in doc.items if i.payload.get("name") == "Kansai Pharmaceutical Industries Association")
    review.accept_item(session, actor=SYSTEM, document_id=doc.id, item_id=item.id, merge_into=other.id)
    assert item.record_id == other.id and item.record_id != kpia.id
    tanaka = next(i for i in doc.items if i.payload.get("name") == "Tanaka Electric Co. Ltd.")
    before = _count(session, Organization)
    review.accept_item(session, actor=SYSTEM, document_id=doc.id, item_id=tanaka.id, merge_into=preview.NEW)
    assert _count(session, Organization) == before + 1


def test_a_delegate_who_is_one_of_the_people_follows_that_person(session: Session, tmp_path: Path) -> None:
    doc = store(session, tmp_path).document
    asha = next(i for i in doc.items if i.field == "people" and i.payload["name"] == "Asha Verma")
    delegate = next(i for i in doc.items if i.field == "delegates")
    review.accept_item(session, actor=SYSTEM, document_id=doc.id, item_id=asha.id)
    assert delegate.state is ItemState.accepted and delegate.record_id == asha.record_id
    assert _count(session, Person) == 1
    mission = session.scalars(select(Mission)).one()
    assert mission.name == "Uttar Pradesh delegation to Japan"


def test_edits_read_amounts_as_written_and_pipeline_stages(session: Session, tmp_path: Path) -> None:
    doc = store(session, tmp_path).document
    lead = next(i for i in doc.items if i.field == "opportunities")
    shown = {f["f"].name: f["value"] for f in edits.shown("opportunities", lead.payload)}
    assert shown["stage"] == "interested" and shown["amount"] == {"value": "1200", "currency": "INR", "unit": "crore"}
    typed = {"counterpart": "Tanaka Electric Co. Ltd.", "kind": "manufacturing_base", "stage": "identified",
             "amount_value": "USD 50 million", "amount_currency": "", "amount_unit": "", "jobs": "1,200",
             "location": "jhansi", "sectors": ["electronics"]}
    changes, wrong = edits.parse("opportunities", lead.payload, typed, SECTORS)
    assert wrong == {}
    assert changes["amount"] == {"value": 50.0, "currency": "USD", "unit": "million"}
    assert changes["stage"] == "identified" and changes["jobs"] == 1200 and changes["location"] == "Jhansi"
    review.accept_item(session, actor=SYSTEM, document_id=doc.id, item_id=lead.id, edits=changes)
    opp = session.scalars(select(Opportunity)).one()
    assert opp.stage.value == "identified" and opp.kind.value == "manufacturing_base"
    assert (opp.amount_currency, float(opp.amount_value or 0), opp.amount_unit, opp.jobs) == ("USD", 50.0, "million",
                                                                                               1200)
    assert opp.district == "Jhansi" and opp.sectors and opp.sectors[0].id == "electronics"


def test_wrong_edits_get_plain_messages_beside_their_fields(session: Session, tmp_path: Path) -> None:
    doc = store(session, tmp_path).document
    lead = next(i for i in doc.items if i.field == "opportunities")
    typed = {"counterpart": "", "kind": "pirate_ship", "stage": "discussed", "amount_value": "fifty", "jobs": "many",
             "location": "Atlantis", "sectors": ["no_such_sector"]}
    changes, wrong = edits.parse("opportunities", lead.payload, typed, SECTORS)
    assert changes == {}
    assert wrong == {
        "counterpart": "This cannot be empty.", "kind": "Choose one from the list.",
        "stage": "Choose one from the list.",
        "amount": "Write an amount such as “USD 50 million”, “Rs 1,200 crore” or a number.",
        "jobs": "Write a whole number, e.g. 1,200.", "location": "Choose a district from the list.",
        "sectors": "Choose sectors from the list."}
    assert not any("Input should" in m or "item" in m for m in wrong.values())
