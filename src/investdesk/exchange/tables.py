"""Spreadsheets in and out: .xlsx through openpyxl (read-only and write-only, so 50,000 rows stream) and CSV
(UTF-8 with or without BOM, else Windows-1252; comma, semicolon or tab)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
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
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, AttributeError, IndexError) as exc:
        raise UnreadableFile(_('%(name)s: not a readable .xlsx file (%(exc)s)', name=name, exc=_reason(exc))) from None
    try:
        sheets = [ws for ws in wb.worksheets if isinstance(ws, ReadOnlyWorksheet)]
        active = wb.active if isinstance(wb.active, ReadOnlyWorksheet) else None
        if active is not None:
            sheets = [active, *[ws for ws in sheets if ws is not active]]
        # The sheet shown on opening, unless another one is the table (a notes sheet first, the MoUs after).
        chosen = next((ws for ws in sheets if _has_header(ws, is_header)), sheets[0] if sheets else None)
        found = None
        if chosen is not None:
            rows = ((i, tuple(r)) for i, r in enumerate(chosen.iter_rows(values_only=True), start=1))
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


def _has_header(ws: ReadOnlyWorksheet, is_header: Callable[[Row], bool]) -> bool:
    rows = (tuple(r) for r in ws.iter_rows(values_only=True))
    return any(is_header(r) for r in islice((r for r in rows if not _blank(r)), HEADER_SCAN))


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
