from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from investdesk.engagements import service
from investdesk.engagements.schemas import EngagementFilter, EngagementUpdate
from investdesk.errors import NotFound
from investdesk.models import AuditEvent, Engagement
from tests.factories import SYSTEM, create_engagement, create_mission, create_organization, create_person


def test_engagement_links_and_filters(session: Session) -> None:
    kpia = create_organization(session)
    tanaka = create_organization(session, name="Tanaka Electric Co. Ltd.", acronym=None, kind="company")
    hayashi = create_person(session, organization_id=kpia.id)
    mission = create_mission(session)
    osaka = create_engagement(session, mission_id=mission.id, counterpart_ids=[kpia.id], participant_ids=[hayashi.id],
                              sectors=["pharmaceuticals", "medical_devices"], date=dt.date(2025, 7, 8))
    tokyo = create_engagement(session, mission_id=mission.id, city="Tokyo", counterpart_ids=[tanaka.id],
                              sectors=["critical_minerals"], date=dt.date(2025, 7, 10))
    session.commit()
    ids = lambda flt: [e.id for e in service.list_engagements(session, actor=SYSTEM, flt=flt)[0]]  # noqa: E731
    assert ids(EngagementFilter()) == [tokyo.id, osaka.id]
    assert ids(EngagementFilter(city="osaka")) == [osaka.id]
    assert ids(EngagementFilter(sector="critical_minerals")) == [tokyo.id]
    assert ids(EngagementFilter(organization_id=kpia.id)) == [osaka.id]
    assert ids(EngagementFilter(person_id=hayashi.id)) == [osaka.id]
    assert ids(EngagementFilter(q="tanaka")) == [tokyo.id]
    assert ids(EngagementFilter(date_from=dt.date(2025, 7, 9))) == [tokyo.id]
    read = service.to_read(service.get(session, actor=SYSTEM, engagement_id=osaka.id))
    assert read.counterparts == [{"id": kpia.id, "name": kpia.name}]
    assert read.sectors == ["medical_devices", "pharmaceuticals"]


def test_missing_counterpart_writes_nothing(session: Session) -> None:
    with pytest.raises(NotFound, match="counterpart_ids: no organizations with id 404"):
        create_engagement(session, counterpart_ids=[404])
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Engagement)) == 0
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_update_replaces_counterparts(session: Session) -> None:
    kpia = create_organization(session)
    nite = create_organization(session, name="National Institute of Technology and Evaluation", acronym="NITE")
    e = create_engagement(session, counterpart_ids=[kpia.id])
    session.commit()
    service.update(session, actor=SYSTEM, engagement_id=e.id,
                   data=EngagementUpdate(counterpart_ids=[kpia.id, nite.id], version=e.version))
    session.commit()
    assert [o.acronym for o in service.get(session, actor=SYSTEM, engagement_id=e.id).counterparts] == ["KPIA", "NITE"]
