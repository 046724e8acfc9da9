"""The MoU review pack as a workbook for the secretariat (openpyxl): one sheet per table, a header row, a totals
row where the table adds up, and an "About" sheet saying what it was built from."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from investdesk.papers.schemas import MouPack
from investdesk.reports.schemas import ConversionRow, GroupTotal

BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="EEF2F6")


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
    _sheet(wb, title, [what, "Count", "Value (INR crore)"], [[r.label, r.count, r.value_inr_crore] for r in rows],
           ["Total", sum(r.count for r in rows), round(sum(r.value_inr_crore for r in rows), 4)])


def _conversion(wb: Workbook, title: str, what: str, rows: list[ConversionRow]) -> None:
    _sheet(wb, title, [what, "Signed", "Grounded", "Rate", "Value signed (INR crore)", "Value grounded (INR crore)"],
           [[r.label, r.signed, r.grounded, r.rate, r.value_signed_inr_crore, r.value_grounded_inr_crore]
            for r in rows],
           ["Total", sum(r.signed for r in rows), sum(r.grounded for r in rows), None,
            round(sum(r.value_signed_inr_crore for r in rows), 4),
            round(sum(r.value_grounded_inr_crore for r in rows), 4)])


def pack_xlsx(pack: MouPack) -> bytes:
    """The pack's tables as .xlsx bytes."""
    wb = Workbook()
    about = wb.active
    assert about is not None
    about.title = "About"
    meta = pack.meta
    for row in (["Paper", meta.title], ["Agency", meta.agency], ["Covers", meta.subtitle],
                ["Prepared by", meta.prepared_by], ["Generated (UTC)", meta.generated_at.strftime("%Y-%m-%d %H:%M")],
                ["Built from", "; ".join(meta.built_from)], ["Changes since", pack.since.isoformat()],
                *[["Not in the records", m] for m in pack.missing]):
        about.append(_cells(row))
    for cell in about["A"]:
        cell.font = BOLD
    about.column_dimensions["A"].width, about.column_dimensions["B"].width = 20, 100
    f = pack.figures
    _sheet(wb, "Headline", ["Figure", "Value"], [["MoUs signed", f.signed], ["Grounded", f.grounded],
                                                ["Pending", f.pending], ["Value (INR crore)", f.value_inr_crore],
                                                ["Jobs", f.jobs]])
    _conversion(wb, "Conversion by year", "Year", pack.conversion_year)
    _conversion(wb, "Conversion by sector", "Sector", pack.conversion_sector)
    _groups(wb, "Pending by district", "District", pack.pending_district)
    _groups(wb, "Pending by nodal officer", "Nodal officer", pack.pending_officer)
    _groups(wb, "Blockers by department", "Department", pack.blockers_department)
    _groups(wb, "Blockers by level", "Escalation level", pack.blockers_level)
    _groups(wb, "Blockers by age", "Open for", pack.blockers_age)
    _sheet(wb, "Oldest blockers",
           ["MoU id", "MoU", "District", "Blocker", "Department", "Level", "Raised", "Days open"],
           [[b.mou_id, b.mou_title, b.district, b.category, b.department, b.escalation_level, b.raised_on, b.age_days]
            for b in pack.oldest_blockers])
    _sheet(wb, "Status changes", ["MoU id", "MoU", "District", "From", "To", "On (UTC)", "Note"],
           [[c.mou_id, c.title, c.district, c.from_status, c.to_status,
             c.changed_at.replace(tzinfo=None), c.note] for c in pack.changes])
    d = pack.districts
    _sheet(wb, "Districts", ["District", "Signed", "Grounded", "Pending", "Open blockers", "Value (INR crore)", "Jobs"],
           [[r.district, r.signed, r.grounded, r.pending, r.open_blockers, r.value_inr_crore, r.jobs] for r in d],
           ["Total", sum(r.signed for r in d), sum(r.grounded for r in d), sum(r.pending for r in d),
            sum(r.open_blockers for r in d), round(sum(r.value_inr_crore for r in d), 4), sum(r.jobs for r in d)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
