"""Follow-ups: the list of one's own (or everyone's) and the add / done forms on every record page."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from investdesk.errors import InvestDeskError
from investdesk.followups import service
from investdesk.followups.schemas import FollowUpCreate, FollowUpDone, FollowUpFilter
from investdesk.formatting import record_url
from investdesk.i18n import _
from investdesk.models import FollowUp
from investdesk.models.enums import RecordKind
from investdesk.permissions import Actor, Perm, require
from investdesk.web.deps import ActorDep, FormDep, SessionDep
from investdesk.web.routes import choices
from investdesk.web.routes.common import (
    PAGE,
    Sort,
    csv_response,
    form_errors,
    form_text,
    htmx_target,
    listing,
    page_params,
    query_choice,
    redirect,
    render,
    reraise_unless_form_error,
)

router = APIRouter(prefix="/followups", include_in_schema=False, dependencies=PAGE)

SORTS = {"due": FollowUp.due_date, "title": FollowUp.title, "created": FollowUp.created_at, "id": FollowUp.id}
STATES = ("open", "overdue", "done")


def panel(request: Request, session: Session, kind: RecordKind, entity_id: int) -> dict[str, Any]:
    """What a record page needs for its follow-ups box: the record's follow-ups and the add form's owners."""
    actor: Actor | None = getattr(request.state, "page_actor", None)
    if actor is None:
        return {"kind": kind.value, "entity_id": entity_id, "rows": [], "users": []}
    rows, _ = service.list_followups(session, actor=actor, flt=FollowUpFilter(open=None, entity_type=kind,
                                                                             entity_id=entity_id))
    return {"kind": kind.value, "entity_id": entity_id, "rows": service.to_reads(session, rows),
            "users": choices.user_options(session) if actor.has(Perm.write_followups) else []}


def _back(form: Any, fallback: str) -> str:
    """Forms post from record pages and return to them; only local paths are followed."""
    target = form_text(form, "next") or fallback
    return target if target.startswith("/") and not target.startswith("//") else fallback


@router.get("")
def list_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    require(actor, Perm.read)
    # "All" in a filter is an empty value; with no filter at all the page opens on one's own open follow-ups.
    who = query_choice(request, "who", ("mine",)) or ("all" if "who" in request.query_params or actor.id is None
                                                      else "mine")
    state = query_choice(request, "state", STATES) or ("all" if "state" in request.query_params else "open")
    flt = FollowUpFilter(owner_id=actor.id if who == "mine" else None, overdue=state == "overdue",
                         open={"open": True, "done": False}.get(state))
    stmt = service.filtered(actor, flt)
    sort = Sort.parse(request.query_params.get("sort"), SORTS, "due")
    if request.query_params.get("format") == "csv":
        header = ["id", "entity_type", "entity_id", "title", "owner_id", "due_date", "done_at", "notes"]
        return csv_response(request.app.state.engine, sort.apply(stmt, FollowUp.id), header,
                            lambda f: [f.id, f.entity_type, f.entity_id, f.title, f.owner_id, f.due_date, f.done_at,
                                       f.notes], "followups.csv")
    rows, pager = listing(session, stmt, sort, FollowUp.id, page_params(request))
    ctx = {"rows": service.to_reads(session, rows), "pager": pager, "sort": sort, "who": who, "state": state,
           "section": "followups", "record_url": record_url}
    template = "followups/_results.html" if htmx_target(request) == "results" else "followups/list.html"
    return render(request, template, ctx)


@router.post("")
def create(request: Request, session: SessionDep, actor: ActorDep, form: FormDep) -> Response:
    kind, entity = form_text(form, "entity_type") or "", form_text(form, "entity_id") or ""
    known = entity.isdigit() and kind in {k.value for k in RecordKind}
    back = _back(form, record_url(kind, int(entity)) if known else "/followups")
    values = {"entity_type": kind, "entity_id": entity, "title": form_text(form, "title"),
              "owner_id": form_text(form, "owner_id"), "due_date": form_text(form, "due_date")}
    try:
        followup = service.create(session, actor=actor, data=FollowUpCreate(**values))
    except (ValidationError, InvestDeskError) as exc:
        reraise_unless_form_error(session, exc)
        problems = "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in form_errors(exc).items())
        return redirect(back, _('Follow-up not added (%(problems)s).', problems=problems), request=request)
    return redirect(back, _('Follow-up “%(title)s” added.', title=followup.title), request=request)


@router.post("/{followup_id}/done")
def done(request: Request, session: SessionDep, actor: ActorDep, form: FormDep, followup_id: int) -> Response:
    try:
        followup = service.complete(session, actor=actor, followup_id=followup_id,
                                    data=FollowUpDone(note=form_text(form, "note")))
    except (ValidationError, InvestDeskError) as exc:
        reraise_unless_form_error(session, exc)
        return redirect(_back(form, "/followups"), _('Not marked done: %(exc)s', exc=exc), request=request)
    back = _back(form, record_url(followup.entity_type, followup.entity_id))
    return redirect(back, _('Done: %(title)s.', title=followup.title), request=request)
