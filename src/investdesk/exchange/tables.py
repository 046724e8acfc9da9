"""Spreadsheets in and out: .xlsx through openpyxl (read-only and write-only, so 50,000 rows stream) and CSV
(UTF-8 with or without BOM, else Windows-1252; comma, semicolon or tab)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import IO, Any

from lxml import etree
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles import Font
from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from investdesk.exchange.errors import FileTooLarge, UnreadableFile
from investdesk.i18n import _

Row = tuple[Any, ...]
Progress = Callable[[str, int, int | None], None]  # (step, done, total or None)
HEADER_SCAN = 10  # non-empty rows searched for the header (a caption may stand above it)
XLSX_EXTENSIONS = {".xlsx", ".xlsm"}
CSV_EXTENSIONS = {".csv", ".txt", ".tsv"}
_ZIP, _OLE2 = b"PK\x03\x04", b"\xd0\xcf\x11\xe0"
_FORMULA_START = ("=", "+", "-", "@")
# A workbook is a zip: what it unpacks to is checked before openpyxl opens it (it loads the shared strings
# whole). A real register of 100,000 rows unpacks to about 100 MB at a ratio under 30; a zip bomb to
# gigabytes at ratios in the thousands.
MAX_XLSX_UNPACKED = 512 * 2**20
MAX_XLSX_RATIO = 100
RATIO_FROM = 2**20  # members smaller than this may compress as well as they like
DEFAULT_MAX_ROWS = 100_000


@dataclass(frozen=True)
class Source:
    """A file to import: a path (CLI) or bytes already read (upload)."""

    name: str
    path: Path | None = None
    data: bytes | None = None

    @classmethod
    def from_path(cls, path: Path) -> Source:
        return cls(name=str(path), path=path)

    def read(self) -> bytes:
        if self.data is not None:
            return self.data
        assert self.path is not None
        try:
            return self.path.read_bytes()
        except OSError as exc:
            raise UnreadableFile(_('%(name)s: cannot be read (%(exc)s)', name=self.name,
                                   exc=exc.strerror or exc)) from None


@dataclass
class Sheet:
    """The rows under the header row, each with its spreadsheet row number; blank rows left out."""

    file: str
    header_row: int
    header: Row
    rows: list[tuple[int, Row]] = field(default_factory=list)
    sheet: str | None = None


def _blank(row: Row) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in row)


def _take(file: str, numbered: Iterable[tuple[int, Row]], is_header: Callable[[Row], bool],
          progress: Progress | None, total: int | None, max_rows: int = DEFAULT_MAX_ROWS) -> Sheet | None:
    """Find the header row (the first of the first non-empty rows that names a title column, else the first
    non-empty row) and collect the rows under it; None when the sheet holds nothing. Reading stops at the
    first row past ``max_rows``, so a huge file costs no more than the limit."""
    it = iter(numbered)
    seen: list[tuple[int, Row]] = []
    for number, row in it:
        if _blank(row):
            continue
        seen.append((number, row))
        if is_header(row) or len(seen) >= HEADER_SCAN:
            break
    if not seen:
        return None
    at = next((i for i, (_, row) in enumerate(seen) if is_header(row)), 0)
    header_row, header = seen[at]
    out = Sheet(file, header_row, header)
    for number, row in chain(seen[at + 1:], it):
        if not _blank(row):
            if len(out.rows) >= max_rows:
                raise FileTooLarge(f"{file}: more than {max_rows:,} rows (row {number} is past the limit of "
                                   f"INVESTDESK_MAX_IMPORT_ROWS={max_rows}); split the file or raise the limit")
            out.rows.append((number, row))
            if progress and number % 1000 == 0:
                progress("read", number, total)
    return out


def read(source: Source, is_header: Callable[[Row], bool], progress: Progress | None = None,
         max_rows: int = DEFAULT_MAX_ROWS) -> Sheet:
    """The sheet of an .xlsx or CSV file of at most ``max_rows`` rows; anything else is one clear
    UnreadableFile naming the file."""
    data = source.read()
    name = source.name
    suffix = Path(name).suffix.lower()
    if not data.strip():
        raise UnreadableFile(_('%(name)s: the file is empty', name=name))
    if data.startswith(_OLE2):
        raise UnreadableFile(_('%(name)s: an Excel 97-2003 (.xls) workbook; save it as .xlsx or CSV and import that',
                               name=name))
    if data.startswith(_ZIP) or suffix in XLSX_EXTENSIONS:
        if not data.startswith(_ZIP):
            raise UnreadableFile(_('%(name)s: not a readable .xlsx file (it is not an Excel workbook)', name=name))
        return _read_xlsx(name, data, is_header, progress, max_rows)
    if suffix and suffix not in CSV_EXTENSIONS:
        raise UnreadableFile(_('%(name)s: unsupported file type %(suffix)s; import an .xlsx or .csv file', name=name,
                               suffix=repr(suffix)))
    return _read_csv(name, data, is_header, progress, max_rows)


def check_unpacked_size(name: str, data: bytes) -> None:
    """Refuse a workbook whose members would unpack to more than MAX_XLSX_UNPACKED in all, or that compress
    suspiciously well (a zip bomb), before anything is decompressed. zipfile stops every member at its
    declared size, so the declared sizes are what reading can cost."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableFile(_('%(name)s: not a readable .xlsx file (%(exc)s)', name=name, exc=_reason(exc))) from None
    total = sum(m.file_size for m in members)
    if total > MAX_XLSX_UNPACKED:
        raise FileTooLarge(f"{name}: the workbook unpacks to {total / 2**20:,.0f} MB, more than the "
                           f"{MAX_XLSX_UNPACKED // 2**20} MB an import may read; split the file")
    for m in members:
        if m.file_size > RATIO_FROM and m.file_size > MAX_XLSX_RATIO * max(m.compress_size, 1):
            raise FileTooLarge(f"{name}: part {m.filename} unpacks {m.file_size // max(m.compress_size, 1):,} "
                               f"times its size (more than {MAX_XLSX_RATIO}); not a workbook an import reads")


