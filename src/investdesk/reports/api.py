from __future__ import annotations

from fastapi import APIRouter

from investdesk.models.enums import OpportunityStage
from investdesk.reports import service
from investdesk.reports.schemas import (
    BlockerDimension,
    ConversionDimension,
    ConversionRow,
    FunnelRow,
    GroupTotal,
    PendingDimension,
    PipelineDimension,
    PipelineGroup,
)
from investdesk.web.deps import ActorDep, SessionDep

router = APIRouter(prefix="/reports", tags=["reports"])


@router.get("/funnel", response_model=list[FunnelRow])
def funnel(session: SessionDep, actor: ActorDep) -> list[FunnelRow]:
    """Leads by stage: now at each stage, reached it, and value (INR crore)."""
    return service.funnel(session, actor=actor)


@router.get("/pipeline", response_model=list[PipelineGroup])
def pipeline(session: SessionDep, actor: ActorDep, by: PipelineDimension = PipelineDimension.sector,
             stage: OpportunityStage | None = None) -> list[PipelineGroup]:
    """The funnel by sector, country or district."""
    return service.pipeline_by(session, actor=actor, by=by, stage=stage)


@router.get("/pending-mous", response_model=list[GroupTotal])
def pending_mous(session: SessionDep, actor: ActorDep,
                 by: PendingDimension = PendingDimension.district) -> list[GroupTotal]:
    """Pending MoUs (no status update for the pending period) by district or nodal officer."""
    return service.pending_mous_by(session, actor=actor, by=by)


@router.get("/blockers", response_model=list[GroupTotal])
def blockers(session: SessionDep, actor: ActorDep,
             by: BlockerDimension = BlockerDimension.category) -> list[GroupTotal]:
    """Open blockers by category, department, escalation level or age band."""
    return service.open_blockers_by(session, actor=actor, by=by)


@router.get("/conversion", response_model=list[ConversionRow])
def conversion(session: SessionDep, actor: ActorDep,
               by: ConversionDimension = ConversionDimension.year) -> list[ConversionRow]:
    """MoUs signed and grounded, by signing year or sector."""
    return service.conversion(session, actor=actor, by=by)
