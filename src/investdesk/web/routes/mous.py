"""MoUs: register, list, detail with history and blockers, status updates, pending by district and officer."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import Select
from sqlalchemy.orm import Session

from investdesk import places
from investdesk.blockers import service as blockers
from investdesk.blockers.levels import shown_level
from investdesk.blockers.schemas import BlockerCreate, BlockerResolve
from investdesk.errors import InvestDeskError
from investdesk.i18n import _
from investdesk.incentives import service as incentives
from investdesk.models import Mou
from investdesk.models.enums import BlockerCategory, MouStatus, RecordKind
from investdesk.mous import service
from investdesk.mous.schemas import MouCreate, MouFilter, MouUpdate, StatusUpdate
from investdesk.permissions import Actor, Perm, require
from investdesk.pipeline import service as pipeline
from investdesk.pipeline.schemas import amount_of
from investdesk.web.deps import ActorDep, FormDep, SessionDep
from investdesk.web.routes import changes, choices, followups
from investdesk.web.routes.common import (
    PAGE,
    Sort,
    csv_response,
    form_amount,
    form_errors,
    form_text,
    htmx_target,
    page_params,
    query_choice,
    query_text,
    redirect,
    render,
    reraise_unless_form_error,
)

router = APIRouter(prefix="/mous", include_in_schema=False, dependencies=PAGE)
blocker_pages = APIRouter(prefix="/blockers", include_in_schema=False, dependencies=PAGE)

SORTS = {"title": Mou.title, "signed": Mou.signed_date, "status": Mou.status, "amount": Mou.amount_inr_crore,
         "jobs": Mou.jobs, "district": Mou.district, "updated": Mou.status_updated_at}
GROUPS_SHOWN = 30


def _filter(request: Request, *, pending: bool | None = None) -> MouFilter:
    district = query_text(request, "district", 120)
    return MouFilter(q=query_text(request, "q"),
                     status=query_choice(request, "status", [s.value for s in MouStatus]),
                     district=district if district in places.districts() else None,
                     department=query_text(request, "department", 200), sector=query_text(request, "sector", 40),
                     pending=pending if pending is not None else request.query_params.get("pending") == "1")


def _export(request: Request, stmt: Select[Any], sort: Sort, filename: str) -> Response:
    """The filter's MoUs as CSV: plain columns, the parties' names in one query per batch."""
    return csv_response(request.app.state.engine, service.export_selection(stmt, sort), service.EXPORT_HEADER,
                        service.export_row, filename, lookup=service.party_names, columns=True)


def _list_ctx(session: Session, flt: MouFilter, rows: list[Mou],
              more_users: set[int | None] | None = None) -> dict[str, Any]:
    """What the list shows beside its rows; ``more_users`` are named in the same look-up as the rows' officers."""
    return {"flt": flt, "statuses": choices.enum_options(MouStatus), "districts": choices.district_options(),
            "sectors": choices.sector_options(session),
            "users": choices.user_names(session, {m.nodal_officer_id for m in rows} |
                                        {m.account_manager_id for m in rows} | (more_users or set()))}


@router.get("")
def list_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    require(actor, Perm.read)
    flt = _filter(request)
    stmt = service.filtered(actor, flt)
    sort = Sort.parse(request.query_params.get("sort"), SORTS, "-signed")
    if request.query_params.get("format") == "csv":
        return _export(request, stmt, sort, "mous.csv")
    rows, pager = service.page_of(session, stmt, sort, page_params(request))
    ctx = {"rows": rows, "pager": pager, "sort": sort, "section": "mous", "base": "/mous",
           **_list_ctx(session, flt, rows)}
    template = "mous/_results.html" if htmx_target(request) == "results" else "mous/list.html"
    return render(request, template, ctx)


