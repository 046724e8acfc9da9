"""The pitch desk: the incentive calculator, the policies (edited by managers) and matchmaking pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError

from investdesk.errors import InvestDeskError
from investdesk.i18n import _
from investdesk.incentives import service
from investdesk.incentives.calculator import crore
from investdesk.incentives.schemas import CalculateIn, PolicyEdit
from investdesk.matchmaking import service as matchmaking
from investdesk.matchmaking.schemas import TripIn
from investdesk.offerings import service as offerings
from investdesk.permissions import Perm, require
from investdesk.web.deps import ActorDep, SessionDep
from investdesk.web.routes import choices
from investdesk.web.routes.common import PAGE, form_errors, redirect, render

router = APIRouter(include_in_schema=False, dependencies=PAGE)

FORM_FIELDS = ("sector", "district", "land", "building", "plant_machinery", "jobs", "foreign_share", "capacity",
               "term_loan", "as_of", "opportunity_id", "mou_id")


def _form(request: Request) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in FORM_FIELDS:
        raw = request.query_params.get(name, "").strip()[:120]
        if raw:
            values[name] = raw
    if request.query_params.get("fortune500") == "1":
        values["fortune500"] = True
    return values


@router.get("/incentives")
def calculator_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """The calculator: a form by hand or pre-filled from a lead or MoU, and each policy's answer below it."""
    require(actor, Perm.read)
    values = _form(request)
    errors: dict[str, str] = {}
    result = None
    asked = bool(values.get("sector") or values.get("opportunity_id") or values.get("mou_id"))
    if asked:
        try:
            result = service.calculate(session, actor=actor, data=CalculateIn.model_validate(values))
            values.update({k: int(v) if isinstance(v, float) and v.is_integer() else v
                           for k, v in result.project.model_dump().items() if v not in (None, 0, 0.0, False)})
        except (ValidationError, InvestDeskError) as exc:
            errors = form_errors(exc)
    ctx = {"section": "incentives", "values": values, "errors": errors, "result": result, "money": crore,
           "sectors": choices.sector_options(session), "districts": choices.district_options()}
    return render(request, "incentives/calculator.html", ctx, status_code=422 if errors else 200)


@router.get("/incentives/policies")
def policies_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    return render(request, "incentives/policies.html", {
        "section": "policies", "policies": service.list_policies(session, actor=actor)})


def _policy_ctx(session: SessionDep, actor: ActorDep, policy_id: str) -> dict[str, Any]:
    cur = service.get_policy(session, actor=actor, policy_id=policy_id)
    from investdesk.incentives import loader

    return {"section": "policies", "cur": cur, "doc": cur.doc, "sources": loader.policy_data().sources.sources,
            "versions": service.versions(session, actor=actor, policy_id=policy_id),
            "may_edit": actor.role in service.EDITORS, "values": {"document": cur.text,
                                                                  "effective_from": dt.date.today().isoformat()}}


@router.get("/incentives/policies/{policy_id}")
def policy_page(request: Request, session: SessionDep, actor: ActorDep, policy_id: str) -> Response:
    return render(request, "incentives/policy.html", {**_policy_ctx(session, actor, policy_id), "errors": {}})


@router.post("/incentives/policies/{policy_id}")
async def policy_edit(request: Request, session: SessionDep, actor: ActorDep, policy_id: str) -> Response:
    form = await request.form()
    values = {k: str(form.get(k, "")) for k in ("document", "effective_from", "note")}
    try:
        service.edit_policy(session, actor=actor, policy_id=policy_id, data=PolicyEdit.model_validate(values))
    except (ValidationError, InvestDeskError) as exc:
        if isinstance(exc, InvestDeskError) and exc.status_code in (403, 404):
            raise
        ctx = {**_policy_ctx(session, actor, policy_id), "values": values, "errors": form_errors(exc)}
        if ctx["errors"] and not set(ctx["errors"]) & {"document", "effective_from", "note"}:
            ctx["errors"] = {"document": next(iter(ctx["errors"].values()))}
        return render(request, "incentives/policy.html", ctx, status_code=422)
    return redirect(f"/incentives/policies/{policy_id}", _('Policy %(policy_id)s saved, in force from '
                                                           '%(effective_from)s', policy_id=policy_id,
                                                           effective_from=values['effective_from']), request=request)


@router.get("/match")
def match_index(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    require(actor, Perm.read)
    return render(request, "match/index.html", {
        "section": "match", "offerings": offerings.list_offerings(session, actor=actor),
        "policies": service.list_policies(session, actor=actor), "sectors": choices.sector_options(session),
        "organizations": choices.organization_options(session), "values": {}, "errors": {}})


@router.get("/match/offering/{offering_id}")
def match_offering(request: Request, session: SessionDep, actor: ActorDep, offering_id: int) -> Response:
    result = matchmaking.for_offering(session, actor=actor, offering_id=offering_id)
    return render(request, "match/result.html", {"section": "match", "result": result})


@router.get("/match/policy/{policy_id}")
def match_policy(request: Request, session: SessionDep, actor: ActorDep, policy_id: str) -> Response:
    result = matchmaking.for_policy(session, actor=actor, policy_id=policy_id)
    return render(request, "match/result.html", {"section": "match", "result": result})


@router.get("/match/organization")
def match_organization_form(request: Request, actor: ActorDep) -> Response:
    """The index page's organization form: on to that organization's matches."""
    require(actor, Perm.read)
    raw = request.query_params.get("organization_id", "")
    return redirect(f"/match/organization/{int(raw)}" if raw.isdigit() and len(raw) < 10 else "/match")


@router.get("/match/organization/{organization_id}")
def match_organization(request: Request, session: SessionDep, actor: ActorDep, organization_id: int) -> Response:
    result = matchmaking.for_organization(session, actor=actor, organization_id=organization_id)
    return render(request, "match/result.html", {"section": "match", "result": result})


@router.get("/match/trip")
def match_trip(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    params = request.query_params
    values = {"country": params.get("country", "").strip()[:10],
              "cities": [c.strip()[:120] for c in params.get("cities", "").split(",") if c.strip()][:20],
              "sectors": [s for s in params.getlist("sector") if s][:20]}
    try:
        result = matchmaking.for_trip(session, actor=actor, trip=TripIn.model_validate(values))
    except (ValidationError, InvestDeskError) as exc:
        if isinstance(exc, InvestDeskError) and exc.status_code in (403, 404):
            raise
        return render(request, "match/index.html", {
            "section": "match", "offerings": offerings.list_offerings(session, actor=actor),
            "policies": service.list_policies(session, actor=actor), "sectors": choices.sector_options(session),
            "organizations": choices.organization_options(session), "values": values,
            "errors": form_errors(exc)}, status_code=422)
    return render(request, "match/result.html", {"section": "match", "result": result, "trip": values})
