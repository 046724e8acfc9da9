from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from investdesk.matchmaking import service
from investdesk.matchmaking.schemas import MatchResult, TripIn
from investdesk.web.deps import ActorDep, SessionDep

router = APIRouter(prefix="/match", tags=["matchmaking"])
Limit = Annotated[int, Query(ge=1, le=500)]


@router.get("/offerings/{offering_id}", response_model=MatchResult)
def match_offering(session: SessionDep, actor: ActorDep, offering_id: int, limit: Limit = 50) -> MatchResult:
    """The organizations that fit an offering, ranked; each score the sum of its shown signals."""
    return service.for_offering(session, actor=actor, offering_id=offering_id, limit=limit)


@router.get("/policies/{policy_id}", response_model=MatchResult)
def match_policy(session: SessionDep, actor: ActorDep, policy_id: Annotated[str, Path(pattern=r"^[a-z0-9_]{1,60}$")],
                 limit: Limit = 50) -> MatchResult:
    """The organizations that fit an incentive policy, ranked."""
    return service.for_policy(session, actor=actor, policy_id=policy_id, limit=limit)


@router.get("/organizations/{organization_id}", response_model=MatchResult)
def match_organization(session: SessionDep, actor: ActorDep, organization_id: int) -> MatchResult:
    """The offerings and policies that fit an organization."""
    return service.for_organization(session, actor=actor, organization_id=organization_id)


@router.get("/trip", response_model=MatchResult)
def match_trip(session: SessionDep, actor: ActorDep, country: Annotated[str, Query(pattern=r"^[A-Za-z]{2}$")],
               city: Annotated[list[str] | None, Query(max_length=20)] = None,
               sector: Annotated[list[str] | None, Query(max_length=20)] = None, limit: Limit = 100) -> MatchResult:
    """Whom to meet in a country: open leads and overdue follow-ups first, then new fits."""
    trip = TripIn(country=country, cities=[c[:120] for c in city or []], sectors=[s[:120] for s in sector or []])
    return service.for_trip(session, actor=actor, trip=trip, limit=limit)
