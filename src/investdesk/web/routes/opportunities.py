"""Opportunities (leads): table, board by stage, detail with stage history, create form, stage moves."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy import Select
from sqlalchemy.orm import Session

from investdesk import places
from investdesk.documents import service as documents
from investdesk.errors import InvestDeskError, PermissionDenied
from investdesk.formatting import label
from investdesk.i18n import _
from investdesk.incentives import service as incentives
from investdesk.models import Opportunity
from investdesk.models.enums import OpportunityKind, OpportunityStage, RecordKind
from investdesk.mous import service as mous
from investdesk.organizations import service as organizations
from investdesk.permissions import Actor, Perm, can, require
from investdesk.pipeline import service
from investdesk.pipeline.schemas import OpportunityCreate, OpportunityFilter, OpportunityUpdate, StageMove
from investdesk.web.deps import ActorDep, FormDep, SessionDep
from investdesk.web.routes import changes, choices, followups
from investdesk.web.routes.common import (
    PAGE,
    Sort,
    csv_response,
    form_amount,
    form_errors,
    form_list,
    form_text,
    htmx_target,
    is_htmx,
    page_params,
    query_choice,
    query_int,
    query_text,
    redirect,
    render,
    reraise_unless_form_error,
)

router = APIRouter(prefix="/opportunities", include_in_schema=False, dependencies=PAGE)

SORTS = {"title": Opportunity.title, "stage": Opportunity.stage, "amount": Opportunity.amount_inr_crore,
         "jobs": Opportunity.jobs, "district": Opportunity.district, "due": Opportunity.next_action_due,
         "changed": Opportunity.stage_changed_at, "id": Opportunity.id}
NEXT = {a: b for a, b in zip(service.MAIN_LINE, service.MAIN_LINE[1:], strict=False)}
BOARD_CARDS = 25


def _filter(request: Request) -> OpportunityFilter:
    district = query_text(request, "district", 120)
    return OpportunityFilter(
        q=query_text(request, "q"), stage=query_choice(request, "stage", [s.value for s in OpportunityStage]),
        sector=query_text(request, "sector", 40), district=district if district in places.districts() else None,
        country=query_text(request, "country", 2), owner_id=query_int(request, "owner_id"),
        counterpart_id=query_int(request, "counterpart_id"))


def _filter_context(session: Session, actor: Actor, flt: OpportunityFilter) -> dict[str, Any]:
    return {"flt": flt, "stages": choices.enum_options(OpportunityStage), "sectors": choices.sector_options(session),
            "districts": choices.district_options(), "owners": choices.user_options(session),
            "counterpart": organizations.find(session, actor=actor, organization_id=flt.counterpart_id)}


@router.get("")
def list_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    require(actor, Perm.read)
    flt = _filter(request)
    stmt = service.filtered(flt)
    sort = Sort.parse(request.query_params.get("sort"), SORTS, "-id")
    if request.query_params.get("format") == "csv":
        return _export(request, stmt, sort)
    rows, pager = service.page_of(session, stmt, sort, page_params(request))
    ctx: dict[str, Any] = {"rows": rows, "pager": pager, "sort": sort, "section": "opportunities",
                           **_filter_context(session, actor, flt)}
    ctx["owner_names"] = choices.user_names(session, {o.owner_id for o in rows}, known=ctx["owners"])
    template = "opportunities/_results.html" if htmx_target(request) == "results" else "opportunities/list.html"
    return render(request, template, ctx)


def _export(request: Request, stmt: Select[Any], sort: Sort) -> Response:
    """Every lead of the filter as CSV: plain columns and one sectors query per batch, no ORM objects."""
    return csv_response(request.app.state.engine, service.export_selection(stmt, sort), service.EXPORT_HEADER,
                        service.export_row, "opportunities.csv", lookup=service.sector_ids, columns=True)


def board_columns(session: Session, actor: Actor, flt: OpportunityFilter) -> list[dict[str, Any]]:
    """Each stage's column from the service (count, value, latest cards), with the moves it offers and the owners'
    names of its cards."""
    columns = service.board(session, actor=actor, flt=flt, cards=BOARD_CARDS)
    owners = choices.user_names(session, {c.owner_id for col in columns for c in col.cards})
    return [{"stage": col.stage, "count": col.count, "value": col.value, "cards": col.cards,
             "next": NEXT.get(col.stage), "needs_reason": col.stage in service.NEEDS_REASON, "owners": owners}
            for col in columns]


@router.get("/board")
def board(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    require(actor, Perm.read)
    flt = _filter(request)
    columns = board_columns(session, actor, flt)
    ctx = {"columns": columns, "section": "board", "limit": BOARD_CARDS, **_filter_context(session, actor, flt)}
    template = "opportunities/_board.html" if htmx_target(request) == "board" else "opportunities/board.html"
    return render(request, template, ctx)


def _form_data(form: Any) -> dict[str, Any]:
    return {"title": form_text(form, "title") or "", "counterpart_id": form_text(form, "counterpart_id"),
            "kind": form_text(form, "kind") or OpportunityKind.investment.value,
            "stage": form_text(form, "stage") or OpportunityStage.identified.value,
            "stage_reason": form_text(form, "stage_reason"), "sectors": form_list(form, "sectors"),
            "amount": form_amount(form), "jobs": form_text(form, "jobs"), "country": form_text(form, "country"),
            "district": form_text(form, "district"), "owner_id": form_text(form, "owner_id"),
            "next_action": form_text(form, "next_action"), "next_action_due": form_text(form, "next_action_due"),
            "notes": form_text(form, "notes") or ""}


def _form(request: Request, session: Session, values: dict[str, Any], errors: dict[str, str],
          status_code: int = 200, edit: int | None = None) -> Response:
    return render(request, "opportunities/form.html", {
        "values": values, "errors": errors, "section": "opportunities", "edit": edit,
        "kinds": choices.enum_options(OpportunityKind),
        "stages": choices.enum_options(OpportunityStage), "sectors": choices.sector_options(session),
        "districts": choices.district_options(), "owners": choices.user_options(session),
        "organizations": choices.organization_options(session)}, status_code=status_code)


@router.get("/new")
def new_form(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    require(actor, Perm.write_opportunities)
    values: dict[str, Any] = {"stage": "identified", "kind": "investment", "owner_id": actor.id, "sectors": [],
                              "counterpart_id": query_int(request, "counterpart_id"), "amount": None}
    return _form(request, session, values, {})


@router.post("/new")
def create(request: Request, session: SessionDep, actor: ActorDep, form: FormDep) -> Response:
    values = _form_data(form)
    try:
        opp = service.create(session, actor=actor, data=OpportunityCreate(**values))
    except (ValidationError, InvestDeskError) as exc:
        reraise_unless_form_error(session, exc)
        values["amount_form"] = {k: form_text(form, k) for k in ("amount_value", "amount_currency", "amount_unit")}
        return _form(request, session, values, form_errors(exc), status_code=422)
    return redirect(f"/opportunities/{opp.id}", _('Lead “%(title)s” created.', title=opp.title), request=request)


@router.get("/{opportunity_id}/edit")
def edit_form(request: Request, session: SessionDep, actor: ActorDep, opportunity_id: int) -> Response:
    require(actor, Perm.write_opportunities)
    o = service.get(session, actor=actor, opportunity_id=opportunity_id)
    decision = can(actor, "edit_lead", o)
    if not decision:  # say why before anything is typed, not after
        return redirect(f"/opportunities/{o.id}", decision.reason)
    values = service.to_read(o).model_dump()
    return _form(request, session, values, {}, edit=o.id)


@router.post("/{opportunity_id}/edit")
def edit(request: Request, session: SessionDep, actor: ActorDep, form: FormDep, opportunity_id: int) -> Response:
    values = {k: v for k, v in _form_data(form).items() if k not in ("stage", "stage_reason")}
    values["version"] = form_text(form, "version")
    try:
        opp = service.update(session, actor=actor, opportunity_id=opportunity_id, data=OpportunityUpdate(**values))
    except (ValidationError, InvestDeskError) as exc:
        if isinstance(exc, PermissionDenied):  # keep what was typed: the reason shows above the form
            session.rollback()
            values["amount_form"] = {k: form_text(form, k) for k in ("amount_value", "amount_currency", "amount_unit")}
            return _form(request, session, values, {"": exc.message}, status_code=403, edit=opportunity_id)
        reraise_unless_form_error(session, exc)
        values["amount_form"] = {k: form_text(form, k) for k in ("amount_value", "amount_currency", "amount_unit")}
        return _form(request, session, values, form_errors(exc), status_code=422, edit=opportunity_id)
    return redirect(f"/opportunities/{opp.id}", _("Changes saved."), request=request)


def _detail(request: Request, session: Session, actor: Actor, opp: Opportunity,
            errors: dict[str, str] | None = None, move: dict[str, Any] | None = None,
            status_code: int = 200) -> Response:
    mou_rows = mous.of_opportunity(session, actor=actor, opportunity_id=opp.id)
    panel = followups.panel(request, session, RecordKind.opportunity, opp.id)
    users = choices.user_names(session, {opp.owner_id} | {h.changed_by_id for h in opp.history}, known=panel["users"])
    return render(request, "opportunities/detail.html", {
        "o": opp, "mous": mou_rows, "users": users, "errors": errors or {}, "move": move or {},
        "stages": choices.enum_options(OpportunityStage), "next": NEXT.get(opp.stage),
        "needs_reason": [s.value for s in service.NEEDS_REASON],
        "estimate": incentives.record_estimate(session, actor=actor, opportunity_id=opp.id),
        "followups": panel, "changes": changes.panel(request, session, "opportunity", opp.id),
        "sources": documents.evidence_of(session, actor=actor, entity_type="opportunity", entity_id=opp.id,
                                         document_id=opp.document_id),
        "section": "opportunities"}, status_code=status_code)


@router.get("/{opportunity_id}")
def detail(request: Request, session: SessionDep, actor: ActorDep, opportunity_id: int) -> Response:
    return _detail(request, session, actor, service.get(session, actor=actor, opportunity_id=opportunity_id))


@router.post("/{opportunity_id}/claim")
async def claim(request: Request, session: SessionDep, actor: ActorDep, opportunity_id: int) -> Response:
    form = await request.form()
    try:
        opp = service.claim(session, actor=actor, opportunity_id=opportunity_id,
                            version=int(v) if (v := form_text(form, "version") or "").isdigit() else None)
    except InvestDeskError as exc:  # someone claimed it meanwhile: the page, reloaded, says who owns it now
        reraise_unless_form_error(session, exc)
        return redirect(f"/opportunities/{opportunity_id}", exc.message, request=request)
    return redirect(f"/opportunities/{opp.id}", _('You now own “%(title)s”.', title=opp.title), request=request)


@router.post("/{opportunity_id}/move")
def move(request: Request, session: SessionDep, actor: ActorDep, form: FormDep, opportunity_id: int) -> Response:
    values = {"to_stage": form_text(form, "to_stage"), "reason": form_text(form, "reason"),
              "version": form_text(form, "version")}
    try:
        opp = service.move(session, actor=actor, opportunity_id=opportunity_id, data=StageMove(**values))
    except (ValidationError, InvestDeskError) as exc:
        reraise_unless_form_error(session, exc)
        errors = form_errors(exc)
        if form_text(form, "from") == "board" and is_htmx(request):
            message = "; ".join(errors.values())
            return Response(status_code=400, headers={"HX-Error": quote(message)})  # a notice; the board stays
        opp = service.get(session, actor=actor, opportunity_id=opportunity_id)
        return _detail(request, session, actor, opp, errors=errors, move=values, status_code=422)
    message = _("“%(title)s” moved to %(stage)s.", title=opp.title, stage=label(opp.stage))
    if form_text(form, "from") == "board":
        back = "/opportunities/board" + (f"?{form_text(form, 'query')}" if form_text(form, "query") else "")
        if is_htmx(request):
            flt = _filter(request)
            ctx = {"columns": board_columns(session, actor, flt), "limit": BOARD_CARDS, "moved": opp.id,
                   "message": message, **_filter_context(session, actor, flt)}
            return render(request, "opportunities/_board.html", ctx)
        return redirect(back, message)
    return redirect(f"/opportunities/{opportunity_id}", message, request=request)
