"""Missions: list, itinerary by date and city with its meetings and delegates, a route diagram; meetings."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from investdesk.documents import service as documents
from investdesk.engagements import service as engagements
from investdesk.engagements.schemas import EngagementFilter
from investdesk.i18n import _
from investdesk.missions import service
from investdesk.missions.schemas import MissionFilter
from investdesk.models import Engagement, Mission
from investdesk.models.enums import RecordKind
from investdesk.permissions import Perm, require
from investdesk.web.deps import ActorDep, SessionDep
from investdesk.web.routes import changes, choices, followups
from investdesk.web.routes.common import (
    PAGE,
    Sort,
    csv_response,
    htmx_target,
    listing,
    page_params,
    query_int,
    query_text,
    render,
)

router = APIRouter(include_in_schema=False, dependencies=PAGE)

SORTS = {"name": Mission.name, "start": Mission.start_date, "end": Mission.end_date}
MEETING_SORTS = {"date": Engagement.date, "title": Engagement.title, "city": Engagement.city,
                 "country": Engagement.country}


@router.get("/missions")
def list_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    require(actor, Perm.read)
    flt = MissionFilter(q=query_text(request, "q"), country=query_text(request, "country", 2))
    stmt = service.filtered(flt)
    sort = Sort.parse(request.query_params.get("sort"), SORTS, "-start")
    if request.query_params.get("format") == "csv":
        return csv_response(request.app.state.engine, sort.apply(stmt, Mission.id),
                            ["id", "name", "home_jurisdiction", "countries", "cities", "start_date", "end_date",
                             "delegates"],
                            lambda m: [m.id, m.name, m.home_jurisdiction, "; ".join(m.countries or []),
                                       "; ".join(m.cities or []), m.start_date, m.end_date,
                                       "; ".join(p.name for p in m.delegates)], "missions.csv")
    rows, pager, delegates = service.page_of(session, stmt, sort, page_params(request))
    ctx = {"rows": rows, "pager": pager, "sort": sort, "flt": flt, "section": "missions", "delegates": delegates}
    template = "missions/_results.html" if htmx_target(request) == "results" else "missions/list.html"
    return render(request, template, ctx)


def itinerary(engs: list[Engagement]) -> list[dict[str, Any]]:
    """Meetings grouped by day, then by city, in date order (undated ones last)."""
    days: OrderedDict[dt.date | None, OrderedDict[str, list[Engagement]]] = OrderedDict()
    for e in sorted(engs, key=lambda e: (e.date is None, e.date or dt.date.min, e.id)):
        days.setdefault(e.date, OrderedDict()).setdefault(e.city or _("City not recorded"), []).append(e)
    return [{"date": d, "cities": [{"city": c, "meetings": ms} for c, ms in cities.items()]}
            for d, cities in days.items()]


def route(mission: Mission, engs: list[Engagement], width: int = 860) -> dict[str, Any]:
    """Stops of the route diagram: the cities in the order of their meetings' dates (a city left and come back
    to is a stop again: Osaka, Tokyo, Osaka), then the mission's other cities in the order listed."""
    legs: list[tuple[str, list[dt.date]]] = []
    dated = sorted((e for e in engs if e.date and e.city), key=lambda e: (e.date, e.id))
    for e in dated:
        if legs and legs[-1][0] == e.city:
            legs[-1][1].append(e.date)  # type: ignore[arg-type]
        else:
            legs.append((e.city, [e.date]))  # type: ignore[arg-type, list-item]
    seen = {city for city, _ in legs}
    for city in [*(e.city for e in sorted(engs, key=lambda e: e.id) if e.city and not e.date), *(mission.cities or [])]:
        if city not in seen:
            seen.add(city)
            legs.append((city, []))
    names = [city for city, _ in legs]
    n = len(names)
    margin = 70
    step = (width - 2 * margin) / (n - 1) if n > 1 else 0
    stops = []
    for i, city in enumerate(names):
        x = margin + i * step if n > 1 else width / 2
        y = 70 + (18 if i % 2 else -6)
        dates = legs[i][1]
        when = ""
        if dates:
            lo, hi = min(dates), max(dates)
            when = f"{lo.day} {lo:%b}" + (f" – {hi.day} {hi:%b}" if hi != lo else "")
        stops.append({"x": round(x, 1), "y": y, "city": city, "when": when, "first": i == 0})
    path = " ".join(f"{'M' if i == 0 else 'L'} {s['x']} {s['y']}" for i, s in enumerate(stops))
    return {"width": width, "height": 140, "stops": stops, "path": path}


