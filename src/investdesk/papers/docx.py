"""The mission report as an editable Word document (python-docx): the same sections as the PDF, as a draft the
mission officer finishes."""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from investdesk import i18n
from investdesk.config import get_settings
from investdesk.formatting import country, crore, date, label
from investdesk.i18n import _
from investdesk.papers.schemas import MeetingRow, MissionReport, PaperMeta

# Word shows text in a font it has; Devanagari falls back to Nirmala UI or Mangal, which Word ships.
FONT = "Noto Sans"


def _table(doc: object, header: Sequence[str], rows: Sequence[Sequence[str]], empty: str = "") -> None:
    if not rows and empty:
        doc.add_paragraph(empty)  # type: ignore[attr-defined]
        return
    table = doc.add_table(rows=1, cols=len(header))  # type: ignore[attr-defined]
    table.style = "Light Grid Accent 1"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text


def _page_numbers(doc: object, meta: PaperMeta) -> None:
    section = doc.sections[0]  # type: ignore[attr-defined]
    footer = section.footer.paragraphs[0]
    footer.text = (_('Prepared by %(prepared_by)s for %(agency)s on %(day)s UTC from: %(built_from)s. Page ',
                     prepared_by=meta.prepared_by, agency=meta.agency, day=i18n.datetime(meta.generated_at),
                     built_from=', '.join(meta.built_from)))
    run = footer.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
            run._r.append(field)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
    for p in section.footer.paragraphs:
        for r in p.runs:
            r.font.size = Pt(7)


def _meeting(doc: object, m: MeetingRow) -> None:
    p = doc.add_paragraph()  # type: ignore[attr-defined]
    p.add_run(m.title).bold = True
    p.add_run(f" — {date(m.date)}{', ' + m.city if m.city else ''}"
              f"{' (' + country(m.country) + ')' if m.country else ''}"
              f"{'  [' + ', '.join(map(str, m.sources)) + ']' if m.sources else ''}")
    lines = [(_("With"), ", ".join(m.counterparts) or _("not recorded")),
             (_("Our side"), ", ".join(m.our_side) or _("not recorded")),
             (_("Their side"), ", ".join(m.their_side) or _("not recorded")), (_("Topics"), "; ".join(m.topics) or "—"),
             (_("Outcome"), m.outcome or _("not recorded"))]
    for name, text in lines:
        q = doc.add_paragraph()  # type: ignore[attr-defined]
        q.paragraph_format.space_after = Pt(0)
        q.add_run(f"{name}: ").italic = True
        q.add_run(text)


def _logo() -> bytes | None:
    """The configured logo when Word can show it (PNG or JPEG); the shipped SVG emblem it cannot."""
    path = get_settings().agency_logo
    if path is None or path.suffix.lower() not in (".png", ".jpg", ".jpeg"):
        return None
    try:
        return path.read_bytes()
    except OSError:
        return None


def mission_docx(report: MissionReport) -> bytes:
    """The mission report as .docx bytes."""
    logo_png = _logo()
    doc = Document()
    doc.styles["Normal"].font.name = FONT
    doc.styles["Normal"].font.size = Pt(10)
    meta = report.meta
    head = doc.add_paragraph()
    head.add_run(meta.agency).bold = True
    head.add_run(_('\t%(generated_at)s · prepared by %(prepared_by)s', generated_at=date(meta.generated_at),
                   prepared_by=meta.prepared_by))
    if logo_png:
        doc.add_picture(io.BytesIO(logo_png), width=Pt(36))
    doc.add_heading(meta.title, level=0)
    sub = doc.add_paragraph(meta.subtitle)
    sub.alignment = WD_ALIGN_PARAGRAPH.LEFT
    if report.missing:
        doc.add_heading(_("Not in the records"), level=2)
        for note in report.missing:
            doc.add_paragraph(note, style="List Bullet")
    doc.add_heading(_("Purpose"), level=1)
    doc.add_paragraph(report.purpose or _("Not recorded: write the purpose of the mission here."))
    _table(doc, [_("Dates"), _("Countries"), _("Cities"), _("Led by")],
           [[f"{date(report.start_date)} to {date(report.end_date)}", ", ".join(map(country, report.countries)),
             ", ".join(report.cities), report.home_agency or _("not recorded")]])
    doc.add_heading(_("Delegation"), level=1)
    _table(doc, [_("Name"), _("Titles")], [[p.name, ", ".join(p.titles)] for p in report.delegation],
           empty=_("No delegates recorded."))
    doc.add_heading(_('Itinerary and meetings (%(meetings_total)s)', meetings_total=report.meetings_total), level=1)
    for day in report.days:
        doc.add_heading(date(day.date) if day.date else _("Date not recorded"), level=2)
        for stop in day.cities:
            doc.add_heading(stop.city, level=3)
            for m in stop.meetings:
                _meeting(doc, m)
    if not report.days:
        doc.add_paragraph(_("No meetings recorded for this mission."))
    doc.add_heading(_("Leads opened"), level=1)
    _table(doc, [_("Lead"), _("Counterpart"), _("Stage"), _("Value"), _("Owner"), _("Next step")],
           [[lead.title, lead.counterpart or "", label(lead.stage), crore(lead.value_inr_crore),
             lead.owner or "unassigned", lead.next_action or ""] for lead in report.leads],
           empty=_("No leads were opened from the mission's meetings."))
    doc.add_heading(_("MoUs signed or expected"), level=1)
    _table(doc, [_("MoU"), _("Status"), _("Signed"), _("Value"), _("Jobs")],
           [[m.title, m.status, date(m.signed_date), crore(m.value_inr_crore), str(m.jobs or "—")]
            for m in report.mous], empty=_("No MoUs signed or expected."))
    doc.add_heading(_("Follow-ups"), level=1)
    _table(doc, [_("Follow-up"), _("On"), _("Owner"), _("Due"), _("Done")],
           [[f.title, f.on, f.owner or "unassigned", date(f.due), "yes" if f.done else "no"]
            for f in report.followups], empty=_("No follow-ups recorded."))
    doc.add_heading(_("Annexe: sources"), level=1)
    for s in report.sources:
        doc.add_paragraph(f"[{s.number}] “{s.sentence}” — {s.document}; {s.about}.", style="List Number")
    if not report.sources:
        doc.add_paragraph(_("No source sentences: these records were entered by hand."))
    _page_numbers(doc, meta)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
