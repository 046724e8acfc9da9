"""Home: where the pipeline stands, what is pending, what is mine to do."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from investdesk.documents import service as documents
from investdesk.followups import service as followups
from investdesk.i18n import _
from investdesk.models.enums import OpportunityStage
from investdesk.permissions import Perm, require
from investdesk.pipeline import service as pipeline
from investdesk.reports import districts
from investdesk.reports import service as reports
from investdesk.reports.schemas import MapMetric
from investdesk.web.deps import ActorDep, SessionDep
from investdesk.web.routes import dashboard
from investdesk.web.routes.common import PAGE, query_choice, render

router = APIRouter(include_in_schema=False, dependencies=PAGE)


@router.get("/")
def home(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    require(actor, Perm.read)
    funnel = reports.funnel(session, actor=actor)
    by_stage = {r.stage: r for r in funnel}
    pending, pending_total = reports.oldest_pending_mous(session, actor=actor)
    docs, waiting = documents.recent(session, actor=actor)
    headline = reports.mou_headline(session, actor=actor)
    metric = MapMetric(query_choice(request, "map", [m.value for m in MapMetric]) or "pipeline")
    district_map = districts.district_map(session, actor=actor, metric=metric)
    return render(request, "home.html", {
        "section": "home", "open_leads": sum(by_stage[s].count for s in pipeline.OPEN),
        "open_value": sum(by_stage[s].value_inr_crore for s in pipeline.OPEN),
        "grounded": by_stage[OpportunityStage.grounded].count,
        "mou": {"count": headline.count, "value": headline.value_inr_crore, "operating": headline.operating},
        "charts": {"funnel": dashboard.funnel_chart(funnel),
                   "sectors": dashboard.sector_chart(reports.value_by_sector(session, actor=actor)),
                   "countries": dashboard.country_chart(reports.engagements_by_country(session, actor=actor))},
        "pending": pending, "pending_total": pending_total,
        "follow_ups": dashboard.agenda_rows(followups.agenda(session, actor=actor)),
        "documents": docs, "waiting": waiting,
        "dm": dashboard.district_map_view(district_map, title=_("Districts"))})