@router.get("/pending")
def pending(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """MoUs with no status update for the pending period, counted by district and nodal officer."""
    require(actor, Perm.read)
    flt = _filter(request, pending=True)
    stmt = service.filtered(actor, flt)
    sort = Sort.parse(request.query_params.get("sort"), SORTS, "updated")
    if request.query_params.get("format") == "csv":
        return _export(request, stmt, sort, "pending-mous.csv")
    groups = service.pending_groups(session, stmt)
    # The groups cover every MoU of the selection: their counts add up to its total.
    rows, pager = service.page_of(session, stmt, sort, page_params(request), total=sum(g[3] for g in groups))
    ctx = {"rows": rows, "pager": pager, "sort": sort, "section": "pending", "base": "/mous/pending",
           "groups": groups[:GROUPS_SHOWN], "more_groups": max(0, len(groups) - GROUPS_SHOWN),
           "days": request.app.state.settings.pending_after_days,
           **_list_ctx(session, flt, rows, {g[1] for g in groups} | {g[2] for g in groups})}
    template = "mous/_results.html" if htmx_target(request) == "results" else "mous/pending.html"
    return render(request, template, ctx)


def _form_data(form: Any) -> dict[str, Any]:
    parties = [p for p in form.getlist("party_ids") if isinstance(p, str) and p.strip()]
    return {"title": form_text(form, "title") or "", "party_ids": parties,
            "opportunity_id": form_text(form, "opportunity_id"), "signed_date": form_text(form, "signed_date"),
            "amount": form_amount(form), "jobs": form_text(form, "jobs"), "sector": form_text(form, "sector"),
            "district": form_text(form, "district"), "department": form_text(form, "department"),
            "nodal_officer_id": form_text(form, "nodal_officer_id"),
            "account_manager_id": form_text(form, "account_manager_id"), "notes": form_text(form, "notes") or ""}


def _form(request: Request, session: Session, values: dict[str, Any], errors: dict[str, str],
          status_code: int = 200, edit: int | None = None) -> Response:
    return render(request, "mous/form.html", {
        "values": values, "errors": errors, "section": "mous", "edit": edit, "sectors": choices.sector_options(session),
        "districts": choices.district_options(), "users": choices.user_options(session),
        "organizations": choices.organization_options(session)}, status_code=status_code)


@router.get("/new")
def new_form(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    require(actor, Perm.write_mous)
    values: dict[str, Any] = {"party_ids": [], "amount_form": {"amount_currency": "INR", "amount_unit": "crore"}}
    opp_id = request.query_params.get("opportunity_id", "")
    opp = pipeline.get(session, actor=actor, opportunity_id=int(opp_id)) if opp_id.isdigit() else None
    if opp is not None:  # the lead's facts carry over; the officer checks them against the signed text
        values.update(opportunity_id=opp.id, title=opp.title, district=opp.district, jobs=opp.jobs,
                      party_ids=[str(opp.counterpart_id)] if opp.counterpart_id else [],
                      sector=opp.sectors[0].id if opp.sectors else None)
        if (amount := amount_of(opp)) is not None:
            values["amount_form"] = {"amount_value": f"{amount.value:f}".rstrip("0").rstrip("."),
                                     "amount_currency": amount.currency, "amount_unit": amount.unit or ""}
    return _form(request, session, values, {})


@router.post("/new")
def create(request: Request, session: SessionDep, actor: ActorDep, form: FormDep) -> Response:
    values = _form_data(form)
    try:
        mou = service.create(session, actor=actor, data=MouCreate(**values))
    except (ValidationError, InvestDeskError) as exc:
        reraise_unless_form_error(session, exc)
        values["amount_form"] = {k: form_text(form, k) for k in ("amount_value", "amount_currency", "amount_unit")}
        return _form(request, session, values, form_errors(exc), status_code=422)
    return redirect(f"/mous/{mou.id}", _('MoU “%(title)s” registered.', title=mou.title), request=request)


@router.get("/{mou_id}/edit")
def edit_form(request: Request, session: SessionDep, actor: ActorDep, mou_id: int) -> Response:
    require(actor, Perm.write_mous)
    mou = service.get(session, actor=actor, mou_id=mou_id)
    amount = service.to_read(mou).amount
    values: dict[str, Any] = {
        "title": mou.title, "party_ids": [p.id for p in mou.parties], "signed_date": mou.signed_date,
        "jobs": mou.jobs, "sector": mou.sector_id, "district": mou.district, "department": mou.department,
        "nodal_officer_id": mou.nodal_officer_id, "account_manager_id": mou.account_manager_id, "notes": mou.notes,
        "version": mou.version, "amount_form": {"amount_value": amount.value, "amount_currency": amount.currency,
                                                "amount_unit": amount.unit} if amount else {}}
    return _form(request, session, values, {}, edit=mou.id)


@router.post("/{mou_id}/edit")
def edit(request: Request, session: SessionDep, actor: ActorDep, form: FormDep, mou_id: int) -> Response:
    values = {k: v for k, v in _form_data(form).items() if k != "opportunity_id"}
    values["version"] = form_text(form, "version")
    current = service.get(session, actor=actor, mou_id=mou_id)
    for field in ("nodal_officer_id", "account_manager_id"):  # unchanged people are not an override
        if values[field] == (str(getattr(current, field)) if getattr(current, field) else None):
            del values[field]
    try:
        mou = service.update(session, actor=actor, mou_id=mou_id, data=MouUpdate(**values))
    except (ValidationError, InvestDeskError) as exc:
        reraise_unless_form_error(session, exc)
        values["amount_form"] = {k: form_text(form, k) for k in ("amount_value", "amount_currency", "amount_unit")}
        return _form(request, session, values, form_errors(exc), status_code=422, edit=mou_id)
    return redirect(f"/mous/{mou.id}", _("Changes saved."), request=request)


def _detail(request: Request, session: Session, actor: Actor, mou: Mou, *, errors: dict[str, str] | None = None,
            values: dict[str, Any] | None = None, blocker_errors: dict[str, str] | None = None,
            status_code: int = 200) -> Response:
    ids = {mou.nodal_officer_id, mou.account_manager_id} | {h.changed_by_id for h in mou.history}
    return render(request, "mous/detail.html", {
        "mou": mou, "levels": {b.id: shown_level(b) for b in mou.blockers}, "pending": service.is_pending(mou),
        "users": choices.user_names(session, ids),
        "statuses": choices.enum_options(MouStatus), "categories": choices.enum_options(BlockerCategory),
        "errors": errors or {}, "values": values or {}, "blocker_errors": blocker_errors or {},
        "opportunity": pipeline.find(session, actor=actor, opportunity_id=mou.opportunity_id),
        "estimate": incentives.record_estimate(session, actor=actor, mou_id=mou.id),
        "followups": followups.panel(request, session, RecordKind.mou, mou.id),
        "changes": changes.panel(request, session, "mou", mou.id, related={"blocker": [b.id for b in mou.blockers]}),
        "section": "mous"}, status_code=status_code)


@router.get("/{mou_id}")
def detail(request: Request, session: SessionDep, actor: ActorDep, mou_id: int) -> Response:
    return _detail(request, session, actor, service.get(session, actor=actor, mou_id=mou_id))


@router.post("/{mou_id}/status")
def update_status(request: Request, session: SessionDep, actor: ActorDep, form: FormDep, mou_id: int) -> Response:
    values = {"status": form_text(form, "status"), "note": form_text(form, "note"),
              "version": form_text(form, "version")}
    try:
        mou = service.update_status(session, actor=actor, mou_id=mou_id, data=StatusUpdate(**values))
    except (ValidationError, InvestDeskError) as exc:
        reraise_unless_form_error(session, exc)
        return _detail(request, session, actor, service.get(session, actor=actor, mou_id=mou_id),
                       errors=form_errors(exc), values=values, status_code=422)
    return redirect(f"/mous/{mou_id}", _('Status updated to %(value)s.',
                                         value=mou.status.value.replace('_', ' ')), request=request)


@router.post("/{mou_id}/blockers")
def add_blocker(request: Request, session: SessionDep, actor: ActorDep, form: FormDep, mou_id: int) -> Response:
    values = {"category": form_text(form, "category"), "department": form_text(form, "department"),
              "description": form_text(form, "description") or "", "raised_on": form_text(form, "raised_on")}
    try:
        blockers.add(session, actor=actor, mou_id=mou_id, data=BlockerCreate(**values))
    except (ValidationError, InvestDeskError) as exc:
        reraise_unless_form_error(session, exc)
        return _detail(request, session, actor, service.get(session, actor=actor, mou_id=mou_id),
                       blocker_errors=form_errors(exc), values=values, status_code=422)
    return redirect(f"/mous/{mou_id}", _("Blocker recorded."), request=request)


@router.post("/{mou_id}/blockers/{blocker_id}/resolve")
def resolve_blocker(request: Request, session: SessionDep, actor: ActorDep, form: FormDep, mou_id: int,
                          blocker_id: int) -> Response:
    try:
        blocker = blockers.resolve(session, actor=actor, blocker_id=blocker_id,
                                   data=BlockerResolve(note=form_text(form, "note")))
    except (ValidationError, InvestDeskError) as exc:
        reraise_unless_form_error(session, exc)
        return redirect(f"/mous/{mou_id}", _('Blocker not resolved: %(exc)s', exc=exc), request=request)
    return redirect(f"/mous/{blocker.mou_id}", _('Blocker resolved (%(value)s).',
                                                 value=blocker.category.value.replace('_', ' ')),
                    request=request)


@blocker_pages.get("/{blocker_id}")
def blocker_page(session: SessionDep, actor: ActorDep, blocker_id: int) -> Response:
    """A blocker is shown on its MoU's page."""
    blocker = blockers.get(session, actor=actor, blocker_id=blocker_id)
    return RedirectResponse(f"/mous/{blocker.mou_id}#blockers", status_code=303)
