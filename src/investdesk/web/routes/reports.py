"""Reports: the summaries the agency is judged on, as charts and tables with links to the lists behind them.

A date range narrows them: leads by the day they were created, MoUs by their signing date. A financial year
(``fy=2026-27``, April to March) is a range of its own and wins over the dates."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import Response

from investdesk.errors import ValidationFailed
from investdesk.i18n import _
from investdesk.permissions import Perm, require
from investdesk.reports import districts, periods, service
from investdesk.reports.schemas import (
    BlockerDimension,
    ConversionDimension,
    MapMetric,
    MouWindow,
    PendingDimension,
    PipelineDimension,
)
from investdesk.web.deps import ActorDep, SessionDep
from investdesk.web.routes import dashboard
from investdesk.web.routes.common import PAGE, query_choice, render

router = APIRouter(prefix="/reports", include_in_schema=False, dependencies=PAGE)


def query_day(request: Request, name: str, errors: dict[str, str]) -> dt.date | None:
    """A day from the query string (YYYY-MM-DD); a malformed one is reported by name and ignored."""
    value = (request.query_params.get(name) or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        errors[name] = _("“%(value)s” is not a date (YYYY-MM-DD); %(name)s is ignored.", value=value, name=name)
        return None


@router.get("")
def reports_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    require(actor, Perm.read)
    by = PipelineDimension(query_choice(request, "by", [d.value for d in PipelineDimension]) or "sector")
    blockers_by = BlockerDimension(query_choice(request, "blockers", [d.value for d in BlockerDimension]) or "age")
    conversion_by = ConversionDimension(query_choice(request, "conversion", [d.value for d in ConversionDimension])
                                        or "year")
    errors: dict[str, str] = {}
    start, end = query_day(request, "from", errors), query_day(request, "to", errors)
    fy_text = (request.query_params.get("fy") or "").strip()
    if fy_text:
        try:
            start, end = periods.bounds(periods.parse(fy_text))
        except ValidationFailed as exc:
            errors["fy"] = _("%(error)s; the financial year is ignored.", error=exc)
    if start and end and start > end:
        errors["to"] = _("The range ends (%(end)s) before it starts (%(start)s); the dates are swapped.", end=end,
                         start=start)
        start, end = end, start
    window = MouWindow(signed_from=start, signed_to=end) if start or end else None
    metric = MapMetric(query_choice(request, "map", [m.value for m in MapMetric]) or "pipeline")
    # The map's pipeline is by district: read with the funnel when the page is by sector.
    by_district = by is PipelineDimension.district or (by is PipelineDimension.sector and metric is MapMetric.pipeline)
    read_by = PipelineDimension.district if by_district else by
    funnel, grouped = service.funnel_and_pipeline(session, actor=actor, by=read_by, created_from=start,
                                                  created_to=end)
    pipeline = grouped if read_by is by else \
        service.pipeline_by(session, actor=actor, by=by, created_from=start, created_to=end)
    district_map = districts.district_map(session, actor=actor, metric=metric, window=window, created_from=start,
                                          created_to=end, pipeline=grouped if by_district else None)
    by_sector = pipeline if by is PipelineDimension.sector else \
        service.pipeline_by(session, actor=actor, by=PipelineDimension.sector, created_from=start, created_to=end)
    pending_district = service.pending_mous_by(session, actor=actor, by=PendingDimension.district, window=window)
    conversion = service.conversion(session, actor=actor, by=conversion_by, window=window)
    by_year = conversion if conversion_by is ConversionDimension.year else \
        service.conversion(session, actor=actor, by=ConversionDimension.year, window=window)
    return render(request, "reports.html", {
        "section": "reports", "by": by, "blockers_by": blockers_by, "conversion_by": conversion_by,
        "dimensions": list(PipelineDimension), "blocker_dimensions": list(BlockerDimension),
        "conversion_dimensions": list(ConversionDimension),
        "start": start, "end": end, "range_errors": errors, "fy_choices": periods.choices(),
        "fy": periods.of_range(start, end), "fy_label": periods.label,
        "funnel": funnel, "pipeline": pipeline[:40], "pending_district": pending_district[:40],
        "pending_officer": service.pending_mous_by(session, actor=actor, by=PendingDimension.nodal_officer,
                                                   window=window)[:40],
        "blockers": service.open_blockers_by(session, actor=actor, by=blockers_by, window=window),
        "conversion": conversion, "dm": dashboard.district_map_view(district_map, title=_("Districts")),
        "charts": {"funnel": dashboard.funnel_chart(funnel), "sectors": dashboard.pipeline_sector_chart(by_sector),
                   "pending": dashboard.pending_chart(pending_district),
                   "conversion": dashboard.conversion_chart(by_year)}})
