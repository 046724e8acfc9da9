"""Documents stored once, items with evidence spans, and the review that turns them into records."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, selectinload

from investdesk.documents import review, storage
from investdesk.documents.items import delegate_twins
from investdesk.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from investdesk.models import (
    AuditEvent,
    Document,
    Engagement,
    Evidence,
    ExtractedItem,
    Mission,
    Offering,
    Opportunity,
    Organization,
    Person,
    Policy,
)
from investdesk.models.enums import ItemState, ReviewState, Role
from investdesk.permissions import Actor
from tests.documents.helpers import S2, S3, TEXT, extraction, store
from tests.factories import SYSTEM, create_organization


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_store_keeps_bytes_once_and_locates_evidence(session: Session, tmp_path: Path) -> None:
    stored = store(session, tmp_path)
    doc = stored.document
    assert stored.created and doc.review_state is ReviewState.pending and doc.text == TEXT
    assert (tmp_path / "documents" / doc.stored_path).read_bytes() == TEXT.encode()  # type: ignore[operator]
    assert doc.stored_path == f"{doc.sha256[:2]}/{doc.sha256}.txt"
    fields = [i.field for i in doc.items]
    assert fields.count("organizations") == 3 and fields.count("mission") == 1 and fields.count("opportunities") == 1
    for item in doc.items:
        assert item.state is ItemState.pending
        evidence = item.payload.get("evidence")
        assert evidence and TEXT[item.evidence_start:item.evidence_end] == evidence
    assert doc.extraction["source"]["sha256"] == doc.sha256  # type: ignore[index]

    again = store(session, tmp_path, name="copy-of-trip.txt")
    assert not again.created and again.document.id == doc.id and "nothing changed" in again.message
    assert count(session, Document) == 1 and count(session, ExtractedItem) == len(doc.items)


def test_storage_names_come_from_the_digest_only(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed):
        storage.store(tmp_path, "../../etc/passwd", "text/plain", b"x")
    with pytest.raises(NotFound):
        storage.open_path(tmp_path, "../outside.txt")
    sha = "a" * 64
    rel = storage.store(tmp_path, sha, "application/pdf", b"%PDF-1.4")
    assert rel == f"aa/{sha}.pdf" and storage.store(tmp_path, sha, "application/pdf", b"%PDF-1.4") == rel
    assert not list((tmp_path / "aa").glob(".incoming-*"))


def test_accept_all_builds_the_knowledge_base_with_evidence(session: Session, tmp_path: Path) -> None:
    known = create_organization(session, name="Kansai Pharmaceutical Industries Assn.", acronym="KPIA")
    doc = store(session, tmp_path).document
    twins = delegate_twins(list(doc.items))
    assert twins, "the helper document names its delegates among its people too"
    counts = review.accept_all(session, actor=SYSTEM, document_id=doc.id)
    # Each delegate who is also one of the people is shown and counted once, as the page's "Accept all N" says.
    assert counts == {"accepted": len(doc.items) - len(twins), "left_pending": 0}
    assert all(d.state is ItemState.accepted for d in twins.values())
    session.expire_all()
    doc = session.scalar(select(Document).options(selectinload(Document.items)).where(Document.id == doc.id))
    assert doc is not None
    assert doc.review_state is ReviewState.accepted and doc.reviewed_at is not None

    # The association was already known: merged into it (name kept as alias), not created again.
    orgs = {o.name: o for o in session.scalars(select(Organization))}
    assert set(orgs) == {"Kansai Pharmaceutical Industries Assn.", "Invest UP", "Tanaka Electric Co. Ltd."}
    kpia = orgs["Kansai Pharmaceutical Industries Assn."]
    assert kpia.id == known.id
    hayashi = session.scalar(select(Person).where(Person.name == "Hayashi Yoshikazu"))
    assert hayashi is not None and hayashi.organization_id == kpia.id and hayashi.honorific == "Dr."
    asha = session.scalar(select(Person).where(Person.name == "Asha Verma"))
    assert asha is not None and asha.organization_id == orgs["Invest UP"].id and count(session, Person) == 2

    mission = session.scalar(select(Mission))
    assert mission is not None and mission.countries == ["JP"] and mission.cities == ["Osaka", "Tokyo"]
    assert mission.document_id == doc.id and mission.home_agency_id == orgs["Invest UP"].id
    session.refresh(mission, ["delegates"])
    assert [p.name for p in mission.delegates] == ["Asha Verma"]
    assert mission.start_date is not None and mission.start_date.isoformat() == "2025-07-08"

    engagements = {e.city: e for e in session.scalars(select(Engagement))}
    osaka = engagements["Osaka"]
    session.refresh(osaka, ["counterparts", "participants", "sectors"])
    assert [o.id for o in osaka.counterparts] == [kpia.id] and osaka.country == "JP"
    assert [p.name for p in osaka.participants] == ["Hayashi Yoshikazu"]
    assert [s.id for s in osaka.sectors] == ["pharmaceuticals"] and osaka.mission_id == mission.id
    assert osaka.evidence == S2 and osaka.document_id == doc.id and engagements["Tokyo"].country == "JP"

    lead = session.scalar(select(Opportunity))
    assert lead is not None and lead.counterpart_id == orgs["Tanaka Electric Co. Ltd."].id
    assert lead.stage.value == "interested" and lead.amount_inr_crore == 1200 and lead.district == "Lucknow"
    assert lead.document_id == doc.id
    assert [p.name for p in session.scalars(select(Policy))] == ["FDI & FCI Policy 2023"]
    assert session.scalar(select(Policy.year)) == 2023
    assert [o.kind.value for o in session.scalars(select(Offering))] == ["industrial_park"]

    # Every accepted item links its record to the sentence, by character span.
    evidence = list(session.scalars(select(Evidence)))
    assert len(evidence) == len(doc.items)
    for ev in evidence:
        assert ev.document_id == doc.id and TEXT[ev.start:ev.end] == ev.sentence  # type: ignore[misc]
    lead_ev = session.scalar(select(Evidence).where(Evidence.entity_type == "opportunity"))
    assert lead_ev is not None and lead_ev.sentence == S3 and lead_ev.entity_id == lead.id
    for item in doc.items:
        assert item.state is ItemState.accepted and item.record_id is not None


def test_a_second_document_about_the_same_people_duplicates_nothing(session: Session, tmp_path: Path) -> None:
    store(session, tmp_path, auto_accept=True)
    orgs, people = count(session, Organization), count(session, Person)
    store(session, tmp_path, text=TEXT + "\nThe visit ended on Friday.", auto_accept=True)
    assert count(session, Document) == 2
    assert count(session, Organization) == orgs and count(session, Person) == people
    assert count(session, Opportunity) == 1  # the same lead with the same investor
    assert count(session, Mission) == 2 and count(session, Engagement) == 4


def test_accepting_one_engagement_accepts_what_it_refers_to(session: Session, tmp_path: Path) -> None:
    doc = store(session, tmp_path).document
    engagement = next(i for i in doc.items if i.field == "engagements" and i.payload["city"] == "Osaka")
    review.accept_item(session, actor=SYSTEM, document_id=doc.id, item_id=engagement.id)
    states = {(i.field, i.payload.get("name") or i.payload.get("city")): i.state for i in doc.items}
    assert states[("organizations", "Kansai Pharmaceutical Industries Association")] is ItemState.accepted
    assert states[("mission", "Uttar Pradesh delegation to Japan")] is ItemState.accepted
    assert states[("organizations", "Tanaka Electric Co. Ltd.")] is ItemState.pending
    assert doc.review_state is ReviewState.pending
    with pytest.raises(InvalidTransition, match="already accepted"):
        review.accept_item(session, actor=SYSTEM, document_id=doc.id, item_id=engagement.id)


def test_edit_then_accept_and_bad_edits_write_nothing(session: Session, tmp_path: Path) -> None:
    doc = store(session, tmp_path).document
    tanaka = next(i for i in doc.items if i.field == "organizations" and i.payload["name"].startswith("Tanaka"))
    audits = count(session, AuditEvent)
    with pytest.raises(ValidationFailed, match="kind") as err:
        review.accept_item(session, actor=SYSTEM, document_id=doc.id, item_id=tanaka.id,
                           edits={"kind": "multinational"})
    assert err.value.field == "kind"
    with pytest.raises(ValidationFailed, match="colour"):
        review.accept_item(session, actor=SYSTEM, document_id=doc.id, item_id=tanaka.id, edits={"colour": "red"})
    assert count(session, Organization) == 0 and count(session, AuditEvent) == audits
    item = review.accept_item(session, actor=SYSTEM, document_id=doc.id, item_id=tanaka.id,
                              edits={"name": "Tanaka Electric Corporation", "acronym": "TEC"})
    assert item.state is ItemState.edited and item.payload["name"] == "Tanaka Electric Corporation"
    org = session.get(Organization, item.record_id)
    assert org is not None and org.name == "Tanaka Electric Corporation" and org.acronym == "TEC"
    with pytest.raises(NotFound, match="item 9999"):
        review.accept_item(session, actor=SYSTEM, document_id=doc.id, item_id=9999)
    with pytest.raises(NotFound, match="document 9999"):
        review.accept_all(session, actor=SYSTEM, document_id=9999)


def test_reject_items_and_documents(session: Session, tmp_path: Path) -> None:
    doc = store(session, tmp_path).document
    first = doc.items[0]
    review.reject_item(session, actor=SYSTEM, document_id=doc.id, item_id=first.id)
    assert first.state is ItemState.rejected and doc.review_state is ReviewState.pending
    result = review.reject_all(session, actor=SYSTEM, document_id=doc.id)
    assert result == {"rejected": len(doc.items) - 1}
    assert doc.review_state is ReviewState.rejected and count(session, Organization) == 0
    other = store(session, tmp_path, text=TEXT + "\n(updated)").document
    org_item = next(i for i in other.items if i.field == "organizations")
    review.reject_item(session, actor=SYSTEM, document_id=other.id, item_id=org_item.id)
    review.accept_all(session, actor=SYSTEM, document_id=other.id)
    assert other.review_state is ReviewState.accepted and org_item.state is ItemState.rejected
    # The rejected organization is created by nobody, not even as a counterpart of its engagement.
    assert session.scalar(select(func.count()).select_from(Organization).where(
        Organization.name == org_item.payload["name"])) == 0


def test_viewers_may_read_but_not_review(session: Session, tmp_path: Path) -> None:
    doc = store(session, tmp_path).document
    viewer = Actor(id=None, label="viewer@test", role=Role.viewer)
    with pytest.raises(PermissionDenied):
        review.accept_all(session, actor=viewer, document_id=doc.id)
    with pytest.raises(PermissionDenied):
        review.reject_item(session, actor=viewer, document_id=doc.id, item_id=doc.items[0].id)


def test_a_delegate_named_only_in_the_delegation_becomes_a_person_of_the_home_side(
        session: Session, tmp_path: Path) -> None:
    x = extraction()
    x.delegates.append(x.delegates[0].model_copy(update={"name": "Ravi Kumar", "titles": ["Director"]}))
    doc = store(session, tmp_path, x=x, auto_accept=True).document
    ravi = session.scalar(select(Person).where(Person.name == "Ravi Kumar"))
    invest_up = session.scalar(select(Organization).where(Organization.name == "Invest UP"))
    assert ravi is not None and invest_up is not None
    assert ravi.side.value == "home" and ravi.titles == ["Director"] and ravi.organization_id == invest_up.id
    mission = session.scalar(select(Mission).where(Mission.document_id == doc.id))
    assert mission is not None
    session.refresh(mission, ["delegates"])
    assert sorted(p.name for p in mission.delegates) == ["Asha Verma", "Ravi Kumar"]


def test_the_same_bytes_stored_meanwhile_is_a_conflict_not_a_crash(engine: Engine, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from investdesk.documents import service as documents

    with Session(engine) as first, Session(engine) as second:
        store(first, tmp_path)
        first.commit()
        # The second writer checked before the first committed: its insert meets the unique sha256.
        monkeypatch.setattr(documents, "find_by_sha256", lambda *_a, **_k: None)
        with pytest.raises(documents.StoredMeanwhile, match="stored meanwhile") as err:
            store(second, tmp_path)
        assert err.value.status_code == 409
        second.rollback()
    with Session(engine) as check:
        assert check.scalar(select(func.count()).select_from(Document)) == 1


def test_ocr_flag_is_kept_and_text_is_stored_at_most_to_the_limit(session: Session, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import hashlib

    from investdesk.documents import service as documents
    from investdesk.extraction import DocumentText

    monkeypatch.setattr(documents, "MAX_TEXT_CHARS", len(TEXT))
    data = b"\x89PNG scanned bytes"
    doc = DocumentText(text=TEXT + "\n" + "A very long tail. " * 1000, sha256=hashlib.sha256(data).hexdigest(),
                       path=None, media_type="image/png", ocr=True)
    stored = documents.upload(session, actor=SYSTEM, documents_dir=tmp_path / "documents", data=data, doc=doc,
                             extraction=extraction(), filename="scan.png")
    document = stored.document
    assert document.ocr and document.text_truncated and document.text == TEXT
    assert document.stored_path is not None and document.stored_path.endswith(".png")
    read = documents.to_read(document)
    assert read.ocr and read.text_truncated
    monkeypatch.undo()
    plain = store(session, tmp_path, text=TEXT + "\nAnother visit.").document
    assert not plain.ocr and not plain.text_truncated


def test_a_lead_from_an_accepted_document_belongs_to_the_accepter(session: Session, tmp_path: Path) -> None:
    from investdesk.models import User
    from investdesk.pipeline import service as pipeline
    from investdesk.pipeline.schemas import OpportunityUpdate, StageMove

    user = User(email="ravi@invest.up.gov.in", name="Ravi Kumar", role=Role.officer)
    session.add(user)
    session.flush()
    officer = Actor(id=user.id, label=user.email, role=Role.officer)
    doc = store(session, tmp_path).document
    review.accept_all(session, actor=officer, document_id=doc.id)
    lead = session.scalars(select(Opportunity)).one()
    assert lead.owner_id == user.id
    # The accepter may now move and edit the lead, with the version they read.
    moved = pipeline.move(session, actor=officer, opportunity_id=lead.id,
                          data=StageMove(to_stage="mou_signed", version=lead.version))
    pipeline.update(session, actor=officer, opportunity_id=lead.id,
                    data=OpportunityUpdate(next_action="Send land options", version=moved.version))
    assert lead.next_action == "Send land options"
