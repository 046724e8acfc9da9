"""Documents to clean text: plain text, HTML, PDF and Word files, told apart by their content.

Every failure is a :class:`DocumentError` whose message names the file and the problem in one line.
"""

from __future__ import annotations

import hashlib
import io
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

# Trailing page furniture that news sites leave in copied text.
_TAIL_JUNK = re.compile(r"^\s*(comments?|share( this)?|also read|read also|related (news|stories|articles)|"
                        r"advertisement|follow us( on)?|tags?:|subscribe|print|email|whatsapp|facebook|twitter|"
                        r"linkedin|download( our)? app|\(this story has not been edited.*|more from this section)\s*$",
                        re.I)


class DocumentError(Exception):
    """A document that cannot be read; the message names the file."""


@dataclass
class DocumentText:
    text: str
    sha256: str
    path: str | None
    media_type: str
    title: str | None = None
    published: str | None = None


def _sniff(data: bytes, name: str) -> str:
    head = data[:2048].lstrip()
    lower_name = name.lower()
    if head.startswith(b"%PDF"):
        return "application/pdf"
    if head.startswith(b"PK\x03\x04"):
        if b"word/" in data[:65536] or lower_name.endswith(".docx"):
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        return "application/zip"
    low = head[:512].lower()
    if low.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in low or b"<body" in low or \
            lower_name.endswith((".html", ".htm")):
        return "text/html"
    return "text/plain"


def _decode(data: bytes, name: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    sample = data[:4096]
    # Binary junk, not text in any encoding: many control bytes.
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    if sample and controls / len(sample) > 0.1:
        raise DocumentError(f"{name}: not a supported document type (binary data)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def clean_text(text: str) -> str:
    """NFC, no NUL or control characters, no trailing site furniture, at most one blank line in a row."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and (not lines[-1].strip() or _TAIL_JUNK.match(lines[-1])):
        lines.pop()
    out: list[str] = []
    for line in lines:
        if not line.strip() and out and not out[-1].strip():
            continue
        out.append(line)
    return "\n".join(out).strip()


def _html(data: bytes, name: str) -> tuple[str, str | None, str | None]:
    import trafilatura

    raw = _decode(data, name)
    try:
        text = trafilatura.extract(raw, include_comments=False, include_tables=True, favor_precision=True) or ""
        meta = trafilatura.extract_metadata(raw)
    except Exception:  # malformed markup: fall back to the bare text below
        text, meta = "", None
    if not text.strip():
        from lxml import html as lxml_html

        try:
            tree = lxml_html.fromstring(raw or "<html></html>")
            for bad in tree.xpath("//script|//style|//nav|//header|//footer|//noscript"):
                bad.drop_tree()
            text = tree.text_content()
        except Exception:
            text = re.sub(r"<[^>]+>", " ", raw)
    title = getattr(meta, "title", None) if meta else None
    date = getattr(meta, "date", None) if meta else None
    return text, title, date


def _pdf(data: bytes, name: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise DocumentError(f"{name}: the PDF is encrypted")
            except Exception:
                raise DocumentError(f"{name}: the PDF is encrypted") from None
        pages = [page.extract_text() or "" for page in reader.pages]
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
        raise DocumentError(f"{name}: the PDF is damaged ({type(exc).__name__})") from None
    return _strip_page_junk(pages)


def _strip_page_junk(pages: list[str]) -> str:
    """Drop lines repeated on most pages (running headers, footers) and bare page numbers; join hyphenation."""
    if not pages:
        return ""
    counts: dict[str, int] = {}
    for page in pages:
        for line in {ln.strip() for ln in page.splitlines() if ln.strip()}:
            counts[line] = counts.get(line, 0) + 1
    repeated = {ln for ln, n in counts.items() if len(pages) >= 3 and n >= len(pages) * 0.6}
    out = []
    for page in pages:
        for line in page.splitlines():
            s = line.strip()
            if s in repeated or re.fullmatch(r"(page\s*)?\d{1,4}(\s*(of|/)\s*\d{1,4})?", s, re.I):
                continue
            out.append(line)
    text = "\n".join(out)
    return re.sub(r"(\w)-\n(\w)", r"\1\2", text)


def _docx(data: bytes, name: str) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise DocumentError(f"{name}: the Word file is damaged ({type(exc).__name__})") from None
    except Exception as exc:  # zipfile.BadZipFile and lxml errors from a broken package
        raise DocumentError(f"{name}: the Word file is damaged ({type(exc).__name__})") from None
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text.strip() for cell in row.cells))
    return "\n".join(parts)


def read_document(path: str | Path | None = None, *, data: bytes | None = None, filename: str | None = None,
                  max_bytes: int = DEFAULT_MAX_BYTES) -> DocumentText:
    """Read a file (or bytes, or ``-`` for standard input) into clean text and metadata."""
    name = filename or (str(path) if path is not None else "<data>")
    if data is None:
        if path is None:
            raise DocumentError("no document given")
        if str(path) == "-":
            data = sys.stdin.buffer.read(max_bytes + 1)
            name = filename or "<stdin>"
        else:
            p = Path(path)
            if not p.exists():
                raise DocumentError(f"{name}: no such file")
            if p.is_dir():
                raise DocumentError(f"{name}: is a folder, not a document")
            size = p.stat().st_size
            if size > max_bytes:
                raise DocumentError(f"{name}: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit")
            try:
                data = p.read_bytes()
            except OSError as exc:
                raise DocumentError(f"{name}: cannot be read ({exc.strerror})") from None
    if len(data) > max_bytes:
        raise DocumentError(f"{name}: {len(data) / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit")
    digest = hashlib.sha256(data).hexdigest()
    media_type = _sniff(data, name)
    title = published = None
    if media_type == "application/pdf":
        text = _pdf(data, name)
    elif media_type.endswith("wordprocessingml.document"):
        text = _docx(data, name)
    elif media_type == "text/html":
        text, title, published = _html(data, name)
    elif media_type == "text/plain":
        text = _decode(data, name)
    else:
        raise DocumentError(f"{name}: not a supported document type ({media_type})")
    return DocumentText(text=clean_text(text), sha256=digest, path=None if path is None else str(path),
                        media_type=media_type, title=title, published=published)
