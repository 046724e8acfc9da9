"""Reading documents with their structure beside bare text extraction of the same files, in the same run.

    .venv/bin/python benchmarks/readers.py [--pages 20]

Builds, in memory: a PDF of ``--pages`` pages (reportlab: paragraphs, a running header, "Page N of M"
footers and a ruled 4-column table running over the pages), a Word file of the same text with the table,
a Word zip bomb (256 MB of zeros packed into about 256 KB) and one scanned A4 page (an image of 45 lines at
300 dpi in a PDF). Then:

1. PDF: ``read_document`` (pdfplumber layout, tables, furniture removal, reflow) against pypdf's bare
   ``extract_text`` of every page; prints pages per second for each and the ratio structured / bare;
2. Word: ``read_document`` against python-docx's bare paragraph texts; the ratio likewise;
3. the zip bomb: seconds until ``read_document`` refuses it (it reads only the zip's directory);
4. OCR (when Tesseract is installed): seconds for the scanned page, and the ratio against rendering the page
   alone, so the share of the time that is Tesseract's shows.
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from investdesk.extraction import DocumentError, read_document  # noqa: E402


def _timed(fn: object, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()  # type: ignore[operator]
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=20)
    args = parser.parse_args()
    from tests.extraction.layouts import docx_document, docx_save, pdf_with_tables, scanned_pdf, zip_bomb_docx

    paragraph = ("On day {i} the delegation met the management of Partner Company {i} Ltd in Osaka to discuss a "
                 "manufacturing base in the state, land near the expressway and the incentives of the policy.")
    rows = [["No.", "Company", "City", "Amount"]] + [[str(i), f"Partner Company {i} Ltd", "Osaka",
                                                      f"Rs {100 + i} crore"] for i in range(12 * args.pages)]
    story: list[object] = [paragraph.format(i=i) for i in range(6 * args.pages)]
    story.insert(len(story) // 2, rows)
    pdf = pdf_with_tables(story, header="Invest UP | Japan Roadshow Report")

    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    bare = _timed(lambda: [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages])
    structured = _timed(lambda: read_document(data=pdf, filename="bench.pdf"))
    print(f"PDF  ({pages} pages)   : bare {pages / bare:7.1f} pages/s, structured {pages / structured:7.1f} pages/s, "
          f"ratio structured/bare {bare / structured:.2f}")

    document = docx_document()
    for item in story:
        if isinstance(item, str):
            document.add_paragraph(item)
        else:
            table = document.add_table(rows=len(rows), cols=4)
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
    word = docx_save(document)
    import docx

    bare = _timed(lambda: [p.text for p in docx.Document(io.BytesIO(word)).paragraphs])
    structured = _timed(lambda: read_document(data=word, filename="bench.docx"))
    print(f"Word ({len(word) // 1024} KB)     : bare {bare * 1000:7.1f} ms, structured {structured * 1000:7.1f} ms, "
          f"ratio structured/bare {bare / structured:.2f}")

    bomb = zip_bomb_docx(256)
    started = time.perf_counter()
    try:
        read_document(data=bomb, filename="bomb.docx")
        print("zip bomb            : NOT refused")
    except DocumentError:
        print(f"zip bomb ({len(bomb) // 1024} KB)  : refused in {(time.perf_counter() - started) * 1000:.1f} ms")

    if shutil.which("tesseract") is None:
        print("OCR                 : skipped (Tesseract is not installed)")
        return
    from investdesk.extraction.readers.ocr import render_pdf_page

    scan = scanned_pdf([paragraph.format(i=i)[:70] for i in range(45)])
    render = _timed(lambda: render_pdf_page(scan, 0, "scan.pdf"), repeat=1)
    ocr = _timed(lambda: read_document(data=scan, filename="scan.pdf"), repeat=1)
    print(f"OCR (a 45-line scan)  : {ocr:.1f} s, of which rendering {render:.2f} s; ratio read/render "
          f"{ocr / render:.0f}")


if __name__ == "__main__":
    main()
