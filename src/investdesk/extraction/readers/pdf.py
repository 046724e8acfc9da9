"""PDF files: the text outside tables reflowed into paragraphs, ruled tables read as tables (pdfplumber), running
headers, footers and page numbers removed, and pages without a text layer read by OCR.

pypdf opens the file first: it tells a damaged or encrypted file quickly and reads the title. pdfplumber then
lays out each page; a page it cannot lay out is read by pypdf as plain text, so one odd page loses its
tables, never the document.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from investdesk.extraction.readers import ocr
from investdesk.extraction.readers.base import DocumentError, Layout
from investdesk.extraction.readers.cleaning import furniture, reflow

# A gap between two lines taller than this share of the line's height starts a new paragraph.
_PARAGRAPH_GAP = 0.9
# A page with fewer characters than this in its text layer and an image over most of it is a scan.
_SCANNED_CHARS = 20
_SCANNED_AREA = 0.5
# Running headers and footers sit in the top or bottom part of the page this high.
_MARGIN = 0.12


@dataclass
class _Page:
    """A page's content in reading order: text lines ("" between paragraphs) and tables (lists of rows)."""

    items: list[str | list[list[str | None]]] = field(default_factory=list)
    needs_ocr: bool = False
    margin: set[int] | None = None  # which of the text lines lie in the top or bottom margin, when known


def _open(data: bytes, name: str) -> tuple[Any, list[Any]]:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = bool(reader.decrypt(""))  # encrypted for an owner only: readable without a password
            except Exception:  # noqa: BLE001  an unknown cipher is as unreadable as a password
                opened = False
            if not opened:
                raise DocumentError(f"{name}: the PDF is encrypted")
        pages = list(reader.pages)  # a damaged page tree fails here
    except DocumentError:
        raise
    except Exception as exc:  # noqa: BLE001  pypdf raises many kinds of error for damaged files
        raise DocumentError(f"{name}: the PDF is damaged ({type(exc).__name__})") from None
    return reader, pages


def _title(reader: Any) -> str | None:
    try:
        title = reader.metadata.get("/Title") if reader.metadata else None
    except Exception:  # noqa: BLE001  damaged metadata is only metadata
        title = None
    return (" ".join(str(title).split()) or None) if title else None


