"""Home: where the pipeline stands, what is pending, what is mine to do."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from investdesk.models.enums import OpportunityStage
from investdesk.permissions import Perm, require
from investdesk.web.deps import ActorDep, SessionDep
from investdesk.web.routes import dashboard
from investdesk.web.routes.common import PAGE, render

router = APIRouter(include_in_schema=False, dependencies=PAGE)


@router.get("/")
def home(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    require(actor, Perm.read)
    totals = dashboard.stage_totals(session)
    open_n = sum(totals.get(s, (0, 0))[0] for s in dashboard.OPEN)
    open_value = sum(totals.get(s, (0, 0))[1] for s in dashboard.OPEN)
    pending, pending_total = dashboard.pending_mous(session, actor)
    docs, waiting = dashboard.recent_documents(session)
    return render(request, "home.html", {
        "section": "home", "open_leads": open_n, "open_value": open_value,
        "grounded": totals.get(OpportunityStage.grounded, (0, 0))[0], "mou": dashboard.mou_totals(session, actor),
        "charts": {"funnel": dashboard.funnel_chart(totals), "sectors": dashboard.sector_chart(session),
                   "countries": dashboard.country_chart(session)},
        "pending": pending, "pending_total": pending_total, "follow_ups": dashboard.my_follow_ups(session, actor),
        "documents": docs, "waiting": waiting})
