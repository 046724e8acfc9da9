from __future__ import annotations

from fastapi import APIRouter

from investdesk.models.enums import OrgKind
from investdesk.organizations import service
from investdesk.organizations.schemas import (
    OrganizationCreate,
    OrganizationFilter,
    OrganizationRead,
    OrganizationUpdate,
)
from investdesk.paging import Page
from investdesk.web.deps import ActorDep, PageDep, SessionDep

router = APIRouter(prefix="/organizations", tags=["organizations"])


@router.get("", response_model=Page[OrganizationRead])
def list_organizations(session: SessionDep, actor: ActorDep, page: PageDep,
                       q: str | None = None, country: str | None = None, kind: OrgKind | None = None,
                       sector: str | None = None) -> Page[OrganizationRead]:
    flt = OrganizationFilter(q=q, country=country, kind=kind, sector=sector)
    items, total = service.list_read(session, actor=actor, flt=flt, page=page)
    return Page(items=items, total=total, page=page.page, per_page=page.per_page)


@router.post("", response_model=OrganizationRead, status_code=201)
def create_organization(session: SessionDep, actor: ActorDep, data: OrganizationCreate) -> OrganizationRead:
    return service.to_read(service.create(session, actor=actor, data=data))


@router.get("/{organization_id}", response_model=OrganizationRead)
def get_organization(session: SessionDep, actor: ActorDep, organization_id: int) -> OrganizationRead:
    return service.to_read(service.get(session, actor=actor, organization_id=organization_id))


@router.patch("/{organization_id}", response_model=OrganizationRead)
def update_organization(session: SessionDep, actor: ActorDep, organization_id: int,
                        data: OrganizationUpdate) -> OrganizationRead:
    return service.to_read(service.update(session, actor=actor, organization_id=organization_id, data=data))

