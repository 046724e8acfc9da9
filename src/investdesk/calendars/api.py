"""Calendar files: a user's feed behind its secret address (no sign-in: calendar programs cannot sign in),
and a mission's itinerary."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from investdesk.calendars import service
from investdesk.web.deps import ActorDep, SessionDep

router = APIRouter(tags=["calendars"])
ICS = "text/calendar; charset=utf-8"


@router.get("/calendar/{secret}.ics", response_class=Response, include_in_schema=False)
def user_feed(session: SessionDep, secret: str) -> Response:
    return Response(service.feed(session, token=secret), media_type=ICS, headers={"Cache-Control": "no-store"})


@router.get("/missions/{mission_id}.ics", response_class=Response)
def mission_itinerary(session: SessionDep, actor: ActorDep, mission_id: int) -> Response:
    """The mission's days and meetings as an iCalendar file."""
    name, body = service.mission_ics(session, actor=actor, mission_id=mission_id)
    return Response(body, media_type=ICS, headers={"Content-Disposition": f'attachment; filename="{name}"'})
