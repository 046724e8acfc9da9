"""Papers over HTTP: each route is one file download, built with the caller's scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from investdesk.papers import files
from investdesk.papers.files import PaperFile
from investdesk.web.deps import ActorDep, SessionDep

router = APIRouter(tags=["papers"])
PDF_ONLY: dict[int | str, dict[str, Any]] = {200: {"content": {files.PDF: {}}, "description": "The paper."}}


def _download(paper: PaperFile) -> Response:
    return Response(paper.content, media_type=paper.media_type,
                    headers={"Content-Disposition": f'attachment; filename="{paper.filename}"',
                             "Cache-Control": "no-store"})


@router.get("/briefs/organizations/{organization_id}.pdf", response_class=Response, responses=PDF_ONLY)
def organization_brief(session: SessionDep, actor: ActorDep, organization_id: int) -> Response:
    """Meeting brief for an organization: who they are, our history, leads, MoUs, offers, people, sources."""
    return _download(files.organization_brief(session, actor=actor, organization_id=organization_id))


@router.get("/briefs/people/{person_id}.pdf", response_class=Response, responses=PDF_ONLY)
def person_brief(session: SessionDep, actor: ActorDep, person_id: int) -> Response:
    """Meeting brief for a person, with their organization's leads and MoUs."""
    return _download(files.person_brief(session, actor=actor, person_id=person_id))


@router.get("/reports/missions/{mission_id}.pdf", response_class=Response, responses=PDF_ONLY)
def mission_report_pdf(session: SessionDep, actor: ActorDep, mission_id: int) -> Response:
    """Mission report (draft): itinerary, meetings, leads, MoUs, follow-ups and an annexe of sources."""
    return _download(files.mission_report(session, actor=actor, mission_id=mission_id, fmt="pdf"))


@router.get("/reports/missions/{mission_id}.docx", response_class=Response,
            responses={200: {"content": {files.DOCX: {}}, "description": "The report, to edit in Word."}})
def mission_report_docx(session: SessionDep, actor: ActorDep, mission_id: int) -> Response:
    """The mission report as a Word document for the officer to finish."""
    return _download(files.mission_report(session, actor=actor, mission_id=mission_id, fmt="docx"))


def _pack(session: SessionDep, actor: ActorDep, fmt: str, signed_from: dt.date | None, signed_to: dt.date | None,
          district: str | None, department: str | None, since: dt.date | None, fy: str | None) -> Response:
    return _download(files.mou_pack(session, actor=actor, signed_from=signed_from, signed_to=signed_to,
                                    district=district, department=department, since=since, fmt=fmt,
                                    financial_year=fy))


FROM = Query(None, alias="from", description="MoUs signed on or after this date.")
TO = Query(None, alias="to", description="MoUs signed on or before this date.")
SINCE = Query(None, description="List status changes since this date (default: the start of the range).")
FY = Query(None, description="MoUs signed in a financial year, April to March: 2026-27 or FY 2026-27 (instead of "
           "from and to).")


@router.get("/packs/mous.pdf", response_class=Response, responses=PDF_ONLY)
def mou_pack_pdf(session: SessionDep, actor: ActorDep, signed_from: dt.date | None = FROM,
                 signed_to: dt.date | None = TO, district: str | None = None, department: str | None = None,
                 since: dt.date | None = SINCE, fy: str | None = FY) -> Response:
    """MoU review pack: headline, district maps, conversion, pending MoUs, blockers, changes and the district
    table."""
    return _pack(session, actor, "pdf", signed_from, signed_to, district, department, since, fy)


@router.get("/packs/mous.xlsx", response_class=Response,
            responses={200: {"content": {files.XLSX: {}}, "description": "One sheet per table."}})
def mou_pack_xlsx(session: SessionDep, actor: ActorDep, signed_from: dt.date | None = FROM,
                  signed_to: dt.date | None = TO, district: str | None = None, department: str | None = None,
                  since: dt.date | None = SINCE, fy: str | None = FY) -> Response:
    """The MoU review pack's tables as a workbook, one sheet per table."""
    return _pack(session, actor, "xlsx", signed_from, signed_to, district, department, since, fy)


@router.get("/reports/pipeline-monthly.pdf", response_class=Response, responses=PDF_ONLY)
def pipeline_monthly(session: SessionDep, actor: ActorDep,
                     month: str | None = Query(None, description="YYYY-MM; default: last month.")) -> Response:
    """Monthly pipeline report: funnel, the month's movement, value by sector and country, largest leads."""
    return _download(files.pipeline_monthly(session, actor=actor, month=month))
