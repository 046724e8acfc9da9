"""MoUs: assignment by size and scope, the pending rule, concurrent edits, and the CSV rows of a list."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from investdesk.blockers import service as blockers
from investdesk.blockers.schemas import BlockerCreate
from investdesk.db import session_factory
from investdesk.errors import Conflict, NotFound
from investdesk.models import Mou, User
from investdesk.models.enums import MouStatus, Role
from investdesk.mous import service as mous
from investdesk.mous.schemas import MouCreate, MouFilter, StatusUpdate
from investdesk.paging import Sort
from investdesk.permissions import Actor
from investdesk.pipeline.schemas import AmountIn
from tests.factories import SYSTEM, create_organization


def _users(session: Session) -> tuple[User, User]:
    manager = User(email="am@x.gov", role=Role.manager)
    nodal = User(email="nodal@x.gov", role=Role.nodal_officer, districts=["Jhansi"])
    session.add_all([manager, nodal])
    session.flush()
    return manager, nodal


def test_assignment_by_size_and_nodal_scope(session: Session) -> None:
    manager, nodal = _users(session)
    big = mous.create(session, actor=SYSTEM, data=MouCreate(
        title="Big", district="Jhansi", amount=AmountIn(value=500, currency="INR", unit="crore")))
    small = mous.create(session, actor=SYSTEM, data=MouCreate(
        title="Small", district="Jhansi", amount=AmountIn(value=20, currency="INR", unit="crore")))
    other = mous.create(session, actor=SYSTEM, data=MouCreate(title="Elsewhere", district="Agra"))
    assert (big.account_manager_id, big.nodal_officer_id) == (manager.id, None)
    assert (small.account_manager_id, small.nodal_officer_id) == (None, nodal.id)
    officer = Actor(id=nodal.id, label=nodal.email, role=Role.nodal_officer, districts=("Jhansi",))
    assert {m.title for m in mous.list_mous(session, actor=officer)[0]} == {"Big", "Small"}
    with pytest.raises(NotFound):
        mous.update_status(session, actor=officer, mou_id=other.id,
                           data=StatusUpdate(status="land_identified", version=1))
    mous.update_status(session, actor=officer, mou_id=small.id,
                       data=StatusUpdate(status="land_identified", version=small.version))
    blockers.add(session, actor=officer, mou_id=small.id, data=BlockerCreate(category="power", department="Energy"))
    assert [b.category.value for b in mous.get(session, actor=SYSTEM, mou_id=small.id).blockers] == ["power"]


def test_pending_after_the_configured_days(session: Session) -> None:
    mou = mous.create(session, actor=SYSTEM, data=MouCreate(title="Quiet", district="Agra"))
    assert mous.list_mous(session, actor=SYSTEM, flt=MouFilter(pending=True))[1] == 0
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=45)
    mous.update_status(session, actor=SYSTEM, mou_id=mou.id, at=long_ago,
                       data=StatusUpdate(status="approvals", version=mou.version))
    session.flush()
    rows, total = mous.list_mous(session, actor=SYSTEM, flt=MouFilter(pending=True))
    assert total == 1 and mous.to_read(rows[0]).pending is True
    mous.update_status(session, actor=SYSTEM, mou_id=mou.id,
                       data=StatusUpdate(status="construction", version=mou.version))
    assert mous.list_mous(session, actor=SYSTEM, flt=MouFilter(pending=True))[1] == 0


def test_two_officers_updating_one_mou_the_second_gets_a_conflict(engine: Engine) -> None:
    make = session_factory(engine)
    with make() as s, s.begin():
        mou_id = mous.create(s, actor=SYSTEM, data=MouCreate(title="Contested", district="Agra")).id
    first, second = make(), make()
    try:
        a = mous.get(first, actor=SYSTEM, mou_id=mou_id)
        b = mous.get(second, actor=SYSTEM, mou_id=mou_id)
        seen = a.version
        assert b.version == seen
        mous.update_status(first, actor=SYSTEM, mou_id=mou_id, data=StatusUpdate(status="land_identified",
                                                                                 version=seen))
        first.commit()
        with pytest.raises(Conflict):
            mous.update_status(second, actor=SYSTEM, mou_id=mou_id, data=StatusUpdate(status="approvals",
                                                                                      version=seen))
            second.commit()
        second.rollback()
    finally:
        first.close()
        second.close()
    with make() as s:
        final = mous.get(s, actor=SYSTEM, mou_id=mou_id)
        assert final.status is MouStatus.land_identified
        assert [h.to_status for h in final.history] == [MouStatus.signed, MouStatus.land_identified]


def test_csv_rows_name_parties_and_say_pending_as_the_record_does(session: Session) -> None:
    """The export reads plain columns, by name: each row has every header's value, and its pending flag is the
    service's own rule (open and not updated for the period), not a second copy of it."""
    org = create_organization(session, name="Hokuto Precision Motors", acronym=None, kind="company")
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=45)
    quiet, closed, fresh = (mous.create(session, actor=SYSTEM, data=MouCreate(title=t, district="Agra",
                                                                           party_ids=[org.id]))
                            for t in ("Quiet", "Closed", "Fresh"))
    mous.update_status(session, actor=SYSTEM, mou_id=quiet.id, at=long_ago,
                       data=StatusUpdate(status="approvals", version=quiet.version))
    mous.update_status(session, actor=SYSTEM, mou_id=closed.id, at=long_ago,
                       data=StatusUpdate(status="withdrawn", version=closed.version))
    session.flush()
    sort = Sort.parse("title", {"title": Mou.title}, "title")
    rows = session.execute(mous.export_selection(mous.filtered(SYSTEM, MouFilter()), sort)).all()
    parties = mous.party_names(session, rows)
    out = [dict(zip(mous.EXPORT_HEADER, mous.export_row((r, parties)), strict=True)) for r in rows]
    assert [(r["title"], r["pending"], r["parties"]) for r in out] == [
        ("Closed", False, "Hokuto Precision Motors"), ("Fresh", False, "Hokuto Precision Motors"),
        ("Quiet", True, "Hokuto Precision Motors")]
    by_id = {m.id: m for m in (quiet, closed, fresh)}
    assert all(r["pending"] is mous.is_pending(by_id[r["id"]]) for r in out)
    assert out[2]["status"] is MouStatus.approvals and out[0]["district"] == "Agra"
