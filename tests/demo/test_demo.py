from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from investdesk.demo import service
from investdesk.models import AuditEvent, Blocker, Engagement, FollowUp, Mission, Opportunity, Organization, Person
from tests.factories import SYSTEM


def _counts(session: Session) -> dict[str, int]:
    return {m.__tablename__: session.scalar(select(func.count()).select_from(m)) or 0
            for m in (Organization, Person, Mission, Engagement, Opportunity, FollowUp, Blocker, AuditEvent)}


def test_demo_loads_a_week_of_meetings_and_is_idempotent(session: Session) -> None:
    first = service.load(session, actor=SYSTEM)
    session.commit()
    data = service.demo_data()
    counts = _counts(session)
    assert counts["organizations"] == len(data["organizations"])
    assert counts["engagements"] == len(data["engagements"]) >= 5
    assert first.created["missions"] == 1
    mission = session.scalars(select(Mission)).one()
    assert mission.countries == ["JP"] and mission.start_date is not None
    assert counts["follow_ups"] == len(data["follow_ups"]) and first.created["enquiries"] == len(data["enquiries"])
    assert session.scalar(select(func.count()).select_from(Opportunity).where(Opportunity.is_enquiry)) == 2
    again = service.load(session, actor=SYSTEM)
    session.commit()
    assert again.created == {}
    assert _counts(session) == counts