def _inside(obj: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _cell_lines(cell: str | None) -> str:
    """A cell's wrapped lines on one line; a word hyphenated at the wrap is whole again ("Osaka-" + "Kobe" is
    "Osaka-Kobe", "devel-" + "opment" is "development")."""
    out = ""
    for line in (cell or "").splitlines():
        line = line.strip()
        if not line:
            continue
        if out.endswith("-") and len(out) > 1 and out[-2].isalpha() and line[0].isalpha():
            out = (out[:-1] if line[0].islower() else out) + line
        else:
            out = f"{out} {line}" if out else line
    return out


def _plumber_page(page: Any) -> _Page:
    """A page laid out by pdfplumber: its ruled tables of two rows and two columns or more, and its lines."""
    found = []
    for table in page.find_tables():
        rows = table.extract()
        if len(rows) >= 2 and max((len(r) for r in rows), default=0) >= 2:
            found.append((table.bbox, rows))
    boxes = [bbox for bbox, _ in found]
    text_page = page.filter(lambda o: o.get("object_type") != "char" or not _inside(o, boxes)) if boxes else page
    lines = text_page.extract_text_lines(strip=True, return_chars=False)
    placed: list[tuple[float, int, Any]] = [(line["top"], 0, line) for line in lines if line["text"].strip()]
    placed += [(bbox[1], 1, [[_cell_lines(c) for c in row] for row in rows]) for bbox, rows in found]
    placed.sort(key=lambda p: (p[0], p[1]))
    out = _Page(margin=set())
    previous: dict[str, Any] | None = None
    lines_seen = 0
    for _, kind, item in placed:
        if kind == 1:
            out.items.append(item)
            previous = None
            continue
        if previous is not None:
            height = max(previous["bottom"] - previous["top"], 1.0)
            if item["top"] - previous["bottom"] > _PARAGRAPH_GAP * height:
                out.items.append("")
                lines_seen += 1
        if item["top"] < _MARGIN * float(page.height) or item["bottom"] > (1 - _MARGIN) * float(page.height):
            out.margin.add(lines_seen)  # type: ignore[union-attr]
        out.items.append(item["text"])
        lines_seen += 1
        previous = item
    chars = len(page.chars)
    area = float(page.width * page.height) or 1.0
    covered = sum(abs((im["x1"] - im["x0"]) * (im["bottom"] - im["top"])) for im in page.images)
    out.needs_ocr = chars < _SCANNED_CHARS and covered >= _SCANNED_AREA * area
    return out


def _pypdf_page(page: Any) -> _Page:
    text: str = page.extract_text() or ""
    try:
        scanned = not text.strip() and bool(page.images)
    except Exception:  # noqa: BLE001  an image pypdf cannot decode: no OCR for that page
        scanned = False
    return _Page(items=list(text.splitlines()), needs_ocr=scanned)


def _pages(data: bytes, name: str, pypdf_pages: list[Any]) -> list[_Page]:
    pages: list[_Page] = []
    failures = 0
    try:
        import pdfplumber

        plumber = pdfplumber.open(io.BytesIO(data))
    except Exception:  # noqa: BLE001  pdfminer cannot open what pypdf could: plain text, page by page
        plumber = None
    try:
        for index, page in enumerate(pypdf_pages):
            try:
                pages.append(_plumber_page(plumber.pages[index]) if plumber is not None else _pypdf_page(page))
                continue
            except Exception:  # noqa: BLE001  pdfminer fails on some pages that pypdf reads
                pass
            try:
                pages.append(_pypdf_page(page))
            except Exception:  # noqa: BLE001  one damaged page does not lose the others
                failures += 1
                pages.append(_Page())
    finally:
        if plumber is not None:
            try:
                plumber.close()
            except Exception:  # noqa: BLE001  a damaged file can fail again while pdfminer lets go of it
                pass
    if pages and failures == len(pages):
        raise DocumentError(f"{name}: the PDF is damaged (no page could be read)")
    return pages


def _ocr_pages(data: bytes, name: str, pages: list[_Page]) -> tuple[bool, bool]:
    """Read the scanned pages by OCR; (whether any was, whether some were left out over the page limit).

    Without Tesseract, a PDF that is mostly scans is an error; the odd scanned page (a signature page after
    ten pages of text) is left out."""
    scanned = [i for i, p in enumerate(pages) if p.needs_ocr]
    if not scanned:
        return False, False
    if ocr._tesseract_cmd() is None and 2 * len(scanned) < len(pages):
        return False, True
    ocr.require_tesseract(name)
    for i in scanned[:ocr.MAX_OCR_PAGES]:
        text = ocr.ocr_image(ocr.render_pdf_page(data, i, name), name)
        pages[i].items = list(ocr.ocr_lines(text))
        pages[i].margin = None
    return True, len(scanned) > ocr.MAX_OCR_PAGES


def read_pdf(data: bytes, name: str, layout: Layout) -> tuple[str | None, bool, bool]:
    """Put the PDF's text and tables into ``layout``; return its title, whether OCR was used, whether pages
    were left out."""
    reader, pypdf_pages = _open(data, name)
    pages = _pages(data, name, pypdf_pages)
    used_ocr, left_out = _ocr_pages(data, name, pages)
    line_pages = [[item for item in p.items if isinstance(item, str)] for p in pages]
    dropped = furniture(line_pages, [p.margin for p in pages])
    run: list[list[str]] = []
    last_table_page = -2
    for number, page in enumerate(pages):
        run.append([])
        line_index = 0
        for item in page.items:
            if isinstance(item, str):
                if line_index not in dropped[number]:
                    run[-1].append(item.strip())
                line_index += 1
                continue
            if any(line for lines in run for line in lines):
                layout.prose(reflow(run))
            elif last_table_page == number - 1 and layout.continue_table(item):
                last_table_page = number
                run = [[]]
                continue
            layout.table(item)
            last_table_page = number
            run = [[]]
        if layout.full:
            break
    layout.prose(reflow(run))
    return _title(reader), used_ocr, left_out
