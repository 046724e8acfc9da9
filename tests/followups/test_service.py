"""Follow-ups on any record: mine, overdue, done, and none on a record the user cannot see."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from investdesk.blockers import service as blockers
from investdesk.blockers.schemas import BlockerCreate
from investdesk.errors import InvalidTransition, NotFound, PermissionDenied
from investdesk.followups import service as followups
from investdesk.followups.schemas import FollowUpCreate, FollowUpDone, FollowUpFilter
from investdesk.models import FollowUp, User
from investdesk.models.enums import Role
from investdesk.mous import service as mous
from investdesk.mous.schemas import MouCreate
from investdesk.permissions import Actor
from tests.factories import SYSTEM, create_organization


def _mou(session: Session, district: str = "Agra", title: str = "Plant") -> int:
    return mous.create(session, actor=SYSTEM, data=MouCreate(title=title, district=district)).id


def _people(session: Session) -> tuple[User, User]:
    asha = User(email="asha@x.gov", role=Role.officer)
    ravi = User(email="ravi@x.gov", role=Role.officer)
    session.add_all([asha, ravi])
    session.flush()
    return asha, ravi


def test_followups_mine_overdue_and_done(session: Session) -> None:
    asha, ravi = _people(session)
    org = create_organization(session)
    me = Actor(id=asha.id, label=asha.email, role=Role.officer)
    late = followups.create(session, actor=me, data=FollowUpCreate(
        entity_type="organization", entity_id=org.id, title="Send the pharma park brochure",
        due_date=dt.date.today() - dt.timedelta(days=2)))
    followups.create(session, actor=me, data=FollowUpCreate(
        entity_type="mou", entity_id=_mou(session), title="Ask for the land survey", owner_id=ravi.id,
        due_date=dt.date.today() + dt.timedelta(days=7)))
    assert late.owner_id == asha.id
    mine = followups.list_followups(session, actor=me, flt=FollowUpFilter(owner_id=asha.id))[0]
    assert [f.title for f in mine] == ["Send the pharma park brochure"]
    overdue = followups.list_followups(session, actor=me, flt=FollowUpFilter(overdue=True))[0]
    assert followups.to_reads(session, overdue)[0].overdue and followups.to_reads(session, overdue)[0].owner == \
        "asha@x.gov"
    other = Actor(id=ravi.id, label=ravi.email, role=Role.officer)
    with pytest.raises(PermissionDenied, match="their own"):
        followups.complete(session, actor=other, followup_id=late.id, data=FollowUpDone())
    followups.complete(session, actor=me, followup_id=late.id, data=FollowUpDone(note="Sent by e-mail"))
    assert followups.list_followups(session, actor=me, flt=FollowUpFilter(overdue=True))[1] == 0
    with pytest.raises(InvalidTransition, match="already done"):
        followups.complete(session, actor=me, followup_id=late.id, data=FollowUpDone())


def test_followup_on_a_missing_or_hidden_record_writes_nothing(session: Session) -> None:
    with pytest.raises(NotFound, match="no person with id 42"):
        followups.create(session, actor=SYSTEM, data=FollowUpCreate(entity_type="person", entity_id=42, title="X"))
    hidden = _mou(session, "Agra")
    nodal = Actor(id=None, label="nodal@x", role=Role.nodal_officer, districts=("Jhansi",))
    with pytest.raises(NotFound):
        followups.create(session, actor=nodal, data=FollowUpCreate(entity_type="mou", entity_id=hidden, title="X"))
    with pytest.raises(PermissionDenied):
        followups.create(session, actor=nodal, data=FollowUpCreate(
            entity_type="organization", entity_id=create_organization(session).id, title="X"))
    assert session.scalar(select(func.count()).select_from(FollowUp)) == 0


def test_follow_ups_read_with_record_titles_and_owner_names(session: Session) -> None:
    owner = User(email="asha@x.gov", name="Asha Verma", role=Role.officer)
    unnamed = User(email="ravi@x.gov", role=Role.officer)
    session.add_all([owner, unnamed])
    session.flush()
    org = create_organization(session, name="Kiso Foods")
    mou_id = _mou(session, title="Cold store MoU")
    blocker = blockers.add(session, actor=SYSTEM, mou_id=mou_id, data=BlockerCreate(category="land"))
    made = [followups.create(session, actor=SYSTEM, data=FollowUpCreate(
        entity_type=kind, entity_id=eid, title=f"Call about {kind}", owner_id=uid))
        for kind, eid, uid in (("organization", org.id, owner.id), ("mou", mou_id, unnamed.id),
                               ("blocker", blocker.id, owner.id))]
    reads = {r.entity_type.value: r for r in followups.to_reads(session, made)}
    assert (reads["organization"].record, reads["organization"].owner_name) == ("Kiso Foods", "Asha Verma")
    assert (reads["mou"].record, reads["mou"].owner_name) == ("Cold store MoU", "ravi@x.gov")  # no name: e-mail
    assert reads["blocker"].record == "Land blocker on Cold store MoU"
    assert reads["organization"].owner == "asha@x.gov"  # the API keeps the e-mail beside the name


def test_home_page_follow_ups_page_and_digest_count_due_alike(session: Session) -> None:
    from investdesk.db import utcnow
    from investdesk.notifications import digest

    asha, _ravi = _people(session)
    org = create_organization(session)
    me = Actor(id=asha.id, label=asha.email, role=Role.officer)
    now = utcnow()
    today = now.date()
    # Each side of each boundary: yesterday, today, the last day of the week, the day after it, no day.
    expected = {"yesterday": "overdue", "today": "due", "day 7": "due", "day 8": None, "undated": None}
    days = {"yesterday": -1, "today": 0, "day 7": 6, "day 8": 7, "undated": None}
    for title, offset in days.items():
        followups.create(session, actor=me, data=FollowUpCreate(
            entity_type="organization", entity_id=org.id, title=title,
            due_date=None if offset is None else today + dt.timedelta(days=offset)))
    rows = followups.list_followups(session, actor=me, flt=FollowUpFilter(owner_id=asha.id))[0]
    page = {r.title: r.due_state for r in followups.to_reads(session, rows, today)}
    overdue_list = {f.title for f in followups.list_followups(session, actor=me, flt=FollowUpFilter(overdue=True))[0]}
    home = {i.title: i.state for i in followups.agenda(session, actor=me)}
    [mail] = digest.build(session, [asha], now=now, today=today)
    told = {i.title: state for section, state in (("Overdue", "overdue"), ("Due this week", "due"))
            for i in mail.sections[section]}
    assert page == expected and home == expected
    assert told == {t: s for t, s in expected.items() if s is not None}
    assert overdue_list == {t for t, s in expected.items() if s == "overdue"}