def _read_xlsx(name: str, data: bytes, is_header: Callable[[Row], bool], progress: Progress | None,
               max_rows: int) -> Sheet:
    check_unpacked_size(name, data)
    try:
        reader = _WorkbookReader(io.BytesIO(data), read_only=True, data_only=True)  # load_workbook's own steps
        reader.read()
        wb = reader.wb
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, AttributeError, IndexError) as exc:
        raise UnreadableFile(_('%(name)s: not a readable .xlsx file (%(exc)s)', name=name, exc=_reason(exc))) from None
    try:
        sheets = [ws for ws in wb.worksheets if isinstance(ws, ReadOnlyWorksheet)]
        active = wb.active if isinstance(wb.active, ReadOnlyWorksheet) else None
        if active is not None:
            sheets = [active, *[ws for ws in sheets if ws is not active]]
        # The sheet shown on opening, unless another one is the table (a notes sheet first, the MoUs after).
        # Each sheet's first rows are read once: the chosen one's reading goes on from there.
        chosen: ReadOnlyWorksheet | None = None
        rows: Iterable[tuple[int, Row]] = ()
        for ws in sheets:
            start, rest = _start(ws)
            table = any(is_header(row) for _, row in start)
            if chosen is None or table:
                chosen, rows = ws, chain(start, rest)
            if table:
                break
        found = None
        if chosen is not None:
            found = _take(name, rows, is_header, progress, chosen.max_row, max_rows)
    except FileTooLarge:
        raise
    except Exception as exc:  # noqa: BLE001  a damaged part inside a valid zip fails anywhere in openpyxl
        raise UnreadableFile(_('%(name)s: not a readable .xlsx file (%(exc)s)', name=name, exc=_reason(exc))) from None
    finally:
        wb.close()
    if found is None or chosen is None:
        raise UnreadableFile(_('%(name)s: no header row (the workbook has no data)', name=name))
    found.sheet = chosen.title
    return found


class _Sheet(ReadOnlyWorksheet):
    """openpyxl's read-only sheet, sized from its <dimension> alone: openpyxl's own sizing parses the whole sheet
    when the element is missing (as in workbooks written in openpyxl's write-only mode), a second reading of
    every row. Without it the sheet is unsized, as openpyxl leaves it then too."""

    def _get_size(self) -> None:
        with self._get_source() as src:
            for _, element in etree.iterparse(src, events=("start",), tag=(_DIMENSION, _SHEET_DATA),
                                              resolve_entities=False, no_network=True):
                if element.tag == _DIMENSION and element.get("ref"):
                    self._min_column, self._min_row, self._max_column, self._max_row = range_boundaries(
                        element.get("ref"))
                break


