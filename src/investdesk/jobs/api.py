"""REST API: the scheduled jobs, their last and next runs; an administrator may run one now."""

from __future__ import annotations

from fastapi import APIRouter, Request

from investdesk.jobs import service
from investdesk.jobs.schemas import JobRead, JobResult
from investdesk.permissions import Perm, require
from investdesk.web.deps import ActorDep, SessionDep

router = APIRouter(prefix="/jobs", tags=["jobs"])


@router.get("", response_model=list[JobRead])
def list_jobs(session: SessionDep, actor: ActorDep) -> list[JobRead]:
    return service.list_jobs(session, actor=actor)


@router.post("/{name}/run", response_model=JobResult)
def run_job(request: Request, actor: ActorDep, name: str) -> JobResult:
    """Runs in this request's thread, in the job's own transactions (not the request's)."""
    require(actor, Perm.admin)
    return service.run_now(request.app.state.engine, actor=actor, name=name)
