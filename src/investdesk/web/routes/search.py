"""Search across everything from the top bar: organizations, people, missions, meetings, leads, MoUs, documents."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from investdesk.search import service as search_service
from investdesk.web.deps import ActorDep, SessionDep
from investdesk.web.routes.common import PAGE, page_params, query_text, render

router = APIRouter(prefix="/search", include_in_schema=False, dependencies=PAGE)


@router.get("")
def search(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    q = query_text(request, "q")
    kind = query_text(request, "kind")
    groups = []
    pager = None
    if q and len(q) >= 2:
        if kind and kind in search_service.LABELS:
            one, pager = search_service.search_kind(session, actor=actor, q=q, kind=kind,
                                                    page=page_params(request, default_per_page=50))
            groups = [one] if one else []
        else:
            groups = search_service.search(session, actor=actor, q=q, limit=10)
    return render(request, "search.html", {"q": q, "search_q": q or "", "kind": kind, "groups": groups,
                                           "pager": pager, "found": sum(len(g.hits) for g in groups)})


@router.get("/suggest")
def suggest(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    q = query_text(request, "q")
    groups = [g for g in search_service.search(session, actor=actor, q=q, limit=3) if g.hits] \
        if q and len(q) >= 2 else []
    return render(request, "_partials/suggest.html", {"q": q, "groups": groups})