class _WorkbookReader(ExcelReader):
    """``load_workbook(read_only=True)``, its sheets sized by :class:`_Sheet`."""

    def read_worksheets(self) -> None:
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files:
                continue
            if "chartsheet" in rel.Type:
                self.read_chartsheet(sheet, rel)
                continue
            ws = _Sheet(self.wb, sheet.name, rel.target, self.shared_strings)
            ws.sheet_state = sheet.state
            self.wb._sheets.append(ws)


def _start(ws: ReadOnlyWorksheet) -> tuple[list[tuple[int, Row]], Iterator[tuple[int, Row]]]:
    """The sheet's rows up to its HEADER_SCAN-th non-empty one, and the reading of the rest."""
    rows = sheet_rows(ws)
    start: list[tuple[int, Row]] = []
    filled = 0
    for number, row in rows:
        start.append((number, row))
        filled += not _blank(row)
        if filled >= HEADER_SCAN:
            break
    return start, rows


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _VALUE, _INLINE = f"{_MAIN}row", f"{_MAIN}c", f"{_MAIN}v", f"{_MAIN}is"
_TEXT, _RUN, _PHONETIC = f"{_MAIN}t", f"{_MAIN}r", f"{_MAIN}rPh"
_DIMENSION, _SHEET_DATA = f"{_MAIN}dimension", f"{_MAIN}sheetData"
_DIGITS = "0123456789"


def _row_number(r: str) -> int:
    try:
        return int(r)
    except ValueError:
        number = float(r)
        if not number.is_integer():
            raise ValueError(_("{row} is not a valid row number").format(row=r)) from None
        return int(number)


def sheet_rows(ws: ReadOnlyWorksheet) -> Iterator[tuple[int, Row]]:
    """The sheet's rows with their numbers, the values as ``ws.iter_rows(values_only=True)`` gives them (numbers,
    shared and inline strings, booleans, dates by their cell style, errors as text; rows as wide as the sheet's
    dimension, else as their last cell; rows past the dimension left out), parsed in one pass by lxml's C parser
    rather than openpyxl's row parser, which costs more than checking and writing the rows. Rows absent from
    the file (blank) are absent here too."""
    wb = ws.parent
    strings = ws._shared_strings  # where openpyxl's read-only sheet keeps them
    dates, durations, epoch = wb._date_formats, wb._timedelta_formats, wb.epoch
    max_col, max_row = ws.max_column, ws.max_row

    def value(c: Any) -> Any:
        kind = c.get("t", "n")
        if kind == "inlineStr":
            child = c.find(_INLINE)
            if child is None:
                return None
            # openpyxl's Text.content: the plain text and the rich text runs' texts, phonetic runs left out
            if child.find(_PHONETIC) is None:
                return "".join(child.itertext(_TEXT, with_tail=False))
            return "".join(t for t in (child.findtext(_TEXT), *(r.findtext(_TEXT) for r in child.iterchildren(_RUN)))
                           if t)
        v = c.findtext(_VALUE) or None
        if v is None:
            return None
        if kind == "n":
            n = float(v) if "." in v or "E" in v or "e" in v else int(v)
            style = c.get("s")
            if style and int(style) in dates:
                try:
                    return from_excel(n, epoch, timedelta=int(style) in durations)
                except (OverflowError, ValueError):
                    return "#VALUE!"  # openpyxl's reading of a date cell out of range
            return n
        if kind == "s":
            return strings[int(v)]
        if kind == "b":
            return bool(int(v))
        if kind == "d":
            return from_ISO8601(v)
        return v  # "str" (a formula's text), "e" (an error such as #N/A)

    src = wb._archive.open(ws._worksheet_path)
    columns: dict[str, int] = {}  # "AB" -> 28: a sheet has a few column letters and a cell reference per cell
    try:
        parser = etree.iterparse(src, events=("end",), tag=_ROW, resolve_entities=False, no_network=True)
        expected = 1  # the next row number openpyxl would give: a row out of order is left out, as it does
        for _, row in parser:
            r = row.get("r")
            number = _row_number(r) if r is not None else expected
            if max_row is not None and number > max_row:
                break
            if number >= expected:
                cells: list[tuple[int, Any]] = []
                col = 0
                for c in row.iterchildren(_CELL):
                    ref = c.get("r")
                    if ref:
                        letters = ref.rstrip(_DIGITS)
                        col = columns.get(letters) or columns.setdefault(letters, column_index_from_string(letters))
                    else:
                        col += 1
                    # Most of a sheet's cells, read here: shared strings, plain inline strings (one <t>, as
                    # openpyxl and many exporters write text) and unstyled numbers; the rest by value().
                    kind = c.get("t")
                    if kind == "s":
                        v = c.findtext(_VALUE)
                        cells.append((col, strings[int(v)] if v else None))
                    elif (kind == "inlineStr" and len(c) == 1 and (inline := c[0]).tag == _INLINE and len(inline) == 1
                          and inline[0].tag == _TEXT):
                        cells.append((col, inline[0].text or ""))
                    elif (kind is None or kind == "n") and c.get("s") is None:
                        v = c.findtext(_VALUE)
                        cells.append((col, (float(v) if "." in v or "E" in v or "e" in v else int(v)) if v else None))
                    else:
                        cells.append((col, value(c)))
                width = max_col or (cells[-1][0] if cells else 0)
                values: list[Any] = [None] * width
                for col, v in cells:
                    if 1 <= col <= width:
                        values[col - 1] = v
                yield number, tuple(values)
                expected = number + 1
            row.clear()
            while row.getprevious() is not None:
                del row.getparent()[0]
    finally:
        src.close()


