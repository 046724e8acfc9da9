from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from investdesk.models.enums import OpportunityStage
from investdesk.paging import Page
from investdesk.pipeline import owners, service
from investdesk.pipeline.schemas import (
    OpportunityCreate,
    OpportunityFilter,
    OpportunityRead,
    OpportunityUpdate,
    StageMove,
)
from investdesk.web.deps import ActorDep, PageDep, SessionDep

router = APIRouter(prefix="/opportunities", tags=["opportunities"])


@router.get("", response_model=Page[OpportunityRead])
def list_opportunities(session: SessionDep, actor: ActorDep, page: PageDep,
                       q: str | None = None, stage: OpportunityStage | None = None, sector: str | None = None,
                       district: str | None = None, country: str | None = None, owner_id: int | None = None,
                       counterpart_id: int | None = None) -> Page[OpportunityRead]:
    flt = OpportunityFilter(q=q, stage=stage, sector=sector, district=district, country=country, owner_id=owner_id,
                            counterpart_id=counterpart_id)
    items, total = service.list_read(session, actor=actor, flt=flt, page=page)
    return Page(items=items, total=total, page=page.page, per_page=page.per_page)


@router.post("", response_model=OpportunityRead, status_code=201)
def create_opportunity(session: SessionDep, actor: ActorDep, data: OpportunityCreate) -> OpportunityRead:
    return service.to_read(service.create(session, actor=actor, data=data))


class OwnerDefaultIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    sector: str | None = Field(default=None, description="Sector id or name.")
    country: str | None = Field(default=None, min_length=2, max_length=2, description="ISO country code.")
    owner_id: int | None = Field(description="The user who owns new leads of this sector/country; null removes it.")


class OwnerDefaultRead(BaseModel):
    sector: str | None
    country: str | None
    owner_id: int


@router.get("/owner-defaults", response_model=list[OwnerDefaultRead])
def list_owner_defaults(session: SessionDep, actor: ActorDep) -> list[OwnerDefaultRead]:
    """Who owns new leads accepted from documents, by sector and/or country (else the person accepting)."""
    return [OwnerDefaultRead(sector=r.sector_id, country=r.country, owner_id=r.owner_id)
            for r in owners.list_defaults(session, actor=actor)]


@router.put("/owner-defaults", response_model=OwnerDefaultRead | None)
def set_owner_default(session: SessionDep, actor: ActorDep, data: OwnerDefaultIn) -> OwnerDefaultRead | None:
    """Name (managers) the default owner of new leads of a sector and/or country; owner_id null removes it."""
    row = owners.set_default(session, actor=actor, sector=data.sector, country=data.country, owner_id=data.owner_id)
    return OwnerDefaultRead(sector=row.sector_id, country=row.country, owner_id=row.owner_id) if row else None


@router.get("/{opportunity_id}", response_model=OpportunityRead)
def get_opportunity(session: SessionDep, actor: ActorDep, opportunity_id: int) -> OpportunityRead:
    return service.to_read(service.get(session, actor=actor, opportunity_id=opportunity_id))


@router.patch("/{opportunity_id}", response_model=OpportunityRead)
def update_opportunity(session: SessionDep, actor: ActorDep, opportunity_id: int,
                       data: OpportunityUpdate) -> OpportunityRead:
    """Change the fields given; send the version you read, a newer one is a 409 conflict."""
    return service.to_read(service.update(session, actor=actor, opportunity_id=opportunity_id, data=data))


@router.post("/{opportunity_id}/move", response_model=OpportunityRead)
def move_opportunity(session: SessionDep, actor: ActorDep, opportunity_id: int, data: StageMove) -> OpportunityRead:
    return service.to_read(service.move(session, actor=actor, opportunity_id=opportunity_id, data=data))


class ClaimIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int | None = Field(default=None, description="The version you read; required unless force is true.")
    force: bool = Field(default=False, description="Claim without a version (noted in the audit trail).")


@router.post("/{opportunity_id}/claim", response_model=OpportunityRead)
def claim_opportunity(session: SessionDep, actor: ActorDep, opportunity_id: int, data: ClaimIn) -> OpportunityRead:
    """Become the owner of a lead that has none; a lead someone owns is a 409."""
    return service.to_read(service.claim(session, actor=actor, opportunity_id=opportunity_id,
                                         version=data.version, force=data.force))
