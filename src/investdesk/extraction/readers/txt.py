"""Bytes in: reading a file within its size limit, telling formats apart by their content, decoding text."""

from __future__ import annotations

import codecs
import io
import sys
import zipfile
from pathlib import Path

from investdesk.extraction.readers.base import DOCX, JPEG, PDF, PNG, TIFF, DocumentError

# Formats people send by mistake, told by their first bytes, with the advice the message gives.
_OTHER_FORMATS = (
    (b"\xd0\xcf\x11\xe0", "an old Office file (.doc/.xls); save it as .docx"),
    (b"{\\rtf", "an RTF file; save it as .docx or plain text"),
    (b"GIF8", "a GIF image; save it as PNG"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a program"),
)
_IMAGES = ((b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG), (b"II*\x00", TIFF), (b"MM\x00*", TIFF))


def megabytes(n: int) -> str:
    mb = n / (1024 * 1024)
    return f"{mb:.0f}" if mb == int(mb) and mb >= 1 else f"{mb:.1f}"


def too_big(name: str, size: int, max_bytes: int) -> DocumentError:
    return DocumentError(f"{name}: {float(size) / (1024 * 1024):.1f} MB is over the {megabytes(max_bytes)} MB limit")


def read_bytes(path: str | Path, name: str, max_bytes: int) -> bytes:
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
            raise too_big(name, size, max_bytes)
        # Read at most one byte over the limit: a device or a pipe does not say its size.
        with p.open("rb") as fh:
            return fh.read(max_bytes + 1)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise DocumentError(f"{name}: cannot be read ({reason})") from None


def _zip_names(data: bytes) -> set[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return set(z.namelist())
    except Exception:  # noqa: BLE001  a broken archive has no readable names
        return set()


def sniff_binary(data: bytes, name: str) -> str | None:
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
    for magic, image_type in _IMAGES:
        if data.startswith(magic):
            return image_type
    for magic, what in _OTHER_FORMATS:
        if data.startswith(magic):
            raise DocumentError(f"{name}: not a supported document type ({what})")
    lower = name.lower()
    if lower.endswith(".pdf"):
        raise DocumentError(f"{name}: the PDF is damaged (no PDF header)")
    if lower.endswith(".docx"):
        raise DocumentError(f"{name}: the Word file is damaged (not a zip package)")
    if lower.endswith((".png", ".jpg", ".jpeg", ".tif", ".tiff")):
        raise DocumentError(f"{name}: the image is damaged (not a PNG, JPEG or TIFF file)")
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
