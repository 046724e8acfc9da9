"""Organizations: searchable list, profile with a timeline, create and edit forms."""

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
from investdesk.models import Organization
from investdesk.models.enums import OrgKind, RecordKind
from investdesk.mous import service as mous
from investdesk.mous.schemas import MouFilter
from investdesk.organizations import service
from investdesk.organizations.schemas import OrganizationCreate, OrganizationFilter, OrganizationUpdate
from investdesk.people import service as people
from investdesk.people.schemas import PersonFilter
from investdesk.permissions import Actor, Perm, require
from investdesk.pipeline import service as pipeline
from investdesk.pipeline.schemas import OpportunityFilter
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
    query_text,
    redirect,
    render,
    reraise_unless_form_error,
)

router = APIRouter(prefix="/organizations", include_in_schema=False, dependencies=PAGE)

SORTS = {"name": Organization.name, "country": Organization.country, "kind": Organization.kind,
         "city": Organization.city, "updated": Organization.updated_at}


def _filter(request: Request) -> OrganizationFilter:
    return OrganizationFilter(q=query_text(request, "q"), country=query_text(request, "country", 2),
                              kind=query_choice(request, "kind", [k.value for k in OrgKind]),
                              sector=query_text(request, "sector", 40))


@router.get("")
def list_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    require(actor, Perm.read)
    flt = _filter(request)
    stmt = service.filtered(flt)
    sort = Sort.parse(request.query_params.get("sort"), SORTS, "name")
    if request.query_params.get("format") == "csv":
        return csv_response(request.app.state.engine, sort.apply(stmt, Organization.id),
                            ["id", "name", "acronym", "kind", "country", "city", "sectors", "aliases", "website"],
                            lambda o: [o.id, o.name, o.acronym, o.kind, o.country, o.city,
                                       "; ".join(s.id for s in o.sectors), "; ".join(a.alias for a in o.aliases),
                                       o.website], "organizations.csv")
    rows, pager = listing(session, stmt, sort, Organization.id, page_params(request))
    ctx = {"rows": rows, "pager": pager, "sort": sort, "flt": flt, "section": "organizations",
           "kinds": choices.enum_options(OrgKind), "sectors": choices.sector_options(session)}
    template = "organizations/_results.html" if htmx_target(request) == "results" else "organizations/list.html"
    return render(request, template, ctx)


def _form_data(form: Any) -> dict[str, Any]:
    return {"name": form_text(form, "name") or "", "acronym": form_text(form, "acronym"),
            "kind": form_text(form, "kind") or OrgKind.other.value, "country": form_text(form, "country"),
            "city": form_text(form, "city"), "website": form_text(form, "website"),
            "name_hi": form_text(form, "name_hi"),
            "sectors": form_list(form, "sectors"), "aliases": form_list(form, "aliases"),
            "notes": form_text(form, "notes") or ""}


def _form(request: Request, session: Session, *, values: dict[str, Any], errors: dict[str, str],
          org: Organization | None, status_code: int = 200) -> Response:
    return render(request, "organizations/form.html",
                  {"values": values, "errors": errors, "org": org, "section": "organizations",
                   "kinds": choices.enum_options(OrgKind), "sectors": choices.sector_options(session)},
                  status_code=status_code)


