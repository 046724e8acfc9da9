from __future__ import annotations

from fastapi import APIRouter

from investdesk.models.enums import Side
from investdesk.paging import Page
from investdesk.people import service
from investdesk.people.schemas import PersonCreate, PersonFilter, PersonRead, PersonUpdate
from investdesk.web.deps import ActorDep, PageDep, SessionDep

router = APIRouter(prefix="/people", tags=["people"])


@router.get("", response_model=Page[PersonRead])
def list_people(session: SessionDep, actor: ActorDep, page: PageDep,
                q: str | None = None, organization_id: int | None = None, side: Side | None = None,
                country: str | None = None) -> Page[PersonRead]:
    flt = PersonFilter(q=q, organization_id=organization_id, side=side, country=country)
    rows, total = service.list_people(session, actor=actor, flt=flt, page=page)
    return Page(items=[service.to_read(p) for p in rows], total=total, page=page.page, per_page=page.per_page)


@router.post("", response_model=PersonRead, status_code=201)
def create_person(session: SessionDep, actor: ActorDep, data: PersonCreate) -> PersonRead:
    return service.to_read(service.create(session, actor=actor, data=data))


@router.get("/{person_id}", response_model=PersonRead)
def get_person(session: SessionDep, actor: ActorDep, person_id: int) -> PersonRead:
    return service.to_read(service.get(session, actor=actor, person_id=person_id))


@router.patch("/{person_id}", response_model=PersonRead)
def update_person(session: SessionDep, actor: ActorDep, person_id: int, data: PersonUpdate) -> PersonRead:
    return service.to_read(service.update(session, actor=actor, person_id=person_id, data=data))
