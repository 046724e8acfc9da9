"""Documents of every supported kind, and every kind of bad one."""

from __future__ import annotations

import io
import zlib
from pathlib import Path

import docx
import pytest
from pypdf import PdfWriter

from investdesk.extraction import DocumentError, read_document

SENTENCE = "The Kerala delegation met Alpha Marine Ltd in Oslo on Monday."


def _pdf_with_text(lines: list[str]) -> bytes:
    """A small real PDF, one text line per page, written by hand (no PDF library writes text)."""
    objects: list[bytes] = []
    pages = []
    font_id = 3
    for i, line in enumerate(lines):
        content = f"BT /F1 12 Tf 72 720 Td ({line}) Tj ET".encode()
        stream = zlib.compress(content)
        content_id = 4 + 2 * i
        page_id = content_id + 1
        objects.append(f"{content_id} 0 obj << /Length {len(stream)} /Filter /FlateDecode >> stream\n".encode()
                       + stream + b"\nendstream endobj\n")
        objects.append(f"{page_id} 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents "
                       f"{content_id} 0 R /Resources << /Font << /F1 {font_id} 0 R >> >> >> endobj\n".encode())
        pages.append(page_id)
    head = [b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n",
            f"2 0 obj << /Type /Pages /Kids [{' '.join(f'{p} 0 R' for p in pages)}] /Count {len(pages)} >> "
            f"endobj\n".encode(),
            b"3 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n"]
    body = b"%PDF-1.4\n"
    offsets = []
    for obj in head + objects:
        offsets.append(len(body))
        body += obj
    xref = len(body)
    body += f"xref\n0 {len(offsets) + 1}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    body += f"trailer << /Size {len(offsets) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return body


def test_plain_text_utf8_and_tail_junk(tmp_path: Path) -> None:
    f = tmp_path / "report.txt"
    f.write_text(SENTENCE + "\n\n\n\n\nComments\n", encoding="utf-8")
    doc = read_document(f)
    assert doc.text == SENTENCE and doc.media_type == "text/plain" and len(doc.sha256) == 64


@pytest.mark.parametrize("encoding, prefix", [("utf-16", b""), ("cp1252", b""), ("utf-8", b"\xef\xbb\xbf")])
def test_other_encodings(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    f = tmp_path / "x.txt"
    f.write_bytes(prefix + "Café meeting in Zürich — Rs 5 crore".encode(encoding))
    assert read_document(f).text == "Café meeting in Zürich — Rs 5 crore"


def test_html_drops_page_furniture(tmp_path: Path) -> None:
    body = " ".join([SENTENCE] * 3)
    html = (f"<html><head><title>Kerala in Oslo</title></head><body><nav><a href='/'>Home</a> | Share on "
            f"Facebook</nav><article><h1>Kerala in Oslo</h1><p>{body}</p><p>{body}</p></article>"
            f"<footer>Comments (0) Copyright 2025</footer></body></html>")
    f = tmp_path / "page.html"
    f.write_text(html)
    doc = read_document(f)
    assert SENTENCE in doc.text and "Share on Facebook" not in doc.text and "Copyright" not in doc.text
    assert doc.media_type == "text/html"


def test_malformed_html_does_not_crash(tmp_path: Path) -> None:
    f = tmp_path / "broken.html"
    f.write_text("<html><body><p>Unclosed <b>tags <div>" + SENTENCE + "<<<>>></p")
    assert "Alpha Marine" in read_document(f).text


def test_pdf_text_without_running_headers(tmp_path: Path) -> None:
    lines = ["State Investment News", SENTENCE, "State Investment News", "Rs 40 crore MoU signed",
             "State Investment News", "Page 3"]
    # One header line and one content line per page: three pages.
    pdf = _pdf_with_text([lines[0], lines[1], lines[3]])
    f = tmp_path / "report.pdf"
    f.write_bytes(pdf)
    doc = read_document(f)
    assert doc.media_type == "application/pdf"
    assert "Alpha Marine" in doc.text and "Rs 40 crore" in doc.text


def test_encrypted_pdf(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt(user_password="secret", owner_password="owner")
    buf = io.BytesIO()
    writer.write(buf)
    f = tmp_path / "locked.pdf"
    f.write_bytes(buf.getvalue())
    with pytest.raises(DocumentError, match=r"locked\.pdf: the PDF is encrypted"):
        read_document(f)


def test_corrupt_pdf(tmp_path: Path) -> None:
    f = tmp_path / "bad.pdf"
    f.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    with pytest.raises(DocumentError, match=r"bad\.pdf: the PDF is damaged"):
        read_document(f)


def test_docx_paragraphs_and_tables(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph(SENTENCE)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Investor", "Alpha Marine Ltd"
    f = tmp_path / "trip.docx"
    document.save(str(f))
    doc = read_document(f)
    assert SENTENCE in doc.text and "Investor | Alpha Marine Ltd" in doc.text


def test_corrupt_docx(tmp_path: Path) -> None:
    f = tmp_path / "bad.docx"
    f.write_bytes(b"PK\x03\x04" + b"word/" + b"\x00" * 200)
    with pytest.raises(DocumentError, match=r"bad\.docx: the Word file is damaged"):
        read_document(f)


def test_binary_junk_empty_missing_folder_and_too_big(tmp_path: Path) -> None:
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(32)) * 200)
    with pytest.raises(DocumentError, match=r"junk\.bin: not a supported document type"):
        read_document(junk)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert read_document(empty).text == ""
    with pytest.raises(DocumentError, match="missing.txt: no such file"):
        read_document(tmp_path / "missing.txt")
    with pytest.raises(DocumentError, match="is a folder"):
        read_document(tmp_path)
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 2_000_001)
    with pytest.raises(DocumentError, match=r"big\.txt: 2\.0 MB is over the 1 MB limit"):
        read_document(big, max_bytes=1_000_000)


def test_nul_bytes_are_dropped(tmp_path: Path) -> None:
    f = tmp_path / "nul.txt"
    f.write_bytes(b"Rs 5 crore\x00 for Alpha\x00 Marine")
    assert read_document(f).text == "Rs 5 crore for Alpha Marine"
