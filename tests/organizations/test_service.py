from __future__ import annotations

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from investdesk.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from investdesk.models import AuditEvent
from investdesk.models.enums import OrgKind, Role
from investdesk.organizations import service
from investdesk.organizations.schemas import OrganizationFilter, OrganizationUpdate
from investdesk.paging import PageParams
from investdesk.permissions import Actor
from tests.factories import SYSTEM, create_organization


def test_create_writes_record_and_audit(session: Session) -> None:
    org = create_organization(session, aliases=["Kansai Pharma Association"])
    session.commit()
    got = service.get(session, actor=SYSTEM, organization_id=org.id)
    assert (got.name, got.acronym, got.kind, got.country) == (
        "Kansai Pharmaceutical Industries Association", "KPIA", OrgKind.industry_association, "JP")
    assert [s.id for s in got.sectors] == ["pharmaceuticals"]
    assert [a.alias for a in got.aliases] == ["Kansai Pharma Association"]
    event = session.scalars(select(AuditEvent).where(AuditEvent.entity_id == org.id)).one()
    assert event.action == "create" and event.after is not None and event.after["name"] == org.name


def test_update_audits_before_and_after_and_checks_version(session: Session) -> None:
    org = create_organization(session)
    session.commit()
    service.update(session, actor=SYSTEM, organization_id=org.id,
                   data=OrganizationUpdate(city="Osaka", version=org.version))
    session.commit()
    ev = session.scalars(select(AuditEvent).where(AuditEvent.action == "update")).one()
    assert ev.before == {"id": org.id, "city": None, "version": 1}
    assert ev.after == {"id": org.id, "city": "Osaka", "version": 2}
    with pytest.raises(Conflict):
        service.update(session, actor=SYSTEM, organization_id=org.id, data=OrganizationUpdate(city="Kobe", version=1))


def test_unknown_sector_names_field(session: Session) -> None:
    with pytest.raises(ValidationFailed) as err:
        create_organization(session, sectors=["space tourism"])
    assert err.value.field == "sectors"


def test_sector_by_name(session: Session) -> None:
    org = create_organization(session, sectors=["Electric mobility and batteries"])
    assert [s.id for s in org.sectors] == ["electric_mobility"]


def test_get_unknown_id(session: Session) -> None:
    with pytest.raises(NotFound):
        service.get(session, actor=SYSTEM, organization_id=4242)


def test_list_filters_and_pages(session: Session) -> None:
    create_organization(session)
    create_organization(session, name="Tanaka Electric Co. Ltd.", acronym=None, kind="company",
                        sectors=["critical_minerals"])
    create_organization(session, name="Invest UP", acronym=None, kind="investment_promotion_agency", country="IN",
                        sectors=[])
    session.commit()
    names = lambda flt: [o.name for o in service.list_organizations(session, actor=SYSTEM, flt=flt)[0]]  # noqa: E731
    assert names(OrganizationFilter(country="jp")) == ["Kansai Pharmaceutical Industries Association",
                                                       "Tanaka Electric Co. Ltd."]
    assert names(OrganizationFilter(kind=OrgKind.company)) == ["Tanaka Electric Co. Ltd."]
    assert names(OrganizationFilter(sector="critical_minerals")) == ["Tanaka Electric Co. Ltd."]
    assert names(OrganizationFilter(q="kpia")) == ["Kansai Pharmaceutical Industries Association"]
    assert names(OrganizationFilter(q="tanaka electric")) == ["Tanaka Electric Co. Ltd."]
    rows, total = service.list_organizations(session, actor=SYSTEM, page=PageParams(page=2, per_page=2))
    assert total == 3 and [o.name for o in rows] == ["Tanaka Electric Co. Ltd."]


def test_viewer_cannot_write(session: Session) -> None:
    viewer = Actor(id=None, label="v@example.org", role=Role.viewer)
    with pytest.raises(PermissionDenied):
        service.create(session, actor=viewer, data=service.OrganizationCreate(name="X"))
    assert session.scalars(select(AuditEvent)).all() == []


def test_page_totals_count_in_sql_only_when_the_page_cannot_tell(session: Session) -> None:
    """A page neither full nor empty past the first holds the rest of the selection: its total needs no count."""
    for i in range(5):
        create_organization(session, name=f"Paging Org {i}", acronym=None, sectors=[])
    session.commit()
    statements: list[str] = []
    engine = session.get_bind()
    listen = lambda _c, _cur, stmt, *_a: statements.append(stmt)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listen)
    try:
        cases = {(1, 10): (5, 5, 0), (1, 5): (5, 5, 1), (1, 2): (2, 5, 1), (3, 2): (1, 5, 0), (2, 5): (0, 5, 1),
                 (9, 2): (0, 5, 1)}
        for (page, per_page), (shown, total, counted) in cases.items():
            for read in (service.list_organizations, service.list_read):
                statements.clear()
                rows, got = read(session, actor=SYSTEM, page=PageParams(page=page, per_page=per_page))
                counts = sum("count(" in s.lower() for s in statements)
                assert (len(rows), got, counts) == (shown, total, counted), (read.__name__, page, per_page)
    finally:
        event.remove(engine, "before_cursor_execute", listen)
