"""Spreadsheet import pages for MoUs and leads: upload, check (optionally without writing), see each problem."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from investdesk.db import transaction
from investdesk.errors import InvestDeskError
from investdesk.exchange import service as exchange
from investdesk.exchange.api import read_upload
from investdesk.exchange.errors import ImportRejected
from investdesk.i18n import N_, _
from investdesk.permissions import Perm, require
from investdesk.web.deps import ActorDep
from investdesk.web.routes.common import PAGE, render

router = APIRouter(include_in_schema=False, dependencies=PAGE)
KINDS: dict[str, dict[str, Any]] = {
    "mous": {"noun": N_("MoUs"), "perm": Perm.write_mous, "run": exchange.import_mous,
             "example": N_("Investor Name · Project · MoU Value (Rs Cr) · Jobs · District · Sector · Date of Signing")},
    "opportunities": {"noun": N_("leads"), "perm": Perm.write_opportunities, "run": exchange.import_opportunities,
                      "example": N_("Title · Company · Stage · Investment (INR Crore) · Country · District · Owner")},
}
SHOWN = 200


def _page(request: Request, kind: str, context: dict[str, Any], status_code: int = 200) -> Response:
    return render(request, "exchange/import.html", {
        "kind": kind, "noun": _(KINDS[kind]["noun"]), "example": _(KINDS[kind]["example"]), "section": kind,
        "max_mb": request.app.state.settings.max_upload_mb, "shown": SHOWN, **context}, status_code=status_code)


def import_form(request: Request, actor: ActorDep) -> Response:
    kind = request.url.path.split("/")[1]
    require(actor, KINDS[kind]["perm"])
    return _page(request, kind, {})


def import_file(request: Request, actor: ActorDep, file: UploadFile = File(...),
                dry_run: bool = Form(False)) -> Response:
    """One transaction for the whole file: every row is checked first, and nothing is written unless all pass."""
    kind = request.url.path.split("/")[1]
    require(actor, KINDS[kind]["perm"])
    try:
        with transaction(request.app.state.engine) as session:
            report = KINDS[kind]["run"](session, actor=actor, source=read_upload(request, file), dry_run=dry_run)
    except ImportRejected as exc:
        return _page(request, kind, {"rejected": exc, "problems": exc.problems[:SHOWN]}, status_code=422)
    except InvestDeskError as exc:
        if exc.status_code in (401, 403):
            raise
        return _page(request, kind, {"error": exc.message}, status_code=exc.status_code)
    return _page(request, kind, {"report": report})


# Declared path by path (not /{kind}/import), and installed before the MoU and lead pages, so that
# /mous/import is never read as /mous/{mou_id}.
for _kind in KINDS:
    router.add_api_route(f"/{_kind}/import", import_form, methods=["GET"])
    router.add_api_route(f"/{_kind}/import", import_file, methods=["POST"])
