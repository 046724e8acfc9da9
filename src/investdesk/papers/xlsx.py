"""The MoU review pack as a workbook for the secretariat (openpyxl): one sheet per table, a header row, a totals
row where the table adds up, an "About" sheet saying what it was built from, and a "District map" sheet with the
pack's maps as pictures (papers.mapimage) beside the districts that are not drawn on them."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.drawing.image import Image
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from investdesk.formatting import crore
from investdesk.i18n import _
from investdesk.papers import mapimage
from investdesk.papers.schemas import MouPack
from investdesk.reports import districts, mapsvg
from investdesk.reports.schemas import ConversionRow, GroupTotal

BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="EEF2F6")
ROW_PX = 20  # a sheet row's default height in pixels (15 points)


def _cells(values: Sequence[Any]) -> list[Any]:
    """A row as a sheet can hold it: control characters (a filter typed with an escape) are dropped."""
    return [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values]


def _sheet(wb: Workbook, title: str, header: Sequence[str], rows: Sequence[Sequence[Any]],
           totals: Sequence[Any] | None = None) -> None:
    ws = wb.create_sheet(title[:31])
    ws.append(_cells(header))
    for cell in ws[1]:
        cell.font, cell.fill = BOLD, HEAD_FILL
    for row in rows:
        ws.append(_cells(row))
    if totals is not None and rows:
        ws.append(_cells(totals))
        for cell in ws[ws.max_row]:
            cell.font = BOLD
    ws.freeze_panes = "A2"
    for i, name in enumerate(header, start=1):
        longest = max([len(str(name)), *(len(str(r[i - 1])) for r in rows[:200] if r[i - 1] is not None)])
        ws.column_dimensions[get_column_letter(i)].width = min(60, max(10, longest + 2))


def _groups(wb: Workbook, title: str, what: str, rows: list[GroupTotal]) -> None:
    _sheet(wb, title, [what, _("Count"), _("Value (INR crore)")], [[r.label, r.count, r.value_inr_crore] for r in rows],
           [_("Total"), sum(r.count for r in rows), round(sum(r.value_inr_crore for r in rows), 4)])


def _conversion(wb: Workbook, title: str, what: str, rows: list[ConversionRow]) -> None:
    _sheet(wb, title, [what, _("Signed"), _("Grounded"), _("Rate"), _("Value signed (INR crore)"),
                       _("Value grounded (INR crore)")],
           [[r.label, r.signed, r.grounded, r.rate, r.value_signed_inr_crore, r.value_grounded_inr_crore]
            for r in rows],
           [_("Total"), sum(r.signed for r in rows), sum(r.grounded for r in rows), None,
            round(sum(r.value_signed_inr_crore for r in rows), 4),
            round(sum(r.value_grounded_inr_crore for r in rows), 4)])


def _maps(wb: Workbook, pack: MouPack) -> None:
    """One picture per map (MoUs signed, pending, open blockers), each under its title, with the districts it
    cannot show (created since the boundaries, or not in the district list) named below it."""
    ws = wb.create_sheet(_("District map")[:31])
    ws.column_dimensions["A"].width = 40
    row = 1
    for m in pack.maps:
        title = _(districts.LABELS[m.metric])
        ws.cell(row=row, column=1, value=title).font = BOLD
        picture = mapimage.png(m, title=title, money=crore)
        if picture is None:
            ws.cell(row=row + 1, column=1, value=_("No district boundaries to draw."))
            row += 3
            continue
        image = Image(io.BytesIO(picture))
        ws.add_image(image, f"A{row + 1}")
        row += 2 + math.ceil(image.height / ROW_PX)
        aside = [(_("In its parent district's shape"), a) for a in m.newer if a.value] + \
                [(_("Not on the map"), a) for a in m.unmapped]
        for what, area in aside:
            for column, value in enumerate(_cells([what, area.district,
                                                   mapsvg.value_text(m.metric, area.value, crore)]), start=1):
                ws.cell(row=row, column=column, value=value)
            row += 1
        row += 1
    ws.cell(row=row, column=1, value=_("The figures of every district are in the Districts sheet."))


def pack_xlsx(pack: MouPack) -> bytes:
    """The pack's tables as .xlsx bytes."""
    wb = Workbook()
    about = wb.active
    assert about is not None
    about.title = _("About")
    meta = pack.meta
    for row in ([_("Paper"), meta.title], [_("Agency"), meta.agency], [_("Covers"), meta.subtitle],
                [_("Prepared by"), meta.prepared_by],
                [_("Generated (UTC)"), meta.generated_at.strftime("%Y-%m-%d %H:%M")],
                [_("Built from"), "; ".join(meta.built_from)], [_("Changes since"), pack.since.isoformat()],
                *[[_("Not in the records"), m] for m in pack.missing]):
        about.append(_cells(row))
    for cell in about["A"]:
        cell.font = BOLD
    about.column_dimensions["A"].width, about.column_dimensions["B"].width = 20, 100
    f = pack.figures
    _sheet(wb, _("Headline"), [_("Figure"), _("Value")], [[_("MoUs signed"), f.signed], [_("Grounded"), f.grounded],
                                                [_("Pending"), f.pending], [_("Value (INR crore)"), f.value_inr_crore],
                                                [_("Jobs"), f.jobs]])
    _conversion(wb, _("Conversion by year"), _("Year"), pack.conversion_year)
    _conversion(wb, _("Conversion by sector"), _("Sector"), pack.conversion_sector)
    _groups(wb, _("Pending by district"), _("District"), pack.pending_district)
    _groups(wb, _("Pending by nodal officer"), _("Nodal officer"), pack.pending_officer)
    _groups(wb, _("Blockers by department"), _("Department"), pack.blockers_department)
    _groups(wb, _("Blockers by level"), _("Escalation level"), pack.blockers_level)
    _groups(wb, _("Blockers by age"), _("Open for"), pack.blockers_age)
    _sheet(wb, _("Oldest blockers"),
           [_("MoU id"), _("MoU"), _("District"), _("Blocker"), _("Department"), _("Level"), _("Raised"),
            _("Days open")],
           [[b.mou_id, b.mou_title, b.district, b.category, b.department, b.escalation_level, b.raised_on, b.age_days]
            for b in pack.oldest_blockers])
    _sheet(wb, _("Status changes"),
           [_("MoU id"), _("MoU"), _("District"), _("From"), _("To"), _("On (UTC)"), _("Note")],
           [[c.mou_id, c.title, c.district, c.from_status, c.to_status,
             c.changed_at.replace(tzinfo=None), c.note] for c in pack.changes])
    d = pack.districts
    _sheet(wb, _("Districts"), [_("District"), _("Signed"), _("Grounded"), _("Pending"), _("Open blockers"),
                               _("Value (INR crore)"), _("Jobs")],
           [[r.district, r.signed, r.grounded, r.pending, r.open_blockers, r.value_inr_crore, r.jobs] for r in d],
           [_("Total"), sum(r.signed for r in d), sum(r.grounded for r in d), sum(r.pending for r in d),
            sum(r.open_blockers for r in d), round(sum(r.value_inr_crore for r in d), 4), sum(r.jobs for r in d)])
    _maps(wb, pack)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
