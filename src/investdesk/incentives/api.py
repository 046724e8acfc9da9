from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel

from investdesk.incentives import service
from investdesk.incentives.schemas import CalculateIn, CalculationOut, PolicyEdit, PolicySummary
from investdesk.web.deps import ActorDep, SessionDep

router = APIRouter(prefix="/incentives", tags=["incentives"])
PolicyId = Annotated[str, Path(pattern=r"^[a-z0-9_]{1,60}$")]


class PolicyOut(BaseModel):
    summary: PolicySummary
    document: str
    versions: list[dict[str, object]]


@router.post("/calculate", response_model=CalculationOut)
def calculate(session: SessionDep, actor: ActorDep, data: CalculateIn) -> CalculationOut:
    """Each policy's verdict and figures for a project (or a lead or MoU by id); indicative, subject to the LoC."""
    return service.calculate(session, actor=actor, data=data)


@router.get("/policies", response_model=list[PolicySummary])
def list_policies(session: SessionDep, actor: ActorDep, on: dt.date | None = None) -> list[PolicySummary]:
    """The policies as in force on a date (default today), with their version and unknown rules."""
    return service.list_policies(session, actor=actor, on=on)


def _out(session: SessionDep, actor: ActorDep, policy_id: str) -> PolicyOut:
    cur = service.get_policy(session, actor=actor, policy_id=policy_id)
    summary = next(s for s in service.list_policies(session, actor=actor) if s.id == policy_id)
    rows = service.versions(session, actor=actor, policy_id=policy_id)
    return PolicyOut(summary=summary, document=cur.text, versions=[
        {"id": v.id, "effective_from": v.effective_from.isoformat(), "note": v.note} for v in rows])


@router.get("/policies/{policy_id}", response_model=PolicyOut)
def get_policy(session: SessionDep, actor: ActorDep, policy_id: PolicyId) -> PolicyOut:
    """One policy's YAML as in force today and its edited versions."""
    return _out(session, actor, policy_id)


@router.put("/policies/{policy_id}", response_model=PolicyOut)
def edit_policy(session: SessionDep, actor: ActorDep, policy_id: PolicyId, data: PolicyEdit) -> PolicyOut:
    """A new version of the policy (its whole YAML), in force from ``effective_from``; managers and admins."""
    service.edit_policy(session, actor=actor, policy_id=policy_id, data=data)
    session.flush()
    return _out(session, actor, policy_id)
