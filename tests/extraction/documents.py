"""Test documents built in memory: real small PDFs, Word files and web pages (no checked-in binaries)."""

from __future__ import annotations

import io
import zlib

import docx
from pypdf import PdfReader, PdfWriter


def _escape(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf_bytes(pages: list[list[str]], *, title: str | None = None) -> bytes:
    """A valid PDF with the given text lines on each page (Helvetica, one line every 14 points), written by hand:
    no PDF library at hand writes text."""
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    }
    page_ids = []
    next_id = 4
    for lines in pages:
        ops = ["BT /F1 11 Tf 14 TL 72 760 Td"] + [f"({_escape(line)}) Tj T*" for line in lines] + ["ET"]
        stream = zlib.compress("\n".join(ops).encode("cp1252"))
        content_id, page_id = next_id, next_id + 1
        next_id += 2
        objects[content_id] = (f"<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n".encode() + stream
                               + b"\nendstream")
        objects[page_id] = (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content_id} 0 R "
                            f"/Resources << /Font << /F1 3 0 R >> >> >>").encode()
        page_ids.append(page_id)
    kids = " ".join(f"{p} 0 R" for p in page_ids)
    objects[2] = f"<< /Type /Pages /Kids [{kids}] /Count {len(page_ids)} >>".encode()
    info = ""
    if title is not None:
        objects[next_id] = f"<< /Title ({_escape(title)}) >>".encode()
        info = f" /Info {next_id} 0 R"
    body = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offsets = {}
    for oid in sorted(objects):
        offsets[oid] = len(body)
        body += f"{oid} 0 obj\n".encode() + objects[oid] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(body)
    body += f"xref\n0 {size}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{offsets[i]:010d} 00000 n \n".encode() if i in offsets else b"0000000000 65535 f \n"
                     for i in range(1, size))
    body += f"trailer\n<< /Size {size} /Root 1 0 R{info} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return body


def encrypted_pdf_bytes(*, user_password: str = "secret") -> bytes:
    """A PDF encrypted by pypdf's writer; an empty user password makes it readable by anyone."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes([["Confidential MoU draft."]]))))
    writer.encrypt(user_password=user_password, owner_password="owner-secret")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def docx_bytes(paragraphs: list[str], table: list[list[str]] | None = None, *, after: list[str] | None = None,
               title: str | None = None) -> bytes:
    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    if table:
        t = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.rows[r].cells[c].text = value
    for p in after or []:
        document.add_paragraph(p)
    if title is not None:
        document.core_properties.title = title
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def news_page(paragraphs: list[str], *, title: str = "Kerala delegation in Oslo",
              published: str = "2024-03-05") -> str:
    """A news article page with the furniture real sites have: navigation, share buttons, comments, footer."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title} | State News</title>"
            f"<meta property='article:published_time' content='{published}T09:30:00+05:30'></head><body>"
            f"<header><nav><a href='/'>Home</a> <a href='/business'>Business</a> <a href='/world'>World</a></nav>"
            f"</header><main><article><h1>{title}</h1>{body}"
            f"<div class='share'>Share this: <a href='#'>Facebook</a> <a href='#'>Twitter</a></div></article>"
            f"<section id='comments'><h3>Comments</h3><p>Great news for the state!</p></section></main>"
            f"<footer>Copyright 2024 State News. All rights reserved.</footer></body></html>")
