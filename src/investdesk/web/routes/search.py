"""Search across everything from the top bar: organizations, people, missions, meetings, leads, MoUs, documents."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, load_only

from investdesk.engagements import service as engagements
from investdesk.engagements.schemas import EngagementFilter
from investdesk.formatting import country, label
from investdesk.i18n import _
from investdesk.missions import service as missions
from investdesk.missions.schemas import MissionFilter
from investdesk.models import Document
from investdesk.mous import service as mous
from investdesk.mous.schemas import MouFilter
from investdesk.organizations import service as organizations
from investdesk.organizations.schemas import OrganizationFilter
from investdesk.people import service as people
from investdesk.people.schemas import PersonFilter
from investdesk.permissions import Actor, Perm, require
from investdesk.pipeline import service as pipeline
from investdesk.pipeline.schemas import OpportunityFilter
from investdesk.web.deps import ActorDep, SessionDep
from investdesk.web.routes.common import PAGE, query_text, render

router = APIRouter(prefix="/search", include_in_schema=False, dependencies=PAGE)


def _hits(session: Session, stmt: Any, limit: int) -> tuple[list[Any], bool]:
    rows = list(session.scalars(stmt.limit(limit + 1)))
    return rows[:limit], len(rows) > limit


def search_all(session: Session, actor: Actor, q: str, limit: int) -> list[dict[str, Any]]:
    """Each kind of record matching the text: its first hits, whether there are more, and the full list's URL."""
    require(actor, Perm.read)
    groups: list[dict[str, Any]] = []

    def add(kind: str, url: str, stmt: Any, hit: Any) -> None:
        rows, more = _hits(session, stmt, limit)
        groups.append({"kind": kind, "all_url": url, "more": more, "hits": [hit(r) for r in rows]})

    qq = quote(q)
    add(_("Organizations"), f"/organizations?q={qq}", organizations.filtered(OrganizationFilter(q=q)),
        lambda o: {"title": o.name + (f" ({o.acronym})" if o.acronym else ""), "url": f"/organizations/{o.id}",
                   "sub": " · ".join(p for p in (label(o.kind), country(o.country) if o.country else "") if p)})
    add(_("People"), f"/people?q={qq}", people.filtered(PersonFilter(q=q)),
        lambda p: {"title": p.name, "url": f"/people/{p.id}",
                   "sub": ", ".join([*(p.titles or []), *([p.organization.name] if p.organization else [])])})
    add(_("Opportunities"), f"/opportunities?q={qq}", pipeline.filtered(OpportunityFilter(q=q)),
        lambda o: {"title": o.title, "url": f"/opportunities/{o.id}",
                   "sub": " · ".join(p for p in (label(o.stage), o.counterpart.name if o.counterpart else "") if p)})
    add(_("MoUs"), f"/mous?q={qq}", mous.filtered(actor, MouFilter(q=q)),
        lambda m: {"title": m.title, "url": f"/mous/{m.id}",
                   "sub": " · ".join(p for p in (label(m.status), m.district or "") if p)})
    add(_("Missions"), f"/missions?q={qq}", missions.filtered(MissionFilter(q=q)),
        lambda m: {"title": m.name, "url": f"/missions/{m.id}", "sub": " → ".join(m.cities or [])})
    add(_("Meetings"), f"/engagements?q={qq}", engagements.filtered(EngagementFilter(q=q)),
        lambda e: {"title": e.title or _("Meeting"), "url": f"/engagements/{e.id}",
                   "sub": " · ".join(p for p in (str(e.date or ""), e.city or "",
                                                 ", ".join(o.name for o in e.counterparts)) if p)})
    like = f"%{q}%"
    add(_("Documents"), f"/documents?q={qq}",
        select(Document).options(load_only(Document.id, Document.title, Document.filename, Document.ingested_at,
                                           Document.review_state))
        .where(or_(Document.title.ilike(like), Document.filename.ilike(like))).order_by(Document.ingested_at.desc()),
        lambda d: {"title": d.title or d.filename, "url": f"/documents/{d.id}", "sub": d.filename})
    return groups


@router.get("")
def search(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    q = query_text(request, "q")
    groups = search_all(session, actor, q, 10) if q and len(q) >= 2 else []
    return render(request, "search.html", {"q": q, "search_q": q or "", "groups": groups,
                                           "found": sum(len(g["hits"]) for g in groups)})


@router.get("/suggest")
def suggest(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    q = query_text(request, "q")
    groups = [g for g in search_all(session, actor, q, 3) if g["hits"]] if q and len(q) >= 2 else []
    return render(request, "_partials/suggest.html", {"q": q, "groups": groups})
