"""Editing a mission or a meeting: the fields a trip report may have left out (a date, a city, a venue)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from investdesk.engagements import service as engagements
from investdesk.engagements.schemas import EngagementUpdate
from investdesk.errors import InvestDeskError
from investdesk.i18n import _
from investdesk.missions import service as missions
from investdesk.missions.schemas import MissionUpdate
from investdesk.models import Engagement, Mission
from investdesk.paging import PageParams
from investdesk.permissions import Actor, Perm, require
from investdesk.web.deps import ActorDep, FormDep, SessionDep
from investdesk.web.routes import choices
from investdesk.web.routes.common import (
    PAGE,
    form_errors,
    form_list,
    form_text,
    redirect,
    render,
    reraise_unless_form_error,
)

router = APIRouter(include_in_schema=False, dependencies=PAGE)


def _version(form: Any) -> int | None:
    version = form_text(form, "version")
    return int(version) if version and version.isdigit() else None


def _save_edit(request: Request, session: Session, form: Any, values: dict[str, Any], *,
               save: Callable[[int | None], object], form_again: Callable[[dict[str, str]], Response],
               saved_url: str) -> Response:
    """Save an edit form at the version it was read at: back to the form with its errors on a mistake (or a
    change made meanwhile), on to the record once saved. Missions and meetings are edited alike."""
    try:
        save(_version(form))
    except (ValidationError, InvestDeskError) as exc:
        reraise_unless_form_error(session, exc)
        values["version"] = form_text(form, "version")
        return form_again(form_errors(exc))
    return redirect(saved_url, _("Changes saved."), request=request)


# --- missions -----------------------------------------------------------------------------------------------------

def _mission_values(form: Any) -> dict[str, Any]:
    return {"name": form_text(form, "name") or "", "home_jurisdiction": form_text(form, "home_jurisdiction"),
            "countries": form_list(form, "countries"), "cities": form_list(form, "cities"),
            "start_date": form_text(form, "start_date"), "end_date": form_text(form, "end_date"),
            "notes": form_text(form, "notes") or ""}


def _mission_form(request: Request, *, mission: Mission, values: dict[str, Any], errors: dict[str, str],
                  status_code: int = 200) -> Response:
    return render(request, "missions/form.html", {"mission": mission, "values": values, "errors": errors,
                                                  "section": "missions"}, status_code=status_code)


@router.get("/missions/{mission_id}/edit")
def mission_edit_form(request: Request, session: SessionDep, actor: ActorDep, mission_id: int) -> Response:
    require(actor, Perm.write_records)
    mission = missions.get(session, actor=actor, mission_id=mission_id)
    return _mission_form(request, mission=mission, values=missions.to_read(mission).model_dump(), errors={})


@router.post("/missions/{mission_id}/edit")
def mission_update(request: Request, session: SessionDep, actor: ActorDep, form: FormDep,
                   mission_id: int) -> Response:
    require(actor, Perm.write_records)
    values = _mission_values(form)
    mission = missions.get(session, actor=actor, mission_id=mission_id)
    return _save_edit(
        request, session, form, values,
        save=lambda version: missions.update(session, actor=actor, mission_id=mission_id,
                                             data=MissionUpdate(**values, version=version)),
        form_again=lambda errors: _mission_form(request, mission=mission, values=values, errors=errors,
                                                status_code=422),
        saved_url=f"/missions/{mission_id}")


# --- meetings -----------------------------------------------------------------------------------------------------

def _meeting_values(form: Any) -> dict[str, Any]:
    return {"title": form_text(form, "title") or "", "date": form_text(form, "date"),
            "city": form_text(form, "city"), "country": form_text(form, "country"),
            "venue": form_text(form, "venue"), "mission_id": form_text(form, "mission_id"),
            "counterpart_ids": form_list(form, "counterpart_ids"), "sectors": form_list(form, "sectors"),
            "topics": form_list(form, "topics"), "summary": form_text(form, "summary") or ""}


def _mission_options(session: Session, actor: Actor) -> list[tuple[int, str]]:
    rows, _ = missions.list_missions(session, actor=actor, page=PageParams(per_page=500))
    return [(m.id, m.name) for m in rows]


def _meeting_form(request: Request, session: Session, actor: Actor, *, e: Engagement, values: dict[str, Any],
                  errors: dict[str, str], status_code: int = 200) -> Response:
    return render(request, "missions/engagement_form.html", {
        "e": e, "values": values, "errors": errors, "section": "missions",
        "missions": _mission_options(session, actor), "organizations": choices.organization_options(session),
        "sectors": choices.sector_options(session)}, status_code=status_code)


@router.get("/engagements/{engagement_id}/edit")
def meeting_edit_form(request: Request, session: SessionDep, actor: ActorDep, engagement_id: int) -> Response:
    require(actor, Perm.write_records)
    e = engagements.get(session, actor=actor, engagement_id=engagement_id)
    read = engagements.to_read(e).model_dump()
    read["counterpart_ids"] = [o["id"] for o in read["counterparts"]]
    return _meeting_form(request, session, actor, e=e, values=read, errors={})


@router.post("/engagements/{engagement_id}/edit")
def meeting_update(request: Request, session: SessionDep, actor: ActorDep, form: FormDep,
                   engagement_id: int) -> Response:
    require(actor, Perm.write_records)
    values = _meeting_values(form)
    engagements.get(session, actor=actor, engagement_id=engagement_id)
    return _save_edit(
        request, session, form, values,
        save=lambda version: engagements.update(session, actor=actor, engagement_id=engagement_id,
                                                data=EngagementUpdate(**values, version=version)),
        form_again=lambda errors: _meeting_form(
            request, session, actor, e=engagements.get(session, actor=actor, engagement_id=engagement_id),
            values=values, errors=errors, status_code=422),
        saved_url=f"/engagements/{engagement_id}")
