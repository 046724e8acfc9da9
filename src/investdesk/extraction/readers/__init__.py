"""Documents to clean text: plain text, HTML, PDF and Word files, told apart by their content.

Every failure is a :class:`DocumentError` whose message names the file and the problem in one
line ("report.pdf: the PDF is encrypted"). An empty file is not a failure: it reads as empty text.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import html as html_lib
import io
import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from investdesk.extraction.cleaning import clean_text, pdf_text

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

TEXT = "text/plain"
HTML = "text/html"
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Formats people send by mistake, told by their first bytes, with the advice the message gives.
_OTHER_FORMATS = (
    (b"\xd0\xcf\x11\xe0", "an old Office file (.doc/.xls); save it as .docx"),
    (b"{\\rtf", "an RTF file; save it as .docx or plain text"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a program"),
)
_HTML_START = re.compile(r"\s*(<!--.*?-->\s*)*(<!doctype\s+html|<html|<\?xml[^>]*>\s*(<!doctype\s+html|<html))",
                         re.I | re.S)
_HTML_TAGS = re.compile(r"<(html|head|body|article|div|p|title|meta)\b[^>]*>", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_BY_EXTENSION = {".html": HTML, ".htm": HTML, ".xhtml": HTML, ".pdf": PDF, ".docx": DOCX}


class DocumentError(Exception):
    """A document that cannot be read; the message names the file and the problem in one line."""


@dataclass(frozen=True)
class DocumentText:
    """A document's cleaned text and what is known about it."""

    text: str
    sha256: str
    path: str | None
    media_type: str
    title: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD)


def _megabytes(n: int) -> str:
    mb = n / (1024 * 1024)
    return f"{mb:.0f}" if mb == int(mb) and mb >= 1 else f"{mb:.1f}"


def _too_big(name: str, size: int, max_bytes: int) -> DocumentError:
    return DocumentError(f"{name}: {float(size) / (1024 * 1024):.1f} MB is over the {_megabytes(max_bytes)} MB limit")


def _read_bytes(path: str | Path, name: str, max_bytes: int) -> bytes:
    if str(path) == "-":
        return sys.stdin.buffer.read(max_bytes + 1)
    p = Path(path)
    try:
        if not p.exists():
            raise DocumentError(f"{name}: no such file")
        if p.is_dir():
            raise DocumentError(f"{name}: is a folder, not a document")
        size = p.stat().st_size
        if size > max_bytes:
            raise _too_big(name, size, max_bytes)
        # Read at most one byte over the limit: a device or a pipe does not say its size.
        with p.open("rb") as fh:
            return fh.read(max_bytes + 1)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise DocumentError(f"{name}: cannot be read ({reason})") from None


# --- telling formats apart and decoding text -------------------------------------------------------------------


def _zip_names(data: bytes) -> set[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return set(z.namelist())
    except Exception:  # noqa: BLE001  a broken archive has no readable names
        return set()


def _sniff_binary(data: bytes, name: str) -> str | None:
    """The media type of a binary format, None for text; raises for a known format that is not supported."""
    if b"%PDF-" in data[:1024]:
        return PDF
    if data.startswith(b"PK\x03\x04"):
        names = _zip_names(data)
        if "word/document.xml" in names or (not names and name.lower().endswith(".docx")):
            return DOCX
        kind = "an Excel workbook" if "xl/workbook.xml" in names else \
            "a PowerPoint file" if "ppt/presentation.xml" in names else "a zip archive"
        raise DocumentError(f"{name}: not a supported document type ({kind})")
    for magic, what in _OTHER_FORMATS:
        if data.startswith(magic):
            raise DocumentError(f"{name}: not a supported document type ({what})")
    lower = name.lower()
    if lower.endswith(".pdf"):
        raise DocumentError(f"{name}: the PDF is damaged (no PDF header)")
    if lower.endswith(".docx"):
        raise DocumentError(f"{name}: the Word file is damaged (not a zip package)")
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.7 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.7 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _looks_binary(sample: bytes) -> bool:
    """Text in any 8-bit encoding has almost no control bytes; other data has about one in ten."""
    if not sample:
        return False
    controls = sum(1 for b in sample if b < 32 and b not in b"\t\n\r\f\v\x1b")
    return controls > 0.05 * len(sample)


def decode(data: bytes, name: str) -> str:
    """Text from bytes: UTF-8 (with or without BOM), UTF-16 (BOM or clearly two-byte), else cp1252/latin-1."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    wide = _utf16_without_bom(data[:4096])
    if wide:
        return data.decode(wide, errors="replace")
    if _looks_binary(data[:8192]):
        raise DocumentError(f"{name}: not a supported document type (binary data)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
        return data.decode("latin-1")


def _iso_date(value: Any) -> str | None:
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    m = _ISO_DATE.match(str(value or ""))
    if not m:
        return None
    try:
        return dt.date.fromisoformat(m.group(0)).isoformat()
    except ValueError:
        return None


# --- the formats ---------------------------------------------------------------------------------------------


def _decode_html(data: bytes, name: str) -> str:
    """An HTML page's text in the charset its <meta> declares, when that is not UTF-8 and the bytes are not."""
    m = _META_CHARSET.search(data[:4096])
    if m and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                return data.decode(m.group(1).decode("ascii"), errors="replace")
            except LookupError:
                pass
    return decode(data, name)


def _html(raw: str) -> tuple[str, str | None, str | None]:
    import trafilatura

    text, title, published = "", None, None
    try:
        text = trafilatura.extract(raw, include_comments=False, include_tables=True, favor_precision=True) or ""
        meta = trafilatura.extract_metadata(raw)
        if meta is not None:
            title, published = meta.title or None, _iso_date(meta.date)
    except Exception:  # noqa: BLE001  markup trafilatura cannot parse: the plain text below still can be read
        text = ""
    if not text.strip() or title is None:
        fallback_text, fallback_title = _html_fallback(raw)
        text = text if text.strip() else fallback_text
        title = title or fallback_title
    return text, title, published


_BLOCKS = ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "article", "section", "table",
           "blockquote", "pre", "dd", "dt", "td", "th")


