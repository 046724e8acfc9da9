"""Home: where the pipeline stands, what is pending, what is mine to do."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from investdesk.models.enums import OpportunityStage
from investdesk.permissions import Perm, require
from investdesk.pipeline import service as pipeline
from investdesk.reports import service as reports
from investdesk.web.deps import ActorDep, SessionDep
from investdesk.web.routes import dashboard
from investdesk.web.routes.common import PAGE, render

router = APIRouter(include_in_schema=False, dependencies=PAGE)


@router.get("/")
def home(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    require(actor, Perm.read)
    funnel = reports.funnel(session, actor=actor)
    by_stage = {r.stage: r for r in funnel}
    open_n = sum(by_stage[s].count for s in pipeline.OPEN)
    open_value = sum(by_stage[s].value_inr_crore for s in pipeline.OPEN)
    pending, pending_total = dashboard.pending_mous(session, actor)
    docs, waiting = dashboard.recent_documents(session)
    return render(request, "home.html", {
        "section": "home", "open_leads": open_n, "open_value": open_value,
        "grounded": by_stage[OpportunityStage.grounded].count, "mou": dashboard.mou_totals(session, actor),
        "charts": {"funnel": dashboard.funnel_chart(funnel), "sectors": dashboard.sector_chart(session),
                   "countries": dashboard.country_chart(session)},
        "pending": pending, "pending_total": pending_total, "follow_ups": dashboard.my_follow_ups(session, actor),
        "documents": docs, "waiting": waiting})
