"""People: searchable list, profile with meetings, missions and documents, create and edit forms."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from investdesk.documents import service as documents
from investdesk.engagements import service as engagements
from investdesk.engagements.schemas import EngagementFilter
from investdesk.errors import InvestDeskError
from investdesk.i18n import _
from investdesk.missions import service as missions_service
from investdesk.models import Person
from investdesk.models.enums import RecordKind, Side
from investdesk.organizations import service as organizations
from investdesk.people import service
from investdesk.people.schemas import PersonCreate, PersonFilter, PersonUpdate
from investdesk.permissions import Perm, require
from investdesk.web.deps import ActorDep, FormDep, SessionDep
from investdesk.web.routes import changes, choices, followups
from investdesk.web.routes.common import (
    PAGE,
    Sort,
    csv_response,
    form_errors,
    form_list,
    form_text,
    htmx_target,
    listing,
    page_params,
    query_choice,
    query_int,
    query_text,
    redirect,
    render,
    reraise_unless_form_error,
)

router = APIRouter(prefix="/people", include_in_schema=False, dependencies=PAGE)

SORTS = {"name": Person.name, "side": Person.side, "updated": Person.updated_at}


def _filter(request: Request) -> PersonFilter:
    return PersonFilter(q=query_text(request, "q"), organization_id=query_int(request, "organization_id"),
                        side=query_choice(request, "side", [s.value for s in Side]),
                        country=query_text(request, "country", 2))


@router.get("")
def list_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    require(actor, Perm.read)
    flt = _filter(request)
    stmt = service.filtered(flt)
    sort = Sort.parse(request.query_params.get("sort"), SORTS, "name")
    if request.query_params.get("format") == "csv":
        return csv_response(request.app.state.engine, sort.apply(stmt, Person.id),
                            ["id", "name", "honorific", "titles", "organization", "side", "email", "phone"],
                            lambda p: [p.id, p.name, p.honorific, "; ".join(p.titles or []),
                                       p.organization.name if p.organization else None, p.side, p.email, p.phone],
                            "people.csv")
    rows, pager = listing(session, stmt, sort, Person.id, page_params(request))
    org = organizations.find(session, actor=actor, organization_id=flt.organization_id)
    ctx = {"rows": rows, "pager": pager, "sort": sort, "flt": flt, "section": "people", "org": org,
           "sides": choices.enum_options(Side)}
    template = "people/_results.html" if htmx_target(request) == "results" else "people/list.html"
    return render(request, template, ctx)


def _form_data(form: Any) -> dict[str, Any]:
    org = form_text(form, "organization_id")
    return {"name": form_text(form, "name") or "", "honorific": form_text(form, "honorific"),
            "name_hi": form_text(form, "name_hi"),
            "titles": form_list(form, "titles"), "organization_id": org,
            "side": form_text(form, "side") or Side.mentioned.value, "email": form_text(form, "email"),
            "phone": form_text(form, "phone"), "notes": form_text(form, "notes") or ""}


def _form(request: Request, session: Session, *, values: dict[str, Any], errors: dict[str, str],
          person: Person | None, status_code: int = 200) -> Response:
    return render(request, "people/form.html",
                  {"values": values, "errors": errors, "person": person, "section": "people",
                   "sides": choices.enum_options(Side), "organizations": choices.organization_options(session)},
                  status_code=status_code)


@router.get("/new")
def new_form(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    require(actor, Perm.write_records)
    values: dict[str, Any] = {"side": "counterpart", "organization_id": query_int(request, "organization_id"),
                              "titles": []}
    return _form(request, session, values=values, errors={}, person=None)


@router.post("/new")
def create(request: Request, session: SessionDep, actor: ActorDep, form: FormDep) -> Response:
    values = _form_data(form)
    try:
        person = service.create(session, actor=actor, data=PersonCreate(**values))
    except (ValidationError, InvestDeskError) as exc:
        reraise_unless_form_error(session, exc)
        return _form(request, session, values=values, errors=form_errors(exc), person=None, status_code=422)
    return redirect(f"/people/{person.id}", _('%(name)s added.', name=person.name), request=request)


@router.get("/{person_id}/edit")
def edit_form(request: Request, session: SessionDep, actor: ActorDep, person_id: int) -> Response:
    require(actor, Perm.write_records)
    person = service.get(session, actor=actor, person_id=person_id)
    return _form(request, session, values=service.to_read(person).model_dump(), errors={}, person=person)


@router.post("/{person_id}/edit")
def update(request: Request, session: SessionDep, actor: ActorDep, form: FormDep, person_id: int) -> Response:
    values = _form_data(form)
    version = form_text(form, "version")
    person = service.get(session, actor=actor, person_id=person_id)
    try:
        data = PersonUpdate(**values, version=int(version) if version and version.isdigit() else None)
        service.update(session, actor=actor, person_id=person_id, data=data)
    except (ValidationError, InvestDeskError) as exc:
        reraise_unless_form_error(session, exc)
        values["version"] = version
        return _form(request, session, values=values, errors=form_errors(exc), person=person, status_code=422)
    return redirect(f"/people/{person_id}", _("Changes saved."), request=request)


@router.get("/{person_id}")
def detail(request: Request, session: SessionDep, actor: ActorDep, person_id: int) -> Response:
    person = service.get(session, actor=actor, person_id=person_id)
    engs = engagements.first_of(session, actor=actor, flt=EngagementFilter(person_id=person_id), limit=100)
    missions = missions_service.of_delegate(session, actor=actor, person_id=person_id)
    docs = documents.sources_of(session, actor=actor, entity_type="person", entity_id=person_id,
                                   ids={e.document_id for e in engs})
    timeline = [{"date": e.date, "kind": "engagement", "title": e.title or "Meeting", "url": f"/engagements/{e.id}",
                 "sub": ", ".join(o.name for o in e.counterparts)} for e in engs]
    timeline += [{"date": mi.start_date, "kind": "mission", "title": mi.name, "url": f"/missions/{mi.id}",
                  "sub": ", ".join(mi.cities or [])} for mi in missions]
    timeline += [{"date": d.ingested_at.date(), "kind": "document", "title": d.title or d.filename,
                  "url": f"/documents/{d.id}", "sub": d.filename} for d in docs]
    timeline.sort(key=lambda t: (t["date"] is not None, t["date"]), reverse=True)
    return render(request, "people/detail.html", {"person": person, "engagements": engs, "missions": missions,
                                                  "documents": docs, "timeline": timeline, "section": "people",
                                                  "followups": followups.panel(request, session, RecordKind.person,
                                                                               person.id),
                                                  "changes": changes.panel(request, session, "person", person.id)})
