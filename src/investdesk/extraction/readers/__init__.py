"""Documents to clean text with their tables: plain text, HTML, PDF, Word files and scanned images, told apart by
their content.

Every failure is a :class:`DocumentError` whose message names the file and the problem in one line
("report.pdf: the PDF is encrypted"). An empty file is not a failure: it reads as empty text. The text
lays every table out where it stands (see :mod:`investdesk.extraction.readers.base`).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from investdesk.extraction.readers.base import (
    DEFAULT_MAX_BYTES,
    DOCX,
    HTML,
    IMAGES,
    JPEG,
    MAX_TEXT_CHARS,
    PDF,
    PNG,
    TEXT,
    TIFF,
    DocumentError,
    DocumentText,
    Layout,
    Table,
)
from investdesk.extraction.readers.txt import decode, read_bytes, sniff_binary, too_big

_HTML_START = re.compile(r"\s*(<!--.*?-->\s*)*(<!doctype\s+html|<html|<\?xml[^>]*>\s*(<!doctype\s+html|<html))",
                         re.I | re.S)
_HTML_TAGS = re.compile(r"<(html|head|body|article|div|p|title|meta)\b[^>]*>", re.I)
_HTML_NAMES = (".html", ".htm", ".xhtml")
_BY_EXTENSION = {".html": HTML, ".htm": HTML, ".xhtml": HTML, ".pdf": PDF, ".docx": DOCX, ".png": PNG,
                 ".jpg": JPEG, ".jpeg": JPEG, ".tif": TIFF, ".tiff": TIFF}
_IMAGE_NAMES = {PNG: "a PNG image", JPEG: "a JPEG image", TIFF: "a TIFF image"}
# What upload forms and folder ingests accept, by extension.
EXTENSIONS = (".txt", ".htm", ".html", ".xhtml", ".pdf", ".docx", ".png", ".jpg", ".jpeg", ".tif", ".tiff")


def read_document(path: str | Path | None = None, *, data: bytes | None = None, filename: str | None = None,
                  max_bytes: int = DEFAULT_MAX_BYTES, max_chars: int = MAX_TEXT_CHARS) -> DocumentText:
    """Read a file (or ``data``, or ``-`` for standard input) into clean text, tables and metadata.

    ``filename`` names the document in messages (default: the path); the type is told by the content,
    the extension breaking ties. The text keeps at most ``max_chars`` characters (``truncated`` says when it
    was cut). Raises :class:`DocumentError` and nothing else for a bad document.
    """
    if path is None and data is None:
        raise DocumentError(f"{filename or '<document>'}: no file or data given")
    name = filename or ("<stdin>" if str(path) == "-" else str(path) if path is not None else "<data>")
    if data is None:
        assert path is not None
        data = read_bytes(path, name, max_bytes)
    if len(data) > max_bytes:
        raise too_big(name, len(data), max_bytes)
    sha256 = hashlib.sha256(data).hexdigest()
    where = None if path is None else str(path)
    if not data:  # an empty document is empty text, whatever its name says
        return DocumentText(text="", sha256=sha256, path=where,
                            media_type=_BY_EXTENSION.get(Path(name).suffix.lower(), TEXT))
    layout = Layout()
    title = published = None
    used_ocr = left_out = False
    media_type = sniff_binary(data, name)
    if media_type == PDF:
        from investdesk.extraction.readers.pdf import read_pdf

        title, used_ocr, left_out = read_pdf(data, name, layout)
    elif media_type == DOCX:
        from investdesk.extraction.readers.docx import read_docx

        title = read_docx(data, name, layout)
    elif media_type in IMAGES:
        from investdesk.extraction.readers.cleaning import reflow
        from investdesk.extraction.readers.ocr import ocr_lines, read_image

        pages, left_out = read_image(data, name, _IMAGE_NAMES[media_type])
        layout.prose(reflow([ocr_lines(page) for page in pages]))
        used_ocr = True
    else:
        lower = name.lower()
        if lower.endswith(_HTML_NAMES):
            from investdesk.extraction.readers.html import decode_html

            raw = decode_html(data, name)
        else:
            raw = decode(data, name)
        if _HTML_START.match(raw[:2048]) is not None or (
                lower.endswith(_HTML_NAMES) and _HTML_TAGS.search(raw[:65536]) is not None):
            from investdesk.extraction.readers.html import read_html

            media_type = HTML
            title, published = read_html(raw, layout)
        else:
            media_type = TEXT
            layout.prose(raw)
    text, tables, cut = layout.build(max_chars)
    return DocumentText(text=text, sha256=sha256, path=where, media_type=media_type or TEXT, title=title,
                        published=published, tables=tables, ocr=used_ocr, truncated=cut or left_out)


__all__ = ["DEFAULT_MAX_BYTES", "DOCX", "EXTENSIONS", "HTML", "IMAGES", "JPEG", "MAX_TEXT_CHARS", "PDF", "PNG",
           "TEXT", "TIFF", "DocumentError", "DocumentText", "Table", "decode", "read_document"]
