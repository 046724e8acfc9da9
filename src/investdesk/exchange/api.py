"""REST API of the spreadsheet exchange: upload an .xlsx or CSV of MoUs or leads, download the filtered lists.

Mounted before the MoU and lead routers, so ``/mous/import`` and ``/mous/export`` are never read as
``/mous/{mou_id}``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from fastapi import APIRouter, Request, UploadFile
from fastapi.responses import Response, StreamingResponse
from sqlalchemy.orm import Session

from investdesk.db import session_factory
from investdesk.errors import InvestDeskError
from investdesk.exchange import service as exchange
from investdesk.exchange.schemas import ExportFormat, ImportReport, ImportResult
from investdesk.exchange.tables import Source
from investdesk.models.enums import MouStatus, OpportunityStage
from investdesk.mous.schemas import MouFilter
from investdesk.permissions import Actor, Perm, require
from investdesk.pipeline.schemas import OpportunityFilter
from investdesk.sectors import service as sectors
from investdesk.web.deps import ActorDep, SessionDep

router = APIRouter(tags=["exchange"])
CHUNK = 1 << 20
MEDIA = {ExportFormat.xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         ExportFormat.csv: "text/csv; charset=utf-8"}


class UploadTooLarge(InvestDeskError):
    status_code = 413
    code = "too_large"


def read_upload(request: Request, file: UploadFile) -> Source:
    """The upload's bytes, refused as soon as they pass INVESTDESK_MAX_UPLOAD_MB."""
    limit_mb = request.app.state.settings.max_upload_mb
    limit = limit_mb * 2**20
    name = file.filename or "upload"
    message = f"{name}: larger than the {limit_mb} MB upload limit (INVESTDESK_MAX_UPLOAD_MB)"
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit + 65536:
        raise UploadTooLarge(message, field="file")
    parts, size = [], 0
    while chunk := file.file.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise UploadTooLarge(message, field="file")
        parts.append(chunk)
    return Source(name=name, data=b"".join(parts))


def _result(report: ImportReport) -> ImportResult:
    return ImportResult(created=report.created, rows=report.rows, dry_run=report.dry_run,
                        new_organizations=report.new_organizations, warnings=report.warnings,
                        updated=report.updated, unchanged=report.unchanged, summary=report.summary)


@router.post("/mous/import", response_model=ImportResult)
def import_mous(request: Request, session: SessionDep, actor: ActorDep, file: UploadFile,
                dry_run: bool = False) -> ImportResult:
    """Import MoUs from an .xlsx or CSV upload (field ``file``): every row is checked first; if any has a
    problem nothing is written and the answer (422) lists each by row and column."""
    require(actor, Perm.write_mous)  # before reading a large upload; the service checks again
    report = exchange.import_mous(session, actor=actor, source=read_upload(request, file), dry_run=dry_run)
    return _result(report)


@router.post("/opportunities/import", response_model=ImportResult)
def import_opportunities(request: Request, session: SessionDep, actor: ActorDep, file: UploadFile,
                         dry_run: bool = False) -> ImportResult:
    """Import leads from an .xlsx or CSV upload (field ``file``), all rows or none."""
    require(actor, Perm.write_opportunities)
    report = exchange.import_opportunities(session, actor=actor, source=read_upload(request, file), dry_run=dry_run)
    return _result(report)


def _stream(session: Session, export: exchange.Export, fmt: ExportFormat) -> Iterator[bytes]:
    try:
        yield from exchange.chunks(export, fmt)
    finally:
        session.close()


def _download(request: Request, actor: Actor, fmt: ExportFormat, flt: MouFilter | OpportunityFilter) -> Response:
    """The export, read in a session of its own: the request's closes when the route returns, while a CSV
    goes on streaming after that."""
    require(actor, Perm.read)
    session = session_factory(request.app.state.engine)()
    streaming = False
    try:
        if isinstance(flt, MouFilter):
            export = exchange.export_mous(session, actor=actor, flt=flt)
        else:
            export = exchange.export_opportunities(session, actor=actor, flt=flt)
        filename = f"{export.stem}-{dt.date.today().isoformat()}.{fmt.value}"
        headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
        if fmt is ExportFormat.xlsx:
            return Response(b"".join(exchange.chunks(export, fmt)), media_type=MEDIA[fmt], headers=headers)
        streaming = True
        return StreamingResponse(_stream(session, export, fmt), media_type=MEDIA[fmt], headers=headers)
    finally:
        if not streaming:
            session.close()


def _sector_id(session: Session, sector: str | None) -> str | None:
    found = sectors.resolve(session, [sector], field="sector") if sector else []
    return found[0].id if found else None  # a blank or separator-only value filters nothing


@router.get("/mous/export")
def export_mous(request: Request, session: SessionDep, actor: ActorDep, format: ExportFormat = ExportFormat.xlsx,
                q: str | None = None, status: MouStatus | None = None, district: str | None = None,
                department: str | None = None, sector: str | None = None, pending: bool = False) -> Response:
    """The MoUs matching the filters as .xlsx or CSV (a nodal officer's own districts only); the headers are
    the import's, so the file imports again."""
    flt = MouFilter(q=q, status=status, district=district, department=department,
                    sector=_sector_id(session, sector), pending=pending)
    return _download(request, actor, format, flt)


@router.get("/opportunities/export")
def export_opportunities(request: Request, session: SessionDep, actor: ActorDep,
                         format: ExportFormat = ExportFormat.xlsx, q: str | None = None,
                         stage: OpportunityStage | None = None, sector: str | None = None,
                         district: str | None = None, country: str | None = None) -> Response:
    """The leads matching the filters as .xlsx or CSV."""
    flt = OpportunityFilter(q=q, stage=stage, sector=_sector_id(session, sector), district=district,
                            country=country)
    return _download(request, actor, format, flt)
