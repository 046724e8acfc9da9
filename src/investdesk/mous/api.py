from __future__ import annotations

from fastapi import APIRouter

from investdesk.blockers import service as blockers
from investdesk.blockers.schemas import BlockerCreate
from investdesk.models.enums import MouStatus
from investdesk.mous import service
from investdesk.mous.schemas import (
    MouCreate,
    MouFilter,
    MouRead,
    MouUpdate,
    StatusUpdate,
)
from investdesk.paging import Page
from investdesk.web.deps import ActorDep, PageDep, SessionDep

router = APIRouter(prefix="/mous", tags=["mous"])


@router.get("", response_model=Page[MouRead])
def list_mous(session: SessionDep, actor: ActorDep, page: PageDep, q: str | None = None,
              status: MouStatus | None = None, district: str | None = None, department: str | None = None,
              sector: str | None = None, pending: bool = False) -> Page[MouRead]:
    flt = MouFilter(q=q, status=status, district=district, department=department, sector=sector, pending=pending)
    items, total = service.list_read(session, actor=actor, flt=flt, page=page)
    return Page(items=items, total=total, page=page.page, per_page=page.per_page)


@router.post("", response_model=MouRead, status_code=201)
def create_mou(session: SessionDep, actor: ActorDep, data: MouCreate) -> MouRead:
    return service.to_read(service.create(session, actor=actor, data=data))


@router.get("/{mou_id}", response_model=MouRead)
def get_mou(session: SessionDep, actor: ActorDep, mou_id: int) -> MouRead:
    return service.to_read(service.get(session, actor=actor, mou_id=mou_id))


@router.patch("/{mou_id}", response_model=MouRead)
def update_mou(session: SessionDep, actor: ActorDep, mou_id: int, data: MouUpdate) -> MouRead:
    """Change the fields given; naming a nodal officer or account manager overrides the assignment by size."""
    return service.to_read(service.update(session, actor=actor, mou_id=mou_id, data=data))


@router.post("/{mou_id}/status", response_model=MouRead)
def update_status(session: SessionDep, actor: ActorDep, mou_id: int, data: StatusUpdate) -> MouRead:
    return service.to_read(service.update_status(session, actor=actor, mou_id=mou_id, data=data))


@router.post("/{mou_id}/blockers", response_model=MouRead, status_code=201)
def add_blocker(session: SessionDep, actor: ActorDep, mou_id: int, data: BlockerCreate) -> MouRead:
    blockers.add(session, actor=actor, mou_id=mou_id, data=data)
    return service.to_read(service.get(session, actor=actor, mou_id=mou_id))