@router.get("/missions/{mission_id}")
def detail(request: Request, session: SessionDep, actor: ActorDep, mission_id: int) -> Response:
    mission = service.get(session, actor=actor, mission_id=mission_id)
    engs = engagements.first_of(session, actor=actor, flt=EngagementFilter(mission_id=mission_id), limit=500)
    docs = documents.sources_of(session, actor=actor, entity_type="mission", entity_id=mission_id,
                                   ids={mission.document_id} | {e.document_id for e in engs})
    return render(request, "missions/detail.html", {
        "mission": mission, "days": itinerary(engs), "route": route(mission, engs), "meetings": len(engs),
        "documents": docs, "section": "missions", "changes": changes.panel(request, session, "mission", mission.id),
        "followups": followups.panel(request, session, RecordKind.mission, mission.id)})


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@router.get("/engagements")
def meetings(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """Every meeting, filtered by text, place, sector and dates."""
    require(actor, Perm.read)
    flt = EngagementFilter(q=query_text(request, "q"), country=query_text(request, "country", 2),
                           city=query_text(request, "city", 120), sector=query_text(request, "sector", 40),
                           mission_id=query_int(request, "mission_id"),
                           organization_id=query_int(request, "organization_id"),
                           person_id=query_int(request, "person_id"),
                           date_from=_date(query_text(request, "date_from", 10)),
                           date_to=_date(query_text(request, "date_to", 10)))
    stmt = engagements.filtered(flt)
    sort = Sort.parse(request.query_params.get("sort"), MEETING_SORTS, "-date")
    if request.query_params.get("format") == "csv":
        return csv_response(request.app.state.engine, sort.apply(stmt, Engagement.id),
                            ["id", "date", "title", "city", "country", "venue", "counterparts", "participants",
                             "sectors", "mission_id", "document_id"],
                            lambda e: [e.id, e.date, e.title, e.city, e.country, e.venue,
                                       "; ".join(o.name for o in e.counterparts),
                                       "; ".join(p.name for p in e.participants),
                                       "; ".join(s.id for s in e.sectors), e.mission_id, e.document_id],
                            "meetings.csv")
    rows, pager = listing(session, stmt, sort, Engagement.id, page_params(request))
    ctx = {"rows": rows, "pager": pager, "sort": sort, "flt": flt, "section": "meetings",
           "sectors": choices.sector_options(session)}
    template = "missions/_meetings.html" if htmx_target(request) == "results" else "missions/meetings.html"
    return render(request, template, ctx)


@router.get("/engagements/{engagement_id}")
def engagement(request: Request, session: SessionDep, actor: ActorDep, engagement_id: int) -> Response:
    e = engagements.get(session, actor=actor, engagement_id=engagement_id)
    mission = service.get(session, actor=actor, mission_id=e.mission_id) if e.mission_id else None
    docs = documents.sources_of(session, actor=actor, entity_type="engagement", entity_id=e.id,
                                   ids={e.document_id})
    return render(request, "missions/engagement.html", {
        "e": e, "mission": mission, "documents": docs,
        "section": "missions", "changes": changes.panel(request, session, "engagement", e.id),
        "followups": followups.panel(request, session, RecordKind.engagement, e.id)})
