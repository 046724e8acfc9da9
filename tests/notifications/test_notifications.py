"""Events become notifications for the people they concern: in the transaction of the change, or once per
event when a job finds them by time; the bell's count, read one by one or all at once."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from investdesk.db import transaction
from investdesk.documents import service as documents
from investdesk.enquiries import service as enquiries
from investdesk.enquiries.schemas import EnquiryCreate
from investdesk.errors import NotFound
from investdesk.extraction import DocumentText
from investdesk.jobs import service as jobs
from investdesk.models import FollowUp, Mou, Notification, NotificationPreference, Opportunity
from investdesk.models.enums import Role
from investdesk.mous import service as mous
from investdesk.mous.schemas import MouCreate
from investdesk.notifications import preferences, service
from investdesk.notifications.schemas import PreferencesUpdate
from investdesk.permissions import Actor
from investdesk.pipeline import service as pipeline
from investdesk.pipeline.schemas import OpportunityCreate, OpportunityUpdate
from tests.documents.helpers import TEXT, extraction
from tests.factories import SYSTEM, at_ist


def me(uid: int, role: Role = Role.officer) -> Actor:
    return Actor(id=uid, label=f"user{uid}", role=role)


def notes(engine: Engine, uid: int) -> list[Notification]:
    with transaction(engine) as session:
        return list(session.scalars(select(Notification).where(Notification.user_id == uid)
                                    .order_by(Notification.id)))


def test_a_lead_given_to_someone_tells_them_in_the_same_transaction(engine: Engine, users: dict[str, int]) -> None:
    officer, manager = users["officer"], users["manager"]
    with transaction(engine) as session:
        opp = pipeline.create(session, actor=me(manager, Role.manager), data=OpportunityCreate(
            title="Hokuto Medtech R&D centre", owner_id=manager))
        opp_id, version = opp.id, opp.version
    assert notes(engine, manager) == []  # one's own lead: no news
    # A reassignment that fails after the write leaves no notification behind: both roll back together.
    with pytest.raises(RuntimeError), transaction(engine) as session:
        pipeline.update(session, actor=me(manager, Role.manager), opportunity_id=opp_id,
                        data=OpportunityUpdate(owner_id=officer, version=version))
        raise RuntimeError("the request failed after the service returned")
    assert notes(engine, officer) == []
    with transaction(engine) as session:
        pipeline.update(session, actor=me(manager, Role.manager), opportunity_id=opp_id,
                        data=OpportunityUpdate(owner_id=officer, version=version))
    [note] = notes(engine, officer)
    assert note.kind == "lead_assigned" and note.url == f"/opportunities/{opp_id}"
    assert "Hokuto Medtech R&D centre" in note.title and "user" in note.title


def test_due_and_overdue_follow_ups_are_told_once(engine: Engine, users: dict[str, int]) -> None:
    officer = users["officer"]
    today = dt.date(2026, 3, 2)
    with transaction(engine) as session:
        for title, days in (("Send the land brochure", 1), ("Call Tanaka", -3), ("Far ahead", 20)):
            # Rows on a fixed clock (the job is given "now"; the dates are relative to it).
            session.add(FollowUp(entity_type="opportunity", entity_id=1, title=title, owner_id=officer,
                                 due_date=today + dt.timedelta(days=days)))
        session.add(FollowUp(entity_type="opportunity", entity_id=1, title="Done already", owner_id=officer,
                             due_date=today - dt.timedelta(days=1), done_at=dt.datetime.now(dt.UTC)))
    for hour in (7, 9):  # run by the scheduler and again by hand: told once
        assert jobs.run_now(engine, actor=SYSTEM, name="followups_due", now=at_ist(today, hour)).status == "ok"
    got = {n.kind: n.title for n in notes(engine, officer)}
    assert got == {"followup_due": "Due tomorrow, 3 Mar 2026: Send the land brochure",  # the one date filter
                   "followup_overdue": "Overdue since 27 Feb 2026: Call Tanaka"}


def test_each_reader_is_told_in_their_own_language(engine: Engine, users: dict[str, int]) -> None:
    """A job runs in no language: the title of each notification is written in its reader's."""
    from investdesk.models import User

    officer = users["officer"]
    today = dt.date(2026, 3, 2)
    with transaction(engine) as session:
        session.get_one(User, officer).language = "hi"
        session.add(FollowUp(entity_type="opportunity", entity_id=1, title="Send the land brochure",
                             owner_id=officer, due_date=today + dt.timedelta(days=1)))
    assert jobs.run_now(engine, actor=SYSTEM, name="followups_due", now=at_ist(today, 9)).status == "ok"
    assert [n.title for n in notes(engine, officer)] == ["कल नियत, 3 मार्च 2026: Send the land brochure"]


