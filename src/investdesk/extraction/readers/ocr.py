"""Scanned pages and photographs to text with Tesseract (through pytesseract), in English and Hindi when the
Hindi data is installed.

Without Tesseract a scan cannot be read: that is a :class:`DocumentError` naming the file and the missing
tool, never an empty text passed off as the document's.
"""

from __future__ import annotations

import functools
import io
import os
import shutil
from typing import Any

from investdesk.extraction.readers.base import DocumentError

DPI = 300
# Pages read by OCR per document at most: a 300-page scanned annual report would take a quarter of an hour;
# the pages past this are left out and the text is flagged as cut.
MAX_OCR_PAGES = 60
TIMEOUT_SECONDS = 180  # one page; Tesseract on a 300 dpi A4 page takes a few seconds
# Longest side a photograph is read at: a 48-megapixel phone photo is shrunk, small print stays readable.
MAX_SIDE = 5000
_INSTALL = "install tesseract-ocr"


def _tesseract_cmd() -> str | None:
    try:
        import pytesseract
    except ImportError:
        return None
    return shutil.which(str(pytesseract.pytesseract.tesseract_cmd))


def require_tesseract(name: str) -> None:
    """Raise the one-line error for a document that needs OCR on a machine without Tesseract."""
    try:
        import pytesseract  # noqa: F401
    except ImportError:
        raise DocumentError(f"{name}: needs OCR (a scanned page or an image) but the pytesseract package is not "
                            f"installed") from None
    if _tesseract_cmd() is None:
        raise DocumentError(f"{name}: needs OCR (a scanned page or an image) but Tesseract is not installed "
                            f"({_INSTALL})")


@functools.lru_cache(maxsize=4)
def _languages(cmd: str) -> str:
    import pytesseract

    try:
        installed = set(pytesseract.get_languages(config=""))
    except Exception:  # noqa: BLE001  an old or odd Tesseract that cannot list them still reads English
        installed = set()
    return "eng+hin" if {"eng", "hin"} <= installed else "eng"


def languages() -> str:
    """``eng+hin`` when Tesseract has the Hindi data, else ``eng``."""
    cmd = _tesseract_cmd()
    return _languages(cmd) if cmd else "eng"


def ocr_image(image: Any, name: str, *, dpi: int = DPI) -> str:
    """The text Tesseract reads in a Pillow image."""
    import pytesseract

    require_tesseract(name)
    # Tesseract's OpenMP threads fight over a busy machine's cores: one thread reads an A4 page in about 3 s
    # where the default took 20 s on two shared cores. A limit set by the operator is kept.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    if max(image.size) > MAX_SIDE:
        scale = MAX_SIDE / max(image.size)
        image = image.resize((max(1, int(image.width * scale)), max(1, int(image.height * scale))))
    try:
        return str(pytesseract.image_to_string(image, lang=languages(), config=f"--psm 3 --dpi {dpi}",
                                               timeout=TIMEOUT_SECONDS))
    except RuntimeError as exc:
        if "timeout" in str(exc).lower():
            raise DocumentError(f"{name}: OCR of a page took longer than {TIMEOUT_SECONDS} s") from None
        raise DocumentError(f"{name}: OCR failed ({' '.join(str(exc).split())[:200]})") from None
    except pytesseract.TesseractNotFoundError:
        raise DocumentError(f"{name}: needs OCR (a scanned page or an image) but Tesseract is not installed "
                            f"({_INSTALL})") from None
    except pytesseract.TesseractError as exc:
        raise DocumentError(f"{name}: OCR failed ({' '.join(str(exc.message).split())[:200]})") from None


def ocr_lines(text: str) -> list[str]:
    """Tesseract's lines, without the blank line it sometimes puts inside a sentence ("... and shall" / "" /
    "remain in force ..."): a blank line stays only where the line before could end a paragraph."""
    lines = [line.strip() for line in text.splitlines()]
    out: list[str] = []
    for i, line in enumerate(lines):
        if not line and out and out[-1] and i + 1 < len(lines) and lines[i + 1][:1].islower() \
                and out[-1][-1:] not in ".!?:;":
            continue
        out.append(line)
    return out


def read_image(data: bytes, name: str, what: str) -> tuple[list[str], bool]:
    """The OCR text of each page of an image file (a TIFF may hold several), and whether pages were left out."""
    from PIL import Image, UnidentifiedImageError

    require_tesseract(name)
    try:
        with Image.open(io.BytesIO(data)) as image:
            frames = getattr(image, "n_frames", 1)
            pages: list[str] = []
            for index in range(min(frames, MAX_OCR_PAGES)):
                image.seek(index)
                frame = image.copy()
                frame.load()
                dpi = image.info.get("dpi")
                resolution = int(dpi[0]) if isinstance(dpi, tuple) and dpi and 70 <= float(dpi[0]) <= 1200 else DPI
                pages.append(ocr_image(frame, name, dpi=resolution))
    except DocumentError:
        raise
    except Image.DecompressionBombError:
        raise DocumentError(f"{name}: refused: the image is too large to read ({what})") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
        raise DocumentError(f"{name}: the image is damaged ({what}: {type(exc).__name__})") from None
    return pages, frames > MAX_OCR_PAGES


def render_pdf_page(data: bytes, index: int, name: str) -> Any:
    """A PDF page as a Pillow image at the OCR resolution (pypdfium2, which pdfplumber brings)."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
        try:
            page = document[index]
            return page.render(scale=DPI / 72).to_pil()
        finally:
            document.close()
    except Exception as exc:  # noqa: BLE001  pdfium raises its own error kinds for damaged pages
        raise DocumentError(f"{name}: page {index + 1} of the PDF cannot be rendered for OCR "
                            f"({type(exc).__name__})") from None