def _decode(name: str, data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise UnreadableFile(_('%(name)s: not a CSV file (binary data); import an .xlsx or .csv file', name=name))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise UnreadableFile(_('%(name)s: not a text file in UTF-8 or Windows-1252; save it as CSV UTF-8',
                               name=name)) from None


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(name: str, data: bytes, is_header: Callable[[Row], bool], progress: Progress | None,
              max_rows: int) -> Sheet:
    content = _decode(name, data)
    first_line = next((ln for ln in content.splitlines() if ln.strip()), "")
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=_delimiter(first_line))
    total = content.count("\n") + 1
    try:
        found = _take(name, ((i, tuple(r)) for i, r in enumerate(reader, start=1)), is_header, progress, total,
                      max_rows)
    except csv.Error as exc:
        raise UnreadableFile(_('%(name)s: not a readable CSV file (line %(line_num)s: %(exc)s)', name=name,
                               line_num=reader.line_num, exc=exc)) from None
    if found is None:
        raise UnreadableFile(_('%(name)s: no header row (the file has no data)', name=name))
    return found


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:160]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


# --- writing ------------------------------------------------------------------------------------------------------

def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):  # UTC to the second: Excel keeps no time zone and milliseconds only
        return (value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value).replace(microsecond=0)
    return value


def write_xlsx(target: IO[bytes] | Path, header: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str,
               widths: Sequence[int] | None = None, progress: Progress | None = None,
               total: int | None = None) -> int:
    """A workbook with one sheet: bold header, frozen under it, dates as Excel dates. Returns the rows written."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title)
    ws.freeze_panes = "A2"
    for i, width in enumerate(widths or (), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    bold = Font(bold=True)
    cells = []
    for h in header:
        cell = WriteOnlyCell(ws, value=h)
        cell.font = bold
        cells.append(cell)
    ws.append(cells)
    n = 0
    for n, row in enumerate(rows, start=1):
        out: list[Any] = []
        for v in row:
            v = _plain(v)
            if isinstance(v, str) and v.startswith(_FORMULA_START):
                cell = WriteOnlyCell(ws, value=v)
                cell.data_type = "s"  # text, never a formula someone else's spreadsheet would run
                out.append(cell)
            else:
                out.append(v)
        ws.append(out)
        if progress and n % 1000 == 0:
            progress("write", n, total)
    wb.save(target)
    return n


def csv_cell(value: Any) -> Any:
    """A CSV cell; text that Excel would run as a formula gets a leading quote (read back without it)."""
    if value is None:
        return ""
    value = _plain(value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[Any]], *, batch: int = 1000,
               progress: Progress | None = None, total: int | None = None) -> Iterator[str]:
    """CSV text in pieces of ``batch`` rows, starting with a BOM so Excel reads UTF-8 names right."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    yield "\ufeff" + buf.getvalue()
    buf.seek(0)
    buf.truncate()
    n = 0
    for n, row in enumerate(rows, start=1):
        writer.writerow([csv_cell(v) for v in row])
        if n % batch == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
            if progress:
                progress("write", n, total)
    yield buf.getvalue()