def _html_fallback(raw: str) -> tuple[str, str | None]:
    """The visible text of any markup, one block per line, without scripts and page navigation."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(raw)
        title_el = tree.find(".//title")
        title = " ".join(title_el.text_content().split()) if title_el is not None else None
        for bad in tree.xpath("//script|//style|//nav|//header|//footer|//aside|//form|//noscript|//title"):
            bad.drop_tree()
        for el in tree.iter(*_BLOCKS):
            el.tail = "\n" + (el.tail or "")
        lines = (" ".join(line.split()) for line in tree.text_content().splitlines())
        return "\n".join(line for line in lines if line), title or None
    except (etree.LxmlError, ValueError, TypeError):
        stripped = html_lib.unescape(re.sub(r"<[^>]*>", " ", raw))
        return "\n".join(" ".join(line.split()) for line in stripped.splitlines() if line.strip()), None


def _pdf(data: bytes, name: str) -> tuple[str, str | None]:
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
        pages = list(reader.pages)
    except DocumentError:
        raise
    except Exception as exc:  # noqa: BLE001  pypdf raises many kinds of error for damaged files
        raise DocumentError(f"{name}: the PDF is damaged ({type(exc).__name__})") from None
    texts: list[str] = []
    failures = 0
    for page in pages:
        try:
            texts.append(page.extract_text() or "")
        except Exception:  # noqa: BLE001  one damaged page does not lose the others
            failures += 1
    if pages and failures == len(pages):
        raise DocumentError(f"{name}: the PDF is damaged (no page could be read)")
    try:
        title = reader.metadata.get("/Title") if reader.metadata else None
    except Exception:  # noqa: BLE001  damaged metadata is only metadata
        title = None
    return pdf_text(texts), (" ".join(str(title).split()) or None) if title else None


def _docx(data: bytes, name: str) -> tuple[str, str | None]:
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        parts: list[str] = []
        for block in document.iter_inner_content():  # paragraphs and tables in reading order
            if isinstance(block, Table):
                for row in block.rows:
                    cells: list[str] = []
                    for cell in row.cells:  # a merged cell appears once per grid column it spans
                        text = " ".join(cell.text.split())
                        if text and (not cells or cells[-1] != text):
                            cells.append(text)
                    if cells:
                        parts.append(" | ".join(cells))
            else:
                parts.append(block.text)
        title = document.core_properties.title or None
    except Exception as exc:  # noqa: BLE001  zip, XML and package errors from a damaged file
        raise DocumentError(f"{name}: the Word file is damaged ({type(exc).__name__})") from None
    return "\n".join(parts), title


def read_document(path: str | Path | None = None, *, data: bytes | None = None, filename: str | None = None,
                  max_bytes: int = DEFAULT_MAX_BYTES) -> DocumentText:
    """Read a file (or ``data``, or ``-`` for standard input) into clean text and metadata.

    ``filename`` names the document in messages (default: the path); the type is told by the content,
    the extension breaking ties. Raises :class:`DocumentError` and nothing else for a bad document.
    """
    if path is None and data is None:
        raise DocumentError(f"{filename or '<document>'}: no file or data given")
    name = filename or ("<stdin>" if str(path) == "-" else str(path) if path is not None else "<data>")
    if data is None:
        assert path is not None
        data = _read_bytes(path, name, max_bytes)
    if len(data) > max_bytes:
        raise _too_big(name, len(data), max_bytes)
    title = published = None
    if not data:  # an empty document is empty text, whatever its name says
        return DocumentText(text="", sha256=hashlib.sha256(data).hexdigest(), path=None if path is None else str(path),
                            media_type=_BY_EXTENSION.get(Path(name).suffix.lower(), TEXT))
    media_type = _sniff_binary(data, name)
    if media_type == PDF:
        text, title = _pdf(data, name)
    elif media_type == DOCX:
        text, title = _docx(data, name)
    else:
        raw = _decode_html(data, name) if name.lower().endswith((".html", ".htm", ".xhtml")) else decode(data, name)
        looks_html = _HTML_START.match(raw[:2048]) is not None or (
            name.lower().endswith((".html", ".htm", ".xhtml")) and _HTML_TAGS.search(raw[:65536]) is not None)
        if looks_html:
            media_type = HTML
            text, title, published = _html(raw)
        else:
            media_type, text = TEXT, raw
    return DocumentText(text=clean_text(text), sha256=hashlib.sha256(data).hexdigest(),
                        path=None if path is None else str(path), media_type=media_type,
                        title=title, published=published)


__all__ = ["DEFAULT_MAX_BYTES", "DocumentError", "DocumentText", "decode", "read_document"]
