"""Scanned documents: images and PDF pages without a text layer, read with Tesseract; and a clear error on a
machine without it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from investdesk.extraction import DocumentError, read_document
from investdesk.extraction.readers import PDF, PNG, TIFF
from investdesk.extraction.readers.ocr import languages

from .documents import pdf_bytes
from .layouts import scanned_pdf, text_image

LINES = ["Memorandum of Understanding", "The Government of Uttar Pradesh and Tanaka Electric",
         "agree to set up a magnet plant in Noida", "with an investment of Rs 500 crore."]
needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed")


def words(text: str) -> set[str]:
    return {w.strip(".,").lower() for w in text.split()}


@needs_tesseract
def test_png_of_a_press_clipping_is_read_by_ocr(tmp_path: Path) -> None:
    f = tmp_path / "clipping.png"
    text_image(LINES, path=f)
    doc = read_document(f)
    assert doc.media_type == PNG and doc.ocr
    assert {"memorandum", "uttar", "pradesh", "tanaka", "electric", "noida", "500", "crore"} <= words(doc.text)


@needs_tesseract
def test_jpeg_and_tiff_are_read_too(tmp_path: Path) -> None:
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(text_image(LINES)))
    for fmt, ext in (("JPEG", "jpg"), ("TIFF", "tif")):
        buf = io.BytesIO()
        image.save(buf, format=fmt)
        doc = read_document(data=buf.getvalue(), filename=f"scan.{ext}")
        assert doc.ocr and "noida" in words(doc.text), fmt
    assert read_document(data=buf.getvalue(), filename="scan.tif").media_type == TIFF


@needs_tesseract
def test_scanned_pdf_page_is_read_by_ocr() -> None:
    doc = read_document(data=scanned_pdf(LINES), filename="signed-mou.pdf")
    assert doc.media_type == PDF and doc.ocr
    assert {"memorandum", "tanaka", "noida", "crore"} <= words(doc.text)


def test_pdf_with_a_text_layer_is_not_ocr() -> None:
    doc = read_document(data=pdf_bytes([["The Kerala delegation met Alpha Marine Ltd in Oslo."]]), filename="a.pdf")
    assert not doc.ocr


@needs_tesseract
def test_hindi_is_read_when_its_data_is_installed() -> None:
    assert languages() in ("eng", "eng+hin")
    out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout.split()
    assert languages() == ("eng+hin" if "hin" in out else "eng")


def test_damaged_image_names_the_file() -> None:
    with pytest.raises(DocumentError) as info:
        read_document(data=b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, filename="photo.png")
    message = str(info.value)
    assert message.startswith("photo.png: ") and "\n" not in message
    with pytest.raises(DocumentError, match=r"^photo\.jpg: the image is damaged"):
        read_document(data=b"not an image at all", filename="photo.jpg")


def test_without_tesseract_a_scan_is_a_one_line_error_naming_file_and_tool(tmp_path: Path) -> None:
    """``investdesk extract`` on a machine without Tesseract (PATH without it): exit 2, one line per file."""
    png, pdf = tmp_path / "clipping.png", tmp_path / "scan.pdf"
    text_image(LINES, path=png)
    pdf.write_bytes(scanned_pdf(LINES))
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    for f in (png, pdf):
        out = subprocess.run([sys.executable, "-m", "investdesk", "extract", str(f)], capture_output=True,
                             timeout=180, env={"PATH": str(empty_bin), "LANG": "C"})
        errors = [line for line in out.stderr.decode().splitlines() if line.strip()]
        assert out.returncode == 2 and out.stdout == b""
        assert errors == [f"error: {f}: needs OCR (a scanned page or an image) but Tesseract is not installed "
                          f"(install tesseract-ocr)"]
