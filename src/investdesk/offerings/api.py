from __future__ import annotations

from fastapi import APIRouter

from investdesk.offerings import service
from investdesk.offerings.schemas import OfferingCreate, OfferingRead, PolicyCreate, PolicyRead
from investdesk.web.deps import ActorDep, SessionDep

router = APIRouter(tags=["offerings and policies"])


@router.get("/offerings", response_model=list[OfferingRead])
def list_offerings(session: SessionDep, actor: ActorDep) -> list[OfferingRead]:
    return [OfferingRead.model_validate(o) for o in service.list_offerings(session, actor=actor)]


@router.post("/offerings", response_model=OfferingRead, status_code=201)
def create_offering(session: SessionDep, actor: ActorDep, data: OfferingCreate) -> OfferingRead:
    return OfferingRead.model_validate(service.create_offering(session, actor=actor, data=data))


@router.get("/policies", response_model=list[PolicyRead])
def list_policies(session: SessionDep, actor: ActorDep) -> list[PolicyRead]:
    return [PolicyRead.model_validate(p) for p in service.list_policies(session, actor=actor)]


@router.post("/policies", response_model=PolicyRead, status_code=201)
def create_policy(session: SessionDep, actor: ActorDep, data: PolicyCreate) -> PolicyRead:
    return PolicyRead.model_validate(service.create_policy(session, actor=actor, data=data))
