"""Each paper as a file: the service builds its data, a writer lays it out. Used by the API and the CLI alike."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from investdesk.errors import ValidationFailed
from investdesk.i18n import _
from investdesk.papers import service
from investdesk.permissions import Actor

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA = {"pdf": PDF, "docx": DOCX, "xlsx": XLSX}


@dataclass(frozen=True)
class PaperFile:
    content: bytes
    filename: str
    media_type: str


def slug(text: str, limit: int = 60) -> str:
    """A file name part: ASCII letters and digits joined by hyphens ("Brief: Tanaka & Co." -> "brief-tanaka-co")."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:limit].strip("-") or "paper"


def _format(fmt: str, allowed: tuple[str, ...], field: str = "format") -> str:
    fmt = fmt.lower().lstrip(".")
    if fmt not in allowed:
        raise ValidationFailed(_('%(field)s: %(fmt)s is not one of %(allowed)s', field=field, fmt=repr(fmt),
                                 allowed=', '.join(allowed)), field=field)
    return fmt


def organization_brief(session: Session, *, actor: Actor, organization_id: int) -> PaperFile:
    from investdesk.papers import pdf

    brief = service.organization_brief(session, actor=actor, organization_id=organization_id)
    return PaperFile(pdf.render("brief.html", brief), f"brief-organization-{organization_id}.pdf", PDF)


def person_brief(session: Session, *, actor: Actor, person_id: int) -> PaperFile:
    from investdesk.papers import pdf

    brief = service.person_brief(session, actor=actor, person_id=person_id)
    return PaperFile(pdf.render("brief.html", brief), f"brief-person-{person_id}.pdf", PDF)


def mission_report(session: Session, *, actor: Actor, mission_id: int, fmt: str = "pdf") -> PaperFile:
    fmt = _format(fmt, ("pdf", "docx"))
    report = service.mission_report(session, actor=actor, mission_id=mission_id)
    if fmt == "docx":
        from investdesk.papers.docx import mission_docx

        content = mission_docx(report)
    else:
        from investdesk.papers import pdf

        content = pdf.render("mission.html", report)
    return PaperFile(content, f"mission-report-{mission_id}.{fmt}", MEDIA[fmt])


def mou_pack(session: Session, *, actor: Actor, signed_from: dt.date | None, signed_to: dt.date | None,
             district: str | None = None, department: str | None = None, since: dt.date | None = None,
             fmt: str = "pdf", progress: Callable[[str], None] | None = None,
             financial_year: str | None = None) -> PaperFile:
    """The MoU review pack of the MoUs signed in a range, or in a financial year ("FY 2026-27": April to March)."""
    from investdesk.papers import reviews
    from investdesk.reports import periods

    fmt = _format(fmt, ("pdf", "xlsx"))
    if financial_year:
        if signed_from or signed_to:
            raise ValidationFailed(_("fy: give a financial year or a date range (from, to), not both"), field="fy")
        signed_from, signed_to = periods.bounds(periods.parse(financial_year))
    window = reviews.window_of(signed_from=signed_from, signed_to=signed_to, district=district,
                               department=department)
    pack = reviews.mou_pack(session, actor=actor, window=window, since=since, progress=progress)
    if fmt == "xlsx":
        from investdesk.papers.xlsx import pack_xlsx

        content = pack_xlsx(pack)
    else:
        from investdesk.papers import pdf
        from investdesk.papers.figures import pack_charts, pack_maps

        content = pdf.render("pack.html", pack, charts=pack_charts(pack), maps=pack_maps(pack))
    if progress is not None:
        progress("layout")
    parts = [signed_from.isoformat() if signed_from else "start", signed_to.isoformat() if signed_to else "today",
             slug(window.district or ""), slug(window.department or "")]
    name = "-".join(p for p in parts if p and p != "paper")
    return PaperFile(content, f"mou-pack-{name}.{fmt}", MEDIA[fmt])


def pipeline_monthly(session: Session, *, actor: Actor, month: str | None = None) -> PaperFile:
    from investdesk.papers import pdf, reviews
    from investdesk.papers.figures import pipeline_charts

    report = reviews.pipeline_monthly(session, actor=actor, month=month)
    content = pdf.render("pipeline.html", report, charts=pipeline_charts(report))
    return PaperFile(content, f"pipeline-report-{report.month:%Y-%m}.pdf", PDF)
