from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from investdesk.models.enums import BlockerCategory, EscalationLevel, MouStatus
from investdesk.mous import blockers, service
from investdesk.mous.schemas import (
    BlockerCreate,
    BlockerFilter,
    BlockerRead,
    BlockerResolve,
    MouCreate,
    MouFilter,
    MouRead,
    MouUpdate,
    StatusUpdate,
)
from investdesk.paging import Page, PageParams
from investdesk.web.deps import ActorDep, SessionDep

router = APIRouter(prefix="/mous", tags=["mous"])
blockers_router = APIRouter(prefix="/blockers", tags=["blockers"])


@router.get("", response_model=Page[MouRead])
def list_mous(session: SessionDep, actor: ActorDep, page: Annotated[PageParams, Depends()], q: str | None = None,
              status: MouStatus | None = None, district: str | None = None, department: str | None = None,
              sector: str | None = None, pending: bool = False) -> Page[MouRead]:
    flt = MouFilter(q=q, status=status, district=district, department=department, sector=sector, pending=pending)
    rows, total = service.list_mous(session, actor=actor, flt=flt, page=page)
    return Page(items=[service.to_read(m) for m in rows], total=total, page=page.page, per_page=page.per_page)


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


@blockers_router.get("", response_model=Page[BlockerRead])
def list_blockers(session: SessionDep, actor: ActorDep, page: Annotated[PageParams, Depends()],
                  open: bool | None = Query(True, description="true: open; false: resolved; omit the value: all."),
                  category: BlockerCategory | None = None, department: str | None = None,
                  level: EscalationLevel | None = None, district: str | None = None,
                  mou_id: int | None = None) -> Page[BlockerRead]:
    flt = BlockerFilter(open=open, category=category, department=department, level=level, district=district,
                        mou_id=mou_id)
    rows, total = blockers.list_blockers(session, actor=actor, flt=flt, page=page)
    return Page(items=[blockers.to_read(b) for b in rows], total=total, page=page.page, per_page=page.per_page)


@blockers_router.get("/{blocker_id}", response_model=BlockerRead)
def get_blocker(session: SessionDep, actor: ActorDep, blocker_id: int) -> BlockerRead:
    return blockers.to_read(blockers.get(session, actor=actor, blocker_id=blocker_id))


@blockers_router.post("/{blocker_id}/resolve", response_model=BlockerRead)
def resolve_blocker(session: SessionDep, actor: ActorDep, blocker_id: int, data: BlockerResolve) -> BlockerRead:
    return blockers.to_read(blockers.resolve(session, actor=actor, blocker_id=blocker_id, data=data))


@blockers_router.post("/escalate", response_model=list[BlockerRead])
def escalate_blockers(session: SessionDep, actor: ActorDep) -> list[BlockerRead]:
    """Raise every open blocker to the level its age has reached; returns those that moved."""
    return [blockers.to_read(b) for b in blockers.escalate(session, actor=actor)]
