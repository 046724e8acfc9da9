"""Documents with structure built in the tests: PDFs with ruled tables and running headers (reportlab), Word
files with merged and nested tables (python-docx), pages with spanning cells, and images of text (Pillow)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

FONT_PATHS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
              "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf")


def pdf_with_tables(story: list[object], *, header: str | None = None, footer: bool = True,
                    title: str | None = None, repeat_header: bool = True) -> bytes:
    """A PDF laid out by reportlab from ``story`` (strings are paragraphs, lists of rows are ruled tables with
    a repeated header; a row may use None for a cell merged into the one on its left), with a running header
    and a "Page N of M" footer on every page."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
    from reportlab.platypus import Table as RLTable

    styles = getSampleStyleSheet()
    buf = io.BytesIO()
    pages: list[int] = []

    def furniture(canvas: object, doc: object) -> None:
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFont("Helvetica", 9)  # type: ignore[attr-defined]
        number = canvas.getPageNumber()  # type: ignore[attr-defined]
        pages.append(number)
        if header:
            canvas.drawString(72, A4[1] - 40, header)  # type: ignore[attr-defined]
        if footer:
            canvas.drawString(A4[0] / 2 - 20, 30, f"Page {number} of {TOTAL}")  # type: ignore[attr-defined]
        canvas.restoreState()  # type: ignore[attr-defined]

    def flow() -> list[object]:
        out: list[object] = []
        for item in story:
            if isinstance(item, str):
                out.append(Paragraph(item, styles["BodyText"]))
            else:
                rows = [[("" if c is None else c) for c in row] for row in item]  # type: ignore[union-attr]
                style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black)]
                for r, row in enumerate(item):  # type: ignore[arg-type]
                    for c, cell in enumerate(row):
                        if cell is None and c > 0:
                            start = c - 1
                            while start > 0 and row[start] is None:
                                start -= 1
                            style.append(("SPAN", (start, r), (c, r)))
                out.append(RLTable(rows, repeatRows=1 if repeat_header else 0, style=style))
            out.append(Spacer(1, 8))
        return out

    TOTAL = 0
    for _ in range(2):  # once to count the pages, once to number them "of N"
        pages.clear()
        buf = io.BytesIO()
        doc = SimpleDocTemplate(buf, pagesize=A4, title=title or "", topMargin=72, bottomMargin=72)
        doc.build(flow(), onFirstPage=furniture, onLaterPages=furniture)
        TOTAL = len(pages)
    return buf.getvalue()


def docx_document() -> docx.document.Document:
    return docx.Document()


def docx_save(document: docx.document.Document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def set_vmerge(cell: object, restart: bool) -> None:
    """Mark a cell as merged down by hand (python-docx's merge() moves text; Word files carry the raw marks)."""
    tc_pr = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    merge = OxmlElement("w:vMerge")
    if restart:
        merge.set(qn("w:val"), "restart")
    tc_pr.append(merge)


def text_image(lines: list[str], *, size: int = 36, path: Path | None = None) -> bytes:
    """A PNG of black text on white, as a scanner would give it."""
    from PIL import Image, ImageDraw, ImageFont

    font_path = next((p for p in FONT_PATHS if Path(p).exists()), None)
    font = ImageFont.truetype(font_path, size) if font_path else ImageFont.load_default(size=size)
    width = max(int(font.getlength(line)) for line in lines) + 120
    image = Image.new("L", (width, int(size * 1.6) * len(lines) + 120), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((60, 60 + int(size * 1.6) * i), line, fill=0, font=font)
    buf = io.BytesIO()
    image.save(buf, format="PNG", dpi=(300, 300))
    if path is not None:
        path.write_bytes(buf.getvalue())
    return buf.getvalue()


def scanned_pdf(lines: list[str]) -> bytes:
    """A PDF page that is only an image of text (no text layer), as a scanner makes it."""
    from PIL import Image

    image = Image.open(io.BytesIO(text_image(lines, size=40)))
    buf = io.BytesIO()
    image.convert("RGB").save(buf, format="PDF", resolution=200.0)
    return buf.getvalue()


def zip_bomb_docx(megabytes: int) -> bytes:
    """A Word file whose document part unpacks to ``megabytes`` MB of zeros (a few KB packed)."""
    from .documents import docx_bytes

    source = zipfile.ZipFile(io.BytesIO(docx_bytes(["Cover letter."])))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for item in source.infolist():
            out.writestr(item, source.read(item.filename))
        with out.open("word/padding.xml", "w") as fh:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(megabytes):
                fh.write(chunk)
    return buf.getvalue()
