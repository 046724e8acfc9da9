"""Home: where the pipeline stands, what is pending, what is mine to do."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from investdesk import i18n
from investdesk.documents import service as documents
from investdesk.followups import service as followups
from investdesk.i18n import _
from investdesk.models.enums import OpportunityStage
from investdesk.permissions import Actor, Perm, require
from investdesk.pipeline import service as pipeline
from investdesk.reports import districts, remembered
from investdesk.reports import service as reports
from investdesk.reports.schemas import MapMetric
from investdesk.web.deps import ActorDep, SessionDep
from investdesk.web.routes import dashboard
from investdesk.web.routes.common import PAGE, query_choice, render

router = APIRouter(include_in_schema=False, dependencies=PAGE)


def figures(session: Session, actor: Actor, metric: MapMetric) -> dict[str, Any]:
    """What the home page counts for the reader's scope, with its charts and map drawn in the reader's language
    (remembered a few seconds: reports/remembered.py). The pending MoUs are kept as the few values the page
    shows, never as records of a closed session."""
    funnel = reports.funnel(session, actor=actor)
    by_stage = {r.stage: r for r in funnel}
    pending, pending_total = reports.oldest_pending_mous(session, actor=actor)
    headline = reports.mou_headline(session, actor=actor)
    district_map = districts.district_map(session, actor=actor, metric=metric)
    return {
        "open_leads": sum(by_stage[s].count for s in pipeline.OPEN),
        "open_value": sum(by_stage[s].value_inr_crore for s in pipeline.OPEN),
        "grounded": by_stage[OpportunityStage.grounded].count,
        "mou": {"count": headline.count, "value": headline.value_inr_crore, "operating": headline.operating},
        "charts": {"funnel": dashboard.funnel_chart(funnel),
                   "sectors": dashboard.sector_chart(reports.value_by_sector(session, actor=actor)),
                   "countries": dashboard.country_chart(reports.engagements_by_country(session, actor=actor))},
        "pending": [SimpleNamespace(id=m.id, title=m.title, status=m.status, district=m.district,
                                    status_updated_at=m.status_updated_at) for m in pending],
        "pending_total": pending_total,
        "dm": dashboard.district_map_view(district_map, title=_("Districts"))}


def _memory(request: Request) -> remembered.Figures:
    state = request.app.state
    if not hasattr(state, "home_figures"):
        state.home_figures = remembered.Figures()
    memory: remembered.Figures = state.home_figures
    return memory


@router.get("/")
def home(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    require(actor, Perm.read)
    metric = MapMetric(query_choice(request, "map", [m.value for m in MapMetric]) or "pipeline")
    key = (remembered.scope(actor), metric, i18n.current())
    counted = _memory(request).get(key, lambda: figures(session, actor, metric))
    docs, waiting = documents.recent(session, actor=actor)
    return render(request, "home.html", {
        **counted, "section": "home", "documents": docs, "waiting": waiting,
        "follow_ups": dashboard.agenda_rows(followups.agenda(session, actor=actor))})
