from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from investdesk.errors import Conflict, NotFound
from investdesk.models import AuditEvent
from investdesk.models.enums import Side
from investdesk.people import service
from investdesk.people.schemas import PersonFilter, PersonUpdate
from tests.factories import SYSTEM, create_organization, create_person


def test_create_with_organization_and_filter(session: Session) -> None:
    kpia = create_organization(session)
    tanaka = create_organization(session, name="Tanaka Electric", acronym=None, country="JP")
    invest = create_organization(session, name="Invest UP", acronym=None, country="IN")
    hayashi = create_person(session, organization_id=kpia.id)
    create_person(session, name="Vijay Kiran Anand", honorific=None, titles=["CEO"], organization_id=invest.id,
                  side="home")
    session.commit()
    assert service.to_read(hayashi).organization == "Kansai Pharmaceutical Industries Association"
    names = lambda flt: [p.name for p in service.list_people(session, actor=SYSTEM, flt=flt)[0]]  # noqa: E731
    assert names(PersonFilter(side=Side.home)) == ["Vijay Kiran Anand"]
    assert names(PersonFilter(country="JP")) == ["Hayashi Yoshikazu"]
    assert names(PersonFilter(q="dr hayashi")) == ["Hayashi Yoshikazu"]
    assert names(PersonFilter(organization_id=tanaka.id)) == []


def test_unknown_organization_names_field(session: Session) -> None:
    with pytest.raises(NotFound) as err:
        create_person(session, organization_id=999)
    assert err.value.field == "organization_id"


def test_update_is_audited_and_versioned(session: Session) -> None:
    person = create_person(session)
    session.commit()
    service.update(session, actor=SYSTEM, person_id=person.id,
                   data=PersonUpdate(titles=["Director General", "Board Member"], version=1))
    session.commit()
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "update")).one()
    assert event.entity_type == "person"
    assert event.before == {"id": person.id, "titles": ["Director General"], "version": 1}
    assert event.after["titles"] == ["Director General", "Board Member"]
    with pytest.raises(Conflict):
        service.update(session, actor=SYSTEM, person_id=person.id, data=PersonUpdate(name="X", version=1))