def test_pending_mous_and_enquiry_deadlines(engine: Engine, users: dict[str, int]) -> None:
    nodal, officer = users["nodal"], users["officer"]
    now = dt.datetime.now(dt.UTC)
    with transaction(engine) as session:
        mou = mous.create(session, actor=SYSTEM, data=MouCreate(title="Agra leather park", district="Agra"))
        mou.nodal_officer_id = nodal
        fresh = mous.create(session, actor=SYSTEM, data=MouCreate(title="Fresh MoU", district="Agra"))
        fresh.nodal_officer_id = nodal
        session.flush()
        session.get_one(Mou, mou.id).status_updated_at = now - dt.timedelta(days=45)
        enquiry = enquiries.create(session, actor=SYSTEM, data=EnquiryCreate(
            title="Enquiry from Osaka Precision", owner_id=officer, received_at=now - dt.timedelta(days=10)))
        soon = enquiries.create(session, actor=SYSTEM, data=EnquiryCreate(
            title="Enquiry from Kyoto Bio", owner_id=officer, received_at=now))
        session.get_one(Opportunity, soon.id).first_response_due = now + dt.timedelta(hours=5)
    for _ in range(2):
        jobs.run_now(engine, actor=SYSTEM, name="pending_mous", now=now)
        jobs.run_now(engine, actor=SYSTEM, name="enquiry_deadlines", now=now)
    [pending] = notes(engine, nodal)
    assert pending.kind == "mou_pending" and pending.url == f"/mous/{mou.id}" and "Agra leather park" in pending.title
    got = {n.kind: n.url for n in notes(engine, officer) if n.kind.startswith("enquiry")}
    assert got == {"enquiry_overdue": f"/opportunities/{enquiry.id}", "enquiry_deadline": f"/opportunities/{soon.id}"}


def test_bell_count_read_one_and_all_and_muted_kinds(engine: Engine, users: dict[str, int]) -> None:
    officer, other = users["officer"], users["manager"]
    with transaction(engine) as session:
        for i in range(3):
            service.notify(session, user_ids=[officer, other], kind="mou_pending", title=f"MoU {i}",
                           url=f"/mous/{i}", dedupe_key=f"k{i}")
        service.notify(session, user_ids=[officer], kind="mou_pending", title="again", url="/", dedupe_key="k1")
    with transaction(engine) as session:
        assert service.unread_count(session, actor=me(officer)) == 3
        first = service.list_notifications(session, actor=me(officer))[0][-1]
        service.mark_read(session, actor=me(officer), notification_id=first.id)
        with pytest.raises(NotFound):  # someone else's notification is not yours to read
            service.mark_read(session, actor=me(other, Role.manager), notification_id=first.id)
    with transaction(engine) as session:
        assert service.unread_count(session, actor=me(officer)) == 2
        assert service.mark_all_read(session, actor=me(officer)) == 2
        assert service.unread_count(session, actor=me(officer)) == 0
        assert service.unread_count(session, actor=me(other, Role.manager)) == 3
        preferences.update(session, actor=me(officer), data=PreferencesUpdate(app_off=["mou_pending"]))
        service.notify(session, user_ids=[officer], kind="mou_pending", title="muted", url="/", dedupe_key="m")
        assert service.unread_count(session, actor=me(officer)) == 0
        assert session.scalar(select(func.count()).select_from(NotificationPreference)) == 1


def test_a_stored_document_waits_for_its_uploaders_review(engine: Engine, users: dict[str, int],
                                                         tmp_path: Path) -> None:
    officer = users["officer"]
    text = TEXT
    data = text.encode()
    doc = DocumentText(text=text, sha256=hashlib.sha256(data).hexdigest(), path=None, media_type="text/plain")
    with transaction(engine) as session:
        stored = documents.upload(session, actor=me(officer), documents_dir=tmp_path / "documents", data=data,
                                 doc=doc, extraction=extraction(), filename="osaka-trip.txt")
    [note] = notes(engine, officer)
    assert note.kind == "document_review" and note.url == f"/documents/{stored.document.id}"
    assert note.title == f"{stored.items_pending} extracted items of osaka-trip.txt wait for your review"
    # Stored by the operator (an ingest run) or accepted at once: nobody to tell.
    other = (text + " Again.").encode()
    with transaction(engine) as session:
        documents.upload(session, actor=SYSTEM, documents_dir=tmp_path / "documents", data=other,
                        doc=DocumentText(text=text + " Again.", sha256=hashlib.sha256(other).hexdigest(), path=None,
                                         media_type="text/plain"), extraction=extraction(), filename="b.txt")
    assert len(notes(engine, officer)) == 1


def test_each_digest_waits_for_the_time_its_reader_chose(engine: Engine, users: dict[str, int]) -> None:
    from investdesk.notifications import digest

    today = dt.date(2026, 6, 15)
    now = at_ist(today, 6)
    with transaction(engine) as session:
        session.add_all([NotificationPreference(user_id=users["officer"], digest_time="07:30"),
                         NotificationPreference(user_id=users["nodal"], digest_time="06:00", digest_enabled=False),
                         NotificationPreference(user_id=users["manager"], digest_time="09:15",
                                                last_digest_on=today - dt.timedelta(days=1))])

    def due(local_time: str) -> set[str]:
        with transaction(engine) as session:
            ids = {u.id for u in digest.due_users(session, now=now, today=today, local_time=local_time)}
        return {name for name, uid in users.items() if uid in ids}

    # The officer chose 07:30, the manager 09:15, the admin kept the default 08:00; the nodal officer wants none.
    assert due("07:29") == set()
    assert due("07:30") == {"officer"}
    assert due("08:00") == {"officer", "admin"}
    assert due("09:15") == {"officer", "admin", "manager"}
    with transaction(engine) as session:
        session.get_one(NotificationPreference, users["officer"]).last_digest_on = today
    assert due("23:59") == {"admin", "manager"}  # one digest a day
