from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError
from sqlalchemy.orm import Session

from investdesk.errors import NotFound
from investdesk.missions import service
from investdesk.missions.schemas import MissionCreate, MissionFilter
from tests.factories import SYSTEM, create_mission, create_person


def test_mission_with_delegates_and_country_filter(session: Session) -> None:
    a = create_person(session, name="Awanish Kumar Awasthi", honorific=None, side="home")
    b = create_person(session, name="Vijay Kiran Anand", honorific=None, side="home")
    mission = create_mission(session, delegate_ids=[a.id, b.id], start_date=dt.date(2025, 7, 7))
    create_mission(session, name="Georgia mission to Korea", countries=["KR"], cities=["Seoul"])
    session.commit()
    got = service.get(session, actor=SYSTEM, mission_id=mission.id)
    assert [p.name for p in got.delegates] == ["Awanish Kumar Awasthi", "Vijay Kiran Anand"]
    rows, total = service.list_missions(session, actor=SYSTEM, flt=MissionFilter(country="jp"))
    assert total == 1 and rows[0].id == mission.id
    service.add_delegates(session, actor=SYSTEM, mission_id=mission.id,
                          person_ids=[create_person(session, name="Inderjit Singh", honorific=None).id])
    assert len(service.get(session, actor=SYSTEM, mission_id=mission.id).delegates) == 3


def test_bad_country_and_dates_and_delegate(session: Session) -> None:
    with pytest.raises(ValidationError, match="alpha-2"):
        MissionCreate(name="x", countries=["Japan"])
    with pytest.raises(ValidationError, match="end_date is before start_date"):
        MissionCreate(name="x", start_date=dt.date(2025, 7, 9), end_date=dt.date(2025, 7, 1))
    with pytest.raises(NotFound, match="delegate_ids"):
        create_mission(session, delegate_ids=[77])