@router.get("/new")
def new_form(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    require(actor, Perm.write_records)
    return _form(request, session, values={"kind": "company", "sectors": [], "aliases": []}, errors={}, org=None)


@router.post("/new")
def create(request: Request, session: SessionDep, actor: ActorDep, form: FormDep) -> Response:
    values = _form_data(form)
    try:
        org = service.create(session, actor=actor, data=OrganizationCreate(**values))
    except (ValidationError, InvestDeskError) as exc:
        reraise_unless_form_error(session, exc)
        return _form(request, session, values=values, errors=form_errors(exc), org=None, status_code=422)
    return redirect(f"/organizations/{org.id}", _('Organization “%(name)s” created.', name=org.name), request=request)


@router.get("/{organization_id}/edit")
def edit_form(request: Request, session: SessionDep, actor: ActorDep, organization_id: int) -> Response:
    require(actor, Perm.write_records)
    org = service.get(session, actor=actor, organization_id=organization_id)
    read = service.to_read(org)
    return _form(request, session, values=read.model_dump(), errors={}, org=org)


@router.post("/{organization_id}/edit")
def update(request: Request, session: SessionDep, actor: ActorDep, form: FormDep, organization_id: int) -> Response:
    values = _form_data(form)
    version = form_text(form, "version")
    org = service.get(session, actor=actor, organization_id=organization_id)
    try:
        data = OrganizationUpdate(**values, version=int(version) if version and version.isdigit() else None)
        org = service.update(session, actor=actor, organization_id=organization_id, data=data)
    except (ValidationError, InvestDeskError) as exc:
        reraise_unless_form_error(session, exc)
        values["version"] = version
        return _form(request, session, values=values, errors=form_errors(exc), org=org, status_code=422)
    return redirect(f"/organizations/{organization_id}", _("Changes saved."), request=request)


def profile_data(session: Session, actor: Actor, org_id: int, limit: int = 50) -> dict[str, Any]:
    """The records around an organization: meetings, people, leads, MoUs and the documents they came from."""
    # The timeline and the tables show each record's own columns: none of their related rows are loaded.
    engs = engagements.first_of(session, actor=actor, flt=EngagementFilter(organization_id=org_id), limit=limit,
                                related=False)
    ppl = people.first_of(session, actor=actor, flt=PersonFilter(organization_id=org_id), limit=200,
                          related=False)
    opps = pipeline.first_of(session, actor=actor, flt=OpportunityFilter(counterpart_id=org_id), limit=limit,
                             related=False)
    mou_rows = mous.first_of(session, actor=actor, flt=MouFilter(), party_id=org_id, limit=limit, related=False)
    doc_ids = {e.document_id for e in engs} | {o.document_id for o in opps}
    docs = documents.sources_of(session, actor=actor, entity_type="organization", entity_id=org_id,
                                   ids=doc_ids)
    # Counted in SQL only when the first ``limit`` may not be all of them (the same filter as the lists).
    counts = {
        "engagements": len(engs) if len(engs) < limit else
        engagements.count_of(session, actor=actor, flt=EngagementFilter(organization_id=org_id)),
        "opportunities": len(opps) if len(opps) < limit else
        pipeline.count_of(session, actor=actor, flt=OpportunityFilter(counterpart_id=org_id)),
    }
    timeline: list[dict[str, Any]] = []
    for e in engs:
        timeline.append({"date": e.date, "kind": "engagement", "title": e.title or "Meeting",
                         "url": f"/engagements/{e.id}", "sub": ", ".join(p for p in (e.venue, e.city) if p)})
    for o in opps:
        timeline.append({"date": o.stage_changed_at.date(), "kind": "opportunity", "title": o.title,
                         "url": f"/opportunities/{o.id}", "sub": o.stage})
    for m in mou_rows:
        timeline.append({"date": m.signed_date, "kind": "mou", "title": m.title, "url": f"/mous/{m.id}",
                         "sub": m.status})
    for d in docs:
        timeline.append({"date": d.ingested_at.date(), "kind": "document", "title": d.title or d.filename,
                         "url": f"/documents/{d.id}", "sub": d.filename})
    timeline.sort(key=lambda t: (t["date"] is not None, t["date"]), reverse=True)
    return {"engagements": engs, "people": ppl, "opportunities": opps, "mous": mou_rows, "documents": docs,
            "timeline": timeline, "counts": counts}


@router.get("/{organization_id}")
def detail(request: Request, session: SessionDep, actor: ActorDep, organization_id: int) -> Response:
    org = service.get(session, actor=actor, organization_id=organization_id)
    ctx = profile_data(session, actor, org.id)
    panel = followups.panel(request, session, RecordKind.organization, org.id)
    ctx.update(org=org, section="organizations", followups=panel,
               changes=changes.panel(request, session, "organization", org.id),
               owners=choices.user_names(session, {o.owner_id for o in ctx["opportunities"]}, known=panel["users"]))
    return render(request, "organizations/detail.html", ctx)

