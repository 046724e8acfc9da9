"""The import's own reading of a workbook gives the sheet size and the rows openpyxl's ``load_workbook(read_only=True)``
and ``iter_rows(values_only=True)`` give."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from investdesk.exchange.tables import _WorkbookReader, sheet_rows

ROWS = [
    ["MoUs signed at the summit"],
    [],
    ["S. No.", "Project Name", "निवेशक", "Value", "Date", "Time", "Flag", "Note"],
    [1, "Cell plant", "Tanaka & Co. <Ltd>", 12.5, dt.datetime(2024, 1, 12), dt.time(10, 30), True, "#N/A"],
    [2, "  spaced  ", "Sakura", -3, dt.date(2023, 2, 10), dt.timedelta(hours=5), False, "=A1"],
    [None, None, None, 1e20, None, None, None, "line\nbreak"],
]


def _write(path: Path, write_only: bool) -> None:
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet("MoUs") if write_only else wb.active
    assert ws is not None
    for row in ROWS:
        ws.append(row)
    if not write_only:
        ws["J9"] = "far away"  # a gap of rows, a cell past the others
        ws["B10"] = CellRichText(["plain ", TextBlock(InlineFont(b=True), "bold")])
        ws["C10"] = "=1/0"
    wb.save(path)


@pytest.mark.parametrize("write_only", [False, True], ids=["shared-strings", "inline-strings"])
def test_same_values_and_row_numbers_as_openpyxl(tmp_path: Path, write_only: bool) -> None:
    path = tmp_path / "s.xlsx"
    _write(path, write_only)
    wb = load_workbook(path, read_only=True, data_only=True)
    ws = wb.active
    expected = [(n, row) for n, row in enumerate(ws.iter_rows(values_only=True), start=1)
                if any(v is not None for v in row)]
    size = (ws.min_column, ws.min_row, ws.max_column, ws.max_row)
    wb.close()
    reader = _WorkbookReader(path, read_only=True, data_only=True)
    reader.read()
    ours = reader.wb.active
    got = [(n, row) for n, row in sheet_rows(ours) if any(v is not None for v in row)]
    assert (ours.min_column, ours.min_row, ours.max_column, ours.max_row) == size
    reader.wb.close()
    assert got == expected
    assert len(got) == (5 if write_only else 7)
