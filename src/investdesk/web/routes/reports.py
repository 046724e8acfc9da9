"""Reports: the summaries the agency is judged on, as tables with links to the lists behind them."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from investdesk.permissions import Perm, require
from investdesk.reports import service
from investdesk.reports.schemas import BlockerDimension, ConversionDimension, PendingDimension, PipelineDimension
from investdesk.web.deps import ActorDep, SessionDep
from investdesk.web.routes.common import PAGE, query_choice, render

router = APIRouter(prefix="/reports", include_in_schema=False, dependencies=PAGE)


@router.get("")
def reports_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    require(actor, Perm.read)
    by = PipelineDimension(query_choice(request, "by", [d.value for d in PipelineDimension]) or "sector")
    blockers_by = BlockerDimension(query_choice(request, "blockers", [d.value for d in BlockerDimension]) or "age")
    conversion_by = ConversionDimension(query_choice(request, "conversion", [d.value for d in ConversionDimension])
                                        or "year")
    return render(request, "reports.html", {
        "section": "reports", "by": by, "blockers_by": blockers_by, "conversion_by": conversion_by,
        "dimensions": list(PipelineDimension), "blocker_dimensions": list(BlockerDimension),
        "conversion_dimensions": list(ConversionDimension),
        "funnel": service.funnel(session, actor=actor),
        "pipeline": service.pipeline_by(session, actor=actor, by=by)[:40],
        "pending_district": service.pending_mous_by(session, actor=actor, by=PendingDimension.district)[:40],
        "pending_officer": service.pending_mous_by(session, actor=actor, by=PendingDimension.nodal_officer)[:40],
        "blockers": service.open_blockers_by(session, actor=actor, by=blockers_by),
        "conversion": service.conversion(session, actor=actor, by=conversion_by)})
